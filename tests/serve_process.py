"""A real `explainer serve` process for the tests: on a port nobody can take from it, its
output read as it comes, its sockets read from the system, always stopped.

The preview is started with `--port 0`: it binds a port the system picks and keeps it, and
the test reads which from the preview's own "previewing … at" line, so no other program can
take the port between the choice and the serving. Waits are on the preview's output (each
new line wakes them), not on a clock.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import REPO

START_SECONDS = 60
WAIT_SECONDS = 15
STOP_SECONDS = 10
PREVIEWING = re.compile(r"previewing .* at http://[^/\s]+:(\d+)/")


@dataclass
class Server:
    """A running preview: its process, its port, and every line it has printed so far."""

    process: subprocess.Popen[str]
    content: Path
    port: int = 0
    lines: list[str] = field(default_factory=list)
    ended: bool = False
    news: threading.Condition = field(default_factory=threading.Condition)

    @property
    def output(self) -> str:
        with self.news:
            return "".join(self.lines)

    @property
    def rebuilds(self) -> list[str]:
        """The one-line summaries of each build, in order."""
        with self.news:
            return [line for line in self.lines if re.match(r"\[\d\d:\d\d:\d\d\] ", line)]

    def read(self) -> None:
        """Collect the preview's output until it closes it (run on a thread)."""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self.news:
                self.lines.append(line)
                self.news.notify_all()
        with self.news:
            self.ended = True
            self.news.notify_all()

    def wait_for(
        self, pattern: str, seconds: float = WAIT_SECONDS, since: int = 0
    ) -> re.Match[str]:
        """The first match of `pattern` in the lines printed from line `since` on, waiting for
        it up to `seconds`; fail if the preview stops or says nothing of the kind."""
        found: re.Match[str] | None = None

        def seen() -> bool:
            nonlocal found
            for line in self.lines[since:]:
                found = found or re.search(pattern, line)
            return found is not None or self.ended

        with self.news:
            self.news.wait_for(seen, timeout=seconds)
        if found is None:
            why = "the preview stopped" if self.ended else f"nothing in {seconds} s"
            pytest.fail(f"{why}; no line matching {pattern!r}:\n{self.output}")
        return found

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Freeze the preview while the body runs, so that it sees the body's changes to
        its content all at once, however slowly the machine makes them."""
        self.process.send_signal(signal.SIGSTOP)
        _, status = os.waitpid(self.process.pid, os.WUNTRACED)
        if not os.WIFSTOPPED(status):
            pytest.fail(f"the preview is gone:\n{self.output}")
        try:
            yield
        finally:
            self.process.send_signal(signal.SIGCONT)

    def stop(self, how: signal.Signals = signal.SIGINT) -> int:
        """Stop the preview with `how`; return its exit code once all its output is read."""
        if self.process.poll() is None:
            self.process.send_signal(how)
        try:
            code = self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=STOP_SECONDS)
            pytest.fail(f"the preview did not stop on {how.name}:\n{self.output}")
        with self.news:
            self.news.wait_for(lambda: self.ended, timeout=STOP_SECONDS)
        return code


def _interruptible() -> None:
    """Let Ctrl-C (SIGINT) reach the preview even when the tests were started with it
    ignored, as a shell does for a command it runs in the background (`(pytest &)`, nohup):
    an ignored signal stays ignored across exec, and Python then sets no handler for it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextmanager
def serving(content: Path, *options: str) -> Iterator[Server]:
    """Run `explainer serve --content CONTENT --port 0 OPTIONS…` until the block ends."""
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--content", str(content), "--port", "0"]
        + list(options),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=_interruptible,
    )
    server = Server(process, content)
    reader = threading.Thread(target=server.read, daemon=True)
    reader.start()
    try:
        server.port = int(server.wait_for(PREVIEWING.pattern, START_SECONDS)[1])
        yield server
    finally:
        try:
            server.stop()
        finally:
            reader.join(timeout=STOP_SECONDS)
            if process.stdout is not None:
                process.stdout.close()


def listening_sockets(pid: int) -> set[tuple[str, int]]:
    """Every (address, port) on which process `pid` listens for TCP connections, from
    Linux's /proc: the process's socket inodes, looked up in /proc/net/tcp and tcp6."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:  # closed since the listing
            continue
        if match := re.fullmatch(r"socket:\[(\d+)\]", target):
            inodes.add(match[1])
    found = set()
    for table, family in (("tcp", socket.AF_INET), ("tcp6", socket.AF_INET6)):
        path = Path("/proc/net") / table
        if not path.exists():
            continue
        for row in path.read_text().splitlines()[1:]:
            fields = row.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state != "0A" or inode not in inodes:  # 0A: LISTEN
                continue
            address_hex, port_hex = local.split(":")
            raw = bytes.fromhex(address_hex)
            if sys.byteorder == "little":  # the kernel prints each 32-bit word as a number
                raw = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
            found.add((socket.inet_ntop(family, raw), int(port_hex, 16)))
    return found
