"""The files of a built site that are not pages: the theme's static assets and the search
bundle; and the removal of files the site no longer has."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.record import BuildRecord, output_files
from generator.build.search_index import BUNDLE, search_bundle
from generator.digest import digest
from generator.plan.search_parts import PARTS_PREFIX, part_folder
from generator.write import remove_files, replace_file, same_bytes

SEARCH_PREFIX = BUNDLE + "/"
"""Where the search bundle's files go in the output."""


@dataclass(frozen=True)
class Besides:
    """What decides the files besides the pages of one build."""

    folder: Path
    """Where the site is being written: the output, or its staging folder."""
    statics: Mapping[str, Path]
    """The theme's static assets, by path under `static/`."""
    copies: tuple[str, ...]
    previous: BuildRecord | None
    in_place: bool
    search_language: str | None
    """The site's language when it has search ("" for a site of several, indexed per
    language), else None."""
    search_parts: tuple[tuple[str, ...], ...]
    """The pages the search index covers, part by part (`SitePlan.search_parts`)."""
    indexers: int
    """How many parts of the search index may be made at once, each by a Pagefind run."""
    keep_large_index: bool
    """Keep the search index of a large site as it is when pages change (the preview)."""
    file_links: bool
    media: Mapping[str, Callable[[], bytes]] = field(default_factory=dict)
    """The files made of the cases' pictures, by path in the output, and how to read each."""
    searched: Mapping[str, bytes] | None = None
    """The files of the search bundle among `previous.statics`, when the builder knows them
    (`BesidesWritten.searched` of the build that made `previous`): else found among them."""


@dataclass(frozen=True)
class BesidesWritten:
    """What `write_besides_pages` did."""

    written: int
    """Files written or removed."""
    gone: set[str]
    """The paths of the files removed."""
    searched: Mapping[str, bytes]
    """The files of the search bundle among the record's `statics`, by path."""


def write_besides_pages(
    besides: Besides, record: BuildRecord, pages_dropped: bool
) -> BesidesWritten:
    """Copy the static assets, make the search bundle, remove the files the site no longer
    has; record the files besides pages in `record.statics`."""
    previous = besides.previous
    before_statics = previous.statics if previous is not None else {}
    written = _copy_statics(besides, before_statics, record)
    written += _copy_media(besides, before_statics, record)
    searched = besides.searched
    if searched is None:
        searched = {p: d for p, d in before_statics.items() if p.startswith(SEARCH_PREFIX)}
    if previous is not None:
        gone = (
            {path for path in previous.pages if path not in record.pages}
            if pages_dropped
            else set()
        )
        gone.update(previous.statics.keys() - searched.keys() - record.statics.keys())
    elif besides.in_place:
        gone = output_files(besides.folder).keys() - record.pages.keys() - record.statics.keys()
    else:
        gone = set()
    written += remove_files(besides.folder, sorted(gone))
    search: Mapping[str, bytes] = {}
    if besides.search_language is not None:  # over the pages as they now are: none gone
        indexed, search = _index_search(besides, searched, record)
        written += indexed
    stale_search = [] if search is searched else sorted(searched.keys() - search.keys())
    written += remove_files(besides.folder, stale_search)
    return BesidesWritten(written, gone | set(stale_search), search)


def parts_kept_whole(made: Mapping[str, bytes], search_parts: tuple[tuple[str, ...], ...]) -> bool:
    """Whether a large site's preview keeps every part of the search index as the last
    build `made` them (`BuildRecord.search_parts`), reading no page for it: when that build
    made parts, as many as there are now (see `_index_search`)."""
    return 0 < len(made) == len(search_parts)


