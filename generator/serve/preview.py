"""`explainer serve`: a live-reload preview on top of `build`, built to survive mistakes.

The `livereload` package provides the WebSocket, the reload script and its injection, served
by Tornado; this module keeps the rest, so the package can be swapped out:

- **Port:** bound before the first build and kept (the next free one if the one asked for is
  taken; any free one for port 0), then named in the "previewing … at" line.
- **Where:** the preview is built into a temporary folder (removed on exit), never into a
  deployable `output/`, with the preview's own address as base URL.
- **When:** `PreviewWatcher` polls the content and template trees every 100 ms, waits until a
  burst of writes has settled, and rebuilds once per burst; a change during a rebuild is
  seen by the next poll and gets a rebuild of its own. Builds run on the server's thread,
  so no request ever sees a half-written page.
- **What:** only files whose bytes changed are rewritten; the browser reloads only when
  something was written or the error state changed.
- **Mistakes:** a failed build keeps the last good site on disk; every HTML request then
  gets an error page listing each `file:line:col`, the message and the offending lines,
  until a good save reloads the page back. `?last-good` shows the last good page anyway.
  The same goes for a content folder deleted or moved away, a file that vanishes or turns
  into a folder mid-build: the preview says so, keeps running, and rebuilds when it is back.
- **Kills:** the preview folder is private to one server and written in place (see
  `write`). A killed server leaves it in the system's temporary folder; none reuses it.
"""

from __future__ import annotations

import contextlib
import errno
import html
import logging
import mimetypes
import os
import signal
import socket
import sys
import tempfile
import time
import traceback
import warnings
import webbrowser
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from livereload.watcher import Watcher

from generator.build.record import cards_path
from generator.build.search_index import SearchIndexError
from generator.build.site import DEFAULT_TEMPLATES, SiteBuilder
from generator.errors import ContentError, ContentErrors, Location, TemplateError

POLL_SECONDS = 0.1
SETTLE_SECONDS = 0.1
MAX_SETTLE_SECONDS = 3.0
PORT_ATTEMPTS = 10
IGNORED_SUFFIXES = (".swp", ".swx", ".tmp", "~")
IGNORED_NAMES = {"4913", ".DS_Store"}

Snapshot = dict[str, tuple[int, int]]
StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class ServeError(Exception):
    """The preview cannot start (for example, no free port)."""


@dataclass
class PreviewState:
    """What the preview server knows: where the site is and whether the last build failed."""

    site_dir: Path
    errors: list[ContentError] = field(default_factory=list)
    failure: str = ""
    """A template error or a generator bug, shown when there are no content errors."""
    last_good: str = ""
    builds: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.failure)


def snapshot(roots: Iterable[Path]) -> Snapshot:
    """Record size and modification time of every watched file under `roots`."""
    found: Snapshot = {}
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in files:
                if name.startswith((".", "#")) or name.endswith(IGNORED_SUFFIXES):
                    continue
                if name in IGNORED_NAMES:
                    continue
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def changed_paths(before: Snapshot, after: Snapshot) -> list[str]:
    """List files added, removed or modified between two snapshots."""
    return sorted(
        path for path in before.keys() | after.keys() if before.get(path) != after.get(path)
    )


