"""`explainer serve`: a live-reload preview on top of `build`, built to survive mistakes.

The `livereload` package provides the WebSocket, the reload script and its injection, served
by Tornado; only `reload` knows it, so the package can be swapped out. The rest is ours:

- **Port** (`sockets`): bound before the first build and kept (the next free one if the one
  asked for is taken; any free one for port 0), then named in the "previewing … at" line.
- **Where** (`server`): the preview is built into a temporary folder (removed on exit), never
  into a deployable `output/`, with the preview's own address as base URL. It reuses the share
  cards that `explainer build` keeps for the output the command line names.
- **When** (`preview`, `watch`): the content and template trees are polled every 100 ms; a
  burst of writes is waited out and rebuilt once; a change during a rebuild is seen by the
  next poll and gets a rebuild of its own. Builds run on the server's thread, so no request
  ever sees a half-written page.
- **What:** only files whose bytes changed are rewritten; the browser reloads only when
  something was written, pages were left to render or the error state changed. On a site of
  1,500 pages or more a rebuild renders none of the pages it changed: `app` has each
  rendered when a browser asks for it, and `reload` the rest a few at a time between
  requests (see `build.deferred`).
- **Mistakes** (`preview`, `error_page`, `app`): a failed build keeps the last good site on
  disk; every HTML request then gets an error page listing each `file:line:col`, the message
  and the offending lines, until a good save reloads the page back. `?last-good` shows the
  last good page anyway. The same goes for a content folder deleted or moved away, a file
  that vanishes or turns into a folder mid-build: the preview says so, keeps running, and
  rebuilds when it is back.
- **Changes** (`changes_page`, with `--diff BASE`): the content at a git revision is read
  once, into a temporary folder kept for the preview's life; `/_changes/` lists what the
  working tree changes since then, as `explainer diff` does, each item and page linked to
  the preview's own. It is compared again when asked for after a build, never on a save
  alone, and lists a failed build's content errors among the problems the change brings in.
- **Kills:** the preview folder is private to one server and written in place (see
  `write`). A killed server leaves it in the system's temporary folder; none reuses it.
"""

from __future__ import annotations

from generator.errors import ServeError
from generator.serve.server import serve_site

__all__ = ["ServeError", "serve_site"]