def _index_search(
    besides: Besides, kept: Mapping[str, bytes], record: BuildRecord
) -> tuple[int, Mapping[str, bytes]]:
    """Make the search index, part by part (`search_parts`), keeping each part whose pages
    read the same to the index as when the last build indexed them (`kept`: the last bundle's files'
    digests); copy in the files whose bytes changed. Return how many were written, and the
    bundle's files with their digests.

    The preview of a large site keeps the index it started with: Pagefind takes seconds per
    part, and the preview must follow each save at once."""
    assert besides.search_language is not None
    previous = besides.previous
    before = previous.search_parts if previous is not None else {}
    if kept and besides.keep_large_index and parts_kept_whole(before, besides.search_parts):
        record.statics.update(kept)  # at once: a preview's rebuild takes milliseconds
        record.search_parts.update(before)
        return 0, kept
    bundle: dict[str, bytes] = {}
    files_by_part: dict[str, dict[str, bytes]] = {}
    for path, value in kept.items():
        files_by_part.setdefault(_part_prefix(path), {})[path] = value
    to_make: list[tuple[str, tuple[str, ...]]] = []
    for number, pages in enumerate(besides.search_parts):
        prefix = SEARCH_PREFIX + part_folder(number)
        signature = _part_signature(besides, pages, record)
        files = files_by_part.get(prefix)
        if files and (before.get(prefix) == signature or besides.keep_large_index):
            record.statics.update(files)
            bundle.update(files)
            record.search_parts[prefix] = before.get(prefix, b"")  # what the files were made of
            continue
        record.search_parts[prefix] = signature
        to_make.append((prefix, pages))
    written = 0
    with ThreadPoolExecutor(max(1, min(besides.indexers, len(to_make)))) as pool:
        made = pool.map(lambda part: _index_part(besides, *part), to_make)
        for part_files in made:  # in order, whichever run ends first
            for relative, content in part_files:
                written += _put_file(besides, relative, content, kept, record)
                bundle[relative] = record.statics[relative]
    return written, bundle


def _index_part(besides: Besides, prefix: str, pages: tuple[str, ...]) -> list[tuple[str, bytes]]:
    """Index one part of the search index: its files' paths in the output, and bytes."""
    assert besides.search_language is not None
    with search_bundle(
        besides.folder,
        pages,
        language=besides.search_language,
        keep_index_url=besides.file_links,
        with_code=prefix == SEARCH_PREFIX,
    ) as result:
        return [
            (prefix + path.relative_to(result.bundle).as_posix(), path.read_bytes())
            for path in sorted(result.bundle.rglob("*"))
            if path.is_file()
        ]


def _part_prefix(path: str) -> str:
    """The folder of the part of the index the bundle's file `path` is of."""
    parts_prefix = SEARCH_PREFIX + PARTS_PREFIX
    if path.startswith(parts_prefix):
        return path[: path.index("/", len(parts_prefix)) + 1]
    return SEARCH_PREFIX


def _part_signature(besides: Besides, pages: tuple[str, ...], record: BuildRecord) -> bytes:
    """What a part of the index is made of: its pages' paths and what it reads of them, and
    how it is made."""
    made_of = (besides.search_language, besides.file_links)
    pages_made_of = [(path, record.pages[path].indexed_digest) for path in pages]
    return digest(repr((made_of, pages_made_of)).encode("utf-8", "surrogatepass"))


def _copy_statics(besides: Besides, before: dict[str, bytes], record: BuildRecord) -> int:
    written = 0
    for relative in besides.copies:
        content = besides.statics[relative].read_bytes()
        written += _put_file(besides, f"static/{relative}", content, before, record)
    return written


def _copy_media(besides: Besides, before: dict[str, bytes], record: BuildRecord) -> int:
    """Publish the pictures' files. Each is named by its content, so one the last build
    wrote is the same file and is not read again."""
    written = 0
    for path in sorted(besides.media):
        kept = before.get(path)
        if kept is not None:
            record.statics[path] = kept
            continue
        written += _put_file(besides, path, besides.media[path](), before, record)
    return written


def _put_file(
    besides: Besides, path: str, content: bytes, before: Mapping[str, bytes], record: BuildRecord
) -> int:
    """Record a file that is not a page (a static asset, a file of the search bundle) and
    write it unless `before` (the last record's digests) or the file on disk already
    has these bytes; return 1 if it was written."""
    record.statics[path] = digest(content)
    if before.get(path) == record.statics[path]:
        return 0
    if besides.in_place and same_bytes(besides.folder / path, content):
        return 0
    replace_file(besides.folder / path, content)
    return 1
