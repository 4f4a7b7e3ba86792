"""The preview survives its content going away: the folder deleted, a file turned folder.

Each test breaks the content under a running preview, checks that the preview keeps
serving, says what is wrong (in the terminal and on the error page every HTML request gets)
and still offers the last good site; then puts the content back, changed, and checks that
the rebuild gives exactly a clean build's files. The last test does the same to a real
`explainer serve` process over HTTP, to show that the process itself keeps running.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import site as build_module
from generator.build.site import build_site
from generator.serve.preview import Preview
from generator.write import MARKER
from tests.conftest import write_tree
from tests.serve_process import listening_sockets, serving
from tests.test_serve import BASE_URL, QUOTE, content, get, preview, site_files

__all__ = ["content", "preview"]  # the preview's fixtures, shared with test_serve


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


def assert_same_as_clean_build(preview: Preview, scratch: Path) -> None:
    clean = scratch / "clean"
    if clean.exists():
        shutil.rmtree(clean)
    build_site(preview.content_dir, clean, base_url=BASE_URL)
    actual, expected = files(preview.state.site_dir), files(clean)
    differing = sorted(
        p for p in actual.keys() | expected.keys() if actual.get(p) != expected.get(p)
    )
    assert differing == [], f"the preview differs from a clean build in {differing[:8]}"


def assert_shows_error(preview: Preview, *words: str) -> None:
    """The preview failed, says `words` on the error page and in the terminal, and still
    serves the last good site on request."""
    assert preview.state.failed
    status, body = get(preview, "/demo/quotes/first/")
    page = body.decode("utf-8")
    assert status.startswith("500")
    log = preview.log.getvalue()  # type: ignore[attr-defined]
    for word in words:
        assert word in page, page
        assert word in log, log
    assert "bug" not in log
    status, body = get(preview, "/demo/quotes/first/", "last-good")
    assert status.startswith("200") and b"Original words." in body


def test_deleted_content_folder_is_shown_then_rebuilt_when_back(
    preview: Preview, content: Path, tmp_path: Path
) -> None:
    shutil.rmtree(content)
    assert preview.poll() is True
    assert_shows_error(preview, str(content), "the content folder is gone")
    assert preview.poll() is False  # no rebuild loop while it stays away

    write_tree(content, site_files("Words after the folder came back."))
    assert preview.poll() is True
    assert not preview.state.failed
    status, body = get(preview, "/demo/quotes/first/")
    assert status.startswith("200") and b"Words after the folder came back." in body
    assert_same_as_clean_build(preview, tmp_path)


def test_content_folder_moved_away_and_back_is_rebuilt(
    preview: Preview, content: Path, tmp_path: Path
) -> None:
    moved = tmp_path / "elsewhere"
    content.rename(moved)
    assert preview.poll() is True
    assert_shows_error(preview, "the content folder is gone")
    write_tree(moved, {"cases/demo/quotes/first.yaml": QUOTE.format(text="Edited while away.")})
    moved.rename(content)
    assert preview.poll() is True
    assert not preview.state.failed
    assert b"Edited while away." in get(preview, "/demo/quotes/first/")[1]
    assert_same_as_clean_build(preview, tmp_path)


@pytest.mark.parametrize(
    "name", ["cases/demo/sources.yaml", "site.yaml", "cases/demo/parties.yaml"]
)
def test_file_turned_folder_and_back_is_shown_then_rebuilt(
    preview: Preview, content: Path, tmp_path: Path, name: str
) -> None:
    file = content / name
    kept = file.read_bytes()
    file.unlink()
    write_tree(file, {"item.yaml": "id: x\n"})
    assert preview.poll() is True
    assert_shows_error(preview, str(file), "is a folder, not a file")

    shutil.rmtree(file)
    file.write_bytes(kept)
    write_tree(content, {"cases/demo/quotes/first.yaml": QUOTE.format(text="Back to a file.")})
    assert preview.poll() is True
    assert not preview.state.failed, preview.state.errors
    assert b"Back to a file." in get(preview, "/demo/quotes/first/")[1]
    assert_same_as_clean_build(preview, tmp_path)


def test_file_vanishing_mid_build_is_not_called_a_bug(
    preview: Preview, content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quote = content / "cases/demo/quotes/first.yaml"
    real: Callable[..., object] = build_module.load_content

    def vanishing(*args: object, **kwargs: object) -> object:
        raise FileNotFoundError(2, "No such file or directory", str(quote))

    monkeypatch.setattr(build_module, "load_content", vanishing)
    quote.write_text(QUOTE.format(text="Saved while another program deleted things."))
    assert preview.poll() is True
    assert_shows_error(preview, str(quote), "cannot read or write this file: no such file")

    monkeypatch.setattr(build_module, "load_content", real)
    quote.write_text(QUOTE.format(text="Saved again."))
    assert preview.poll() is True
    assert not preview.state.failed
    assert_same_as_clean_build(preview, tmp_path)


# --- a real server ---------------------------------------------------------------------------


def _fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - localhost
            return int(response.status), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_real_server_keeps_running_through_deletion_and_a_folder(tmp_path: Path) -> None:
    """Each change is made with the preview frozen, so that it sees the change whole (and
    rebuilds once for it) however slowly the machine makes it; each check waits for the
    rebuild's line, after which every request sees that rebuild."""
    content = write_tree(tmp_path / "content", site_files("Original words."))
    with serving(content) as server:
        port = server.port
        page = f"http://127.0.0.1:{port}/demo/quotes/first/"
        status, body = _fetch(page)
        assert status == 200 and "Original words." in body
        reload_script = f'<script src="/livereload.js?port={port}">'
        assert f"{reload_script}</script></head>" in body
        tags = set(re.findall(r"<script[^>]*>", body))
        assert tags == {reload_script, '<script type="application/ld+json">'}  # none inline
        if sys.platform == "linux":
            assert listening_sockets(server.process.pid) == {("127.0.0.1", port)}

        since = len(server.lines)
        with server.paused():
            shutil.rmtree(content)
        server.wait_for("the content folder is gone", since=since)
        status, body = _fetch(page)
        assert status == 500 and "the content folder is gone" in body
        assert server.process.poll() is None

        since = len(server.lines)
        with server.paused():
            write_tree(content, site_files("Back again."))
        server.wait_for("pages rendered", since=since)
        assert "Back again." in _fetch(page)[1]

        sources = content / "cases/demo/sources.yaml"
        kept = sources.read_bytes()
        since = len(server.lines)
        with server.paused():
            sources.unlink()
            sources.mkdir()
        server.wait_for("is a folder, not a file", since=since)
        status, body = _fetch(page)
        assert status == 500 and "is a folder, not a file" in body
        assert server.process.poll() is None

        since = len(server.lines)
        with server.paused():
            sources.rmdir()
            sources.write_bytes(kept)
        server.wait_for("pages rendered", since=since)
        status, body = _fetch(page)
        assert status == 200 and "Back again." in body
        assert "Traceback" not in server.output
        assert server.stop(signal.SIGTERM) == 0, server.output
    assert "preview stopped" in server.output
    assert "the content folder is gone" in server.output
    assert os.path.isdir(content)
