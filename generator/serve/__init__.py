"""`explainer serve`: the live-reload preview on top of `build`. See `preview.serve_site`."""

from __future__ import annotations

from generator.serve.preview import ServeError, serve_site

__all__ = ["ServeError", "serve_site"]
