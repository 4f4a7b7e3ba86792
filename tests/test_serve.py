"""The preview server's logic without a browser: bursts, failures, recovery, safety."""

from __future__ import annotations

import errno
import io
import re
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.build.site import DEFAULT_TEMPLATES
from generator.errors import ContentError, Location, OutputError, SearchIndexError
from generator.serve import ServeError, serve_site
from generator.serve import server as server_module
from generator.serve.app import make_app
from generator.serve.error_page import error_page
from generator.serve.preview import MAX_SETTLE_SECONDS, SETTLE_SECONDS, Preview, PreviewState
from generator.serve.sockets import PORT_ATTEMPTS, listen
from tests.conftest import CliResult, minimal_site, write_tree

PARTIES = """\
- id: speaker
  name: A Speaker
  kind: person
  role: Speaks
"""
QUOTE = """\
id: first
text: {text}
speaker: speaker
said_on: 2014-08-27
venue: Blog
sources: [report]
verbatim_in: report
"""


BASE_URL = "http://localhost:9/"


def site_files(text: str) -> dict[str, str | bytes]:
    """A one-quote site whose quote says `text`."""
    return minimal_site(
        **{"parties.yaml": PARTIES, "cases/demo/quotes/first.yaml": QUOTE.format(text=text)}
    )


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "content", site_files("Original words."))


@pytest.fixture
def preview(tmp_path: Path, content: Path) -> Iterator[Preview]:
    log = io.StringIO()
    built = Preview(content, DEFAULT_TEMPLATES, tmp_path / "site", BASE_URL, log)
    built.build("first build")
    assert not built.state.failed, log.getvalue()
    yield built


def get(preview: Preview, path: str, query: str = "") -> tuple[str, bytes]:
    """Request `path` from the preview's WSGI app."""
    status: list[str] = []

    def start_response(line: str, headers: list[tuple[str, str]]) -> None:
        status.append(line)

    body = b"".join(
        make_app(preview.state)({"PATH_INFO": path, "QUERY_STRING": query}, start_response)
    )
    return status[0], body


def _save_quote(content: Path, name: str) -> None:
    write_tree(
        content, {f"cases/demo/quotes/{name}.yaml": QUOTE.replace("first", name).format(text="W.")}
    )


def test_burst_of_fifty_writes_gives_one_rebuild(preview: Preview, content: Path) -> None:
    for number in range(50):
        _save_quote(content, f"q{number}")
    waits: list[float] = []
    assert preview.poll(sleep=waits.append) is True
    assert waits == [SETTLE_SECONDS]  # one look that the burst had settled
    assert preview.state.builds == 2
    assert preview.poll(sleep=waits.append) is False
    assert preview.state.builds == 2
    assert "50 changes (q0.yaml, q1.yaml, q10.yaml and 47 more)" in preview.log.getvalue()


def test_burst_still_being_saved_gives_one_rebuild_once_it_settles(
    preview: Preview, content: Path
) -> None:
    """The preview's clock is the test's: each time the preview waits for the burst to
    settle, the next save of the burst lands, until one wait passes with no save."""
    names = [f"q{number}" for number in range(5)]
    waits: list[float] = []

    def wait(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) < len(names):
            _save_quote(content, names[len(waits)])

    _save_quote(content, names[0])
    assert preview.poll(sleep=wait) is True
    assert waits == [SETTLE_SECONDS] * len(names)
    assert preview.state.builds == 2
    assert "5 changes (q0.yaml, q1.yaml, q2.yaml and 2 more)" in preview.log.getvalue()
    assert preview.poll(sleep=wait) is False
    assert preview.state.builds == 2


def test_burst_that_never_settles_is_rebuilt_after_the_longest_wait(
    preview: Preview, content: Path
) -> None:
    waits: list[float] = []

    def wait(seconds: float) -> None:
        waits.append(seconds)
        assert len(waits) < 1000, "the preview waits for the burst to settle for ever"
        _save_quote(content, f"q{len(waits)}")

    _save_quote(content, "q0")
    assert preview.poll(sleep=wait) is True
    assert sum(waits) == pytest.approx(MAX_SETTLE_SECONDS)
    assert preview.state.builds == 2


