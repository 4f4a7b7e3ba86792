"""Stage 3, plan: `SiteContent` → `SitePlan`, every page with its template and context.

Pure: no files, no templates. See `site.plan_site`."""

from __future__ import annotations

from generator.plan.pages import Page
from generator.plan.site import SitePlan, plan_site

__all__ = ["Page", "SitePlan", "plan_site"]
