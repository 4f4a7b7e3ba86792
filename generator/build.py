"""build_site(): the pipeline in order — load, validate, plan, render, write.

On a large site, rendering is spread over the machine's cores: Markdown texts are converted
in worker processes first, then forked workers render and write their share of the pages
into the same staging folder. Workers are forked after planning, so they share the plan
instead of receiving copies of it.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator.load import load_content
from generator.markdown import convert_all, remember
from generator.plan import SitePlan, plan_site
from generator.render import make_environment, render_page, render_site
from generator.validate import SiteContent, validate_content
from generator.write import SyncResult, copy_static, staged_output, sync_site, write_files

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PARALLEL_FROM_PAGES = 1500
"""Below this many pages, starting workers costs more than it saves."""
CHUNKS_PER_WORKER = 8


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
    workers: int | None = None,
) -> BuildResult:
    """Build the site from `content_dir` into `output_dir`; raise ContentErrors on mistakes."""
    started = time.perf_counter()
    content, plan = _plan(content_dir, templates_dir, base_url)
    environment = make_environment(templates_dir)
    with staged_output(output_dir) as staging:
        count = _render_and_write(plan, environment, staging, _workers(workers, plan))
        count += copy_static(templates_dir / "static", plan.copies, staging)
    return BuildResult(count, len(content.cases), time.perf_counter() - started)


def rebuild_site(
    content_dir: Path,
    site_dir: Path,
    templates_dir: Path = DEFAULT_TEMPLATES,
    base_url: str | None = None,
) -> SyncResult:
    """Build into `site_dir` in place, rewriting only changed files (for the preview)."""
    _, plan = _plan(content_dir, templates_dir, base_url)
    files = render_site(plan, make_environment(templates_dir))
    return sync_site(files, templates_dir / "static", plan.copies, site_dir)


def _plan(
    content_dir: Path, templates_dir: Path, base_url: str | None
) -> tuple[SiteContent, SitePlan]:
    content = validate_content(load_content(content_dir), base_url=base_url)
    return content, plan_site(content, static_files(templates_dir / "static"))


def _workers(requested: int | None, plan: SitePlan) -> int:
    if requested is not None:
        return max(requested, 1)
    if (
        len(plan.pages) < PARALLEL_FROM_PAGES
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


_shared: tuple[SitePlan, jinja2.Environment, Path] | None = None
"""What forked workers inherit from the parent: set just before the pool starts."""


def _render_and_write(
    plan: SitePlan, environment: jinja2.Environment, staging: Path, workers: int
) -> int:
    global _shared
    if workers <= 1:
        return write_files(render_site(plan, environment), staging)
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        parts = [list(plan.markdown[i::workers]) for i in range(workers)]
        for converted in pool.imap_unordered(convert_all, parts):
            remember(converted)
    _shared = (plan, environment, staging)
    try:
        with context.Pool(workers) as pool:
            chunks = _chunks(len(plan.pages), workers * CHUNKS_PER_WORKER)
            return sum(pool.imap_unordered(_render_chunk, chunks))
    finally:
        _shared = None


def _chunks(total: int, count: int) -> list[range]:
    """Interleaved slices, so the few heavy index pages do not all land in one chunk."""
    return [range(start, total, count) for start in range(min(count, total))]


def _render_chunk(indexes: Sequence[int]) -> int:
    assert _shared is not None
    plan, environment, staging = _shared
    files = (render_page(plan.pages[i], environment) for i in indexes)
    return write_files(files, staging)


def static_files(static_dir: Path) -> tuple[str, ...]:
    """List the theme's static assets, relative to `static_dir`, in a stable order."""
    if not static_dir.is_dir():
        return ()
    files = (p.relative_to(static_dir).as_posix() for p in static_dir.rglob("*") if p.is_file())
    return tuple(sorted(files))