class Preview:
    """Builds the preview and remembers the outcome; knows nothing of HTTP."""

    def __init__(
        self,
        content_dir: Path,
        templates_dir: Path,
        site_dir: Path,
        base_url: str,
        log: TextIO,
        cards_dir: Path | None = None,
    ) -> None:
        self.content_dir = content_dir
        self.templates_dir = templates_dir
        self.base_url = base_url
        self.state = PreviewState(site_dir)
        self.builder = SiteBuilder(
            content_dir,
            site_dir,
            templates_dir,
            base_url,
            use_state=False,
            in_place=True,
            cards_dir=cards_dir,
        )
        self.log = log
        self.baseline: Snapshot = {}

    @property
    def roots(self) -> list[Path]:
        return [self.content_dir, self.templates_dir]

    def build(self, reason: str) -> bool:
        """Rebuild once; return True when browsers should reload."""
        self.baseline = snapshot(self.roots)
        started = time.perf_counter()
        was_failed = self.state.failed
        self.state.builds += 1
        try:
            if not self.content_dir.is_dir() and not os.path.lexists(self.content_dir):
                raise ContentErrors([_content_folder_gone(self.content_dir)])
            result = self.builder.build()
        except ContentErrors as exc:
            self.state.errors, self.state.failure = exc.errors, ""
            self._line(f"{reason}: {len(exc.errors)} error(s), last good site kept", started)
            for error in exc.errors:
                print(f"  {error}", file=self.log)
            return True
        except TemplateError as exc:
            self.state.errors, self.state.failure = [], f"{exc.location}: {exc.message}"
            self._line(f"{reason}: template error, last good site kept", started)
            print(f"  {self.state.failure}", file=self.log)
            return True
        except SearchIndexError as exc:
            self.state.errors, self.state.failure = [], f"search index: {exc}"
            self._line(f"{reason}: the search index failed, last good site kept", started)
            print(f"  {self.state.failure}", file=self.log)
            return True
        except OSError as exc:  # a file went away mid-build, say, or the disk is full
            self.state.errors, self.state.failure = [_file_error(exc, self.content_dir)], ""
            self._line(
                f"{reason}: a file could not be read or written, last good site kept", started
            )
            print(f"  {self.state.errors[0]}", file=self.log)
            return True
        except Exception:  # a bug must not stop the preview; show it instead
            self.state.errors, self.state.failure = [], traceback.format_exc()
            self._line(f"{reason}: the generator failed (a bug), last good site kept", started)
            print(self.state.failure, file=self.log)
            return True
        self.state.errors, self.state.failure = [], ""
        self.state.last_good = time.strftime("%H:%M:%S")
        self._line(
            f"{reason}: {result.rendered} pages rendered, "
            f"{result.written} of {result.pages} files written",
            started,
        )
        return result.written > 0 or was_failed

    def _line(self, text: str, started: float) -> None:
        elapsed = (time.perf_counter() - started) * 1000
        print(f"[{time.strftime('%H:%M:%S')}] {text} in {elapsed:.0f} ms", file=self.log)
        self.log.flush()

    def poll(self, sleep: Callable[[float], None] = time.sleep) -> bool:
        """Rebuild if anything changed since the last build; return True to reload browsers."""
        current = snapshot(self.roots)
        if current == self.baseline:
            return False
        waited = 0.0
        while waited < MAX_SETTLE_SECONDS:
            sleep(SETTLE_SECONDS)
            waited += SETTLE_SECONDS
            settled = snapshot(self.roots)
            if settled == current:
                break
            current = settled
        changes = changed_paths(self.baseline, current)
        return self.build(_describe_changes(changes))


def _content_folder_gone(content_dir: Path) -> ContentError:
    return ContentError(
        Location(str(content_dir)),
        "the content folder is gone: deleted, moved or renamed",
        "put it back, and the preview rebuilds by itself",
    )


def _file_error(exc: OSError, content_dir: Path) -> ContentError:
    """An error of the file system during a build, told as a mistake at that file."""
    name = exc.filename
    where = os.fsdecode(name) if isinstance(name, (str, bytes, os.PathLike)) else str(content_dir)
    reason = (exc.strerror or str(exc)).lower()
    return ContentError(
        Location(where),
        f"cannot read or write this file: {reason}",
        "the preview builds again at the next change",
    )


def _describe_changes(paths: list[str]) -> str:
    if not paths:
        return "rebuilt"
    names = ", ".join(Path(p).name for p in paths[:3])
    more = f" and {len(paths) - 3} more" if len(paths) > 3 else ""
    noun = "change" if len(paths) == 1 else "changes"
    return f"{len(paths)} {noun} ({names}{more})"


