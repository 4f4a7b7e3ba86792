"""Reading files for a load, taking what did not change from the last load's `LoadCache`.

A file whose `os.stat` (size, modification and change times, inode) is what it was is not
read at all, as git and make judge; one whose bytes are what they were is not parsed again;
in a list file only the items around the changed bytes are split and parsed again (see
`load_edit`), or failing that only the items whose text changed.

Only plain files inside the content folder are read: a link that leads out of it (a pull
request could otherwise publish `/etc/passwd`), a folder, a named pipe (which would wait for
a writer forever) or a device named like a content file is a mistake, and so is a file over
`MAX_FILE_BYTES`, one saved as UTF-16 or UTF-32, or one with a control character in it.
"""

from __future__ import annotations

import codecs
import errno
import itertools
import os
import re
import stat as file_kinds
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from generator.digest import digest
from generator.errors import ContentError, Location
from generator.load import chunks as load_chunks
from generator.load import edit as load_edit
from generator.load import yaml_events
from generator.load.chunks import Chunk, ChunkedList
from generator.load.document import Document, SourceMap
from generator.load.yaml_events import Failures
from generator.load.yaml_messages import yaml_error
from generator.load.yaml_positions import Positions

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Larger files are refused: reading one would take long and much memory (see `MAX_VALUES`)."""
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

    def moved(self, old_root: Path, new_root: Path) -> LoadCache:
        """A cache for the same files in another folder (another version of the content):
        each file is read there again, but parsed again only where its bytes differ. It
        shares only what a load never changes (values, positions' marks) with this one, so
        that loading with either leaves the other's documents as they were."""
        old, new = str(old_root), str(new_root)
        moved = LoadCache()
        for file, cached in self.files.items():
            if file == old or file.startswith(old + os.sep):
                place = new + file[len(old) :]
                moved.files[place] = _moved_file(cached, place)
        return moved


def _moved_file(cached: CachedFile, file: str) -> CachedFile:
    """`cached` as the file `file`, for `LoadCache.moved`: its list items' positions, which a
    re-read around an edit moves (`load_edit`), and its lists copied."""
    document, items = cached.document, cached.items
    if items is None:
        source_map = replace(document.source_map, file=file)
        return CachedFile(None, cached.raw, Document(file, document.data, source_map), None)
    chunks = [
        Chunk(c.digest, _copied(c.item), c.root_mark, c.nodes, c.visits, c.anchors)
        for c in items.chunks
    ]
    positions = [chunk.item for chunk in chunks]
    root = _copied(document.source_map.root)
    copied = Document(file, list(document.data), SourceMap(file, root, positions))
    chunked = ChunkedList(chunks, list(items.bounds), items.nodes, items.visits, set(items.anchors))
    return CachedFile(None, cached.raw, copied, chunked)


def _copied(positions: Positions) -> Positions:
    return Positions(positions.value, positions.marks, positions.written, positions.line_offset)


class Reader:
    """Reads files for one load, taking what did not change from an earlier load's cache.

    Objects from the cache are only updated (a moved item's line offset, its path, its
    document) once the file they belong to has been read without mistakes, so the cache
    stays right whatever the load raises.
    """

    def __init__(self, cached: dict[str, CachedFile], root: str | None = None) -> None:
        self.cached = cached
        self.files = dict(cached)
        self.stats = LoadStats()
        self.root = root
        """The content folder with every link resolved: no file outside it is read."""

    def read(self, path: Path, errors: list[ContentError]) -> Document | None:
        file = str(path)
        previous = self.cached.get(file)
        looked = time.time_ns()
        try:
            stat = os.lstat(file)
            if not file_kinds.S_ISREG(stat.st_mode):
                stat = self._followed(file, stat)
        except _NotPlain as refused:
            errors.append(refused.error)
            return None
        except OSError as exc:
            errors.append(ContentError(Location(file), f"cannot read this file ({exc.strerror})"))
            return None
        signature = file_signature(stat, looked)
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
        if pieces is not None and 1 < len(pieces) <= len(text) // load_chunks.MIN_ITEM_CHARS:
            items = self._chunks(raw, pieces, previous)
            if items is not None:
                document = commit(file, pieces, items.chunks, previous)
                self.files[file] = CachedFile(signature, raw, document, items)
                return document
        separator = _LINE_SEPARATORS.search(text)  # a text read item by item has none
        if separator is not None:
            errors.append(_line_separator(file, text, separator.start()))
            return None
        try:
            parsed = yaml_events.parse(text)
        except Failures as failed:
            errors.extend(failure.error(file) for failure in failed.failures)
            return None
        except yaml.YAMLError as exc:
            errors.append(yaml_error(file, exc, text))
            return None
        document = Document(file, parsed.data, SourceMap(file, parsed.root, parsed.items))
        self.files[file] = CachedFile(signature, raw, document, None)
        return document

    def _followed(self, file: str, stat: os.stat_result) -> os.stat_result:
        """The stat of a plain file a link inside the content folder leads to; else `_NotPlain`."""
        if file_kinds.S_ISLNK(stat.st_mode):
            target = os.readlink(file)
            real = os.path.realpath(file)
            if self.root is not None and not (
                real == self.root or real.startswith(self.root.rstrip(os.sep) + os.sep)
            ):
                raise _NotPlain(
                    file,
                    f"this file is a link to `{target}`, outside the content folder",
                    "content is read only from inside the content folder: put the file itself "
                    "here instead of a link",
                )
            try:
                stat = os.stat(file)
            except FileNotFoundError:
                raise _NotPlain(
                    file,
                    f"this file is a link to `{target}`, which does not exist",
                    "fix or delete the link",
                ) from None
            except OSError as exc:
                looped = exc.errno == errno.ELOOP
                raise _NotPlain(
                    file,
                    "this file is a link that leads back to itself"
                    if looped
                    else f"this file is a link that cannot be followed ({exc.strerror})",
                    "fix or delete the link",
                ) from None
        if file_kinds.S_ISREG(stat.st_mode):
            return stat
        name = Path(file).name
        if file_kinds.S_ISDIR(stat.st_mode):
            stem = Path(file).stem
            raise _NotPlain(
                file,
                f"`{name}` is a folder, not a file",
                f"a folder of {stem}, one item a file, is called `{stem}/`: rename it"
                if stem in _COLLECTIONS
                else "delete or rename the folder",
            )
        kind = "a named pipe" if file_kinds.S_ISFIFO(stat.st_mode) else "a device or socket"
        raise _NotPlain(
            file, f"`{name}` is {kind}, not a file", "content files must be plain text files"
        )

    def _chunks(
        self, raw: bytes, pieces: list[tuple[int, str]], previous: CachedFile | None
    ) -> ChunkedList | None:
        """Each item's chunk: the cached one when its text is unchanged, else parsed anew."""
        encoded = [piece.encode() for _, piece in pieces]
        digests = [digest(piece) for piece in encoded]
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


class _NotPlain(Exception):
    """A path that names something other than a plain file inside the content folder."""

    def __init__(self, file: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.error = ContentError(Location(file), message, hint)


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


def file_signature(stat: os.stat_result, looked: int) -> Signature | None:
    """What tells a file changed, unless it changed too shortly before `looked` to tell."""
    if max(stat.st_mtime_ns, stat.st_ctime_ns) >= looked - RACY_NS:
        return None
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns)


def _read_bytes(path: Path, size: int, errors: list[ContentError]) -> bytes | None:
    """Read a file's bytes, but never more than `MAX_FILE_BYTES`, nor wait on a pipe."""
    file = str(path)
    if size <= MAX_FILE_BYTES:
        try:
            # O_NONBLOCK: should a named pipe take the file's place since it was looked at,
            # opening it must not wait for a writer; it is then refused as not a plain file.
            descriptor = os.open(file, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
            try:
                opened_stat = os.fstat(descriptor)
                if not file_kinds.S_ISREG(opened_stat.st_mode):
                    errors.append(ContentError(Location(file), "this is not a plain file"))
                    return None
                with os.fdopen(descriptor, "rb", closefd=False) as opened:
                    # What it holds and a byte more, to see it grew: asking for the cap
                    # itself made a buffer of it, and its copy cut down (3 times the read).
                    raw = opened.read(min(opened_stat.st_size, MAX_FILE_BYTES) + 1)
                    if len(raw) > opened_stat.st_size:  # it grew since: read on to the cap
                        raw += opened.read(MAX_FILE_BYTES + 1 - len(raw))
            finally:
                os.close(descriptor)
        except OSError as exc:
            errors.append(ContentError(Location(file), f"cannot read this file ({exc.strerror})"))
            return None
        if len(raw) <= MAX_FILE_BYTES:
            return raw
        size = max(opened_stat.st_size, len(raw))  # it grew since it was looked at
    errors.append(
        ContentError(
            Location(file),
            f"this file is {_mib(size)}, over the {MAX_FILE_BYTES // 2**20} MiB "
            f"({MAX_FILE_BYTES:,} bytes) a content file may have",
            "split a long list into a folder with one item per file"
            if path.stem in _COLLECTIONS
            else "shorten it",
        )
    )
    return None


def _mib(size: int) -> str:
    """A size in MiB, or in bytes when it is too close to the limit to tell in MiB."""
    if size < MAX_FILE_BYTES + 2**20:
        return f"{size:,} bytes"
    return f"{size / 2**20:.0f} MiB"


_COLLECTIONS = {
    "parties",
    "rulings",
    "events",
    "periods",
    "quotes",
    "polls",
    "sources",
    "glossary",
    "media",
}
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


_LINE_SEPARATORS = re.compile("[\x85\u2028\u2029]")
"""Characters YAML 1.1 (and so the parser) counts as line breaks, but editors and YAML 1.2 do
not: they would shift every line number after them, and change the text around them."""


def _line_separator(file: str, text: str, index: int) -> ContentError:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return ContentError(
        Location(file, line, column),
        f"invisible line break U+{ord(text[index]):04X}, which YAML reads as a new line but "
        "editors do not show",
        "delete it, or put a space instead (it may have come with pasted text)",
    )


def _decode(file: str, raw: bytes, errors: list[ContentError]) -> str | None:
    """Return the text without a UTF-8 byte order mark, or None after reporting why not.

    A UTF-8 byte order mark (which some Windows editors write) is accepted and dropped.
    """
    for bom, encoding in _WIDE_BOMS:
        if raw.startswith(bom):
            errors.append(
                ContentError(
                    Location(file, 1, 1),
                    f"this file is saved as {encoding}, not UTF-8",
                    "save it as UTF-8 in your editor",
                )
            )
            return None
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
