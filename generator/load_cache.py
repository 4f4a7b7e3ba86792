"""Reading files for a load, taking what did not change from the last load's `LoadCache`.

A file whose `os.stat` (size, modification and change times, inode) is what it was is not
read at all, as git and make judge; one whose bytes are what they were is not parsed again;
in a list file only the items around the changed bytes are split and parsed again (see
`load_edit`), or failing that only the items whose text changed.
"""

from __future__ import annotations

import itertools
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator import load_chunks, load_edit, yaml_events
from generator.errors import ContentError, Location
from generator.load_chunks import Chunk, ChunkedList
from generator.load_document import Document, SourceMap
from generator.yaml_events import Failures, yaml_error
from generator.yaml_positions import Positions

MAX_FILE_BYTES = 20 * 1024 * 1024
RACY_NS = 2 * 10**9
"""A file changed this shortly before it was looked at may change again without its stat
changing (timestamps tick coarsely: 2 s on FAT), so its stat is not trusted next time."""

Signature = tuple[int, int, int, int]


@dataclass
class LoadStats:
    """What one load had to read and parse again, for benchmarks and tests."""

    files_read: list[str] = field(default_factory=list)
    """Files whose text was parsed (all of them without a cache)."""
    files_opened: list[str] = field(default_factory=list)
    """Files whose bytes were read: their stat changed, or was too recent to trust."""
    chunks_parsed: int = 0
    """List items parsed on their own."""
    chunks_reused: int = 0
    """List items of changed files taken from the cache instead."""


@dataclass
class CachedFile:
    """A file as last read without mistakes: its stat, its bytes and what came out."""

    signature: Signature | None
    """Its stat when it was read, or None when that was too recent to trust."""
    raw: bytes
    document: Document
    items: ChunkedList | None
    """Its list items, when it was read item by item."""


class LoadCache:
    """What the last `load_content` of a folder read, for the next one to re-read less.

    Picklable, so a later build can keep it. It holds each file's bytes and documents (plain
    values and packed positions), never a node tree.
    """

    def __init__(self) -> None:
        self.files: dict[str, CachedFile] = {}
        self.last_stats = LoadStats()


class Reader:
    """Reads files for one load, taking what did not change from an earlier load's cache.

    Objects from the cache are only updated (a moved item's line offset, its path, its
    document) once the file they belong to has been read without mistakes, so the cache
    stays right whatever the load raises.
    """

    def __init__(self, cached: dict[str, CachedFile]) -> None:
        self.cached = cached
        self.files = dict(cached)
        self.stats = LoadStats()

    def read(self, path: Path, errors: list[ContentError]) -> Document | None:
        file = str(path)
        previous = self.cached.get(file)
        looked = time.time_ns()
        try:
            stat = os.stat(file)
        except OSError as exc:
            errors.append(ContentError(Location(file), f"cannot read this file ({exc.strerror})"))
            return None
        signature = _signature(stat, looked)
        if previous is not None and signature is not None and previous.signature == signature:
            return previous.document
        raw = _read_bytes(path, stat.st_size, errors)
        if raw is None:
            return None
        self.stats.files_opened.append(file)
        if previous is not None and previous.raw == raw:
            previous.signature = signature
            return previous.document
        if previous is not None and previous.items is not None:
            edited = load_edit.reread(raw, previous.raw, previous.document, previous.items)
            if edited is not None:
                self.stats.files_read.append(file)
                self.stats.chunks_parsed += edited.parsed
                self.stats.chunks_reused += edited.count - edited.parsed
                self.files[file] = CachedFile(signature, raw, previous.document, previous.items)
                return previous.document
        text = _decode(file, raw, errors)
        if text is None:
            return None
        self.stats.files_read.append(file)
        pieces = load_chunks.split(text)
        if pieces is not None and len(pieces) > 1:
            items = self._chunks(raw, pieces, previous)
            if items is not None:
                document = commit(file, pieces, items.chunks, previous)
                self.files[file] = CachedFile(signature, raw, document, items)
                return document
        try:
            parsed = yaml_events.parse(text)
        except Failures as failed:
            errors.extend(failure.error(file) for failure in failed.failures)
            return None
        except yaml.YAMLError as exc:
            errors.append(yaml_error(file, exc))
            return None
        document = Document(file, parsed.data, SourceMap(file, parsed.root, parsed.items))
        self.files[file] = CachedFile(signature, raw, document, None)
        return document

    def _chunks(
        self, raw: bytes, pieces: list[tuple[int, str]], previous: CachedFile | None
    ) -> ChunkedList | None:
        """Each item's chunk: the cached one when its text is unchanged, else parsed anew."""
        encoded = [piece.encode() for _, piece in pieces]
        digests = [load_chunks.digest(piece) for piece in encoded]
        cached = previous.items.chunks if previous is not None and previous.items else []
        found = load_chunks.reuse_or_parse(pieces, digests, cached)
        if found is None:
            return None
        chunks, parsed = found
        self.stats.chunks_parsed += parsed
        self.stats.chunks_reused += len(pieces) - parsed
        bounds = list(
            itertools.accumulate(map(len, encoded), initial=len(raw) - sum(map(len, encoded)))
        )
        bounds[0] = 0
        items = ChunkedList(chunks, bounds)
        return items if items.fits([], chunks) else None


def commit(
    file: str, pieces: list[tuple[int, str]], chunks: list[Chunk], previous: CachedFile | None
) -> Document:
    """Make the document of a list file read item by item, moving cached items into place."""
    items = [chunk.item for chunk in chunks]
    source_map = SourceMap(file, Positions(None, [chunks[0].root_mark]), items)
    document = Document(file, [item.value for item in items], source_map)
    handed_out = {}
    if previous is not None and previous.items is not None:
        handed_out = {
            id(chunk): previous.document.raw_items.get((index,))
            for index, chunk in enumerate(previous.items.chunks)
        }
    for index, ((line_offset, _), chunk) in enumerate(zip(pieces, chunks, strict=True)):
        chunk.item.line_offset = line_offset
        raw_item = handed_out.get(id(chunk))
        if raw_item is not None:
            raw_item.document = document
            raw_item.path = (index,)
            document.raw_items[(index,)] = raw_item
    return document


def _signature(stat: os.stat_result, looked: int) -> Signature | None:
    """What tells a file changed, unless it changed too shortly before `looked` to tell."""
    if max(stat.st_mtime_ns, stat.st_ctime_ns) >= looked - RACY_NS:
        return None
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns)


def _read_bytes(path: Path, size: int, errors: list[ContentError]) -> bytes | None:
    file = str(path)
    if size > MAX_FILE_BYTES:
        errors.append(
            ContentError(
                Location(file),
                f"file is {size // 2**20} MiB, over the {MAX_FILE_BYTES // 2**20} MiB limit",
                "split the collection into a folder with one item per file",
            )
        )
        return None
    try:
        return path.read_bytes()
    except OSError as exc:
        errors.append(ContentError(Location(file), f"cannot read this file ({exc.strerror})"))
        return None


def _decode(file: str, raw: bytes, errors: list[ContentError]) -> str | None:
    """Return the text without a byte order mark, or None after reporting invalid UTF-8."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        errors.append(
            ContentError(
                Location(file, line, column),
                f"this file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                "save it as UTF-8 in your editor",
            )
        )
        return None
    return text.removeprefix("\ufeff")
