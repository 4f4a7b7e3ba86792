"""Stage 4, render: a `Page` → a `RenderedFile`, through the Jinja sandbox, Markdown and
the share-card drawing. See `page.render_page`."""

from __future__ import annotations

from generator.render.page import RenderedFile, render_page

__all__ = ["RenderedFile", "render_page"]
