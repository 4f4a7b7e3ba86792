"""Stage 1, load: read every YAML file under `content/` into plain values with positions.

Input: the content folder. Output: `RawContent` — the site document and, per case, its
`case.yaml` document and its collections (each a list of `RawItem`s, whether the collection is
one file holding a list or a folder holding one item per file).

Every mapping key, value and list item can be located in its document's `SourceMap`, so later
stages can point at the exact place of a mistake. Values are built straight from the parser's
events (with the C parser when present) in one pass; each node leaves only a packed line and
column, and a `Location` is made when a later stage asks for one. Only plain data comes out:
mappings, lists, strings, numbers, booleans and null. Dates stay the strings the editor wrote,
for `PartialDate` to read. Duplicate keys, tab indentation, invalid UTF-8, unknown tags and
aliases that expand out of proportion are `ContentError`s, reported exactly as PyYAML's
composer and the rules below would.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import logging
import multiprocessing
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import ContentError, ContentErrors, Location, describe_value, did_you_mean

logger = logging.getLogger("generator")

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    logger.warning(
        "PyYAML was built without libyaml: loading will be several times slower. "
        "Reinstall PyYAML on a machine with libyaml (Debian: libyaml-dev)."
    )

COLLECTIONS = ("parties", "rulings", "events", "quotes", "polls", "sources")
YAML_SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 64
ALIAS_EXPANSION_FACTOR = 20
ALIAS_EXPANSION_FLOOR = 10_000
PARALLEL_MIN_CHARS = 4 * 2**20
"""Below this much list text in one file, forking workers to parse it costs more than it saves."""

PathKey = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
    _STR,
}
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_BOOL_WORDS = {"true", "yes", "on", "y", "false", "no", "off", "n"}


@dataclass
class SourceMap:
    """Where each value of one document came from, found by its path inside the document."""

    file: str
    root: _Positions
    """The whole document, or only its top-level list itself when `items` holds the rest."""
    items: list[_Positions] | None = None
    """Each item of a top-level list on its own, so an item's text can move or be re-read."""

    def locate(self, path: PathKey) -> Location:
        """Return the location of the value at `path`, or of its nearest located ancestor."""
        part, rest = self._part(path)
        index, _, _ = _walk(part.value, rest)
        return part.location(self.file, index)

    def locate_key(self, path: PathKey) -> Location:
        """Return the location of the key whose value is at `path` (falls back to the value)."""
        part, rest = self._part(path)
        index, whole, key = _walk(part.value, rest)
        return part.location(self.file, key if whole and key is not None else index)

    def written(self, path: PathKey) -> str | None:
        """Return what the editor wrote for the non-string scalar at `path`, if it is one."""
        part, rest = self._part(path)
        index, whole, _ = _walk(part.value, rest)
        return part.written.get(index) if whole else None

    def _part(self, path: PathKey) -> tuple[_Positions, PathKey]:
        if self.items is not None and path:
            first = path[0]
            if isinstance(first, int) and 0 <= first < len(self.items):
                return self.items[first], path[1:]
        return self.root, path


@dataclass
class Document:
    """One YAML file: its plain data and its source map."""

    file: str
    data: Any
    source_map: SourceMap
    raw_items: dict[PathKey, RawItem] = field(default_factory=dict, repr=False, compare=False)
    """The `RawItem`s handed out for this document, so a cached document gives the same ones."""

    def item(self, path: PathKey = ()) -> RawItem:
        """Return the `RawItem` for the whole document, or for one top-level list item."""
        found = self.raw_items.get(path)
        if found is None:
            value = self.data[path[0]] if path else self.data
            found = self.raw_items[path] = RawItem(value, self, path)
        return found


@dataclass
class RawItem:
    """One item of a collection: the data and where in which document it sits."""

    data: Any
    document: Document
    path: PathKey

    def locate(self, sub: PathKey = ()) -> Location:
        """Return the location of a value inside this item."""
        return self.document.source_map.locate(self.path + sub)

    def locate_key(self, sub: PathKey) -> Location:
        """Return the location of a key inside this item."""
        return self.document.source_map.locate_key(self.path + sub)

    def written(self, sub: PathKey) -> str | None:
        """Return the text the editor wrote for a non-string scalar inside this item."""
        return self.document.source_map.written(self.path + sub)


@dataclass
class RawCase:
    """One case folder: its `case.yaml` and its collections."""

    slug: str
    folder: str
    case: RawItem | None
    collections: dict[str, list[RawItem]]


@dataclass
class RawContent:
    """Everything read from the content folder, not yet validated."""

    root: str
    site: RawItem | None
    cases: list[RawCase]
    files: list[str]


