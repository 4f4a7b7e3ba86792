"""YAML as an editor would have written it, and edits that touch only what changed.

A new item is written in the file's order of fields and in the style of the repository's files:
`- id: …` items at the file's indentation, a blank line between items, long prose folded (`>-`)
at 100 columns, paragraphs kept (`|-`), short lists of ids in brackets (`[a, b]`), dates plain
(`2014-07-31`, `{date: 2014, approximate: true}`), strings quoted only where YAML needs it. A
changed item keeps its own lines but for the fields that changed; an unchanged item is never
written at all, so that `git diff` after an import shows only the new content.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

WIDTH = 100
"""The column long prose is wrapped at, as in the repository's files."""
_FLOW_ITEM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_INDICATORS = tuple("-?:,[]{}#&*!|>'\"%@`")


@dataclass(frozen=True)
class ItemWrite:
    """An item to write: its plain values, and which fields differ from what the file holds
    (every field, for a new item)."""

    ident: str | None
    """Its id; None for a document that has none (case.yaml)."""
    data: dict[str, Any]
    changed: frozenset[str]


def field_order(model_order: Sequence[str], items: Iterable[Sequence[str]]) -> list[str]:
    """The order to write fields in: the existing items' own, where they agree on one, else
    the model's; fields no item has go after their predecessor in the model's order."""
    rank = {name: index for index, name in enumerate(model_order)}
    after: dict[str, set[str]] = {}
    seen: set[str] = set()
    for keys in items:
        known = [key for key in keys if key in rank]
        seen.update(known)
        for first, second in zip(known, known[1:], strict=False):
            after.setdefault(second, set()).add(first)
    order: list[str] = []
    pending = sorted(seen, key=rank.__getitem__)
    while pending:
        ready = next((k for k in pending if after.get(k, set()) <= set(order)), None)
        if ready is None:  # the items disagree: the model's order
            return list(model_order)
        order.append(ready)
        pending.remove(ready)
    for name in model_order:
        if name not in order:
            earlier = [n for n in model_order[: rank[name]] if n in order]
            order.insert(order.index(earlier[-1]) + 1 if earlier else 0, name)
    return order


def item_lines(
    data: dict[str, Any],
    order: Sequence[str],
    indent: int,
    dates: frozenset[str],
    *,
    dash: bool,
) -> list[str]:
    """The lines of one item, its keys at column `indent`; the first led by `- ` if `dash`."""
    lines: list[str] = []
    for name in _ordered(data, order):
        lines.extend(field_lines(name, data[name], indent, name in dates))
    if dash and lines:
        lines[0] = " " * (indent - 2) + "- " + lines[0][indent:]
    return lines


def _ordered(data: dict[str, Any], order: Sequence[str]) -> list[str]:
    return [n for n in order if n in data] + [n for n in data if n not in order]


def field_lines(name: str, value: Any, indent: int, is_date: bool = False) -> list[str]:
    """The lines of `name: value` with the key at column `indent`."""
    lead = " " * indent + f"{name}:"
    if isinstance(value, bool):
        return [f"{lead} {'true' if value else 'false'}"]
    if isinstance(value, dict) and set(value) <= {"date", "approximate"} and "date" in value:
        parts = [f"date: {_date_text(value['date'])}"]
        if "approximate" in value:
            parts.append(f"approximate: {'true' if value['approximate'] else 'false'}")
        return [f"{lead} {{{', '.join(parts)}}}"]
    if is_date and isinstance(value, str | int) and _DATE.match(str(value)):
        return [f"{lead} {value}"]
    if isinstance(value, int | float):
        return [f"{lead} {value}"]
    if isinstance(value, list):
        return _list_lines(lead, value, indent)
    if isinstance(value, str):
        return _text_lines(lead, value, indent)
    # Anything else (a nested mapping kept from the file) as PyYAML writes it, indented.
    dumped = yaml.safe_dump({name: value}, allow_unicode=True, sort_keys=False, width=WIDTH)
    return [" " * indent + line for line in dumped.splitlines()]


def _date_text(value: Any) -> str:
    text = str(value)
    return text if _DATE.match(text) else json.dumps(text, ensure_ascii=False)


