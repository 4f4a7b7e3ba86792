"""Rendering and writing spread over the machine's cores, by this process and forked workers.

Markdown texts are converted first, then the pages rendered and written, each process
writing what it renders (`write.write_pages` over `RenderSession.render_pages`). Workers
are forked after planning, so they share the plan instead of receiving copies of it.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.build.record import PageRecord, context_fingerprint
from generator.plan.site import Page
from generator.render.markdown import convert_all, is_converted, remember
from generator.render.page import RenderSession
from generator.write import write_pages

PARALLEL_FROM_PAGES = 1500
"""Below this many pages to render, starting workers costs more than it saves."""
CHUNKS_PER_WORKER = 8

Rendered = dict[str, tuple[tuple[str, ...], bytes, bool, bytes | None, bytes | None]]
"""Per page path: the keys of the inputs it read, the digest of its bytes, whether written,
the fingerprint of its context if asked for, and the digest of what the search index reads
of it when that is not all of it."""


@dataclass(frozen=True)
class Rendering:
    """Pages to render in a session, and the Markdown texts they show (converted ahead)."""

    pages: Sequence[Page]
    session: RenderSession
    markdown: Sequence[str]
    fingerprint: bool
    """Whether to fingerprint each page's context as it renders (see `build.record`)."""


@dataclass(frozen=True)
class _Job:
    rendering: Rendering
    folder: Path
    before: Mapping[str, PageRecord]
    in_place: bool


_job: _Job | None = None
"""What forked workers inherit from the parent: set just before the pool starts."""
_claims: tuple[list[list[int]], Any] | None = None
"""The chunks of page indexes and the count of those claimed so far, shared by this process
and the workers it forks to render them."""


def render_and_write(
    rendering: Rendering,
    folder: Path,
    before: Mapping[str, PageRecord],
    in_place: bool,
    workers: int,
    in_parent: frozenset[str] = frozenset(),
) -> Rendered:
    """Render and write the pages over `workers` processes: this one and `workers - 1` forked.

    `before` are the records of the files `folder` holds from the last build. This process
    takes its share of the work rather than waiting on the others: every forked worker
    copies the pages of memory it touches, so one fewer is one copy less. Pages whose
    template is `in_parent` render here, so that what they cache stays here for the next
    build; the rest are split into chunks that each process claims in turn, keeping no
    fragments: over all pages a fragment is rarely shown twice at the same depth, and those
    of the pages an edit renders again are made again then.
    """
    global _job, _claims
    _job = _Job(rendering, folder, before, in_place)
    pages = rendering.pages
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
            _convert_markdown(rendering.markdown, workers, context)
            gc.freeze()
            gc.enable()  # what rendering leaves in cycles, collected as the workers do
            chunks = _chunks(elsewhere, workers * CHUNKS_PER_WORKER)
            claimed = context.Value("i", 0)
            _claims = (chunks, claimed)
            with context.Pool(workers - 1, _start_worker, (os.getpid(),)) as pool:
                results = pool.map_async(_render_claimed, range(workers - 1))
                rendered = _render_chunk(here) if here else {}
                rendering.session.keep_nothing()
                rendered.update(_render_claimed(0))
                interned: dict[str, str] = {}
                for part in results.get():
                    for path, (reads, file_digest, wrote, fingerprinted, indexed) in part.items():
                        reads = tuple([interned.setdefault(key, key) for key in reads])
                        rendered[path] = (reads, file_digest, wrote, fingerprinted, indexed)
        finally:
            if not collecting:
                gc.disable()
            gc.unfreeze()
        return rendered
    finally:
        _job = _claims = None


def _convert_markdown(
    texts: Sequence[str], workers: int, context: multiprocessing.context.ForkContext
) -> None:
    """Convert every Markdown text of the site not converted yet (see `markdown_ahead`), a
    share here and the rest in forked workers, and keep the HTML here for the workers that
    render pages to inherit."""
    texts = [text for text in texts if not is_converted(text)]
    if not texts:
        return
    parts = [texts[i::workers] for i in range(workers)]
    with context.Pool(workers - 1, _start_worker, (os.getpid(),)) as pool:
        converted = pool.map_async(convert_all, parts[1:])
        convert_all(parts[0])
        for part in converted.get():
            remember(part)


def fingerprint_contexts(pages: Sequence[Page], workers: int) -> dict[str, bytes]:
    """Every page's context fingerprint, by path, over `workers` processes: a rebuild with a
    record compares them all before it renders any page (3.7 s in one process at 10,000
    quotes with share cards and embeds)."""
    global _fingerprinted
    if workers <= 1:
        return {page.path: context_fingerprint(page) for page in pages}
    _fingerprinted = pages
    try:
        context = multiprocessing.get_context("fork")
        gc.freeze()  # the workers read the plan without copying it to collect garbage
        try:
            with context.Pool(workers - 1, die_with, (os.getpid(),)) as pool:
                shares = pool.map_async(
                    _fingerprint_share, [(n, workers) for n in range(1, workers)]
                )
                fingerprints = _fingerprint_share((0, workers))
                for share in shares.get():
                    fingerprints.update(share)
        finally:
            gc.unfreeze()
        return {page.path: fingerprints[page.path] for page in pages}  # in the pages' order
    finally:
        _fingerprinted = None


_fingerprinted: Sequence[Page] | None = None
"""The pages whose contexts forked workers fingerprint: set just before the pool starts."""


def _fingerprint_share(share: tuple[int, int]) -> dict[str, bytes]:
    number, of = share
    assert _fingerprinted is not None
    return {page.path: context_fingerprint(page) for page in _fingerprinted[number::of]}


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


def _render_chunk(indexes: Sequence[int]) -> Rendered:
    """Render pages and write those whose bytes changed (in a worker, or in the parent)."""
    assert _job is not None
    rendering = _job.rendering
    contexts: dict[str, bytes] = {}

    def pages() -> Iterator[Page]:
        for index in indexes:
            page = rendering.pages[index]
            if rendering.fingerprint:
                contexts[page.path] = context_fingerprint(page)
            yield page

    files = rendering.session.render_pages(pages())
    written = write_pages(files, _job.folder, _job.before, _job.in_place)
    return {
        w.path: (w.reads, w.digest, w.written, contexts.get(w.path), w.indexed) for w in written
    }


def worker_count(pages: int, asked: int | None) -> int:
    """How many processes render `pages`: as asked, else one per core on a large site."""
    if asked is not None:
        return max(asked, 1)
    if pages < PARALLEL_FROM_PAGES or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


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
    keep no fragments."""
    die_with(parent)
    gc.enable()
    if _job is not None:
        _job.rendering.session.keep_nothing()


def in_forked_child(work: Callable[[], int]) -> int:
    """Run `work` in a forked copy of this process and return the copy's id. The copy dies
    with this process, leaves Ctrl-C to it, and ends with `work`'s answer as its exit code
    (1 if it raised) without running anything of this process's (its `finally` blocks, its
    exit handlers)."""
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            die_with(parent)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            code = work()
        except BaseException:  # noqa: S110 - the parent hears of it as exit code 1
            pass
        finally:
            os._exit(code)
    return pid


def die_with(parent: int) -> None:
    """Have the system kill this forked process when the build that forked it dies (Linux).

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
