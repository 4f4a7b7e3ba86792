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

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import ContentError, ContentErrors, Location, describe_value, did_you_mean
from generator.load_cache import MAX_FILE_BYTES, LoadCache, LoadStats, Reader
from generator.load_document import Document, RawItem, SourceMap
from generator.yaml_events import MAX_DEPTH
from generator.yaml_positions import PathKey

__all__ = [
    "COLLECTIONS",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "YAML_SUFFIXES",
    "Document",
    "LoadCache",
    "LoadStats",
    "PathKey",
    "RawCase",
    "RawContent",
    "RawItem",
    "SourceMap",
    "load_content",
]

COLLECTIONS = ("parties", "rulings", "events", "quotes", "polls", "sources")
YAML_SUFFIXES = (".yaml", ".yml")


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
    reader = Reader(cache.files if cache is not None else {})

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
    return document.list_items()
