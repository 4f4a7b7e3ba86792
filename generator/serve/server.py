"""`serve_site`: bind the port, build the first preview, serve it until Ctrl-C or a kill."""

from __future__ import annotations

import signal
import socket
import sys
import tempfile
import webbrowser
from pathlib import Path
from typing import TextIO

from generator.build.site import DEFAULT_TEMPLATES
from generator.serve.preview import Preview
from generator.serve.reload import quiet_livereload, start_server
from generator.serve.sockets import listen
from generator.theme import Theme

LOCAL_HOSTS = {"127.0.0.1", "::1", "localhost"}
EVERY_INTERFACE = {"0.0.0.0", "::"}


def serve_site(
    content_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    open_browser: bool = False,
    templates_dir: Path | Theme = DEFAULT_TEMPLATES,
    log: TextIO = sys.stdout,
    cards_of: Path | None = None,
) -> None:
    """Build a preview, serve it with live reload, and rebuild on every burst of saves.

    `cards_of` names the output whose share cards `explainer build` keeps, for the preview
    to reuse. Raise `ServeError` when no port can be listened on.
    """
    sockets = listen(host, port)
    chosen = int(sockets[0].getsockname()[1])
    if port and chosen != port:
        print(f"port {port} is in use; using {chosen} instead", file=log)
    shown_host = "localhost" if host in LOCAL_HOSTS else host
    if host in EVERY_INTERFACE:
        shown_host = socket.gethostname()
        print(
            "serving on every network interface: others on your network can see the preview",
            file=log,
        )
    address = f"http://{shown_host}:{chosen}/"
    previous_handler = signal.signal(signal.SIGTERM, _interrupt)
    try:
        _run(content_dir, templates_dir, cards_of, sockets, address, open_browser, log)
    except KeyboardInterrupt:  # at any moment: during the first build, before serving…
        pass
    finally:
        signal.signal(signal.SIGTERM, previous_handler)
        for sock in sockets:
            sock.close()
    print("preview stopped", file=log)


def _interrupt(signum: int, frame: object) -> None:
    """Treat a polite kill like Ctrl-C, so the preview folder is removed either way."""
    raise KeyboardInterrupt


def _run(
    content_dir: Path,
    templates_dir: Path | Theme,
    cards_of: Path | None,
    sockets: list[socket.socket],
    address: str,
    open_browser: bool,
    log: TextIO,
) -> None:
    port = int(sockets[0].getsockname()[1])
    with tempfile.TemporaryDirectory(prefix="explainer-preview-") as scratch:
        site_dir = Path(scratch) / "site"
        preview = Preview(content_dir, templates_dir, site_dir, address, log, cards_of)
        preview.build("first build")
        with quiet_livereload():
            loop = start_server(preview, sockets, port)
            try:
                print(f"previewing {content_dir} at {address} — Ctrl-C to stop", file=log)
                print(f"preview files in {preview.state.site_dir}", file=log)
                log.flush()
                if open_browser:
                    webbrowser.open(address)
                loop.start()
            finally:
                loop.close(all_fds=True)