def load_content(content_dir: Path, cache: LoadCache | None = None) -> RawContent:
    """Read every YAML file under `content_dir`; raise `ContentErrors` listing every problem.

    With the `cache` of an earlier load of the same folder, files whose bytes did not change
    are not parsed again and give the very same `RawItem`s, and in a changed list file only
    the items whose text changed are parsed again. The cache is updated even when this raises.
    """
    root = str(content_dir)
    errors: list[ContentError] = []
    if not content_dir.is_dir():
        raise ContentErrors(
            [ContentError(Location(root), "content folder not found — pass --content DIR")]
        )
    files: list[str] = []
    reader = _Reader(cache.files if cache is not None else {})

    def read(path: Path) -> Document | None:
        files.append(str(path))
        return reader.read(path, errors)

    try:
        return _load_tree(content_dir, read, files, errors)
    finally:
        if cache is not None:
            attempted = set(files)
            cache.files = {f: entry for f, entry in reader.files.items() if f in attempted}
            cache.last_stats = reader.stats


def _load_tree(
    content_dir: Path, read: Any, files: list[str], errors: list[ContentError]
) -> RawContent:
    site_path = _find_yaml(content_dir, "site")
    site: RawItem | None = None
    if site_path is not None:
        document = read(site_path)
        if document is not None:
            site = document.item()
    else:
        errors.append(
            ContentError(
                Location(str(content_dir / "site.yaml")),
                "site.yaml is missing — every site needs one",
            )
        )

    cases: list[RawCase] = []
    cases_dir = content_dir / "cases"
    if cases_dir.is_dir():
        for case_dir in sorted(p for p in cases_dir.iterdir() if p.is_dir()):
            cases.append(_load_case(case_dir, read, errors))
    errors.extend(_unread_files(content_dir, set(files)))
    if errors:
        raise ContentErrors(errors)
    return RawContent(str(content_dir), site, cases, files)


def _unread_files(content_dir: Path, read: set[str]) -> list[ContentError]:
    """Report YAML files that no rule reads, so an editor's work is never silently ignored."""
    errors = []
    cases_dir = content_dir / "cases"
    for path in sorted(content_dir.rglob("*")):
        relative = path.relative_to(content_dir)
        if path.suffix not in YAML_SUFFIXES or str(path) in read or _is_hidden(relative):
            continue
        if not path.is_file():
            continue
        inside_case = path.parent.parent == cases_dir or path.parent.parent.parent == cases_dir
        if path.parent.parent.parent == cases_dir and _find_yaml(
            path.parent.parent, path.parent.name
        ):
            continue  # a collection that is both a file and a folder is reported once, already
        if inside_case:
            known = ["case", *COLLECTIONS]
            hint = did_you_mean(path.stem, known, cutoff=0.8)
            errors.append(
                ContentError(
                    Location(str(path)),
                    f"`{path.name}` is not read: a case folder holds case.yaml and "
                    + ", ".join(f"{name}.yaml" for name in COLLECTIONS),
                    hint.replace("`?", ".yaml`?") if hint else "rename or delete it",
                )
            )
        else:
            errors.append(
                ContentError(
                    Location(str(path)),
                    "this file is not part of any case and is not read",
                    "move it into content/cases/<case>/ or delete it",
                )
            )
    return errors


def _find_yaml(folder: Path, stem: str) -> Path | None:
    """Return `folder/stem.yaml` or `folder/stem.yml`, whichever exists."""
    return next(
        (folder / f"{stem}{s}" for s in YAML_SUFFIXES if (folder / f"{stem}{s}").is_file()), None
    )


def _is_hidden(relative: Path) -> bool:
    return any(part.startswith((".", "_")) for part in relative.parts)


def _load_case(case_dir: Path, read: Any, errors: list[ContentError]) -> RawCase:
    case_file = _find_yaml(case_dir, "case")
    case_item: RawItem | None = None
    if case_file is not None:
        document = read(case_file)
        if document is not None:
            case_item = document.item()
    else:
        errors.append(
            ContentError(
                Location(str(case_dir / "case.yaml")),
                "case.yaml is missing — every case folder needs one",
            )
        )
    collections: dict[str, list[RawItem]] = {}
    for name in COLLECTIONS:
        items: list[RawItem] = []
        as_file = _find_yaml(case_dir, name)
        as_folder = case_dir / name
        if as_file is not None and as_folder.is_dir():
            errors.append(
                ContentError(
                    Location(str(as_file)),
                    f"`{name}` is both a file and a folder",
                    f"keep either {as_file.name} or the folder {name}/, not both",
                )
            )
        if as_file is not None:
            document = read(as_file)
            if document is not None:
                items.extend(_list_items(document, name, errors))
        elif as_folder.is_dir():
            for item_file in sorted(as_folder.iterdir()):
                if item_file.suffix not in YAML_SUFFIXES or item_file.name.startswith((".", "_")):
                    continue
                document = read(item_file)
                if document is None:
                    continue
                if isinstance(document.data, dict):
                    items.append(document.item())
                else:
                    errors.append(
                        ContentError(
                            document.source_map.locate(()),
                            f"a file in {name}/ holds one item as a mapping of fields, "
                            f"not {describe_value(document.data)}",
                        )
                    )
        collections[name] = items
    return RawCase(case_dir.name, str(case_dir), case_item, collections)


