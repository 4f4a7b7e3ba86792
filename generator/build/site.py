"""The pipeline in order — load, validate, plan, render, write — once or again and again.

`build_site()` is one clean build. A `SiteBuilder` builds the same site repeatedly and keeps
a `BuildRecord` of what each page read (see `record`), so that a rebuild renders only the
pages whose inputs changed and rewrites only files whose bytes changed. `explainer build`
saves the record beside the output and starts from it the next time, when the output is
untouched since; `serve` keeps one builder for the life of the preview.

On a large site, rendering is spread over the machine's cores: Markdown texts are converted
first, then the pages rendered and written, by this process and forked workers together.
Workers are forked after planning, so they share the plan instead of receiving copies of it.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import logging
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2

from generator.load import chunks as load_chunks
from generator.build.card_store import card_bytes, forget_others
from generator.plan.context import case_views
from generator.load.content import LoadCache, RawContent, load_content
from generator.render.markdown import convert_all, remember
from generator.build.patch import Built, patch
from generator.plan.site import CARD_TEMPLATE, Page, SitePlan, page_card_text, plan_site
from generator.build.record import (
    BuildRecord,
    PageRecord,
    Readers,
    cards_path,
    context_fingerprint,
    digest,
    invert_reads,
    is_trustworthy,
    output_files,
    read_record,
    save_record,
    setup_fingerprint,
    state_path,
    template_fingerprints,
    update_readers,
    view_fingerprint,
    view_fingerprints,
)
from generator.render.page import (
    compile_templates,
    keep_no_cards,
    make_environment,
    prepare,
    render_page,
    templates_in_use,
)
from generator.build.search_index import BUNDLE, search_bundle
from generator.validate.content import SiteContent, validate_content
from generator.write import (
    BackgroundWrites,
    output_lock,
    remove_files,
    replace_file,
    same_bytes,
    staged_output,
    write_file,
)

DEFAULT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PARALLEL_FROM_PAGES = 1500
"""Below this many pages to render, starting workers costs more than it saves."""
CHUNKS_PER_WORKER = 8
SEARCH_PREFIX = BUNDLE + "/"
"""Where the search bundle's files go in the output."""
PARENT_KEEPS = frozenset({"json:data"})
"""Templates of pages a kept builder (the preview) renders itself even when workers render
the rest: a case's `data.json`, whose items it then has encoded for the next build (3 s to
encode again at 10,000 quotes, on the first edit after starting)."""

__all__ = ["BuildResult", "SiteBuilder", "build_site", "state_path", "static_files"]

logger = logging.getLogger("generator")


@dataclass(frozen=True)
class BuildResult:
    pages: int
    """Files in the built site."""
    cases: int
    seconds: float
    rendered: int = 0
    """Pages rendered this time; the others were unchanged."""
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


def build_site(
    content_dir: Path,
    output_dir: Path,
    templates_dir: Path = DEFAULT_TEMPLATES,
    base_url: str | None = None,
    workers: int | None = None,
    file_links: bool = False,
) -> BuildResult:
    """Build the whole site from `content_dir` into `output_dir`, ignoring any record."""
    builder = SiteBuilder(
        content_dir, output_dir, templates_dir, base_url, workers, False, file_links=file_links
    )
    builder.keep = False
    return builder.build()


