"""What a builder keeps between builds, one build under way, what it says when it ends,
and the pages it records."""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.deferred import DeferredPages
from generator.build.markdown_ahead import MarkdownAhead
from generator.build.patch import Built
from generator.build.record import BuildRecord, PageRecord, Readers
from generator.build.workers import Rendered
from generator.load import chunks as load_chunks
from generator.load.content import RawContent


@dataclass(frozen=True)
class BuildResult:
    pages: int
    """Files in the built site."""
    cases: int
    seconds: float
    rendered: int = 0
    """Pages rendered this time; the others were unchanged."""
    deferred: int = 0
    """Pages left to render when a browser asks for them (the preview of a large site)."""
    written: int = 0
    """Files whose bytes were written (or removed) this time."""
    incremental: bool = False
    """Whether this build started from a previous build's record."""
    stages: dict[str, float] = field(default_factory=dict)
    """Seconds spent in each stage, for the benchmark."""
    parsed_by: tuple[tuple[int, int], ...] = ()
    """(process id, items) for each run of list items parsed in parallel while loading."""
    parse_fallbacks: tuple[str, ...] = ()
    """Why parsing in worker processes failed, each time it did and was done here instead."""


@dataclass(frozen=True)
class Upkeep:
    """What a builder keeps of the builds before it, and how it replaces the output."""

    saves_record: bool
    """Save each build's record beside the output, and start from it the next time."""
    in_place: bool
    """Replace files in the output directly, rather than stage a new site and swap it in."""
    keeps_last: bool
    """Keep what the last build was made of, to apply an edit of wording to it."""


class Stopwatch:
    def __init__(self, started: float | None = None) -> None:
        self.laps: dict[str, float] = {}
        self.last = time.perf_counter() if started is None else started

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = self.laps.get(name, 0.0) + now - self.last
        self.last = now


@dataclass
class Progress:
    """One build under way: what it started from and what it has made so far."""

    setup: bytes
    previous: BuildRecord | None
    """The record it starts from, if any (see `SiteBuilder._previous`)."""
    copies: tuple[str, ...]
    template_files: dict[str, Path]
    """The theme's templates, by name (`theme.ThemeFiles.templates`)."""
    started: float = field(default_factory=time.perf_counter)
    stages: Stopwatch = field(default_factory=Stopwatch)
    parsing: load_chunks.ParseStats = field(default_factory=load_chunks.ParseStats)
    raw: RawContent | None = None
    """The loaded content, while the builder keeps it for the next build's patch."""
    markdown: MarkdownAhead | None = None
    """The site's Markdown being converted while the pages are planned, until rendering."""
    built: Built | None = None
    inputs: dict[str, bytes] = field(default_factory=dict)
    contexts: dict[str, bytes] | None = None
    """Context fingerprints of the pages whose context may have changed; None to take them
    as pages render."""
    patched_keys: list[str] | None = None
    """After a patch, the keys of the inputs it may have changed."""
    reuses_kept: bytes | None = None
    """The digest of the kept build this build patched and names again, not writing its
    own (see `SiteBuilder._patch`)."""
    templates: dict[str, bytes] = field(default_factory=dict)
    """The fingerprints of the templates, by key."""
    record: BuildRecord | None = None
    changed: set[str] | None = None
    """The keys of the inputs that differ from the previous record's, if known."""
    readers: Readers | None = None
    deferred: DeferredPages | None = None
    """The pages this build left to render until asked for, if it left any."""
    search_files_before: Mapping[str, bytes] | None = None
    """The files of the search bundle among the statics of `previous`, when the builder
    knows them."""
    search_files: Mapping[str, bytes] | None = None
    """Those of this build's record, once the search index is made."""

    @property
    def same_setup(self) -> bool:
        return self.previous is not None and self.previous.setup == self.setup


def record_pages(
    record: BuildRecord,
    before: dict[str, PageRecord],
    rendered: Rendered,
    contexts: dict[str, bytes] | None,
    built: Built,
    left: Collection[str] = (),
) -> tuple[int, bool]:
    """Record the pages rendered over those of the last record, and drop those the plan no
    longer has. Return how many were written, and whether any was dropped. Pages `left` to
    render later keep the record of their file as it is, and a new one has none yet."""
    written = 0
    record.pages = dict(before)
    for path, (reads, file_digest, wrote, fingerprinted, indexed) in rendered.items():
        context = fingerprinted or (contexts or {}).get(path) or before[path].context
        record.pages[path] = PageRecord(context, reads, file_digest, indexed)
        written += wrote
    unrecorded = sum(1 for path in left if path not in record.pages)
    # Else every planned page is there:
    dropped = len(record.pages) + unrecorded != len(built.plan.pages)
    if dropped:
        record.pages = {path: page for path, page in record.pages.items() if path in built.pages}
    return written, dropped