def _list_items(document: Document, name: str, errors: list[ContentError]) -> list[RawItem]:
    if document.data is None:
        return []
    if not isinstance(document.data, list):
        errors.append(
            ContentError(
                document.source_map.locate(()),
                f"{Path(document.file).name} should hold a list of {name} (lines starting "
                f"with `- `), not {describe_value(document.data)}",
            )
        )
        return []
    return [document.item((index,)) for index in range(len(document.data))]


@dataclass
class LoadStats:
    """What one load had to parse again, for benchmarks and tests."""

    files_read: list[str] = field(default_factory=list)
    """Files whose text was parsed (all of them without a cache)."""
    chunks_parsed: int = 0
    """List items parsed on their own."""
    chunks_reused: int = 0
    """List items of changed files taken from the cache instead."""


@dataclass
class _CachedFile:
    """A file as last read without mistakes: its bytes' digest and what came out."""

    digest: bytes
    document: Document
    chunks: list[_Chunk] | None
    """Its list items, when it was read item by item."""


class LoadCache:
    """What the last `load_content` of a folder read, for the next one to re-read less.

    Picklable, so a later build can keep it. It holds the documents (plain values and packed
    positions) and a digest per file and per list item; never a node tree or a file's text.
    """

    def __init__(self) -> None:
        self.files: dict[str, _CachedFile] = {}
        self.last_stats = LoadStats()


class _Reader:
    """Reads files for one load, taking what did not change from an earlier load's cache.

    Objects from the cache are only updated (a moved item's line offset, its path, its
    document) once the file they belong to has been read without mistakes, so the cache
    stays right whatever the load raises.
    """

    def __init__(self, cached: dict[str, _CachedFile]) -> None:
        self.cached = cached
        self.files = dict(cached)
        self.stats = LoadStats()

    def read(self, path: Path, errors: list[ContentError]) -> Document | None:
        file = str(path)
        raw = _read_bytes(path, errors)
        if raw is None:
            return None
        digest = hashlib.blake2b(raw, digest_size=16).digest()
        previous = self.cached.get(file)
        if previous is not None and previous.digest == digest:
            return previous.document
        text = _decode(file, raw, errors)
        if text is None:
            return None
        self.stats.files_read.append(file)
        pieces = _split(text)
        if pieces is not None and len(pieces) > 1:
            chunks = self._chunks(pieces, previous)
            if chunks is not None:
                document = _commit(file, pieces, chunks, previous)
                self.files[file] = _CachedFile(digest, document, chunks)
                return document
        try:
            parsed = _parse(text)
        except _Failures as failed:
            errors.extend(failure.error(file) for failure in failed.failures)
            return None
        except yaml.YAMLError as exc:
            errors.append(_yaml_error(file, exc))
            return None
        document = Document(file, parsed.data, SourceMap(file, parsed.root, parsed.items))
        self.files[file] = _CachedFile(digest, document, None)
        return document

    def _chunks(
        self, pieces: list[tuple[int, str]], previous: _CachedFile | None
    ) -> list[_Chunk] | None:
        """Each item's chunk: the cached one when its text is unchanged, else parsed anew."""
        reusable: dict[bytes, list[_Chunk]] = {}
        for chunk in reversed(previous.chunks or [] if previous is not None else []):
            reusable.setdefault(chunk.digest, []).append(chunk)
        digests = [_digest(text) for _, text in pieces]
        chunks: list[_Chunk | None] = []
        for digest in digests:
            same = reusable.get(digest)
            chunks.append(same.pop() if same else None)
        missing = [index for index, chunk in enumerate(chunks) if chunk is None]
        parsed = _parse_pieces([pieces[index] for index in missing])
        if parsed is None:
            return None
        for index, chunk in zip(missing, parsed, strict=True):
            chunk.digest = digests[index]
            chunks[index] = chunk
        self.stats.chunks_parsed += len(missing)
        self.stats.chunks_reused += len(pieces) - len(missing)
        complete = [chunk for chunk in chunks if chunk is not None]
        return complete if _fits(complete) else None


def _commit(
    file: str, pieces: list[tuple[int, str]], chunks: list[_Chunk], previous: _CachedFile | None
) -> Document:
    """Make the document of a list file read item by item, moving cached items into place."""
    items = [chunk.item for chunk in chunks]
    source_map = SourceMap(file, _Positions(None, [chunks[0].root_mark]), items)
    document = Document(file, [item.value for item in items], source_map)
    handed_out = {}
    if previous is not None and previous.chunks is not None:
        handed_out = {
            id(chunk): previous.document.raw_items.get((index,))
            for index, chunk in enumerate(previous.chunks)
        }
    for index, ((line_offset, _), chunk) in enumerate(zip(pieces, chunks, strict=True)):
        chunk.item.line_offset = line_offset
        raw_item = handed_out.get(id(chunk))
        if raw_item is not None:
            raw_item.document = document
            raw_item.path = (index,)
            document.raw_items[(index,)] = raw_item
    return document