class SiteBuilder:
    """Builds one site, again on each call, rendering only what changed since the last call.

    With `use_state`, every build saves its record beside the output, and the first build
    starts from the record found there if the output is exactly as that build left it
    (unless it is asked to be `full`). `in_place` (the preview) writes into `output_dir`
    directly, each file replaced whole; otherwise the new site is staged beside `output_dir`
    and swapped in, one build of an output at a time, so a failed or killed build leaves the
    old site as it was (see `write`). `keep` keeps
    what a build was made of, so that the next can apply an edit of wording to it
    (`patch`); a single build (the command line) lets it go early, to take less memory.
    `file_links` makes links name each page's `index.html`, for a site opened from disk.
    `cards_dir` keeps the share cards drawn, by content (default: beside the output, but
    none for an `in_place` build).
    """

    def __init__(
        self,
        content_dir: Path,
        output_dir: Path,
        templates_dir: Path = DEFAULT_TEMPLATES,
        base_url: str | None = None,
        workers: int | None = None,
        use_state: bool = True,
        in_place: bool = False,
        keep: bool = True,
        file_links: bool = False,
        cards_dir: Path | None = None,
    ) -> None:
        self.content_dir = content_dir
        self.output_dir = output_dir.absolute()
        self.templates_dir = templates_dir
        self.base_url = base_url
        self.file_links = file_links
        self.workers = workers
        self.in_place = in_place
        self.keep = keep
        self.state_file = state_path(output_dir) if use_state and not in_place else None
        self.cards_dir = cards_dir if cards_dir is not None or in_place else cards_path(output_dir)
        self.record: BuildRecord | None = None
        self.readers: Readers | None = None
        """The pages that read each input, per `self.record`; made when a patch needs it."""
        self.last: Built | None = None
        self.load_cache = LoadCache()
        self._built = False

    def build(self, full: bool = False) -> BuildResult:
        """Build once; raise `ContentErrors` or `TemplateError` and leave the output as it was.

        `full` renders every page, whatever the record says. The cyclic garbage collector is
        paused meanwhile: a build allocates millions of objects that live until it ends, and
        each collection would walk them all (a third of planning time at 10,000 quotes).
        """
        paused = gc.isenabled()
        gc.disable()
        try:
            # One build of an output at a time, from reading its record to saving the next.
            with contextlib.nullcontext() if self.in_place else output_lock(self.output_dir):
                return self._build(full)
        finally:
            if paused:
                gc.enable()

    def _build(self, full: bool) -> BuildResult:
        started = time.perf_counter()
        stages = _Stopwatch()
        setup = setup_fingerprint(
            self.templates_dir, self.output_dir, self.base_url, self.file_links
        )
        previous = None if full else self._previous()
        self._built = True
        copies = static_files(self.templates_dir / "static")
        stages.lap("record")
        with load_chunks.counting() as parsing:
            raw: RawContent | None = load_content(
                self.content_dir, self.load_cache if self.keep else None
            )
        assert raw is not None
        stages.lap("load")
        last = self.last
        same_setup = previous is not None and previous.setup == setup
        patched = patch(last, raw) if same_setup and last is not None else None
        if patched is not None:
            self.last = None  # patched in place: it matches a record again once this build ends
        if previous is not None and last is not None and patched is not None:
            built = last
            inputs = dict(previous.inputs)
            inputs.update((view.view_key, view_fingerprint(view)) for view in patched.views)
            contexts: dict[str, bytes] | None = {
                page.path: context_fingerprint(page) for page in patched.pages
            }
            stages.lap("patch")
        else:
            content = validate_content(raw, base_url=self.base_url)
            if not self.keep:
                raw = None  # its items and documents refer to each other: only a collection
                gc.collect()  # frees them, for planning to reuse (peak memory -30% at 10k)
            stages.lap("validate")
            plan = plan_site(content, copies)
            if not self.keep:
                content = _without_items(content)
            stages.lap("plan")
            built = Built(
                raw,
                content,
                plan,
                {view.view_key: view for case in plan.cases for view in case_views(case)},
                {page.path: page for page in plan.pages},
            )
            inputs = view_fingerprints(plan.cases)
            # Without a record of the same setup every page is rendered, and the processes
            # that render them fingerprint their contexts too, side by side.
            contexts = (
                {page.path: context_fingerprint(page) for page in plan.pages}
                if same_setup
                else None
            )
            stages.lap("fingerprint")
        if copies != built.plan.copies:
            built.plan = replace(built.plan, copies=copies)
        plan = built.plan
        templates = template_fingerprints(self.templates_dir)
        inputs.update(templates)
        record = BuildRecord(setup, inputs)
        readers = self.readers if previous is self.record else None
        changed: set[str] | None = None
        if previous is None or not same_setup or contexts is None:
            stale: list[Page] = list(plan.pages)
        elif patched is not None:
            candidates = [*(view.view_key for view in patched.views), *templates]
            changed = previous.changed_inputs(record.inputs, candidates)
            if readers is None:
                readers = invert_reads(previous.pages)
            paths = previous.pages_reading(changed, readers, contexts)
            stale = [built.pages[path] for path in sorted(paths)]
        else:
            changed = previous.changed_inputs(record.inputs)
            stale = previous.stale_pages(plan.pages, changed, contexts)
        self.record = self.last = self.readers = None  # until this build has succeeded
        stages.lap("stale pages")
        if self.in_place:
            written, touched = self._write(
                built, stale, contexts, templates, previous, record, self.output_dir, changed
            )
        else:
            seed = previous is not None
            with staged_output(self.output_dir, seed, self._forget_record) as stage:
                written, touched = self._write(
                    built, stale, contexts, templates, previous, record, stage, changed
                )
        stages.lap("render and write")
        if readers is not None and previous is not None and same_setup:
            update_readers(readers, previous.pages, record.pages, touched)
        elif self.keep:
            readers = invert_reads(record.pages)  # now rather than on the next edit
        else:
            readers = None
        if self.state_file is not None:
            record.files = output_files(self.output_dir)
            try:
                save_record(record, self.state_file)
            except OSError as exc:  # the site is built; only the next build's economy is lost
                logger.warning(
                    "could not save the build record %s (%s): the next build renders every page",
                    self.state_file,
                    exc.strerror or exc,
                )
            stages.lap("save record")
        if not self.keep and self.cards_dir is not None:
            texts = (page_card_text(page) for page in plan.pages if page.template == CARD_TEMPLATE)
            forget_others(self.cards_dir, texts)
            stages.lap("forget old cards")
        self.record, self.last = record, built if self.keep else None
        self.readers = readers
        return BuildResult(
            pages=len(record.pages) + len(record.statics),
            cases=len(built.content.cases),
            seconds=time.perf_counter() - started,
            rendered=len(stale),
            written=written,
            incremental=same_setup,
            stages=stages.laps,
            parsed_by=tuple(parsing.runs),
            parse_fallbacks=tuple(parsing.fallbacks),
        )

    def _forget_record(self) -> None:
        """Remove the saved record just before the swap: it describes the old output."""
        if self.state_file is not None:
            self.state_file.unlink(missing_ok=True)

    def _previous(self) -> BuildRecord | None:
        """The record to start from: this builder's last, or a trustworthy saved one.

        Its digests spare rewriting unchanged files even when the setup changed.
        """
        record = self.record
        if record is None and not self._built and self.state_file is not None:
            saved = read_record(self.state_file)
            if saved is not None and is_trustworthy(saved, self.output_dir):
                record = saved
        return record

    def _write(
        self,
        built: Built,
        stale: list[Page],
        contexts: dict[str, bytes] | None,
        templates: dict[str, bytes],
        previous: BuildRecord | None,
        record: BuildRecord,
        folder: Path,
        changed: set[str] | None,
    ) -> tuple[int, set[str]]:
        """Render the stale pages into `folder`, which holds the previous build (if any).

        `changed` are the keys of the inputs that differ from the previous record's, if known.
        `contexts` are the pages' context fingerprints, or None to take them as pages render.

        Return how many files were written or removed, and the paths of the pages rendered
        or removed."""
        plan = built.plan
        before = previous.pages if previous is not None else {}
        environment = make_environment(self.templates_dir)
        since = (previous.inputs, changed) if previous is not None and changed is not None else None
        prepare(
            record.inputs,
            templates_in_use(environment, templates),
            self.file_links,
            since,
            functools.partial(card_bytes, folder=self.cards_dir),
        )
        try:
            rendered = _render_and_write(
                stale,
                plan,
                environment,
                folder,
                before,
                self.in_place,
                self._workers(len(stale)),
                in_parent=PARENT_KEEPS if self.keep else frozenset(),
                fingerprint=contexts is None,
            )
            if self.keep and len(stale) >= PARALLEL_FROM_PAGES:
                compile_templates(environment, templates)  # workers compiled theirs
        finally:
            prepare({}, {})
        written = 0
        record.pages = dict(before)
        for path, (reads, file_digest, wrote, fingerprinted) in rendered.items():
            context = fingerprinted or (contexts or {}).get(path) or before[path].context
            record.pages[path] = PageRecord(context, reads, file_digest)
            written += wrote
        dropped = len(record.pages) != len(plan.pages)  # else every planned page is there
        if dropped:
            planned = {page.path for page in plan.pages}
            record.pages = {path: page for path, page in record.pages.items() if path in planned}
        before_statics = previous.statics if previous is not None else {}
        written += self._copy_statics(plan.copies, folder, before_statics, record)
        searched = {p: d for p, d in before_statics.items() if p.startswith(SEARCH_PREFIX)}
        if previous is not None:
            gone = (
                {path for path in previous.pages if path not in record.pages} if dropped else set()
            )
            gone.update(
                path
                for path in previous.statics
                if path not in record.statics and path not in searched
            )
        elif self.in_place:
            gone = output_files(folder).keys() - record.pages.keys() - record.statics.keys()
        else:
            gone = set()
        written += remove_files(folder, sorted(gone))
        site = built.content.site
        if site.search:  # over the pages as they now are: none gone left in the index
            pages_changed = written > 0 or previous is None
            written += self._index_search(folder, site.language, searched, record, pages_changed)
        stale_search = sorted(path for path in searched if path not in record.statics)
        written += remove_files(folder, stale_search)
        return written, rendered.keys() | gone | set(stale_search)

    def _index_search(
        self,
        folder: Path,
        language: str,
        kept: dict[str, bytes],
        record: BuildRecord,
        pages_changed: bool,
    ) -> int:
        """Make the search bundle for the pages in `folder`, or keep the last one when no
        page changed (`kept`: its files' digests); copy in the files whose bytes changed.
        Return how many were written.

        The preview of a large site keeps the index it started with: Pagefind takes half a
        minute at 10,000 quotes, and the preview must follow each save at once."""
        large_preview = self.keep and self.in_place and len(record.pages) >= PARALLEL_FROM_PAGES
        if kept and (not pages_changed or large_preview):
            record.statics.update(kept)
            return 0
        written = 0
        with search_bundle(folder, language=language, keep_index_url=self.file_links) as result:
            for path in sorted(result.bundle.rglob("*")):
                if not path.is_file():
                    continue
                relative = SEARCH_PREFIX + path.relative_to(result.bundle).as_posix()
                written += self._put_file(folder, relative, path.read_bytes(), kept, record)
        return written

    def _copy_statics(
        self,
        copies: Iterable[str],
        folder: Path,
        before: dict[str, bytes],
        record: BuildRecord,
    ) -> int:
        written = 0
        static_dir = self.templates_dir / "static"
        for relative in copies:
            content = (static_dir / relative).read_bytes()
            written += self._put_file(folder, f"static/{relative}", content, before, record)
        return written

    def _put_file(
        self,
        folder: Path,
        path: str,
        content: bytes,
        before: dict[str, bytes],
        record: BuildRecord,
    ) -> int:
        """Record a file that is not a page (a static asset, a file of the search bundle) and
        write it unless `before` (the last record's digests) or the file on disk already
        has these bytes; return 1 if it was written."""
        record.statics[path] = digest(content)
        if before.get(path) == record.statics[path]:
            return 0
        if self.in_place and same_bytes(folder / path, content):
            return 0
        replace_file(folder / path, content)
        return 1

    def _workers(self, pages: int) -> int:
        if self.workers is not None:
            return max(self.workers, 1)
        if pages < PARALLEL_FROM_PAGES or "fork" not in multiprocessing.get_all_start_methods():
            return 1
        if hasattr(os, "sched_getaffinity"):
            return len(os.sched_getaffinity(0))
        return os.cpu_count() or 1


