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

A case's media/ folder holds the files of its pictures and documents beside their `.yaml`
entries: those files are listed with their size and first bytes (`media_files`), never
decoded.

Nothing outside the content folder is read: a case folder, a collection folder or a file that
is a link leading out of it is refused, as is anything but a plain file where a YAML file is
expected (see `load_cache`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import ContentError, ContentErrors, Location, describe_value, did_you_mean
from generator.load.cache import MAX_FILE_BYTES, LoadCache, LoadStats, Reader
from generator.load.document import Document, RawItem, SourceMap
from generator.load.media_files import MEDIA_FOLDER, MediaFile, MediaFolder, read_media_folder
from generator.load.yaml_events import MAX_DEPTH
from generator.load.yaml_positions import PathKey

__all__ = [
    "COLLECTIONS",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "YAML_SUFFIXES",
    "Document",
    "LoadCache",
    "LoadStats",
    "MediaFile",
    "MediaFolder",
    "PathKey",
    "RawCase",
    "RawContent",
    "RawItem",
    "RawSidecar",
    "SourceMap",
    "load_content",
]

COLLECTIONS = (
    "parties",
    "rulings",
    "events",
    "periods",
    "quotes",
    "polls",
    "sources",
    "glossary",
    "media",
)
SITE_GLOSSARY = "glossary"
"""`content/glossary.yaml`: terms shared by every case (a case's own term of the same id
replaces one)."""
YAML_SUFFIXES = (".yaml", ".yml")
_SIDECAR_NAME = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)\.([a-z]{2,3}(?:-[A-Za-z0-9]+)*)\.ya?ml$")
"""A translation file's name: what it translates (`events`, `case`, an item's id) and the
language (`events.de.yaml`, `events/<id>.pt-BR.yaml`)."""


@dataclass
class RawSidecar:
    """A translation file: the words of a collection (or of case.yaml) in another language.

    A collection file's translation (`events.de.yaml`) maps item ids to their translated
    fields; one in a collection folder (`events/<id>.de.yaml`) holds one item's fields, and
    `ident` is that item's id; `case.de.yaml` holds the case's.
    """

    language: str
    collection: str
    """`case`, or the name of a collection (`events`)."""
    item: RawItem
    ident: str | None = None


def sidecar_name(name: str) -> tuple[str, str] | None:
    """What a file name translates and into which language, if it is a translation file's."""
    found = _SIDECAR_NAME.match(name)
    return (found[1], found[2]) if found else None


@dataclass
class RawCase:
    """One case folder: its `case.yaml` and its collections."""

    slug: str
    folder: str
    case: RawItem | None
    collections: dict[str, list[RawItem]]
    media: MediaFolder | None = None
    """The files of the case's media/ folder, when it has one."""
    sidecars: list[RawSidecar] = field(default_factory=list)
    """Its translation files, in the order of their paths."""


@dataclass
class RawContent:
    """Everything read from the content folder, not yet validated."""

    root: str
    site: RawItem | None
    cases: list[RawCase]
    files: list[str]
    glossary: list[RawItem] = field(default_factory=list)
    """The site-wide glossary's terms (`content/glossary.yaml`), if it has one."""
    glossary_sidecars: list[RawSidecar] = field(default_factory=list)
    """The site-wide glossary's translations (`content/glossary.de.yaml`)."""