def _read_bytes(path: Path, errors: list[ContentError]) -> bytes | None:
    file = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            errors.append(
                ContentError(
                    Location(file),
                    f"file is {size // 2**20} MiB, over the {MAX_FILE_BYTES // 2**20} MiB limit",
                    "split the collection into a folder with one item per file",
                )
            )
            return None
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


def _yaml_error(file: str, exc: yaml.YAMLError) -> ContentError:
    if not isinstance(exc, yaml.MarkedYAMLError):
        return ContentError(Location(file), f"invalid YAML: {exc}")
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    problem = exc.problem or exc.context or "invalid YAML"
    if "tab" in problem or "'\\t'" in problem:
        return ContentError(
            Location(file, line, column),
            "tab used for indentation — YAML allows only spaces",
            "replace the tab with spaces",
        )
    return ContentError(Location(file, line, column), f"invalid YAML: {problem}")


# Positions: one packed int per node, turned into a `Location` only when asked for.

_LINE_SHIFT = 32
_COLUMN_MASK = (1 << _LINE_SHIFT) - 1


@dataclass
class _Positions:
    """Where each node of one value was written, in depth-first order.

    `marks[i]` packs the 0-based line, counted from `line_offset`, and column of the i-th node
    of `value`: the value itself, then for a list each item, for a mapping each key followed by
    its value. Text that moved keeps its positions by updating `line_offset` alone.
    """

    value: Any
    marks: list[int]
    written: dict[int, str] = field(default_factory=dict)
    """What the editor wrote for each non-string scalar, by index, for "`no` reads as false"."""
    line_offset: int = 0

    def __reduce__(self) -> tuple[type[_Positions], tuple[Any, ...]]:
        """Pickle as a plain tuple: quicker for the many small ones workers send back."""
        return (_Positions, (self.value, self.marks, self.written, self.line_offset))

    def location(self, file: str, index: int) -> Location:
        mark = self.marks[index]
        return Location(
            file, (mark >> _LINE_SHIFT) + self.line_offset + 1, (mark & _COLUMN_MASK) + 1
        )


def _walk(value: Any, path: PathKey) -> tuple[int, bool, int | None]:
    """Follow `path` into `value` as far as it exists.

    Return the index (in depth-first order) of the deepest node reached, whether the whole path
    was followed, and the index of the key of the last step when that step was a mapping key.
    """
    index = 0
    key: int | None = None
    node = value
    for step in path:
        if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            index += 1 + sum(map(_size, node[:step]))
            key = None
        elif isinstance(node, dict) and step in node:
            index += 1
            for name, child in node.items():
                if name == step:
                    break
                index += 1 + _size(child)
            key = index
            index += 1
        else:
            return index, False, None
        node = node[step]
    return index, True, key


def _size(value: Any) -> int:
    """Count the nodes of `value` as they are laid out in `_Positions.marks`."""
    if isinstance(value, list):
        return 1 + sum(map(_size, value))
    if isinstance(value, dict):
        return 1 + sum(1 + _size(child) for child in value.values())
    return 1


# Chunks: a collection file is a top-level list, read one item at a time.

_LINE_START = re.compile(r"\n[^\s#]")
"""A line that starts with neither a space nor a comment."""
_ITEM_MARKERS = ("- ", "-\n", "-")
_ODD_BREAKS = ("\r", "\x85", "\u2028", "\u2029", "\ufeff")
"""Line breaks (and a stray byte order mark) the parser counts differently from `\\n`."""


@dataclass
class _Chunk:
    """One item of a list file, parsed on its own."""

    digest: bytes
    """Of the item's text, to tell on the next load whether it changed."""
    item: _Positions
    """The item's value and positions; its `line_offset` is the item's first line."""
    root_mark: int
    """The list's own position, relative to the item's first line: used for the first item."""
    nodes: int
    visits: int
    anchors: frozenset[str]

    def __reduce__(self) -> tuple[type[_Chunk], tuple[Any, ...]]:
        return (
            _Chunk,
            (self.digest, self.item, self.root_mark, self.nodes, self.visits, self.anchors),
        )