def _without_items(content: SiteContent) -> SiteContent:
    """The site's settings and cases without their items' models, for a builder that does
    not keep them: its pages read views, which hold the fields they show, and the models
    otherwise stay in memory through rendering, where the forked workers share them (18 MiB
    at 10,000 quotes, besides the strings the views hold too)."""
    empty = {name: () for name in ("parties", "rulings", "events", "quotes", "polls", "sources")}
    cases = tuple(replace(case, **empty) for case in content.cases)  # type: ignore[arg-type]
    return replace(content, cases=cases)


class _Stopwatch:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = self.laps.get(name, 0.0) + now - self.last
        self.last = now


Rendered = dict[str, tuple[tuple[str, ...], bytes, bool, bytes | None]]
"""Per page path: the keys of the inputs it read, the digest of its bytes, whether written,
and the fingerprint of its context if asked for."""

_shared: (
    tuple[Sequence[Page], jinja2.Environment, Path, dict[str, PageRecord], bool, bool] | None
) = None
"""What forked workers inherit from the parent: set just before the pool starts."""


def _render_and_write(
    pages: Sequence[Page],
    plan: SitePlan,
    environment: jinja2.Environment,
    folder: Path,
    before: dict[str, PageRecord],
    in_place: bool,
    workers: int,
    in_parent: frozenset[str] = frozenset(),
    fingerprint: bool = False,
) -> Rendered:
    """Render and write `pages` over `workers` processes: this one and `workers - 1` forked.

    This process takes its share of the work rather than waiting on the others: every
    forked worker copies the pages of memory it touches, so one fewer is one copy less.
    Pages whose template is `in_parent` render here, so that what they cache stays here for
    the next build; the rest are split into chunks that each process claims in turn, keeping
    no `CachedMacro` cards: over all pages a card is rarely shown twice at the same depth, and
    those of the pages an edit renders again are made again then.
    """
    global _shared, _claims
    _shared = (pages, environment, folder, before, in_place, fingerprint)
    try:
        if workers <= 1:
            return _render_chunk(range(len(pages)))
        here = [index for index, page in enumerate(pages) if page.template in in_parent]
        elsewhere = [index for index, page in enumerate(pages) if page.template not in in_parent]
        context = multiprocessing.get_context("fork")
        _give_back_free_memory()  # else the workers share it, and their first use copies it
        collecting = gc.isenabled()
        gc.freeze()  # workers then never write to what they inherit just to collect garbage
        try:
            _convert_markdown(plan.markdown, workers, context)
            gc.freeze()
            gc.enable()  # what rendering leaves in cycles, collected as the workers do
            chunks = _chunks(elsewhere, workers * CHUNKS_PER_WORKER)
            claimed = context.Value("i", 0)
            _claims = (chunks, claimed)
            with context.Pool(workers - 1, _start_worker, (os.getpid(),)) as pool:
                results = pool.map_async(_render_claimed, range(workers - 1))
                rendered = _render_chunk(here) if here else {}
                keep_no_cards()
                rendered.update(_render_claimed(0))
                interned: dict[str, str] = {}
                for part in results.get():
                    for path, (reads, file_digest, wrote, fingerprinted) in part.items():
                        reads = tuple([interned.setdefault(key, key) for key in reads])
                        rendered[path] = (reads, file_digest, wrote, fingerprinted)
        finally:
            if not collecting:
                gc.disable()
            gc.unfreeze()
        return rendered
    finally:
        _shared = _claims = None


