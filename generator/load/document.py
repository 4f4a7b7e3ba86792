"""Documents: one YAML file's plain data and where each value in it was written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.errors import Location
from generator.load.yaml_positions import PathKey, Positions


@dataclass
class SourceMap:
    """Where each value of one document came from, found by its path inside the document."""

    file: str
    root: Positions
    """The whole document, or only its top-level list itself when `items` holds the rest."""
    items: list[Positions] | None = None
    """Each item of a top-level list on its own, so an item's text can move or be re-read."""

    def locate(self, path: PathKey) -> Location:
        """Return the location of the value at `path`, or of its nearest located ancestor."""
        part, rest = self._part(path)
        index, _, _ = part.walk(rest)
        return part.location(self.file, index)

    def locate_key(self, path: PathKey) -> Location:
        """Return the location of the key whose value is at `path` (falls back to the value)."""
        part, rest = self._part(path)
        index, whole, key = part.walk(rest)
        return part.location(self.file, key if whole and key is not None else index)

    def written(self, path: PathKey) -> str | None:
        """Return what the editor wrote for the non-string scalar at `path`, if it is one."""
        part, rest = self._part(path)
        index, whole, _ = part.walk(rest)
        return part.written.get(index) if whole else None

    def written_near(self, path: PathKey) -> dict[int, str]:
        """What the editor wrote for the non-string scalars of the part of the document holding
        `path`: its top-level list item when read item by item, else the whole document."""
        items = self.items
        if items is not None and path:
            first = path[0]
            if isinstance(first, int) and 0 <= first < len(items):
                return items[first].written
        return self.root.written

    def _part(self, path: PathKey) -> tuple[Positions, PathKey]:
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
    listed: list[RawItem] | None = field(default=None, repr=False, compare=False)
    """A `RawItem` for each item of a top-level list, once asked for."""

    def list_items(self) -> list[RawItem]:
        """Return (as a new list) a `RawItem` for each item of the top-level list `data`."""
        if self.listed is None:
            self.listed = [self.item((index,)) for index in range(len(self.data))]
        return list(self.listed)

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