def _split(text: str) -> list[tuple[int, str]] | None:
    """Split a top-level block list into (first line, text) per item, or None if not that shape.

    Each item starts with `- ` at column 0; comments and blank lines before it belong to the
    item before (or the first). Anything else at column 0, or a line before the first item
    that is not a comment, means another shape: a document marker, a mapping, a flow list.
    """
    if any(odd in text for odd in _ODD_BREAKS):
        return None
    starts = [found.start() + 1 for found in _LINE_START.finditer(text)]
    if _LINE_START.match("\n" + text[:1]):
        starts.insert(0, 0)
    if any(text[start : start + 2] not in _ITEM_MARKERS for start in starts):
        return None
    if not starts or any(
        line.strip() and not line.lstrip().startswith("#") for line in text[: starts[0]].split("\n")
    ):
        return None
    starts[0] = 0
    starts.append(len(text))
    pieces = []
    line = 0
    for start, end in itertools.pairwise(starts):
        pieces.append((line, text[start:end]))
        line += text.count("\n", start, end)
    return pieces


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def _parse_chunk(line_offset: int, text: str) -> _Chunk | None:
    """Parse one item's text; None if it does not read as exactly one item on its own."""
    try:
        parsed = _parse(text)
    except (yaml.YAMLError, _Failures):
        return None
    if parsed.items is None or len(parsed.items) != 1:
        return None
    item = parsed.items[0]
    item.line_offset = line_offset
    return _Chunk(b"", item, parsed.root.marks[0], parsed.nodes, parsed.visits, parsed.anchors)


def _parse_pieces(pieces: list[tuple[int, str]]) -> list[_Chunk] | None:
    """Parse items, in forked workers when there is enough text for that to pay."""
    workers = _worker_count() if sum(len(text) for _, text in pieces) >= PARALLEL_MIN_CHARS else 1
    if workers > 1 and len(pieces) >= workers:
        try:
            return _parse_in_workers(pieces, workers)
        except (OSError, multiprocessing.ProcessError):
            logger.debug("parsing in worker processes failed; parsing here", exc_info=True)
    return _parse_chunks(pieces)


def _worker_count() -> int:
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - platforms without sched_getaffinity


_forked_pieces: list[tuple[int, str]] = []
"""The items workers parse: forked children see it without it being pickled."""


def _parse_in_workers(pieces: list[tuple[int, str]], workers: int) -> list[_Chunk] | None:
    """Parse contiguous runs of items in `workers - 1` forked processes and this one.

    Only the parsed results travel back (pickled): plain values and packed positions. The
    parent's objects are frozen out of the collector meanwhile, so that workers do not copy
    the pages they sit on.
    """
    global _forked_pieces
    bounds = [len(pieces) * worker // workers for worker in range(workers + 1)]
    runs = list(itertools.pairwise(bounds))
    _forked_pieces = pieces
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers - 1) as pool:
            pending = pool.map_async(_parse_forked, runs[1:])
            first = _parse_chunks(pieces[: bounds[1]])
            rest = pending.get()
    finally:
        gc.unfreeze()
        _forked_pieces = []
    if first is None or any(run is None for run in rest):
        return None
    return first + [chunk for run in rest for chunk in run or ()]


def _parse_forked(run: tuple[int, int]) -> list[_Chunk] | None:
    gc.disable()  # this process ends after parsing; collecting would copy the parent's pages
    return _parse_chunks(_forked_pieces[run[0] : run[1]])


def _parse_chunks(pieces: list[tuple[int, str]]) -> list[_Chunk] | None:
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
        if visits > max(ALIAS_EXPANSION_FLOOR, ALIAS_EXPANSION_FACTOR * nodes):
            return None
    return chunks


def _fits(chunks: list[_Chunk]) -> bool:
    """Whether items read one by one read as the whole list would, as far as aliases go.

    No anchor may be named in two items, and all expansions together must stay within the
    alias budget of the whole list (one list node plus the items' nodes).
    """
    anchors: set[str] = set()
    nodes = visits = 1
    for chunk in chunks:
        if not anchors.isdisjoint(chunk.anchors):
            return False
        anchors |= chunk.anchors
        nodes += chunk.nodes - 1
        visits += chunk.visits - 1
    return visits <= max(ALIAS_EXPANSION_FLOOR, ALIAS_EXPANSION_FACTOR * nodes)


# Parsing: values and positions from the parser's events.


class _Failures(Exception):
    """The mistakes this loader found in one text (the old walk could report a few)."""

    def __init__(self, failures: list[_Failure]) -> None:
        super().__init__(failures)
        self.failures = failures


@dataclass
class _Failure:
    """A mistake this loader rejects (not the parser), at a packed position of the text."""

    mark: int
    message: str
    hint: str = ""

    def error(self, file: str, line_offset: int = 0) -> ContentError:
        where = _Positions(None, [self.mark], line_offset=line_offset).location(file, 0)
        return ContentError(where, self.message, self.hint)


class _AliasSeen(Exception):
    """An alias in a text read without tracking anchors: read it again, tracking them."""


@dataclass
class _Parsed:
    """Plain values and positions read from one text, not yet tied to a file."""

    data: Any
    root: _Positions
    items: list[_Positions] | None
    nodes: int
    """Distinct nodes (keys included), which size the alias budget."""
    visits: int
    """Values built, counting each alias expansion again."""
    anchors: frozenset[str] = frozenset()


