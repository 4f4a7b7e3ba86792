"""Edit-to-reload latency of `explainer serve` on the real case.

Starts the preview server on a copy of `content/`, connects to its live-reload WebSocket
as a browser would, then saves a quote 10 times and measures, for each save, the time
from the file write to the reload message arriving. Prints every figure and the median.

    python -m bench.reload_latency [--edits 10]
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tornado.ioloop import IOLoop
from tornado.websocket import websocket_connect

REPO = Path(__file__).resolve().parent.parent
QUOTES = Path("cases/microsoft-ireland/quotes.yaml")
MARKER = "We believe your email belongs to you"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_line(process: subprocess.Popen[str], text: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if text in line:
            return
        if not line and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
    raise TimeoutError(f"no line containing {text!r} within {timeout} s")


async def _measure(port: int, quotes: Path, edits: int) -> list[float]:
    connection = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    await connection.write_message(json.dumps({"command": "hello"}))
    await connection.read_message()
    await connection.write_message(
        json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}/"})
    )
    original = quotes.read_text(encoding="utf-8")
    latencies = []
    try:
        for number in range(edits):
            edited = original.replace(MARKER, f"{MARKER} (edit {number})", 1)
            started = time.perf_counter()
            quotes.write_text(edited, encoding="utf-8")
            while True:
                message = await connection.read_message()
                if message is None:
                    raise RuntimeError("the server closed the WebSocket")
                if json.loads(message).get("command") == "reload":
                    break
            latencies.append((time.perf_counter() - started) * 1000)
    finally:
        quotes.write_text(original, encoding="utf-8")
        connection.close()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        content = Path(scratch) / "content"
        shutil.copytree(REPO / "content", content)
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
        )
        try:
            _wait_for_line(process, "previewing", timeout=60)
            latencies = IOLoop.current().run_sync(
                lambda: _measure(port, content / QUOTES, args.edits), timeout=120
            )
        finally:
            process.terminate()
            process.wait(timeout=10)
    figures = ", ".join(f"{value:.0f}" for value in latencies)
    print(f"edit-to-reload latency on the real case, {len(latencies)} edits (ms): {figures}")
    print(f"median {statistics.median(latencies):.0f} ms")


if __name__ == "__main__":
    main()
