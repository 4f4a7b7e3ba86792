"""The five stages in order, and what lasts from one build to the next: the record, the
preview's patch, the share-card store, the parallel workers. See `site.build_site`.

The package's names are imported when first asked for: a process that converts Markdown for
a build (`markdown_ahead`) imports one module of it without the stages' libraries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.build.site import BuildResult, SiteBuilder, build_site

__all__ = ["BuildResult", "SiteBuilder", "build_site"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from generator.build import site

    return getattr(site, name)
