"""Chunks: a collection file is a top-level list, read one item at a time.

An item whose text did not change since the last load need not be parsed again, and items
that do need parsing can be parsed in forked workers. Reading item by item must give exactly
what reading the whole file gives, so any file whose items might not read alone as they read
together (anchors shared between items, other shapes) is read whole instead.

When workers cannot be started or fail, the items are parsed in this process instead: the
load still succeeds, only slower. `counting()` collects which processes parsed how many
items and every such fallback, so that the build can say so.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import logging
import multiprocessing
import os
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.load.yaml_events import (
    ALIAS_EXPANSION_FACTOR,
    ALIAS_EXPANSION_FLOOR,
    MAX_VALUES,
    Failures,
    parse,
)
from generator.load.yaml_positions import Positions

logger = logging.getLogger("generator")

MIN_ITEM_CHARS = 32
"""A list whose items are shorter than this on average is read whole: no item of any
collection is that short, and parsing so many items one by one would take ten times longer."""
PARALLEL_MIN_CHARS = 4 * 2**20
"""Below this much list text in one file, forking workers to parse it costs more than it saves."""

_LINE_START = re.compile(r"\n[^\s#]")
"""A line that starts with neither a space nor a comment."""
_ITEM_MARKERS = ("- ", "-\n", "-")
ODD_BREAKS = ("\r", "\x85", "\u2028", "\u2029", "\ufeff")
"""Line breaks (and a stray byte order mark) the parser counts differently from `\\n`."""


@dataclass
class Chunk:
    """One item of a list file, parsed on its own."""

    digest: bytes
    """Of the item's text, to tell on the next load whether it changed."""
    item: Positions
    """The item's value and positions; its `line_offset` is the item's first line."""
    root_mark: int
    """The list's own position, relative to the item's first line: used for the first item."""
    nodes: int
    visits: int
    anchors: frozenset[str]

    def __reduce__(self) -> tuple[type[Chunk], tuple[Any, ...]]:
        return (
            Chunk,
            (self.digest, self.item, self.root_mark, self.nodes, self.visits, self.anchors),
        )


def split(text: str) -> list[tuple[int, str]] | None:
    """Split a top-level block list into (first line, text) per item, or None if not that shape.

    Each item starts with `- ` at column 0; comments and blank lines before it belong to the
    item before (or the first). Anything else at column 0, or a line before the first item
    that is not a comment, means another shape: a document marker, a mapping, a flow list.
    """
    return split_items(text, 0, first=True)


def split_items(text: str, line: int, first: bool) -> list[tuple[int, str]] | None:
    """Split items as `split` does, numbering lines from `line`.

    Unless the text is the `first` of its file (comments may come before the first item), it
    must start with an item, as a run of items cut out of a list file does.
    """
    if any(odd in text for odd in ODD_BREAKS):
        return None
    if text.count("\n-") >= MAX_VALUES:
        return None  # too many items for one file: read whole, which says so at once
    starts = [found.start() + 1 for found in _LINE_START.finditer(text)]
    if _LINE_START.match("\n" + text[:1]):
        starts.insert(0, 0)
    if any(text[start : start + 2] not in _ITEM_MARKERS for start in starts):
        return None
    if not starts or (starts[0] != 0 and not first):
        return None
    if any(
        row.strip() and not row.lstrip().startswith("#") for row in text[: starts[0]].split("\n")
    ):
        return None
    starts[0] = 0
    starts.append(len(text))
    pieces = []
    for start, end in itertools.pairwise(starts):
        pieces.append((line, text[start:end]))
        line += text.count("\n", start, end)
    return pieces


def reuse_or_parse(
    pieces: list[tuple[int, str]], digests: list[bytes], previous: list[Chunk]
) -> tuple[list[Chunk], int] | None:
    """Each piece's chunk, one of `previous` when its text is the same, else parsed anew.

    Return them and how many were parsed, or None when one does not parse on its own.
    """
    reusable: dict[bytes, list[Chunk]] = {}
    for chunk in reversed(previous):
        reusable.setdefault(chunk.digest, []).append(chunk)
    found: list[Chunk | None] = []
    for digest in digests:
        same = reusable.get(digest)
        found.append(same.pop() if same else None)
    missing = [index for index, chunk in enumerate(found) if chunk is None]
    parsed = parse_pieces([pieces[index] for index in missing])
    if parsed is None:
        return None
    for index, chunk in zip(missing, parsed, strict=True):
        chunk.digest = digests[index]
        found[index] = chunk
    return [chunk for chunk in found if chunk is not None], len(missing)


def _parse_chunk(line_offset: int, text: str) -> Chunk | None:
    """Parse one item's text; None if it does not read as exactly one item on its own."""
    try:
        parsed = parse(text)
    except (yaml.YAMLError, Failures):
        return None
    if parsed.items is None or len(parsed.items) != 1:
        return None
    item = parsed.items[0]
    item.line_offset = line_offset
    return Chunk(b"", item, parsed.root.marks[0], parsed.nodes, parsed.visits, parsed.anchors)


@dataclass
class ParseStats:
    """How the list items of the loads inside one `counting()` were parsed in parallel."""

    runs: list[tuple[int, int]] = field(default_factory=list)
    """(process id, items) for each run of items parsed in parallel, this process's own run
    included, whether or not its items parsed on their own."""
    fallbacks: list[str] = field(default_factory=list)
    """Why each parse in worker processes failed and was done again in this process."""