def _list_lines(lead: str, values: list[Any], indent: int) -> list[str]:
    if not values:
        return [f"{lead} []"]
    if all(isinstance(v, str) and _FLOW_ITEM.match(v) and _plain(v) for v in values):
        return [f"{lead} [{', '.join(values)}]"]
    lines = [lead]
    for value in values:
        lines.extend(_text_lines(" " * (indent + 2) + "-", str(value), indent + 2))
    return lines


def _text_lines(lead: str, text: str, indent: int) -> list[str]:
    """A string after `lead` (`key:` or `-`): plain, quoted, folded or literal; quoted
    whenever another form would not read back as the very same text."""
    lines = _text_form(lead, text, indent)
    if len(lines) > 1 and not _reads_back(lines, indent, text):
        return [f"{lead} {json.dumps(text, ensure_ascii=False)}"]
    return lines


def _reads_back(lines: list[str], indent: int, text: str) -> bool:
    block = "\n".join(line[indent:] if line.strip() else "" for line in lines)
    try:
        value = yaml.safe_load(block.replace("-", "x:", 1) if block.startswith("-") else block)
    except yaml.YAMLError:
        return False
    return isinstance(value, dict) and list(value.values()) == [text]


def _text_form(lead: str, text: str, indent: int) -> list[str]:
    one_line = "\n" not in text
    if one_line and len(lead) + 1 + len(text) <= WIDTH:
        return [
            f"{lead} {text}" if _plain(text) else f"{lead} {json.dumps(text, ensure_ascii=False)}"
        ]
    inner = " " * (indent + 2)
    if one_line and _foldable(text):
        return [
            f"{lead} >-",
            *textwrap.wrap(
                text,
                WIDTH,
                initial_indent=inner,
                subsequent_indent=inner,
                break_long_words=False,
                break_on_hyphens=False,
            ),
        ]
    if not one_line and _literal(text):
        return [f"{lead} |-"] + [inner + line if line else "" for line in text.split("\n")]
    if one_line and _plain(text):
        return [f"{lead} {text}"]
    return [f"{lead} {json.dumps(text, ensure_ascii=False)}"]


def _plain(text: str) -> bool:
    """Whether `text` reads back as itself written without quotes after a key."""
    if not text or text != text.strip() or text.startswith(_INDICATORS):
        return False
    if ": " in text or " #" in text or text.endswith(":") or "\t" in text:
        return False
    try:
        return bool(yaml.safe_load(text) == text)
    except yaml.YAMLError:
        return False


def _foldable(text: str) -> bool:
    """Whether folding `text` over lines reads back as the same text."""
    return (
        text == text.strip()
        and "  " not in text
        and "\t" not in text
        and not text.startswith(_INDICATORS[:1])
        and all(ord(c) >= 0x20 for c in text)
    )


def _literal(text: str) -> bool:
    """Whether `text` (of several lines) can be written as a literal block (`|-`)."""
    lines = text.split("\n")
    return (
        bool(lines[0])
        and not lines[0].startswith(" ")
        and not text.endswith("\n")
        and all(line == line.rstrip() for line in lines)
        and "\t" not in text
        and all(ord(c) >= 0x20 or c == "\n" for c in text)
    )


# --- Editing a file ------------------------------------------------------------------------


@dataclass
class _Key:
    name: str
    first: int
    last: int


@dataclass
class _Item:
    ident: str | None
    first: int
    last: int
    indent: int
    keys: list[_Key]


def _last_content_line(lines: list[str], first: int, last: int) -> int:
    """`last`, moved back over blank lines and comment lines (but not before `first`)."""
    while last > first and (not lines[last].strip() or lines[last].lstrip().startswith("#")):
        last -= 1
    return last