_ScalarEvent = yaml.ScalarEvent
_SequenceStartEvent = yaml.SequenceStartEvent
_MappingStartEvent = yaml.MappingStartEvent
_CLOSE_EVENTS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)
_OPEN_EVENTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)

_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_MERGE = "tag:yaml.org,2002:merge"
_TRUE_WORDS = {"true", "yes", "on", "y"}

_IMPLICIT = _Loader.yaml_implicit_resolvers
_WILDCARD = tuple(_IMPLICIT.get(None, ()))
_RESOLVERS: dict[str, tuple[tuple[str, Any], ...]] = {
    first: (*resolvers, *_WILDCARD) for first, resolvers in _IMPLICIT.items() if first is not None
}
_MERGE_FIRSTS = {first for first, resolvers in _RESOLVERS.items() if _MERGE in dict(resolvers)}
_AMPERSAND = re.compile(r"&(?!\s)")
_WORD_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")


def _resolve_plain(value: str) -> str:
    """Return the tag PyYAML's resolver gives a plain scalar (as `Resolver.resolve` does)."""
    for tag, pattern in _RESOLVERS.get(value[:1], _WILDCARD):
        if pattern.match(value):
            return tag  # type: ignore[no-any-return]
    return _STR


def _parse(text: str) -> _Parsed:
    """Read one YAML text into plain values and positions.

    Raises `yaml.YAMLError` for the first mistake the parser or PyYAML's composer finds, else
    `_Failures` for what this loader rejects, exactly as composing the node tree and then
    walking it would. A text without anchors is built while it is parsed; a text with anchors
    is kept as events first, since the alias budget depends on the size of the whole text.
    """
    if not _may_have_anchors(text):
        try:
            return _build(_events(_Loader(text), None), sys.maxsize, None)
        except _AliasSeen:
            pass
    anchors: dict[str, int] = {}
    events = list(_events(_Loader(text), anchors))
    if not events:
        return _build(iter(()), 0, None)
    nodes = sum(1 for event in events if isinstance(event, _NODE_EVENTS))
    budget = max(ALIAS_EXPANSION_FLOOR, ALIAS_EXPANSION_FACTOR * nodes)
    replay = _Replay(events, anchors)
    parsed = _build(replay.node(0), budget, replay)
    parsed.nodes = nodes
    parsed.anchors = frozenset(anchors)
    return parsed


def _may_have_anchors(text: str) -> bool:
    """Whether an anchor (`&name`) could start somewhere; `R&D` or `Q & A` cannot be one."""
    return any(
        found.start() == 0 or text[found.start() - 1] not in _WORD_CHARACTERS
        for found in _AMPERSAND.finditer(text)
    )


def _events(loader: Any, anchors: dict[str, int] | None) -> Iterator[Any]:
    """Yield the node events of the one document in the stream, checking what the composer does.

    With `anchors`, record for each anchor the index of its node's first event among those
    yielded; without, raise `_AliasSeen` at the first alias.
    """
    try:
        loader.get_event()
        if isinstance(loader.peek_event(), yaml.StreamEndEvent):
            return
        loader.get_event()
        first_marks: dict[str, Any] = {}
        root_mark = None
        index = 0
        get_event = loader.get_event
        while True:
            event = get_event()
            kind = event.__class__
            if kind is yaml.DocumentEndEvent:
                break
            if kind is yaml.AliasEvent:
                if anchors is None:
                    raise _AliasSeen
                if event.anchor not in anchors:
                    raise yaml.composer.ComposerError(
                        None, None, _undefined_alias(event.anchor), event.start_mark
                    )
            elif anchors is not None and kind not in _CLOSE_EVENTS and event.anchor is not None:
                if event.anchor in anchors:
                    raise yaml.composer.ComposerError(
                        "found duplicate anchor; first occurrence",
                        first_marks[event.anchor],
                        "second occurrence",
                        event.start_mark,
                    )
                anchors[event.anchor] = index
                first_marks[event.anchor] = event.start_mark
            if root_mark is None:
                root_mark = event.start_mark
            yield event
            index += 1
        event = get_event()
        if not isinstance(event, yaml.StreamEndEvent):
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                root_mark,
                "but found another document",
                event.start_mark,
            )
    finally:
        loader.dispose()


def _undefined_alias(anchor: str) -> str:
    if _Loader.__name__ == "CSafeLoader":
        return "found undefined alias"
    return f"found undefined alias {anchor!r}"  # pragma: no cover - the pure-Python composer