def _convert_markdown(
    texts: Sequence[str], workers: int, context: multiprocessing.context.ForkContext
) -> None:
    """Convert every Markdown text of the site, a share here and the rest in forked workers,
    and keep the HTML here for the workers that render pages to inherit."""
    parts = [list(texts[i::workers]) for i in range(workers)]
    with context.Pool(workers - 1, _start_worker, (os.getpid(),)) as pool:
        converted = pool.map_async(convert_all, parts[1:])
        convert_all(parts[0])
        for part in converted.get():
            remember(part)


_claims: tuple[list[list[int]], Any] | None = None
"""The chunks of page indexes and the count of those claimed so far, shared by this process
and the workers it forks to render them."""


def _render_claimed(_: int) -> Rendered:
    """Render chunk after chunk, each claimed from the count all rendering processes share,
    until none is left: a process slowed by other work then simply claims fewer."""
    assert _claims is not None
    chunks, claimed = _claims
    rendered: Rendered = {}
    while True:
        with claimed.get_lock():
            number = claimed.value
            claimed.value += 1
        if number >= len(chunks):
            return rendered
        rendered.update(_render_chunk(chunks[number]))
        _give_back_free_memory()


def _give_back_free_memory() -> None:
    """Hand the system the memory C's allocator holds free (glibc only; elsewhere nothing).

    A chunk of pages leaves megabytes of freed page texts between live objects, which the
    allocator keeps for itself; the largest page, a case's `data.json` (20 MB at 10,000
    quotes), would otherwise stay counted until the process ends.
    """
    if _malloc_trim is not None:
        _malloc_trim(0)


