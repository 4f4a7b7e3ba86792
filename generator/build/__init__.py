"""The five stages in order, and what lasts from one build to the next: the record, the
preview's patch, the share-card store, the parallel workers. See `site.build_site`."""

from __future__ import annotations

from generator.build.site import BuildResult, SiteBuilder, build_site

__all__ = ["BuildResult", "SiteBuilder", "build_site"]