class _Replay:
    """Recorded events of a text with anchors, replayed with each alias expanded in place.

    Expansion stops once `expand` is cleared, after the first mistake: from then on an alias
    comes out as itself, so skipping over it costs one event however far it would expand.
    """

    def __init__(self, events: list[Any], anchors: dict[str, int]) -> None:
        self.events = events
        self.anchors = anchors
        self.expand = True

    def anchored(self, alias: Any) -> Any:
        """Return the first event of the node an alias names."""
        return self.events[self.anchors[alias.anchor]]

    def node(self, start: int) -> Iterator[Any]:
        """Yield the node whose first event is `events[start]`."""
        events = self.events
        depth = 0
        index = start
        while True:
            event = events[index]
            index += 1
            if event.__class__ is yaml.AliasEvent and self.expand:
                yield from self.node(self.anchors[str(event.anchor)])
            else:
                yield event
                if event.__class__ in _CLOSE_EVENTS:
                    depth -= 1
                elif event.__class__ in _OPEN_EVENTS:
                    depth += 1
            if depth == 0:
                return


_LIST = object()
_KEY = object()


def _build(events: Iterator[Any], budget: int, replay: _Replay | None) -> _Parsed:
    """Build plain values from node events, visiting nodes in the order the old node walk did.

    Each value counts against `budget`; keys do not. After the first mistake, `_finish` goes on
    as the old walk did and reads the rest of the events, so a later syntax error still wins.
    """
    root_marks: list[int] = []
    marks = root_marks
    written: dict[int, str] = {}
    root_written = written
    items: list[_Positions] | None = None
    root: Any = None
    stack: list[list[Any]] = []
    """Open collections: [container, index of its mark, _LIST | _KEY | pending key, key mark]."""
    visits = 0
    failure: _Failure | None = None
    parent: list[Any] | None = None
    for event in events:
        kind = event.__class__
        mark = event.start_mark
        packed = mark.line << _LINE_SHIFT | mark.column
        if parent is not None:
            if kind in _CLOSE_EVENTS:
                stack.pop()
                parent = stack[-1] if stack else None
                continue
            if parent[2] is _KEY:
                key = event.value if kind is _ScalarEvent else None
                if (
                    key is None
                    or event.tag is not None
                    or key in parent[0]
                    or key[:1] in _MERGE_FIRSTS
                ):
                    failure = _check_key(event, parent, marks)
                    if failure is not None:
                        break
                parent[2] = key
                parent[3] = packed
                marks.append(packed)
                continue
        visits += 1
        if visits > budget:
            failure = _Failure(
                packed,
                "aliases (`*name`) expand this file out of proportion",
                "write the values out instead of repeating aliases",
            )
            break
        depth = len(stack)
        if depth > MAX_DEPTH:
            failure = _Failure(packed, f"nested more than {MAX_DEPTH} levels deep")
            break
        if depth == 1 and items is not None:
            marks = []
            written = {}
            items.append(_Positions(None, marks, written))
        index = len(marks)
        marks.append(packed)
        tag = event.tag
        value: Any
        if kind is _ScalarEvent:
            value = event.value
            if tag is None or tag == "!":
                if not event.implicit[0] or value[:1] not in _RESOLVERS:
                    tag = _STR
                else:
                    tag = _resolve_plain(value)
            if tag != _STR:
                try:
                    value = _scalar(tag, value)
                except _Unsupported as exc:
                    failure = _Failure(packed, *exc.args)
                    break
                written[index] = event.value
            frame = None
        elif kind is _SequenceStartEvent:
            if tag is not None and tag != "!" and tag != _SEQ:
                failure = _Failure(packed, f"unsupported YAML tag `{tag}`", "remove the tag")
                break
            value = []
            if depth == 0:
                items = []
            frame = [value, index, _LIST, 0]
        else:
            if tag is not None and tag != "!" and tag != _MAP:
                failure = _Failure(packed, f"unsupported YAML tag `{tag}`", "remove the tag")
                break
            value = {}
            frame = [value, index, _KEY, 0]
        if parent is None:
            root = value
        elif parent[2] is _LIST:
            parent[0].append(value)
        else:
            parent[0][parent[2]] = value
            parent[2] = _KEY
        if frame is not None:
            stack.append(frame)
            parent = frame
    if failure is not None:
        raise _Failures(_finish(failure, event, events, stack, marks, replay))
    if not root_marks:
        root_marks.append(0)
    nodes = len(root_marks)
    if items is None:
        return _Parsed(root, _Positions(root, root_marks, root_written), None, nodes, visits)
    for part, value in zip(items, root, strict=True):
        part.value = value
        nodes += len(part.marks)
    return _Parsed(root, _Positions(None, root_marks), items, nodes, visits)


def _check_key(
    event: Any, frame: list[Any], marks: list[int], seen: dict[str, int] | None = None
) -> _Failure | None:
    """Check a mapping key as the old walk did: not a merge key, a scalar, not seen before."""
    kind = event.__class__
    mark = event.start_mark
    packed = mark.line << _LINE_SHIFT | mark.column
    tag = event.tag
    if kind is _ScalarEvent:
        key = event.value
        if (tag is None or tag == "!") and event.implicit[0] and key[:1] in _MERGE_FIRSTS:
            tag = _resolve_plain(key)
    elif tag is None or tag == "!":
        tag = _SEQ if kind is _SequenceStartEvent else _MAP
    if tag == _MERGE:
        return _Failure(packed, "merge keys (`<<`) are not supported", "write the fields out")
    if kind is not _ScalarEvent:
        return _Failure(packed, "a key must be a plain word, not a list or mapping")
    first = seen.get(key) if seen else None
    if first is None and key in frame[0]:
        first = _key_mark(frame[0], frame[1], key, marks)
    if first is not None:
        return _Failure(
            packed,
            f"duplicate key `{key}` (first at line {(first >> _LINE_SHIFT) + 1})",
            "keep one of them",
        )
    return None


