"""The pages a preview's build left to render until a browser asks for them.

The preview of a large site follows a save without rendering the pages it changed: it
lists them here, the server renders each the moment a browser asks for it, and the rest
between requests (`serve.reload`). A save that touches 45 pages at 10,000 quotes, or a
template that every page reads, then reloads the browser in milliseconds, not after the
last page. What is on disk lags behind the plan only for these pages; their records stay
those of the files on disk until each is rendered, when its record and its readers are
brought up to date as a build would. The next build renders again whatever is still listed,
with its own (see `SiteBuilder._stale_pages`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from pathlib import Path

from generator.build.record import (
    BuildRecord,
    PageRecord,
    Readers,
    context_fingerprint,
    update_readers,
)
from generator.plan.site import Page
from generator.render.page import RenderSession
from generator.write import write_pages


class DeferredPages:
    """Pages of the last build not rendered yet, and the session that renders them.

    `record` and `readers` are the builder's own, which each page rendered here updates."""

    def __init__(
        self,
        folder: Path,
        session: RenderSession,
        record: BuildRecord,
        pages: Iterable[Page],
    ) -> None:
        self.folder = folder
        self.session = session
        self.record = record
        self.readers: Readers | None = None
        self.pages: dict[str, Page] = {page.path: page for page in pages}

    def __len__(self) -> int:
        return len(self.pages)

    def render(self, paths: Iterable[str]) -> int:
        """Render and write those of `paths` still listed; return how many files were written."""
        pages = [self.pages.pop(path) for path in dict.fromkeys(paths) if path in self.pages]
        if not pages:
            return 0
        recorded = self.record.pages
        before = {page.path: recorded[page.path] for page in pages if page.path in recorded}
        try:
            with self.session:
                written = write_pages(self.session.render_pages(pages), self.folder, before, True)
        except BaseException:
            self.pages.update((page.path, page) for page in pages)  # still to render
            raise
        for page, file in zip(pages, written, strict=True):
            context = context_fingerprint(page)  # as a build rendering it now would record
            recorded[page.path] = PageRecord(context, file.reads, file.digest, file.indexed)
        if self.readers is not None:
            update_readers(self.readers, before, recorded, [page.path for page in pages])
        return sum(file.written for file in written)

    def next_paths(self, count: int) -> list[str]:
        """The first `count` paths still listed, in the plan's order."""
        return list(itertools.islice(self.pages, count))
