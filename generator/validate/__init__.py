"""Stage 2, validate: `RawContent` → `SiteContent`, every mistake located, all at once.

See `content.validate_content`."""

from __future__ import annotations

from generator.validate.content import SiteContent, validate_content

__all__ = ["SiteContent", "validate_content"]
