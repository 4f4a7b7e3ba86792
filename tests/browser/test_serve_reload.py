"""`explainer serve` in a real browser: live reload, errors, recovery, one rebuild per burst.

Every server is started on a free port, read through a thread, bounded in time and stopped.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import REAL_CONTENT, REPO

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

QUOTES = Path("cases/microsoft-ireland/quotes.yaml")
QUOTE_ID = "lynch-email-belongs-to-you"
ORIGINAL = "We believe your email belongs to you, not us"
START_SECONDS = 60
WAIT_MS = 15_000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[str]
    port: int
    content: Path
    lines: list[str] = field(default_factory=list)

    @property
    def rebuilds(self) -> list[str]:
        return [line for line in self.lines if re.match(r"\[\d\d:\d\d:\d\d\] ", line)]

    def wait_for(self, pattern: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if any(re.search(pattern, line) for line in self.lines):
                return
            if self.process.poll() is not None:
                pytest.fail(f"server exited early:\n{''.join(self.lines)}")
            time.sleep(0.05)
        pytest.fail(f"no line matching {pattern!r} in {seconds} s:\n{''.join(self.lines)}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    content = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, content)
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "serve",
            "--content",
            str(content),
            "--port",
            str(port),
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    running = Server(process, port, content)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            running.lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        running.wait_for("previewing", START_SECONDS)
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        reader.join(timeout=5)
        if process.stdout is not None:
            process.stdout.close()


def _edit(path: Path, old: str, new: str) -> int:
    """Replace the first `old` with `new` in `path`; return the 1-based line it was on."""
    text = path.read_text(encoding="utf-8")
    index = text.index(old)
    path.write_text(text[:index] + new + text[index + len(old) :], encoding="utf-8")
    return text.count("\n", 0, index) + 1


def _wait_connected(page: Page, sent: list[str], since: int) -> None:
    """Wait until the page's reload script has connected since `since` frames were sent:
    the preview tells the pages connected when a build ends, so a page still loading then
    (on a busy machine, for seconds after the previous reload) is not told."""
    deadline = time.monotonic() + 10
    while not any('"info"' in frame for frame in sent[since:]) and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert any('"info"' in frame for frame in sent[since:]), "the reload script did not connect"


def test_edit_reloads_open_page_and_broken_save_shows_error_then_recovers(
    browser: Browser, server: Server
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(str(payload))))
    page.goto(f"http://127.0.0.1:{server.port}/microsoft-ireland/quotes/{QUOTE_ID}/")
    page.wait_for_selector(f"blockquote >> text={ORIGINAL}", timeout=WAIT_MS)
    _wait_connected(page, sent, 0)
    quotes = server.content / QUOTES

    connections = len(sent)
    _edit(quotes, ORIGINAL, "Edited in the preview: your email belongs to you, not us")
    page.wait_for_selector("blockquote >> text=Edited in the preview", timeout=WAIT_MS)
    _wait_connected(page, sent, connections)  # as an editor would: a reload sent sooner is lost

    line = _edit(quotes, "speaker: brendon-lynch", "speaker: brendan-lynch")
    page.wait_for_selector("text=The site could not be built", timeout=WAIT_MS)
    locations = page.locator("code.location").all_inner_texts()
    assert any(re.fullmatch(rf".*quotes\.yaml:{line}:\d+", loc) for loc in locations), locations
    assert page.locator("text=did you mean `brendon-lynch`?").count() == 1
    assert page.locator("mark.here").first.inner_text().lstrip().startswith(f"{line} |")
    server.wait_for(r"quotes\.yaml:\d+:\d+: unknown party `brendan-lynch`", 5)

    _edit(quotes, "speaker: brendan-lynch", "speaker: brendon-lynch")
    page.wait_for_selector("blockquote >> text=Edited in the preview", timeout=WAIT_MS)
    context.close()


def test_burst_of_fifty_writes_gives_exactly_one_rebuild(server: Server) -> None:
    time.sleep(0.5)
    before = len(server.rebuilds)
    notes = server.content / "cases" / "microsoft-ireland" / "notes"
    notes.mkdir()
    quotes = server.content / QUOTES
    original = quotes.read_text(encoding="utf-8")
    for number in range(40):
        (notes / f"note-{number}.md").write_text(f"note {number}\n", encoding="utf-8")
    for number in range(10):
        quotes.write_text(original.replace(ORIGINAL, f"{ORIGINAL} ({number})", 1), encoding="utf-8")
    deadline = time.monotonic() + 10
    while len(server.rebuilds) == before and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)
    assert len(server.rebuilds) == before + 1, server.rebuilds
    assert "41 changes (note-0.md, note-1.md, note-10.md and 38 more)" in server.rebuilds[-1]


def test_ctrl_c_stops_cleanly_and_removes_the_preview(server: Server) -> None:
    match = re.search(r"preview files in (\S+)", "".join(server.lines))
    assert match is not None
    folder = Path(match[1])
    assert (folder / "index.html").is_file()
    server.process.send_signal(signal.SIGINT)
    assert server.process.wait(timeout=10) == 0
    deadline = time.monotonic() + 5
    while "preview stopped" not in "".join(server.lines) and time.monotonic() < deadline:
        time.sleep(0.05)
    output = "".join(server.lines)
    assert "Traceback" not in output
    assert "preview stopped" in output
    assert not folder.exists()


def test_server_binds_only_to_localhost_by_default(server: Server) -> None:
    with socket.socket() as probe:
        probe.settimeout(2)
        probe.connect(("127.0.0.1", server.port))
    addresses = {
        info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    }
    outward = sorted(a for a in addresses if not a.startswith("127."))
    for address in outward:
        with socket.socket() as probe:
            probe.settimeout(2)
            assert probe.connect_ex((address, server.port)) != 0, address
