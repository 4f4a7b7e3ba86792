"""Stage 1, load: the content folder → `RawContent`, plain values with a position for each.

The only reader of content. See `content.load_content`."""

from __future__ import annotations

from generator.load.content import RawContent, load_content

__all__ = ["RawContent", "load_content"]
