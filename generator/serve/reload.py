"""Live reload, the one module that knows the `livereload` package (and Tornado under it).

`livereload` provides the WebSocket, the reload script and its injection into pages; the
preview replaces its watcher with `PreviewWatcher`, which polls the preview's way: one
rebuild per burst of saves, across all watched trees. Swapping the package out means
rewriting this module only.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import warnings
from collections.abc import Callable, Iterator
from typing import Any

from livereload.watcher import Watcher

from generator.serve.app import make_app
from generator.serve.changes_page import ChangesPage
from generator.serve.preview import Preview

POLL_SECONDS = 0.1
"""How often the watched trees are looked at."""

RELOAD_SCRIPT = '<script src="/livereload.js?port={port}"></script>'
"""Put before `</head>` of every page the preview serves."""


def start_server(
    preview: Preview, sockets: list[socket.socket], port: int, changes: ChangesPage | None = None
) -> Any:
    """Serve our WSGI app (with the change list, given `changes`) and livereload's reload
    handlers (our watcher, no reload throttling) on the sockets `listen` bound; return the
    loop."""
    from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler
    from livereload.server import LiveScriptContainer
    from tornado.httpserver import HTTPServer
    from tornado.ioloop import IOLoop
    from tornado.web import Application, FallbackHandler

    loop = IOLoop.current()
    LiveReloadHandler.watcher = PreviewWatcher(preview)
    LiveReloadHandler.live_css = False
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    # The reload script is loaded from a file of this origin, not from livereload's inline
    # snippet, which the pages' Content-Security-Policy refuses.
    pages = LiveScriptContainer(
        make_app(preview.state, changes, preview.render_asked),
        RELOAD_SCRIPT.format(port=port).encode(),
    )
    app = Application(
        [
            (r"/livereload", LiveReloadHandler),
            (r"/forcereload", ForceReloadHandler),
            (r"/livereload.js", LiveReloadJSHandler),
            (r".*", FallbackHandler, {"fallback": pages}),
        ],
        debug=False,
    )
    HTTPServer(app).add_sockets(sockets)
    LiveReloadHandler.start_tasks()
    return loop


class PreviewWatcher(Watcher):  # type: ignore[misc]
    """A livereload watcher that polls our way: one rebuild per burst, across all trees; and
    renders the pages a rebuild left, a few per turn of the loop, so that requests are served
    between turns."""

    def __init__(self, preview: Preview) -> None:
        super().__init__()
        self.preview = preview
        self.pending = False
        self.rendering_left = False

    def start(self, callback: Callable[[], None]) -> bool:
        from tornado.ioloop import IOLoop, PeriodicCallback

        loop = IOLoop.current()

        def reload() -> None:
            self.pending = True
            callback()

        def render_left() -> None:
            if self.preview.render_left():
                reload()
            self.rendering_left = self.preview.has_left
            if self.rendering_left:
                loop.add_callback(render_left)

        def tick() -> None:
            if self.preview.poll():
                reload()
            if self.preview.has_left and not self.rendering_left:
                self.rendering_left = True
                loop.add_callback(render_left)

        PeriodicCallback(tick, POLL_SECONDS * 1000).start()
        return True

    def examine(self) -> tuple[str | None, None]:
        self._changes.clear()
        if self.pending:
            self.pending = False
            self.filepath = "*"
            return "*", None
        return None, None


@contextlib.contextmanager
def quiet_livereload() -> Iterator[None]:
    """Silence livereload's own logging and the deprecation warnings it triggers."""
    for name in ("livereload", "tornado.access", "tornado.application", "tornado.general"):
        logging.getLogger(name).propagate = False
        logging.getLogger(name).setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="livereload")
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="tornado")
        warnings.filterwarnings("ignore", message=".*utcfromtimestamp.*")
        warnings.filterwarnings("ignore", message=".*no current event loop.*")
        yield
