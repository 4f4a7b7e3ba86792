"""Stage 1, load: read every YAML file under `content/` into plain values with positions.

Input: the content folder. Output: `RawContent` — the site document and, per case, its
`case.yaml` document and its collections (each a list of `RawItem`s, whether the collection is
one file holding a list or a folder holding one item per file).

Every mapping key, value and list item keeps its `Location` in its document's `SourceMap`, so
later stages can point at the exact place of a mistake. Parsing composes the YAML node tree
once (with the C parser when present) and builds values from it, so positions cost no second
parse. Only plain data comes out: mappings, lists, strings, numbers, booleans and null. Dates
stay the strings the editor wrote, for `PartialDate` to read. Duplicate keys, tab indentation,
invalid UTF-8, unknown tags and aliases that expand out of proportion are `ContentError`s.
"""

from __future__ import annotations

import logging
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
    """Where each value of one document came from, keyed by its path inside the document."""

    file: str
    values: dict[PathKey, Location] = field(default_factory=dict)
    keys: dict[PathKey, Location] = field(default_factory=dict)
    scalars: dict[PathKey, str] = field(default_factory=dict)
    """What the editor wrote for each non-string scalar, for messages like "`no` reads as false"."""

    def locate(self, path: PathKey) -> Location:
        """Return the location of the value at `path`, or of its nearest located ancestor."""
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return found
        return Location(self.file)

    def locate_key(self, path: PathKey) -> Location:
        """Return the location of the key whose value is at `path` (falls back to the value)."""
        return self.keys.get(path) or self.locate(path)


@dataclass
class Document:
    """One YAML file: its plain data and its source map."""

    file: str
    data: Any
    source_map: SourceMap


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
        return self.document.source_map.scalars.get(self.path + sub)


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


def load_content(content_dir: Path) -> RawContent:
    """Read every YAML file under `content_dir`; raise `ContentErrors` listing every problem."""
    root = str(content_dir)
    errors: list[ContentError] = []
    if not content_dir.is_dir():
        raise ContentErrors(
            [ContentError(Location(root), "content folder not found — pass --content DIR")]
        )
    files: list[str] = []

    def read(path: Path) -> Document | None:
        files.append(str(path))
        return _read_document(path, errors)

    site_path = _find_yaml(content_dir, "site")
    site: RawItem | None = None
    if site_path is not None:
        document = read(site_path)
        if document is not None:
            site = RawItem(document.data, document, ())
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
    return RawContent(root, site, cases, files)


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
            case_item = RawItem(document.data, document, ())
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
                    items.append(RawItem(document.data, document, ()))
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
    return [RawItem(value, document, (index,)) for index, value in enumerate(document.data)]


def _read_document(path: Path, errors: list[ContentError]) -> Document | None:
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
        raw = path.read_bytes()
    except OSError as exc:
        errors.append(ContentError(Location(file), f"cannot read this file ({exc.strerror})"))
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
    text = text.removeprefix("\ufeff")
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        problem = exc.problem or exc.context or "invalid YAML"
        if "tab" in problem or "'\\t'" in problem:
            errors.append(
                ContentError(
                    Location(file, line, column),
                    "tab used for indentation — YAML allows only spaces",
                    "replace the tab with spaces",
                )
            )
        else:
            errors.append(ContentError(Location(file, line, column), f"invalid YAML: {problem}"))
        return None
    except yaml.YAMLError as exc:
        errors.append(ContentError(Location(file), f"invalid YAML: {exc}"))
        return None
    source_map = SourceMap(file)
    if node is None:
        source_map.values[()] = Location(file, 1, 1)
        return Document(file, None, source_map)
    builder = _Builder(source_map, errors)
    data = builder.build(node, ())
    if builder.failed:
        return None
    return Document(file, data, source_map)


class _Builder:
    """Builds plain values from a composed node tree, recording every position."""

    def __init__(self, source_map: SourceMap, errors: list[ContentError]) -> None:
        self.source_map = source_map
        self.errors = errors
        self.failed = False
        self.visited = 0
        self.budget: int | None = None

    def _location(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location(self.source_map.file, mark.line + 1, mark.column + 1)

    def _fail(self, node: yaml.Node, message: str, hint: str = "") -> None:
        self.errors.append(ContentError(self._location(node), message, hint))
        self.failed = True

    def build(self, node: yaml.Node, path: PathKey, depth: int = 0) -> Any:
        if self.failed:
            return None
        self.visited += 1
        if self.budget is None:
            self.budget = max(ALIAS_EXPANSION_FLOOR, ALIAS_EXPANSION_FACTOR * _count_nodes(node))
        if self.visited > self.budget:
            self._fail(
                node,
                "aliases (`*name`) expand this file out of proportion",
                "write the values out instead of repeating aliases",
            )
            return None
        if depth > MAX_DEPTH:
            self._fail(node, f"nested more than {MAX_DEPTH} levels deep")
            return None
        self.source_map.values[path] = self._location(node)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self._fail(node, f"unsupported YAML tag `{node.tag}`", "remove the tag")
                return None
            return [self.build(child, path + (i,), depth + 1) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP:
                self._fail(node, f"unsupported YAML tag `{node.tag}`", "remove the tag")
                return None
            return self._mapping(node, path, depth)
        self._fail(
            node, "unsupported YAML node"
        )  # pragma: no cover - composer yields only three kinds
        return None

    def _mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, Location] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._fail(key_node, "merge keys (`<<`) are not supported", "write the fields out")
                return result
            if not isinstance(key_node, yaml.ScalarNode):
                self._fail(key_node, "a key must be a plain word, not a list or mapping")
                return result
            key = key_node.value
            where = self._location(key_node)
            if key in seen:
                first = seen[key]
                self._fail(
                    key_node,
                    f"duplicate key `{key}` (first at line {first.line})",
                    "keep one of them",
                )
                return result
            seen[key] = where
            self.source_map.keys[path + (key,)] = where
            result[key] = self.build(value_node, path + (key,), depth + 1)
        return result

    def _scalar(self, node: yaml.ScalarNode, path: PathKey) -> Any:
        tag = node.tag
        value: str = node.value
        if tag not in _SCALAR_TAGS:
            self._fail(
                node, f"unsupported YAML tag `{tag}`", "remove the tag; only plain data is read"
            )
            return None
        if tag == _STR:
            return value
        self.source_map.scalars[path] = value
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            if value.lower() not in _BOOL_WORDS:
                self._fail(node, f"`{value}` is not true or false")
                return None
            return value.lower() in {"true", "yes", "on", "y"}
        if tag == "tag:yaml.org,2002:int":
            try:
                return _yaml_int(value)
            except ValueError:
                self._fail(node, f"`{value}` is not a number")
                return None
        if tag == "tag:yaml.org,2002:float":
            try:
                return _yaml_float(value)
            except ValueError:
                self._fail(node, f"`{value}` is not a number")
                return None
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


def _count_nodes(root: yaml.Node) -> int:
    """Count distinct nodes; aliases share node objects, so this is the size as written."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
    return len(seen)
