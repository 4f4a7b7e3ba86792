"""`explainer serve` in a real browser: live reload, errors, recovery, one rebuild per burst.

Every server is started on a port it picks itself, read through a thread and stopped (see
`tests.serve_process`); waits are on its output or on the page, not on a clock.
"""

from __future__ import annotations

import ipaddress
import re
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

import pytest

from bench.synthetic import CASE_SLUG, edit_quote, generate, quote_file
from tests.browser.conftest import ContextFactory, axe_violations
from tests.conftest import REAL_CONTENT, REPO
from tests.serve_process import Server, listening_sockets, serving

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

QUOTES = Path("cases/microsoft-ireland/quotes.yaml")
QUOTE_ID = "lynch-email-belongs-to-you"
ORIGINAL = "We believe your email belongs to you, not us"
WAIT_MS = 15_000
RECORD_FRAMES = """
const send = WebSocket.prototype.send;
WebSocket.prototype.send = function (data) {
  (window.reloadFramesSent = window.reloadFramesSent || []).push(String(data));
  return send.call(this, data);
};
"""
"""Keeps, in each page, the frames its reload script sends the preview."""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    content = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, content)
    with serving(content) as running:
        yield running


def _edit(path: Path, old: str, new: str) -> int:
    """Replace the first `old` with `new` in `path`; return the 1-based line it was on."""
    text = path.read_text(encoding="utf-8")
    index = text.index(old)
    path.write_text(text[:index] + new + text[index + len(old) :], encoding="utf-8")
    return text.count("\n", 0, index) + 1


def _wait_connected(page: Page) -> None:
    """Wait until the reload script of the page now shown has connected: the preview tells
    the pages connected when a build ends, so a page still loading then (on a busy machine,
    for seconds after the previous reload) is not told."""
    page.wait_for_function(
        "() => (window.reloadFramesSent || []).some((frame) => frame.includes('\"info\"'))",
        timeout=WAIT_MS,
    )