def _find_malloc_trim() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has none)
        return None


_malloc_trim = _find_malloc_trim()


def _start_worker(parent: int) -> None:
    """Die with the build; collect the worker's own garbage (what it inherited is frozen);
    keep no cards."""
    _die_with(parent)
    gc.enable()
    keep_no_cards()


def _die_with(parent: int) -> None:
    """Have the system kill this worker when the build that forked it dies (Linux).

    Otherwise a killed build's workers would go on rendering into its staging folder, and
    print tracebacks to the editor's terminal when they find it gone.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the build died before the line above
        os._exit(1)


def _chunks(indexes: list[int], count: int) -> list[list[int]]:
    """Interleaved slices, so the few heavy index pages do not all land in one chunk."""
    return [indexes[start::count] for start in range(min(count, len(indexes)))]


def _render_chunk(indexes: Sequence[int]) -> Rendered:
    """Render pages and write those whose bytes changed (in a worker, or in the parent)."""
    assert _shared is not None
    pages, environment, folder, before, in_place, fingerprint = _shared
    made: set[Path] = set()
    rendered: Rendered = {}
    with BackgroundWrites() as writes:
        for index in indexes:
            page = pages[index]
            context = context_fingerprint(page) if fingerprint else None
            file = render_page(page, environment)
            file_digest = file.digest or digest(file.content)
            previous = before.get(file.path)
            target = folder / file.path
            unchanged = previous is not None and previous.digest == file_digest
            if not unchanged and in_place and previous is None:
                unchanged = same_bytes(target, file.content)
            rendered[file.path] = (file.reads, file_digest, not unchanged, context)
            if unchanged:
                continue
            if in_place or before:
                writes.submit(replace_file, target, file.parts)
            else:
                writes.submit(write_file, target, file.parts, made)
    return rendered


def static_files(static_dir: Path) -> tuple[str, ...]:
    """List the theme's static assets, relative to `static_dir`, in a stable order."""
    if not static_dir.is_dir():
        return ()
    files = (p.relative_to(static_dir).as_posix() for p in static_dir.rglob("*") if p.is_file())
    return tuple(sorted(files))