def test_save_during_a_rebuild_gets_a_rebuild_after_it(
    preview: Preview, content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quote = content / "cases/demo/quotes/first.yaml"
    calls: list[int] = []

    build = preview.builder.build

    def slow_rebuild() -> Any:
        result = build()
        if not calls:
            quote.write_text(QUOTE.format(text="Saved while building."), encoding="utf-8")
        calls.append(1)
        return result

    monkeypatch.setattr(preview.builder, "build", slow_rebuild)
    quote.write_text(QUOTE.format(text="First save."), encoding="utf-8")
    assert preview.poll() is True
    assert preview.poll() is True
    assert len(calls) == 2
    _, body = get(preview, "/demo/quotes/first/")
    assert "Saved while building." in body.decode()


def test_broken_save_shows_located_error_page_then_recovers(
    preview: Preview, content: Path
) -> None:
    quote = content / "cases/demo/quotes/first.yaml"
    quote.write_text(QUOTE.format(text="Fine.").replace("speaker: speaker", "speaker: speakr"))
    assert preview.poll() is True
    assert preview.state.failed
    status, body = get(preview, "/demo/quotes/first/")
    page = body.decode()
    assert status.startswith("500")
    assert f"{quote}:3:10" in page
    assert "unknown party `speakr` in `speaker`" in page
    assert '<mark class="here">   3 | speaker: speakr' in page
    assert "</head>" in page  # livereload injects its script before a lowercase </head>
    status, body = get(preview, "/demo/quotes/first/", "last-good")
    assert status.startswith("200") and "Original words." in body.decode()
    status, _ = get(preview, "/static/style.css")
    assert status.startswith("200")

    quote.write_text(QUOTE.format(text="Fixed words."))
    assert preview.poll() is True
    assert not preview.state.failed
    status, body = get(preview, "/demo/quotes/first/")
    assert status.startswith("200") and "Fixed words." in body.decode()


def test_template_error_is_shown_not_raised(tmp_path: Path, content: Path) -> None:
    templates = tmp_path / "templates"
    write_tree(templates, {"index.html": "{% if %}"})
    log = io.StringIO()
    broken = Preview(content, templates, tmp_path / "site", BASE_URL, log)
    assert broken.build("first build") is True
    assert broken.state.failed
    assert broken.state.failure.startswith("templates/index.html:1:")
    status, body = get(broken, "/")
    assert status.startswith("500") and "templates/index.html:1:" in body.decode()


@pytest.mark.parametrize(
    ("error", "failure", "summary"),
    [
        (
            SearchIndexError("Pagefind failed"),
            "search index: Pagefind failed",
            "the search index failed",
        ),
        (OutputError("cannot write x: the disk is full"), "cannot write x: the disk is full", ""),
    ],
    ids=["search-index", "output"],
)
def test_any_error_of_a_rebuild_is_shown_not_raised(
    preview: Preview,
    content: Path,
    monkeypatch: pytest.MonkeyPatch,
    error: Exception,
    failure: str,
    summary: str,
) -> None:
    def failing(*args: object, **kwargs: object) -> object:
        raise error

    monkeypatch.setattr(preview.builder, "build", failing)
    (content / "cases/demo/quotes/first.yaml").write_text(QUOTE.format(text="New words."))
    assert preview.poll() is True
    assert preview.state.failure == failure and preview.state.errors == []
    last_lines = preview.log.getvalue().splitlines()[-2:]
    assert f"{summary or 'the output could not be written'}, last good site kept" in last_lines[0]
    assert last_lines[1] == f"  {failure}"
    assert "bug" not in preview.log.getvalue()
    status, body = get(preview, "/demo/quotes/first/")
    assert status.startswith("500") and failure in body.decode()


def test_error_page_escapes_what_the_error_says(tmp_path: Path) -> None:
    """Messages, hints and excerpts quote what editors wrote: none of it is markup."""
    script = "<script>alert('x')</script>"
    quoted = write_tree(tmp_path, {"quotes.yaml": f"id: first\ntext: {script}\n"})
    where = Location(str(quoted / "quotes.yaml"), 2, 3)
    page = error_page(
        PreviewState(
            tmp_path, errors=[ContentError(where, f"`{script}` is wrong", f"not {script}")]
        )
    )
    assert "<script" not in page
    escaped = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"
    assert f"<strong>`{escaped}` is wrong</strong>" in page
    assert f"<p>not {escaped}</p>" in page
    assert f'<mark class="here">   2 | text: {escaped}\n         ^</mark>' in page
    failed = error_page(PreviewState(tmp_path, failure=f"templates/x.html:1:1: {script}"))
    assert f"<li><pre>templates/x.html:1:1: {escaped}</pre></li>" in failed
    assert "<script" not in failed


ERROR_PAGE = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed: 2 error(s)</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem;
  padding: 0 1rem; color: #1a1a1a; background: #fff; }
h1 { color: #a4000f; } li { margin-bottom: 1.5rem; }
code, pre { font: 14px/1.4 ui-monospace, monospace; }
pre { background: #f4f4f4; padding: .75rem; overflow-x: auto; }
.here { background: #ffe3e3; display: block; }
</style>
</head>
<body>
<main>
<h1>The site could not be built</h1>
<p>Fix the mistakes below and save: this page reloads by itself. Last good build at 12:34:56. \
<a href="?last-good">Show the last good version of this page</a>.</p>
<ol class="errors">
<li><p><code class="location">{root}/a.yaml:2:3</code></p><p class="message"><strong>\
bad &quot;value&quot;</strong></p><p>fix it</p><pre>   1 | one: 1
<mark class="here">   2 | two: 2
         ^</mark>
   3 | three: 3
   4 | four: 4</pre></li>
<li><p><code class="location">{root}/a.yaml</code></p><p class="message"><strong>\
whole file</strong></p></li>
</ol>
</main>
</body>
</html>
"""


def test_error_page_reads_exactly_so(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.yaml": "one: 1\ntwo: 2\nthree: 3\nfour: 4\nfive: 5\n"})
    file = str(tmp_path / "a.yaml")
    errors = [
        ContentError(Location(file, 2, 3), 'bad "value"', "fix it"),
        ContentError(Location(file), "whole file"),
    ]
    page = error_page(PreviewState(tmp_path, errors=errors, last_good="12:34:56"))
    assert page == ERROR_PAGE.replace("{root}", str(tmp_path))


def test_unchanged_rebuild_rewrites_nothing_and_does_not_reload(
    preview: Preview, content: Path
) -> None:
    (content / "cases/demo/notes.md").write_text("not content")
    assert preview.poll() is False
    assert "0 of" in preview.log.getvalue().splitlines()[-1]


def test_one_quote_edit_rewrites_only_pages_that_show_it(preview: Preview, content: Path) -> None:
    site = preview.state.site_dir
    untouched = site / "demo" / "sources" / "index.html"
    before = untouched.stat().st_mtime_ns
    (content / "cases/demo/quotes/first.yaml").write_text(QUOTE.format(text="New words."))
    assert preview.poll() is True
    assert untouched.stat().st_mtime_ns == before
    line = preview.log.getvalue().splitlines()[-1]
    rendered, written = (int(n) for n in re.findall(r"(\d+) (?:pages rendered|of)", line))
    assert 0 < written <= rendered < 10


def test_requests_cannot_leave_the_preview_folder(preview: Preview) -> None:
    status, _ = get(preview, "/../../../../etc/passwd")
    assert status.startswith("404")


def _port(sockets: list[socket.socket]) -> int:
    return int(sockets[0].getsockname()[1])


def _assert_held(port: int) -> None:
    """`port` takes connections, and no other program can bind it."""
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    with socket.socket() as other, pytest.raises(OSError) as refused:
        other.bind(("127.0.0.1", port))
    assert refused.value.errno == errno.EADDRINUSE


def test_busy_port_moves_to_the_next_free_one() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        sockets = listen("127.0.0.1", port)
        try:
            assert port < _port(sockets) < port + PORT_ATTEMPTS
            _assert_held(_port(sockets))
        finally:
            for sock in sockets:
                sock.close()
        with pytest.raises(ServeError, match=f"ports {port} to {port} on 127.0.0.1 are all in use"):
            listen("127.0.0.1", port, attempts=1)


def test_port_zero_listens_on_a_free_port_and_keeps_it() -> None:
    sockets = listen("127.0.0.1", 0)
    try:
        assert _port(sockets) != 0
        _assert_held(_port(sockets))
    finally:
        for sock in sockets:
            sock.close()


@pytest.mark.parametrize("moment", ["first build", "before serving", "while serving"])
def test_ctrl_c_stops_cleanly_whenever_it_comes(
    content: Path, monkeypatch: pytest.MonkeyPatch, moment: str
) -> None:
    """Ctrl-C during the first build, or between it and the serving, stops the preview as
    Ctrl-C while it serves does: no traceback, the preview folder removed, "preview stopped"."""
    folders: list[Path] = []
    build = Preview.build

    def first_build(self: Preview, reason: str) -> bool:
        folders.append(self.state.site_dir.parent)
        if moment == "first build":
            raise KeyboardInterrupt
        return build(self, reason)

    def open_page(*args: object, **kwargs: object) -> None:
        if moment == "before serving":
            raise KeyboardInterrupt

    class Loop:
        closed = False

        def start(self) -> None:
            if moment == "while serving":
                raise KeyboardInterrupt
            raise AssertionError("served although Ctrl-C came before")

        def close(self, all_fds: bool = False) -> None:
            self.closed = True

    loop = Loop()
    monkeypatch.setattr(Preview, "build", first_build)
    monkeypatch.setattr(server_module, "start_server", lambda *args: loop)
    monkeypatch.setattr(server_module.webbrowser, "open", open_page)
    log = io.StringIO()
    try:
        serve_site(content, port=0, open_browser=True, log=log)
    except KeyboardInterrupt:  # caught here, or pytest would stop all tests
        pytest.fail(f"Ctrl-C ({moment}) ended the preview with a traceback")
    assert log.getvalue().endswith("preview stopped\n")
    assert folders and not folders[0].exists()
    assert loop.closed == (moment != "first build")


def test_serve_without_content_folder_exits_one(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    result = run_cli("serve", "--content", str(tmp_path / "missing"))
    assert result.code == 1
    assert "content folder not found" in result.err