def load_content(content_dir: Path, cache: LoadCache | None = None) -> RawContent:
    """Read every YAML file under `content_dir`; raise `ContentErrors` listing every problem.

    With the `cache` of an earlier load of the same folder, files whose bytes did not change
    are not parsed again and give the very same `RawItem`s, and in a changed list file only
    the items whose text changed are parsed again. The cache is updated even when this raises.
    """
    root = str(content_dir)
    errors: list[ContentError] = []
    if not content_dir.is_dir():
        if os.path.lexists(content_dir):
            raise ContentErrors(
                [
                    ContentError(
                        Location(root),
                        "this is a file, not the content folder",
                        "pass the folder that holds site.yaml and cases/ with --content DIR",
                    )
                ]
            )
        raise ContentErrors(
            [ContentError(Location(root), "content folder not found — pass --content DIR")]
        )
    files: list[str] = []
    reader = Reader(cache.files if cache is not None else {}, os.path.realpath(content_dir))

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

    glossary: list[RawItem] = []
    glossary_path = _find_yaml(content_dir, SITE_GLOSSARY)
    if glossary_path is not None:
        document = read(glossary_path)
        if document is not None:
            glossary = _list_items(document, "glossary terms", errors)

    glossary_sidecars = (
        _file_sidecars(content_dir, read, errors, (SITE_GLOSSARY,))
        if glossary_path is not None
        else []
    )

    cases: list[RawCase] = []
    root = os.path.realpath(content_dir)
    for case_dir in _case_folders(content_dir / "cases", root, errors):
        cases.append(_load_case(case_dir, root, read, errors))
    errors.extend(_unread_files(content_dir, set(files)))
    if errors:
        raise ContentErrors(errors)
    return RawContent(str(content_dir), site, cases, files, glossary, glossary_sidecars)


def _file_sidecars(
    folder: Path,
    read: Any,
    errors: list[ContentError],
    translated: tuple[str, ...] = ("case", *COLLECTIONS),
) -> list[RawSidecar]:
    """The translation files of `folder`'s case.yaml and collection files: each a mapping
    (of fields for case.yaml, of item ids for a collection). Files named like one but
    translating nothing known are left for `_unread_files` to report."""
    found = []
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []  # reported by the rules that read the folder
    for name in names:
        parts = sidecar_name(name)
        if parts is None or parts[0] not in translated:
            continue
        document = read(folder / name)
        if document is None:
            continue
        if document.data is not None and not isinstance(document.data, dict):
            what = "the case's fields" if parts[0] == "case" else f"{parts[0]} ids"
            errors.append(
                ContentError(
                    document.source_map.locate(()),
                    f"{name} should hold a mapping of {what} to their translated fields, "
                    f"not {describe_value(document.data)}",
                    "write `id:` lines, each followed by its indented `field: value` lines"
                    if parts[0] != "case"
                    else "write `field: value` lines",
                )
            )
            continue
        if document.data is None:
            continue
        found.append(RawSidecar(parts[1], parts[0], document.item()))
    return found


def _case_folders(cases_dir: Path, root: str, errors: list[ContentError]) -> list[Path]:
    """The folders in `cases/`, or none after reporting why they cannot be read."""
    if not os.path.lexists(cases_dir):
        return []
    if not _is_folder(cases_dir, root, errors):
        return []
    return [p for p in _listed(cases_dir, errors) if p.is_dir() and _is_folder(p, root, errors)]


def _is_folder(
    folder: Path, root: str, errors: list[ContentError], hint: str = "delete or rename the file"
) -> bool:
    """Whether `folder` is a folder inside the content folder; report it when it is not."""
    if folder.is_symlink():
        real = os.path.realpath(folder)
        if real != root and not real.startswith(root.rstrip(os.sep) + os.sep):
            errors.append(
                ContentError(
                    Location(str(folder)),
                    f"this folder is a link to `{os.readlink(folder)}`, outside the content folder",
                    "content is read only from inside the content folder: put the folder itself "
                    "here instead of a link",
                )
            )
            return False
    if folder.is_dir():
        return True
    errors.append(
        ContentError(
            Location(str(folder)),
            f"`{folder.name}` should be a folder, not a file",
            hint,
        )
    )
    return False


def _listed(folder: Path, errors: list[ContentError]) -> list[Path]:
    """The entries of `folder`, sorted, or none after reporting why it cannot be listed."""
    try:
        return sorted(folder.iterdir())
    except OSError as exc:
        errors.append(
            ContentError(Location(str(folder)), f"cannot read this folder ({exc.strerror})")
        )
        return []