def _items(text: str, lines: list[str]) -> tuple[list[_Item], bool]:
    """The mapping items of a YAML file (a list of mappings, or one mapping), and whether it
    is a list."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if node is None:
        return [], True
    is_list = isinstance(node, yaml.SequenceNode)
    nodes = node.value if is_list else [node]
    ends = [n.start_mark.line for n in nodes[1:]] + [len(lines)]
    items = []
    for item_node, end in zip(nodes, ends, strict=True):
        if not isinstance(item_node, yaml.MappingNode) or not item_node.value:
            continue
        first = item_node.start_mark.line
        last = _last_content_line(lines, first, end - 1)
        starts = [key.start_mark.line for key, _ in item_node.value] + [last + 1]
        keys = [
            _Key(str(key.value), starts[i], _last_content_line(lines, starts[i], starts[i + 1] - 1))
            for i, (key, _value) in enumerate(item_node.value)
        ]
        ident = next(
            (str(v.value) for k, v in item_node.value if k.value == "id" and v.tag.endswith("str")),
            None,
        )
        items.append(_Item(ident, first, last, item_node.value[0][0].start_mark.column, keys))
    return items, is_list


def key_orders(text: str) -> list[list[str]]:
    """The keys of each item of a YAML file, in the order written."""
    lines = text.splitlines()
    return [[key.name for key in item.keys] for item in _items(text, lines)[0]]


def edit_file(
    text: str | None,
    updates: Sequence[ItemWrite],
    additions: Sequence[ItemWrite],
    order: Sequence[str],
    dates: frozenset[str],
    *,
    as_list: bool = True,
) -> str:
    """The text of a file with `updates` made to its items (by id, only their changed fields'
    lines) and `additions` appended; a file of one item (`as_list` False) when new."""
    if text is None or not text.strip():
        prefix = text or ""
        if not as_list:
            (only,) = additions
            return prefix + "\n".join(item_lines(only.data, order, 0, dates, dash=False)) + "\n"
        blocks = ["\n".join(item_lines(a.data, order, 2, dates, dash=True)) for a in additions]
        return prefix + "\n\n".join(blocks) + "\n"
    lines = text.splitlines()
    items, is_list = _items(text, lines)
    by_id = {item.ident: item for item in items}
    for update in sorted(updates, key=lambda u: -by_id[u.ident].first):
        _edit_item(lines, by_id[update.ident], update, order, dates)
    if additions:
        indent = items[0].indent if items else 2
        spaced = _spaced(lines, items)
        while lines and not lines[-1].strip():
            lines.pop()
        for addition in additions:
            if lines and spaced:
                lines.append("")
            lines.extend(item_lines(addition.data, order, indent, dates, dash=is_list))
    return "\n".join(lines) + "\n"


def _spaced(lines: list[str], items: list[_Item]) -> bool:
    """Whether the file leaves a blank line between its items (yes, when it has one item)."""
    if len(items) < 2:
        return True
    return any(not line.strip() for line in lines[items[0].last + 1 : items[1].first])


def _edit_item(
    lines: list[str], item: _Item, update: ItemWrite, order: Sequence[str], dates: frozenset[str]
) -> None:
    """Rewrite the lines of `item`'s changed fields, in place; new fields go after the field
    that precedes them in `order`."""
    indent = item.indent
    present = {key.name: key for key in item.keys}
    rank = {n: i for i, n in enumerate(order)}
    edits: list[tuple[int, int, int, list[str]]] = []  # (first, last + 1 or -1, rank, lines)
    for name in sorted(update.changed):
        key = present.get(name)
        new = (
            field_lines(name, update.data[name], indent, name in dates)
            if name in update.data
            else []
        )
        if key is not None:
            if key.first == item.first and new:
                new[0] = lines[key.first][:indent] + new[0][indent:]
            edits.append((key.first, key.last + 1, 0, new))
        elif new:
            edits.append((_insertion_line(item, name, order), -1, rank.get(name, len(order)), new))
    # From the bottom up, so that earlier lines keep their numbers; at one line, a field's
    # replacement before the insertions that go above it, the last of those first.
    for first, stop, _, new in sorted(edits, key=lambda e: (-e[0], e[1] == -1, -e[2])):
        if stop == -1:
            lines[first:first] = new
        else:
            lines[first:stop] = new


def _insertion_line(item: _Item, name: str, order: Sequence[str]) -> int:
    """The line before which a field the item lacks goes: after the nearest field before it
    in `order` that the item has, else after the item's first field."""
    rank = {n: i for i, n in enumerate(order)}
    place = rank.get(name, len(order))
    earlier = [key for key in item.keys if rank.get(key.name, len(order)) < place]
    anchor = max(earlier, key=lambda k: rank.get(k.name, len(order))) if earlier else item.keys[0]
    return anchor.last + 1
