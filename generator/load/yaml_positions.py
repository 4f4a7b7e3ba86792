"""Positions: one packed int per node, turned into a `Location` only when asked for."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.errors import Location

PathKey = tuple[str | int, ...]
LINE_SHIFT = 32
COLUMN_MASK = (1 << LINE_SHIFT) - 1


@dataclass
class Positions:
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
    _starts: dict[Any, int] | None = field(default=None, repr=False, compare=False)
    """The index of each top-level entry's node (a mapping's: its key's), made once asked for."""

    def __reduce__(self) -> tuple[type[Positions], tuple[Any, ...]]:
        """Pickle as a plain tuple: quicker for the many small ones workers send back."""
        return (Positions, (self.value, self.marks, self.written, self.line_offset))

    def walk(self, path: PathKey) -> tuple[int, bool, int | None]:
        """`walk(self.value, path)`, its first step taken from a table made once: in a file of
        many top-level entries (a translation file, keyed by id) locating each of them would
        otherwise count the nodes of all those before it, every time."""
        value = self.value
        if not path or not isinstance(value, dict | list):
            return walk(value, path)
        starts = self._starts
        if starts is None:
            starts = self._starts = _entry_starts(value)
        step = path[0]
        if isinstance(value, list) and not isinstance(step, int):
            return 0, False, None
        start = starts.get(step)
        if start is None:
            return 0, False, None
        entry = start + 1 if isinstance(value, dict) else start
        child = value[step] if isinstance(value, dict) else value[int(step)]
        index, whole, key = walk(child, path[1:])
        if len(path) == 1:
            return entry, True, start if isinstance(value, dict) else None
        return entry + index, whole, None if key is None else entry + key

    def location(self, file: str, index: int) -> Location:
        mark = self.marks[index]
        return Location(file, (mark >> LINE_SHIFT) + self.line_offset + 1, (mark & COLUMN_MASK) + 1)


def walk(value: Any, path: PathKey) -> tuple[int, bool, int | None]:
    """Follow `path` into `value` as far as it exists.

    Return the index (in depth-first order) of the deepest node reached, whether the whole path
    was followed, and the index of the key of the last step when that step was a mapping key.
    """
    index = 0
    key: int | None = None
    node = value
    for step in path:
        if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            index += 1 + sum(map(size, node[:step]))
            key = None
        elif isinstance(node, dict) and step in node:
            index += 1
            for name, child in node.items():
                if name == step:
                    break
                index += 1 + size(child)
            key = index
            index += 1
        else:
            return index, False, None
        node = node[step]
    return index, True, key


def _entry_starts(value: dict[Any, Any] | list[Any]) -> dict[Any, int]:
    """The index of each entry of `value` (of a mapping's: its key's), as `walk` counts."""
    starts: dict[Any, int] = {}
    index = 1
    if isinstance(value, dict):
        for name, child in value.items():
            starts[name] = index
            index += 1 + size(child)
    else:
        for position, child in enumerate(value):
            starts[position] = index
            index += size(child)
    return starts


def size(value: Any) -> int:
    """Count the nodes of `value` as they are laid out in `Positions.marks`."""
    if isinstance(value, list):
        return 1 + sum(map(size, value))
    if isinstance(value, dict):
        return 1 + sum(1 + size(child) for child in value.values())
    return 1
