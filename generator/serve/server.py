"""`serve_site`: bind the port, build the first preview, serve it until Ctrl-C or a kill."""

from __future__ import annotations

import signal
import socket
import sys
import tempfile
import webbrowser
from contextlib import ExitStack
from pathlib import Path
from typing import TextIO

from generator.build.image_store import ImageStore, images_path
from generator.build.site import DEFAULT_TEMPLATES
from generator.commands.diff.sides import revision_sides
from generator.commands.diff.versions import read_version
from generator.serve.changes_page import CHANGES_PATH, ChangesPage
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
    diff: str | None = None,
    diff_templates: Path | None = None,
) -> None:
    """Build a preview, serve it with live reload, and rebuild on every burst of saves.

    `cards_of` names the output whose share cards `explainer build` keeps, for the preview
    to reuse. With `diff`, a git revision, the preview also serves the change list since it
    (content and `diff_templates`, the folder overriding the theme) at `/_changes/`. Raise
    `ServeError` when no port can be listened on, `RevisionError` for a revision that cannot
    be read.
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
        _run(
            content_dir,
            templates_dir,
            cards_of,
            sockets,
            address,
            open_browser,
            log,
            (diff, diff_templates) if diff is not None else None,
        )
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
    diff: tuple[str, Path | None] | None,
) -> None:
    port = int(sockets[0].getsockname()[1])
    with ExitStack() as stack:
        scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="explainer-preview-"))
        site_dir = Path(scratch) / "site"
        images = images_path(cards_of if cards_of is not None else site_dir)
        changes = _changes_since(stack, content_dir, images, *diff) if diff else None
        preview = Preview(content_dir, templates_dir, site_dir, address, log, cards_of)
        preview.build("first build")
        with quiet_livereload():
            loop = start_server(preview, sockets, port, changes)
            try:
                print(f"previewing {content_dir} at {address} — Ctrl-C to stop", file=log)
                print(f"preview files in {preview.state.site_dir}", file=log)
                if changes is not None:
                    since = changes.base.side.label
                    print(f"changes since {since}: {address}{CHANGES_PATH[1:]}", file=log)
                log.flush()
                if open_browser:
                    webbrowser.open(address)
                loop.start()
            finally:
                loop.close(all_fds=True)


def _changes_since(
    stack: ExitStack, content_dir: Path, images: Path, revision: str, templates: Path | None
) -> ChangesPage:
    """The change list since `revision`, read now, its files kept until `stack` closes; the
    pictures processed are kept in `images`, the preview's own folder of them."""
    before, after = stack.enter_context(revision_sides(content_dir, revision, None, templates))
    store = ImageStore(images)
    return ChangesPage(read_version(before, images=store), after, store)