def test_edit_reloads_open_page_and_broken_save_shows_error_then_recovers(
    browser: Browser, server: Server
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(RECORD_FRAMES)
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{server.port}/microsoft-ireland/quotes/{QUOTE_ID}/")
    page.wait_for_selector(f"blockquote >> text={ORIGINAL}", timeout=WAIT_MS)
    _wait_connected(page)
    quotes = server.content / QUOTES

    _edit(quotes, ORIGINAL, "Edited in the preview: your email belongs to you, not us")
    page.wait_for_selector("blockquote >> text=Edited in the preview", timeout=WAIT_MS)
    _wait_connected(page)  # as an editor would: a reload sent sooner is lost

    line = _edit(quotes, "speaker: brendon-lynch", "speaker: brendan-lynch")
    page.wait_for_selector("text=The site could not be built", timeout=WAIT_MS)
    locations = page.locator("code.location").all_inner_texts()
    assert any(re.fullmatch(rf".*quotes\.yaml:{line}:\d+", loc) for loc in locations), locations
    assert page.locator("text=did you mean `brendon-lynch`?").count() == 1
    assert page.locator("mark.here").first.inner_text().lstrip().startswith(f"{line} |")
    server.wait_for(r"quotes\.yaml:\d+:\d+: unknown party `brendan-lynch`", 5)
    _wait_connected(page)

    _edit(quotes, "speaker: brendan-lynch", "speaker: brendon-lynch")
    page.wait_for_selector("blockquote >> text=Edited in the preview", timeout=WAIT_MS)
    context.close()


def test_burst_of_fifty_writes_gives_exactly_one_rebuild(server: Server) -> None:
    """41 files saved 50 times give one rebuild, and no rebuild of theirs comes later.

    The preview is frozen while the burst is written, so that it finds the burst whole
    however loaded the machine is; that it waits for a burst still being written to settle
    is shown in test_serve.py, on a clock the test controls. A last save, made once the
    burst's rebuild is done, gets a rebuild of its own with nothing of the burst in it."""
    before = len(server.rebuilds)
    notes = server.content / "cases" / "microsoft-ireland" / "notes"
    quotes = server.content / QUOTES
    original = quotes.read_text(encoding="utf-8")
    since = len(server.lines)
    with server.paused():
        notes.mkdir()
        for number in range(40):
            (notes / f"note-{number}.md").write_text(f"note {number}\n", encoding="utf-8")
        for number in range(10):
            edited = original.replace(ORIGINAL, f"{ORIGINAL} ({number})", 1)
            quotes.write_text(edited, encoding="utf-8")
    burst = server.wait_for(r"\] \d+ changes? \(", since=since)
    assert "41 changes (note-0.md, note-1.md, note-10.md and 38 more)" in burst.string

    since = len(server.lines)
    (notes / "after.md").write_text("after the burst\n", encoding="utf-8")
    server.wait_for(r"\] 1 change \(after\.md\)", since=since)
    assert len(server.rebuilds) == before + 2, server.rebuilds[before:]


def test_ctrl_c_stops_cleanly_and_removes_the_preview(server: Server) -> None:
    folder = Path(server.wait_for(r"preview files in (\S+)")[1])
    assert (folder / "index.html").is_file()
    assert server.stop(signal.SIGINT) == 0
    assert "Traceback" not in server.output
    assert "preview stopped" in server.output
    assert not folder.exists()


@pytest.mark.skipif(sys.platform != "linux", reason="reads the sockets from Linux's /proc")
def test_server_binds_only_to_localhost_by_default(server: Server) -> None:
    """Every socket the preview listens on is a loopback one, on the port it names."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5):
        pass
    listening = listening_sockets(server.process.pid)
    assert listening, "the preview listens on no socket"
    assert {port for _, port in listening} == {server.port}
    outward = sorted(a for a, _ in listening if not ipaddress.ip_address(a).is_loopback)
    assert outward == [], f"the preview listens beyond this machine on {outward}"


def _repository_of_real_content(root: Path) -> Path:
    """The real content and the theme, committed in a repository of their own; the content."""
    shutil.copytree(REAL_CONTENT, root / "content")
    shutil.copytree(REPO / "templates", root / "templates")
    for args in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "base"],
    ):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)
    return root / "content"


def test_change_list_links_to_the_preview_is_accessible_and_follows_saves(
    browser: Browser, context_for: ContextFactory, tmp_path: Path
) -> None:
    """`serve --diff HEAD`: the change list at 375 px dark and 1280 px light has no axe
    violation and no console error, its every link opens a page of the preview, and a save
    reloads it with the new words."""
    content = _repository_of_real_content(tmp_path)
    quotes = content / QUOTES
    _edit(quotes, ORIGINAL, "Edited for review: your email belongs to you, not us")
    templates = str(tmp_path / "templates")
    with serving(content, "--diff", "HEAD", "--templates", templates) as server:
        address = server.wait_for(r"changes since HEAD \(\w+\): (http://\S+/_changes/)")[1]
        assert address == f"http://localhost:{server.port}/_changes/"
        address = address.replace("localhost", "127.0.0.1")
        phone = context_for(375, "dark").new_page()
        errors: list[str] = []
        phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        phone.goto(address)
        assert phone.locator("ins", has_text="Edited for review:").count() == 1
        assert axe_violations(phone) == []
        hrefs = phone.eval_on_selector_all("main a[href]", "links => links.map(a => a.href)")
        assert f"http://127.0.0.1:{server.port}/microsoft-ireland/quotes/{QUOTE_ID}/" in hrefs
        for href in hrefs:
            assert phone.request.get(href).status == 200, href
        phone.close()

        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.add_init_script(RECORD_FRAMES)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(address)
        assert axe_violations(page) == []
        _wait_connected(page)
        _edit(quotes, "Edited for review:", "Saved again:")
        page.wait_for_selector("ins >> text=Saved again:", timeout=WAIT_MS)
        context.close()
        assert errors == []


def test_a_large_site_reloads_before_the_pages_an_edit_changed_are_rendered(
    browser: Browser, tmp_path: Path
) -> None:
    """On a site of more pages than `LARGE_PREVIEW` (a synthetic case of 1,000 quotes), a
    save leaves the pages it changed to render: the reloaded page is rendered when the
    browser asks for it, and every other page that shows the quote, between requests."""
    content = tmp_path / "content"
    generate(1000, content)
    quotes = quote_file(content / "cases" / CASE_SLUG / "quotes.yaml", "quote-00500")
    with serving(content) as server:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.add_init_script(RECORD_FRAMES)
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.port}/{CASE_SLUG}/quotes/quote-00500/")
        _wait_connected(page)

        edit_quote(quotes, "quote-00500", "editlarge")

        page.wait_for_selector("blockquote >> text=editlarge", timeout=WAIT_MS)
        line = server.wait_for(r"quotes\.yaml\): (\d+) pages left to render as they are viewed")
        assert int(line[1]) > 1, line.string
        speaker = page.locator("main a[href*='/parties/']:not([href$='/parties/'])").first
        address = speaker.get_attribute("href")
        assert address is not None
        page.goto(urljoin(page.url, address))
        assert page.locator("text=editlarge").count() >= 1
        context.close()