def _key_mark(mapping: dict[str, Any], start: int, key: str, marks: list[int]) -> int:
    """Return the mark of `key` in a mapping whose own mark is `marks[start]`."""
    index = start + 1
    for name, child in mapping.items():
        if name == key:
            break
        index += 1 + _size(child)
    return marks[index]


def _finish(
    failure: _Failure,
    failed: Any,
    events: Iterator[Any],
    stack: list[list[Any]],
    marks: list[int],
    replay: _Replay | None,
) -> list[_Failure]:
    """After the first mistake, read the rest of the events as the old walk went on.

    The old walk returned from the failed node, and each open mapping around it still checked
    its remaining keys (not their values), stopping at the first bad one: so each could report
    one more mistake. Lists skipped their remaining items.
    """
    failures = [failure]
    if replay is not None:
        replay.expand = False
    skip = 1 if failed.__class__ in _OPEN_EVENTS else 0
    states = [_SKIP if frame[2] is _LIST else _KEY for frame in stack]
    seen: list[dict[str, int]] = [{} for _ in stack]
    for frame, keys in zip(stack, seen, strict=True):
        if frame[2] is not _LIST and frame[2] is not _KEY:
            keys[frame[2]] = frame[3]
    if stack and stack[-1][2] is _KEY:
        states[-1] = _SKIP
    for event in events:
        kind = event.__class__
        if skip:
            if kind in _OPEN_EVENTS:
                skip += 1
            elif kind in _CLOSE_EVENTS:
                skip -= 1
            continue
        if kind in _CLOSE_EVENTS:
            stack.pop()
            states.pop()
            seen.pop()
            continue
        skip = 1 if kind in _OPEN_EVENTS else 0
        if states[-1] is _VALUE:
            states[-1] = _KEY
        elif states[-1] is _KEY:
            key = replay.anchored(event) if replay and kind is yaml.AliasEvent else event
            found = _check_key(key, stack[-1], marks, seen[-1])
            if found is None:
                mark = key.start_mark
                seen[-1][key.value] = mark.line << _LINE_SHIFT | mark.column
                states[-1] = _VALUE
            else:
                failures.append(found)
                states[-1] = _SKIP
    return failures


_VALUE = object()
_SKIP = object()


class _Unsupported(Exception):
    """A scalar this loader does not read: (message, hint)."""


def _scalar(tag: str, value: str) -> Any:
    """Return the plain value of a scalar with a tag other than `str`."""
    if tag not in _SCALAR_TAGS:
        raise _Unsupported(
            f"unsupported YAML tag `{tag}`", "remove the tag; only plain data is read"
        )
    if tag == _NULL:
        return None
    if tag == _BOOL:
        if value.lower() not in _BOOL_WORDS:
            raise _Unsupported(f"`{value}` is not true or false")
        return value.lower() in _TRUE_WORDS
    if tag == _INT:
        try:
            return _yaml_int(value)
        except ValueError:
            raise _Unsupported(f"`{value}` is not a number") from None
    if tag == _FLOAT:
        try:
            return _yaml_float(value)
        except ValueError:
            raise _Unsupported(f"`{value}` is not a number") from None
    return value  # timestamps stay as written; PartialDate reads them


def _yaml_int(text: str) -> int:
    cleaned = text.replace("_", "")
    sign = -1 if cleaned.startswith("-") else 1
    digits = cleaned.lstrip("+-")
    if digits.startswith("0b"):
        return sign * int(digits[2:], 2)
    if digits.startswith("0x"):
        return sign * int(digits[2:], 16)
    if ":" in digits:
        total = 0
        for part in digits.split(":"):
            total = total * 60 + int(part)
        return sign * total
    if digits.startswith("0") and len(digits) > 1:
        return sign * int(digits, 8)
    return sign * int(digits)


def _yaml_float(text: str) -> float:
    cleaned = text.replace("_", "").lower()
    if cleaned in {".nan"}:
        return float("nan")
    if cleaned.lstrip("+-") == ".inf":
        return float("-inf") if cleaned.startswith("-") else float("inf")
    if ":" in cleaned:
        sign = -1.0 if cleaned.startswith("-") else 1.0
        total = 0.0
        for part in cleaned.lstrip("+-").split(":"):
            total = total * 60 + float(part)
        return sign * total
    return float(cleaned)