def _yaml_files(content_dir: Path) -> list[Path]:
    """Every YAML file under `content_dir` that is not a folder, outside hidden folders.

    Links to folders are not followed, and folders are walked without recursion, so neither
    a loop of links nor folders nested thousands deep can stop the walk.
    """
    found = []
    pending = [str(content_dir)]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError:
            continue  # the rules that read the folder, if any, report it
        for entry in listed:
            if entry.name.startswith((".", "_")):
                continue
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False
            if is_folder:
                pending.append(entry.path)
            elif entry.name.endswith(YAML_SUFFIXES):
                found.append(Path(entry.path))
    return sorted(found)


def _unread_files(content_dir: Path, read: set[str]) -> list[ContentError]:
    """Report YAML files that no rule reads, so an editor's work is never silently ignored."""
    errors = []
    cases_dir = content_dir / "cases"
    for path in _yaml_files(content_dir):
        if str(path) in read:
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
    """Return `folder/stem.yaml` or `folder/stem.yml`, whichever exists.

    Whatever has the name is returned, a plain file or not: reading it reports what it is.
    """
    return next(
        (folder / f"{stem}{s}" for s in YAML_SUFFIXES if os.path.lexists(folder / f"{stem}{s}")),
        None,
    )


def _load_case(case_dir: Path, root: str, read: Any, errors: list[ContentError]) -> RawCase:
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
    folder_sidecars: list[tuple[str, Path]] = []
    for name in COLLECTIONS:
        items: list[RawItem] = []
        as_file = _find_yaml(case_dir, name)
        as_folder = case_dir / name
        if os.path.lexists(as_folder) and not _is_folder(
            as_folder, root, errors, f"a file of {name} is called `{name}.yaml`"
        ):
            collections[name] = items
            continue
        if as_file is not None and as_folder.is_dir() and _holds_yaml(name, as_folder):
            errors.append(
                ContentError(
                    Location(str(as_file)),
                    f"`{name}` is both a file and a folder",
                    f"keep either {as_file.name} or the folder {name}/, not both"
                    if name != MEDIA_FOLDER
                    else f"{as_file.name} lists the media and media/ holds their files: move "
                    "the entries of the .yaml files in media/ into it, or delete it",
                )
            )
        if as_file is not None:
            document = read(as_file)
            if document is not None:
                items.extend(_list_items(document, name, errors))
        elif as_folder.is_dir():
            for item_file in _listed(as_folder, errors):
                if item_file.suffix not in YAML_SUFFIXES or item_file.name.startswith((".", "_")):
                    continue
                if sidecar_name(item_file.name) is not None:
                    folder_sidecars.append((name, item_file))
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
                            f"a file in {name}/ should hold one item as `field: value` lines, "
                            f"but holds {describe_value(document.data)}",
                        )
                    )
        collections[name] = items
    media_dir = case_dir / MEDIA_FOLDER
    media = read_media_folder(media_dir, errors) if media_dir.is_dir() else None  # one stat
    sidecars = _file_sidecars(case_dir, read, errors)
    for name, item_file in folder_sidecars:
        sidecar = _folder_sidecar(name, item_file, read, errors)
        if sidecar is not None:
            sidecars.append(sidecar)
    return RawCase(case_dir.name, str(case_dir), case_item, collections, media, sidecars)


def _folder_sidecar(
    name: str, item_file: Path, read: Any, errors: list[ContentError]
) -> RawSidecar | None:
    """The translation of one item of a collection folder (`events/<id>.de.yaml`)."""
    parts = sidecar_name(item_file.name)
    assert parts is not None
    document = read(item_file)
    if document is None:
        return None
    if not isinstance(document.data, dict):
        errors.append(
            ContentError(
                document.source_map.locate(()),
                f"a translation in {name}/ should hold one item's translated fields as "
                f"`field: value` lines, but holds {describe_value(document.data)}",
            )
        )
        return None
    return RawSidecar(parts[1], name, document.item(), parts[0])


def _holds_yaml(name: str, folder: Path) -> bool:
    """Whether a collection's folder holds items: media/ may hold only the media files, beside
    a media.yaml that lists them."""
    if name != MEDIA_FOLDER:
        return True
    try:
        return any(
            p.suffix in YAML_SUFFIXES and not p.name.startswith((".", "_"))
            for p in folder.iterdir()
        )
    except OSError:
        return False  # reported when its files are listed


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
