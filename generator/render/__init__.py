"""Stage 4, render: pages of the plan → files, in a `RenderSession` of one build, with the
sandboxed templates, the files made without a template and the share-card drawing. See
`page.RenderSession`."""

from generator.render.page import RenderedFile, RenderSession, render_page

__all__ = ["RenderSession", "RenderedFile", "render_page"]
