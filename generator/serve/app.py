"""The preview's pages over HTTP: a WSGI app serving the preview folder, or the error page;
and the change list since a revision (`serve --diff`)."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.serve.changes_page import CHANGES_PATH, STYLESHEET, STYLESHEET_PATH, ChangesPage
from generator.serve.error_page import error_page

if TYPE_CHECKING:
    from generator.serve.preview import PreviewState

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], list[bytes]]


def make_app(
    state: PreviewState,
    changes: ChangesPage | None = None,
    before_serving: Callable[[list[str]], None] | None = None,
) -> WsgiApp:
    """A WSGI app that serves the preview, or the error page while the last build failed;
    with `changes`, also the change list at `/_changes/`, whether the last build failed or not.
    `before_serving` is given the paths in the site of the file each URL may name first, to
    make it current (a page the last build left to render, see `Preview.render_asked`)."""

    def app(environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        path = environ.get("PATH_INFO", "/")
        query = environ.get("QUERY_STRING", "")
        if changes is not None and (path + "/").startswith(CHANGES_PATH):
            return _changes(changes, state, path, start_response)
        if before_serving is not None:
            before_serving(_files_named(path))
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


def _changes(
    changes: ChangesPage, state: PreviewState, path: str, start_response: StartResponse
) -> list[bytes]:
    if path in (CHANGES_PATH, CHANGES_PATH.rstrip("/")):
        body = changes.html(state).encode("utf-8")
        start_response("200 OK", _headers("text/html; charset=utf-8", body))
    elif path == STYLESHEET_PATH:
        body = STYLESHEET.read_bytes()
        start_response("200 OK", _headers("text/css; charset=utf-8", body))
    else:
        body = b"<h1>Not found</h1>"
        start_response("404 Not Found", _headers("text/html; charset=utf-8", body))
    return [body]


def _headers(kind: str, body: bytes) -> list[tuple[str, str]]:
    return [
        ("Content-Type", kind),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
    ]


def _files_named(url_path: str) -> list[str]:
    """The paths in the site of the file a URL path may name, as `_resolve` finds it: the
    file itself, or its folder's page."""
    relative = url_path.lstrip("/")
    folder = relative.rstrip("/")
    return [relative, f"{folder}/index.html" if folder else "index.html"]


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
