"""build_site(): the pipeline in order — load, validate, plan, render, write."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.load import load_content
from generator.plan import SitePlan, plan_site
from generator.render import RenderedFile, make_environment, render_site
from generator.validate import SiteContent, validate_content
from generator.write import SyncResult, sync_site, write_site

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class BuildResult:
    pages: int
    cases: int
    seconds: float


def build_site(
    content_dir: Path,
    output_dir: Path,
    templates_dir: Path = DEFAULT_TEMPLATES,
    base_url: str | None = None,
) -> BuildResult:
    """Build the site from `content_dir` into `output_dir`; raise ContentErrors on mistakes."""
    started = time.perf_counter()
    content, plan, files = _plan_and_render(content_dir, templates_dir, base_url)
    count = write_site(files, templates_dir / "static", plan.copies, output_dir)
    return BuildResult(count, len(content.cases), time.perf_counter() - started)


def rebuild_site(
    content_dir: Path,
    site_dir: Path,
    templates_dir: Path = DEFAULT_TEMPLATES,
    base_url: str | None = None,
) -> SyncResult:
    """Build into `site_dir` in place, rewriting only changed files (for the preview)."""
    _, plan, files = _plan_and_render(content_dir, templates_dir, base_url)
    return sync_site(files, templates_dir / "static", plan.copies, site_dir)


def _plan_and_render(
    content_dir: Path, templates_dir: Path, base_url: str | None
) -> tuple[SiteContent, SitePlan, Iterator[RenderedFile]]:
    content = validate_content(load_content(content_dir), base_url=base_url)
    plan = plan_site(content, static_files(templates_dir / "static"))
    return content, plan, render_site(plan, make_environment(templates_dir))


def static_files(static_dir: Path) -> tuple[str, ...]:
    """List the theme's static assets, relative to `static_dir`, in a stable order."""
    if not static_dir.is_dir():
        return ()
    files = (p.relative_to(static_dir).as_posix() for p in static_dir.rglob("*") if p.is_file())
    return tuple(sorted(files))