def make_app(state: PreviewState) -> Callable[[dict[str, Any], StartResponse], list[bytes]]:
    """A WSGI app that serves the preview, or the error page while the last build failed."""

    def app(environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        path = environ.get("PATH_INFO", "/")
        query = environ.get("QUERY_STRING", "")
        target = _resolve(state.site_dir, path)
        wants_html = target is None or target.suffix == ".html"
        if state.failed and wants_html and "last-good" not in query:
            body = error_page(state).encode("utf-8")
            start_response("500 Build Failed", _headers("text/html; charset=utf-8", body))
            return [body]
        if target is None:
            not_found = state.site_dir / "404.html"
            body = not_found.read_bytes() if not_found.is_file() else b"<h1>Not found</h1>"
            start_response("404 Not Found", _headers("text/html; charset=utf-8", body))
            return [body]
        body = target.read_bytes()
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in {"application/json", "application/xml"}:
            kind += "; charset=utf-8"
        start_response("200 OK", _headers(kind, body))
        return [body]

    return app


def _headers(kind: str, body: bytes) -> list[tuple[str, str]]:
    return [
        ("Content-Type", kind),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
    ]


def _resolve(site_dir: Path, url_path: str) -> Path | None:
    """Map a URL path to a file of the preview, refusing anything outside it."""
    relative = url_path.lstrip("/")
    candidate = (site_dir / relative).resolve()
    root = site_dir.resolve()
    if candidate != root and root not in candidate.parents:
        return None
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def error_page(state: PreviewState) -> str:
    """The page every open tab shows while the content or a template is broken."""
    items = "\n".join(_error_item(error) for error in state.errors)
    if state.failure:
        items += f"<li><pre>{html.escape(state.failure)}</pre></li>"
    count = len(state.errors) or 1
    last_good = (
        f"Last good build at {state.last_good}. "
        '<a href="?last-good">Show the last good version of this page</a>.'
        if state.last_good
        else "No build has succeeded yet."
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed: {count} error(s)</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem;
  padding: 0 1rem; color: #1a1a1a; background: #fff; }}
h1 {{ color: #a4000f; }} li {{ margin-bottom: 1.5rem; }}
code, pre {{ font: 14px/1.4 ui-monospace, monospace; }}
pre {{ background: #f4f4f4; padding: .75rem; overflow-x: auto; }}
.here {{ background: #ffe3e3; display: block; }}
</style>
</head>
<body>
<main>
<h1>The site could not be built</h1>
<p>Fix the mistakes below and save: this page reloads by itself. {last_good}</p>
<ol class="errors">
{items}
</ol>
</main>
</body>
</html>
"""


def _error_item(error: ContentError) -> str:
    hint = f"<p>{html.escape(error.hint)}</p>" if error.hint else ""
    return (
        f'<li><p><code class="location">{html.escape(str(error.location))}</code></p>'
        f'<p class="message"><strong>{html.escape(error.message)}</strong></p>{hint}'
        f"{excerpt(error.location)}</li>"
    )


def excerpt(location: Location, context: int = 2) -> str:
    """The lines around a mistake, the offending one marked, as escaped HTML."""
    if location.line == 0:
        return ""
    try:
        lines = Path(location.file).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    first = max(location.line - context, 1)
    last = min(location.line + context, len(lines))
    rows = []
    for number in range(first, last + 1):
        text = html.escape(f"{number:>4} | {lines[number - 1]}")
        if number == location.line:
            caret = " " * (7 + max(location.column - 1, 0)) + "^"
            rows.append(f'<mark class="here">{text}\n{caret}</mark>')
        else:
            rows.append(text)
    return "<pre>" + "\n".join(rows) + "</pre>"


def listen(host: str, port: int, attempts: int = PORT_ATTEMPTS) -> list[socket.socket]:
    """Listen on `port`, or on the next free one, and keep the sockets, so no other program
    can take the port before the preview serves on it; port 0 lets the system pick one.
    Raise ServeError if every port tried is taken."""
    last = port if port == 0 else port + attempts - 1
    for candidate in range(port, last + 1):
        try:
            return _bind(host, candidate)
        except OSError as exc:
            if exc.errno in {errno.EADDRINUSE, errno.EACCES}:
                continue
            raise ServeError(f"cannot listen on {host}:{candidate}: {exc.strerror}") from None
    raise ServeError(f"ports {port} to {last} on {host} are all in use — pass --port")


def _bind(host: str, port: int) -> list[socket.socket]:
    """Listen at `port` on every address of `host`, as Tornado's `bind_sockets` does, but
    close what was opened if a bind fails. Port 0: one port the system picks, for all."""
    sockets: list[socket.socket] = []
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        for family, kind, proto, _, address in dict.fromkeys(found):
            sock = socket.socket(family, kind, proto)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:  # the IPv4 address, if any, gets its own socket
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            if port == 0 and sockets:
                address = (address[0], sockets[0].getsockname()[1], *address[2:])
            try:
                sock.bind(address)
            except OSError as exc:
                sock.close()
                if (
                    exc.errno == errno.EADDRNOTAVAIL
                    and host == "localhost"
                    and family == socket.AF_INET6
                ):
                    continue  # ::1 where IPv6 is half disabled (Docker): 127.0.0.1 will do
                raise
            sockets.append(sock)
            sock.listen(128)
            sock.setblocking(False)
        if not sockets:
            raise OSError(errno.EADDRNOTAVAIL, f"{host} has no address to listen on")
    except BaseException:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def serve_site(
    content_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    open_browser: bool = False,
    templates_dir: Path = DEFAULT_TEMPLATES,
    log: TextIO = sys.stdout,
) -> None:
    """Build a preview, serve it with live reload, and rebuild on every burst of saves."""
    sockets = listen(host, port)
    chosen = int(sockets[0].getsockname()[1])
    if port and chosen != port:
        print(f"port {port} is in use; using {chosen} instead", file=log)
    shown_host = "localhost" if host in {"127.0.0.1", "::1", "localhost"} else host
    if host in {"0.0.0.0", "::"}:
        shown_host = socket.gethostname()
        print(
            "serving on every network interface: others on your network can see the preview",
            file=log,
        )
    address = f"http://{shown_host}:{chosen}/"
    previous_handler = signal.signal(signal.SIGTERM, _interrupt)
    try:
        _run(content_dir, templates_dir, sockets, chosen, address, open_browser, log)
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
    templates_dir: Path,
    sockets: list[socket.socket],
    port: int,
    address: str,
    open_browser: bool,
    log: TextIO,
) -> None:
    with tempfile.TemporaryDirectory(prefix="explainer-preview-") as scratch:
        # The cards `explainer build` keeps for its default output: most are drawn already.
        cards = cards_path(Path("output"))
        preview = Preview(content_dir, templates_dir, Path(scratch) / "site", address, log, cards)
        preview.build("first build")
        with _quiet_livereload():
            loop = _start_server(preview, sockets, port)
            try:
                print(f"previewing {content_dir} at {address} — Ctrl-C to stop", file=log)
                print(f"preview files in {preview.state.site_dir}", file=log)
                log.flush()
                if open_browser:
                    webbrowser.open(address)
                loop.start()
            finally:
                loop.close(all_fds=True)


RELOAD_SCRIPT = '<script src="/livereload.js?port={port}"></script>'
"""Put before `</head>` of every page the preview serves."""


def _start_server(preview: Preview, sockets: list[socket.socket], port: int) -> Any:
    """Serve our WSGI app and livereload's reload handlers (our watcher, no reload
    throttling) on the sockets `listen` bound; return the loop."""
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
    pages = LiveScriptContainer(make_app(preview.state), RELOAD_SCRIPT.format(port=port).encode())
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
    """A livereload watcher that polls our way: one rebuild per burst, across all trees."""

    def __init__(self, preview: Preview) -> None:
        super().__init__()
        self.preview = preview
        self.pending = False

    def start(self, callback: Callable[[], None]) -> bool:
        from tornado.ioloop import PeriodicCallback

        def tick() -> None:
            if self.preview.poll():
                self.pending = True
                callback()

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
def _quiet_livereload() -> Iterator[None]:
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