_counting: ContextVar[ParseStats | None] = ContextVar("parse_stats", default=None)


@contextlib.contextmanager
def counting() -> Iterator[ParseStats]:
    """Collect, until the block ends, how list items are parsed in this thread."""
    stats = ParseStats()
    token = _counting.set(stats)
    try:
        yield stats
    finally:
        _counting.reset(token)


def parse_pieces(pieces: list[tuple[int, str]]) -> list[Chunk] | None:
    """Parse items, in forked workers when there is enough text for that to pay.

    Should the workers fail, the items are parsed here, and `counting()` notes why.
    """
    workers = _worker_count() if sum(len(text) for _, text in pieces) >= PARALLEL_MIN_CHARS else 1
    if workers > 1 and len(pieces) >= workers:
        try:
            parsed, runs = _parse_in_workers(pieces, workers)
        except (OSError, multiprocessing.ProcessError) as exc:
            logger.debug("parsing in worker processes failed; parsing here", exc_info=True)
            stats = _counting.get()
            if stats is not None:
                stats.fallbacks.append(str(exc) or type(exc).__name__)
        else:
            stats = _counting.get()
            if stats is not None:
                stats.runs += runs
            return parsed
    return _parse_chunks(pieces)


def _worker_count() -> int:
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - platforms without sched_getaffinity


_forked_pieces: list[tuple[int, str]] = []
"""The items workers parse: forked children see it without it being pickled."""


def _parse_in_workers(
    pieces: list[tuple[int, str]], workers: int
) -> tuple[list[Chunk] | None, list[tuple[int, int]]]:
    """Parse contiguous runs of items in `workers - 1` forked processes and this one.

    Return the chunks (None when an item does not parse on its own) and, per run, the id of
    the process that parsed it and how many items it held. Only the parsed results travel
    back (pickled): plain values and packed positions. The parent's objects are frozen out of
    the collector meanwhile, so that workers do not copy the pages they sit on.
    """
    global _forked_pieces
    bounds = [len(pieces) * worker // workers for worker in range(workers + 1)]
    runs_after = list(itertools.pairwise(bounds))[1:]
    _forked_pieces = pieces
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers - 1) as pool:
            pending = pool.map_async(_parse_forked, runs_after)
            first = _parse_chunks(pieces[: bounds[1]])
            rest = pending.get()
    finally:
        gc.unfreeze()
        _forked_pieces = []
    runs = [(os.getpid(), bounds[1])]
    runs += [(pid, end - start) for (pid, _), (start, end) in zip(rest, runs_after, strict=True)]
    if first is None or any(chunks is None for _, chunks in rest):
        return None, runs
    return first + [chunk for _, chunks in rest for chunk in chunks or ()], runs


def _parse_forked(run: tuple[int, int]) -> tuple[int, list[Chunk] | None]:
    """Parse one run of items in a worker; return the worker's process id with them."""
    gc.disable()  # this process ends after parsing; collecting would copy the parent's pages
    return os.getpid(), _parse_chunks(_forked_pieces[run[0] : run[1]])


def _parse_chunks(pieces: list[tuple[int, str]]) -> list[Chunk] | None:
    """Parse items one by one; None as soon as one fails or aliases outgrow their budget."""
    chunks = []
    nodes = visits = 1
    for line_offset, text in pieces:
        chunk = _parse_chunk(line_offset, text)
        if chunk is None:
            return None
        chunks.append(chunk)
        nodes += chunk.nodes - 1
        visits += chunk.visits - 1
        if visits > min(max(ALIAS_EXPANSION_FLOOR, ALIAS_EXPANSION_FACTOR * nodes), MAX_VALUES):
            return None
    return chunks


@dataclass
class ChunkedList:
    """A list file read item by item: its items, where each starts, and their alias totals."""

    chunks: list[Chunk]
    bounds: list[int]
    """Each item's first byte in the file (0 for the first item), then the file's length."""
    nodes: int = 1
    """The list's node and its items' nodes, which size the alias budget of the whole list."""
    visits: int = 1
    anchors: set[str] = field(default_factory=set)
    """Every anchor named in an item: no two items may name the same one."""

    def fits(self, removed: list[Chunk], added: list[Chunk]) -> bool:
        """Count `added` in and `removed` out, if the items then read as the whole list would.

        Items read one by one read as the whole list only if no anchor is named in two items
        and all alias expansions together stay within the alias budget of the whole list.
        Nothing changes when they would not.
        """
        anchors = self.anchors
        if any(chunk.anchors for chunk in removed):
            anchors = anchors.difference(*(chunk.anchors for chunk in removed))
        elif any(chunk.anchors for chunk in added):
            anchors = set(anchors)
        nodes = self.nodes + sum(chunk.nodes - 1 for chunk in added)
        nodes -= sum(chunk.nodes - 1 for chunk in removed)
        visits = self.visits + sum(chunk.visits - 1 for chunk in added)
        visits -= sum(chunk.visits - 1 for chunk in removed)
        for chunk in added:
            if chunk.anchors:
                if not anchors.isdisjoint(chunk.anchors):
                    return False
                anchors |= chunk.anchors
        if visits > min(max(ALIAS_EXPANSION_FLOOR, ALIAS_EXPANSION_FACTOR * nodes), MAX_VALUES):
            return False
        self.nodes, self.visits, self.anchors = nodes, visits, anchors
        return True
