"""Re-reading a list file after an edit: only the items around the bytes that changed.

A save usually changes a few bytes in one place of a long list file. The bytes the old and
new file share at their start and at their end are found by comparing them in blocks; the
items the change touches, and one item either side (so that a `- ` added or removed at an edge
of the change splits or joins items as it would in the whole file), are split and checked
again, and those of them whose text changed are parsed again. The items before keep
everything; the items after keep their values and move by the lines and items the change
added or removed. Everything outside the changed items was checked when it was last read.

Whenever the changed items do not read plainly (the file lost its shape, an item does not
parse, an anchor is named twice, a byte order mark), `reread` returns None having changed
nothing, and the file is read whole: that reports any mistake as a fresh load does.
"""

from __future__ import annotations

import codecs
import itertools
from bisect import bisect_right
from dataclasses import dataclass

from generator.digest import digest
from generator.load import chunks as load_chunks
from generator.load.chunks import Chunk, ChunkedList
from generator.load.document import Document, RawItem, SourceMap
from generator.load.yaml_positions import Positions

BLOCK = 1 << 16
"""Bytes compared at a time when looking for where the old and the new file differ."""


@dataclass
class Edited:
    """How a list file was read again around its edit."""

    parsed: int
    """Items whose text changed, parsed again."""
    count: int
    """Items in the file now."""


def reread(raw: bytes, old: bytes, document: Document, items: ChunkedList) -> Edited | None:
    """Update `document` and `items`, read from the bytes `old`, to the bytes `raw`.

    Return None, having changed nothing, when the file needs reading whole.
    """
    if raw.startswith(codecs.BOM_UTF8) or old.startswith(codecs.BOM_UTF8):
        return None
    chunks, bounds = items.chunks, items.bounds
    count = len(chunks)
    first, end = _changed_items(old, raw, bounds)
    start, shift = bounds[first], len(raw) - len(old)
    try:
        text = raw[start : bounds[end] + shift].decode("utf-8")
    except UnicodeDecodeError:
        return None
    if end < count and not text.endswith("\n"):
        return None
    pieces = load_chunks.split_items(text, chunks[first].item.line_offset, first == 0)
    if pieces is None or count - (end - first) + len(pieces) < 2:
        return None
    encoded = [piece.encode() for _, piece in pieces]
    removed = chunks[first:end]
    digests = [digest(piece) for piece in encoded]
    found = load_chunks.reuse_or_parse(pieces, digests, removed)
    if found is None:
        return None
    region, parsed = found
    if not items.fits(removed, region):
        return None
    lines = 0
    if end < count:
        lines = pieces[0][0] + text.count("\n") - chunks[end].item.line_offset
    for (line, _), chunk in zip(pieces, region, strict=True):
        chunk.item.line_offset = line
    if lines:
        for chunk in chunks[end:]:
            chunk.item.line_offset += lines
    starts = list(itertools.accumulate(map(len, encoded[:-1]), initial=start))
    if shift:
        bounds[first:] = starts + [bound + shift for bound in bounds[end:]]
    else:
        bounds[first:end] = starts
    chunks[first:end] = region
    _update(document, first, end, count, removed, region)
    return Edited(parsed, len(chunks))


def _changed_items(old: bytes, raw: bytes, bounds: list[int]) -> tuple[int, int]:
    """The first item and the item after the last that the change from `old` to `raw` touches,
    widened by one item either side."""
    count = len(bounds) - 1
    head = common_prefix(old, raw)
    tail = common_suffix(old, raw, min(len(old), len(raw)) - head)
    first = min(bisect_right(bounds, head) - 1, count - 1)
    last = min(bisect_right(bounds, max(len(old) - tail - 1, head)) - 1, count - 1)
    return max(first - 1, 0), min(last + 2, count)


def _update(
    document: Document, first: int, end: int, count: int, removed: list[Chunk], region: list[Chunk]
) -> None:
    """Put the items of `region` in place of `document`'s items `first` to `end`.

    The `RawItem`s handed out for items that stayed move with them; those for items that went
    keep a document of their own, so that they still locate what they were read from.
    """
    source_map = document.source_map
    assert source_map.items is not None
    document.data[first:end] = [chunk.item.value for chunk in region]
    source_map.items[first:end] = [chunk.item for chunk in region]
    if first == 0:
        source_map.root = Positions(None, [region[0].root_mark])
    raw_items = document.raw_items
    handed_out: dict[int, tuple[Chunk, RawItem]] = {}
    for index, chunk in enumerate(removed, start=first):
        raw_item = raw_items.pop((index,), None)
        if raw_item is not None:
            handed_out[id(chunk)] = (chunk, raw_item)
    moved = len(region) - len(removed)
    if moved:
        later = [raw_items.pop((index,), None) for index in range(end, count)]
        for index, raw_item in enumerate(later, start=end + moved):
            if raw_item is not None:
                raw_item.path = (index,)
                raw_items[(index,)] = raw_item
    for index, chunk in enumerate(region, start=first):
        kept = handed_out.pop(id(chunk), None)
        if kept is not None:
            kept[1].path = (index,)
            raw_items[(index,)] = kept[1]
    if document.listed is not None:
        document.listed[first:end] = [
            document.item((index,)) for index in range(first, first + len(region))
        ]
    for chunk, raw_item in handed_out.values():
        alone = SourceMap(document.file, Positions(None, [chunk.root_mark]), [chunk.item])
        raw_item.document = Document(document.file, [raw_item.data], alone)
        raw_item.path = (0,)


def common_prefix(a: bytes, b: bytes) -> int:
    """How many bytes `a` and `b` share at their start."""
    limit = min(len(a), len(b))
    size = 0
    while size < limit:
        step = min(BLOCK, limit - size)
        if not b.startswith(a[size : size + step], size):
            low, high = size, size + step
            while high - low > 1:
                middle = (low + high) // 2
                if b.startswith(a[low:middle], low):
                    low = middle
                else:
                    high = middle
            return low
        size += step
    return size


def common_suffix(a: bytes, b: bytes, limit: int) -> int:
    """How many bytes, up to `limit`, `a` and `b` share at their end."""
    size = 0
    while size < limit:
        step = min(BLOCK, limit - size)
        if not b.endswith(a[len(a) - size - step : len(a) - size], 0, len(b) - size):
            low, high = size, size + step
            while high - low > 1:
                middle = (low + high) // 2
                if b.endswith(a[len(a) - middle : len(a) - low], 0, len(b) - low):
                    low = middle
                else:
                    high = middle
            return low
        size += step
    return size
