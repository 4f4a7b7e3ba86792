"""Values with positions, built straight from the parser's events in one pass.

Each node leaves only a packed line and column (`Positions`). Duplicate keys, unknown tags,
merge keys, nesting deeper than `MAX_DEPTH`, aliases that expand out of proportion and texts
of more than `MAX_VALUES` values are `Failures`, reported exactly as composing PyYAML's node
tree and then walking it would. The events come from `yaml_stream`; `yaml_messages` words the
parser's own mistakes for editors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from generator.errors import ContentError, shorten
from generator.load.yaml_positions import LINE_SHIFT, Positions, size
from generator.load.yaml_scalars import (
    MAP,
    MERGE,
    MERGE_FIRSTS,
    RESOLVERS,
    SEQ,
    STR,
    Loader,
    Unsupported,
    UnsupportedTag,
    resolve_plain,
    scalar,
    unsupported_tag,
)
from generator.load.yaml_stream import CLOSE_EVENTS, OPEN_EVENTS, AliasSeen, Replay, document_events

MAX_DEPTH = 64
ALIAS_EXPANSION_FACTOR = 20
ALIAS_EXPANSION_FLOOR = 10_000
MAX_VALUES = 250_000
"""Values one text may hold (aliases counted each time they expand; keys not counted).

It bounds the time and memory a file can take, at about 5 µs and 200 bytes a value. The 10,000
quotes of the benchmark hold 103,000 values in 12 MB; a file of such quotes reaches the 20 MiB
`MAX_FILE_BYTES` at about 180,000, so only files of unusually small values meet this limit."""


class Failures(Exception):
    """The mistakes this loader found in one text (the old walk could report a few)."""

    def __init__(self, failures: list[Failure]) -> None:
        super().__init__(failures)
        self.failures = failures


@dataclass
class Failure:
    """A mistake this loader rejects (not the parser), at a packed position of the text."""

    mark: int
    message: str
    hint: str = ""

    def error(self, file: str, line_offset: int = 0) -> ContentError:
        where = Positions(None, [self.mark], line_offset=line_offset).location(file, 0)
        return ContentError(where, self.message, self.hint)


@dataclass
class Parsed:
    """Plain values and positions read from one text, not yet tied to a file."""

    data: Any
    root: Positions
    items: list[Positions] | None
    nodes: int
    """Distinct nodes (keys included), which size the alias budget."""
    visits: int
    """Values built, counting each alias expansion again."""
    anchors: frozenset[str] = frozenset()


# Module-level names for the per-event loops below: one global lookup each, no attribute lookup.
_ScalarEvent = yaml.ScalarEvent
_SequenceStartEvent = yaml.SequenceStartEvent
_MappingStartEvent = yaml.MappingStartEvent
_CLOSE_EVENTS = CLOSE_EVENTS
_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)
_OPEN_EVENTS = OPEN_EVENTS

_AMPERSAND = re.compile(r"&(?!\s)")
_WORD_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")


def parse(text: str) -> Parsed:
    """Read one YAML text into plain values and positions.

    Raises `yaml.YAMLError` for the first mistake the parser or PyYAML's composer finds, else
    `Failures` for what this loader rejects, exactly as composing the node tree and then
    walking it would. A text without anchors is built while it is parsed; a text with anchors
    is kept as events first, since the alias budget depends on the size of the whole text.
    """
    if not _may_have_anchors(text):
        try:
            return _build(document_events(Loader(text), None, text), MAX_VALUES, None, text)
        except AliasSeen:
            pass
    anchors: dict[str, int] = {}
    events = []
    nodes = 0
    for event in document_events(Loader(text), anchors, text):
        events.append(event)
        if isinstance(event, _NODE_EVENTS):
            nodes += 1
            if nodes > MAX_VALUES:  # keys included: the events themselves take memory
                raise Failures([_too_many(event)])
    if not events:
        return _build(iter(()), 0, None, text)
    budget = min(max(ALIAS_EXPANSION_FLOOR, ALIAS_EXPANSION_FACTOR * nodes), MAX_VALUES)
    replay = Replay(events, anchors)
    parsed = _build(replay.node(0), budget, replay, text)
    parsed.nodes = nodes
    parsed.anchors = frozenset(anchors)
    return parsed


def _may_have_anchors(text: str) -> bool:
    """Whether an anchor (`&name`) could start somewhere; `R&D` or `Q & A` cannot be one."""
    return any(
        found.start() == 0 or text[found.start() - 1] not in _WORD_CHARACTERS
        for found in _AMPERSAND.finditer(text)
    )


_LIST = object()
_KEY = object()


def _build(events: Iterator[Any], budget: int, replay: Replay | None, text: str) -> Parsed:
    """Build plain values from node events, visiting nodes in the order the old node walk did.

    `text` is what the events were parsed from, to show a tag as the editor wrote it.

    Each value counts against `budget`; keys do not. After the first mistake, `_finish` goes on
    as the old walk did and reads the rest of the events, so a later syntax error still wins.

    This is the loader's hot loop, and it stays one function on purpose: every call and every
    attribute lookup it makes per YAML event costs measurable time at 10,000 items, so splitting
    it into helpers slows loading.
    """
    root_marks: list[int] = []
    marks = root_marks
    written: dict[int, str] = {}
    root_written = written
    items: list[Positions] | None = None
    root: Any = None
    stack: list[list[Any]] = []
    """Open collections: [container, index of its mark, _LIST | _KEY | pending key, key mark]."""
    visits = 0
    failure: Failure | None = None
    parent: list[Any] | None = None
    for event in events:
        kind = event.__class__
        mark = event.start_mark
        packed = mark.line << LINE_SHIFT | mark.column
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
                    or key[:1] in MERGE_FIRSTS
                ):
                    failure = _check_key(event, parent, marks, None, text)
                    if failure is not None:
                        break
                parent[2] = key
                parent[3] = packed
                marks.append(packed)
                continue
        visits += 1
        if visits > budget:
            if visits > MAX_VALUES:
                raise Failures([_too_many(event)])  # reading on would take as long again
            failure = Failure(
                packed,
                "aliases (`*name`) expand this file out of proportion",
                "write the values out instead of repeating aliases",
            )
            break
        depth = len(stack)
        if depth > MAX_DEPTH:
            failure = Failure(packed, f"nested more than {MAX_DEPTH} levels deep")
            break
        if depth == 1 and items is not None:
            marks = []
            written = {}
            items.append(Positions(None, marks, written))
        index = len(marks)
        marks.append(packed)
        tag = event.tag
        value: Any
        if kind is _ScalarEvent:
            value = event.value
            if tag is None or tag == "!":
                if not event.implicit[0] or value[:1] not in RESOLVERS:
                    tag = STR
                else:
                    tag = resolve_plain(value)
            if tag != STR:
                try:
                    value = scalar(tag, value)
                except UnsupportedTag:
                    failure = Failure(packed, *unsupported_tag(tag, _shorthand(text, mark)))
                    break
                except Unsupported as exc:
                    failure = Failure(packed, *exc.args)
                    break
                written[index] = event.value
            frame = None
        elif kind is _SequenceStartEvent:
            if tag is not None and tag != "!" and tag != SEQ:
                failure = Failure(packed, *unsupported_tag(tag, _shorthand(text, mark)))
                break
            value = []
            if depth == 0:
                items = []
            frame = [value, index, _LIST, 0]
        else:
            if tag is not None and tag != "!" and tag != MAP:
                failure = Failure(packed, *unsupported_tag(tag, _shorthand(text, mark)))
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
        raise Failures(_finish(failure, event, events, stack, marks, replay))
    if not root_marks:
        root_marks.append(0)
    nodes = len(root_marks)
    if items is None:
        return Parsed(root, Positions(root, root_marks, root_written), None, nodes, visits)
    for part, value in zip(items, root, strict=True):
        part.value = value
        nodes += len(part.marks)
    return Parsed(root, Positions(None, root_marks), items, nodes, visits)


def _shorthand(text: str, mark: Any) -> bool:
    """Whether the node at a parser mark starts with a tag written as `!!name`."""
    return text.startswith("!!", mark.index)


def _too_many(event: Any) -> Failure:
    mark = event.start_mark
    return Failure(
        mark.line << LINE_SHIFT | mark.column,
        f"this file holds more than {MAX_VALUES:,} values, more than a content file may hold",
        "split a long list into a folder with one item per file",
    )


def _check_key(
    event: Any,
    frame: list[Any],
    marks: list[int],
    seen: dict[str, int] | None = None,
    text: str = "",
) -> Failure | None:
    """Check a mapping key as the old walk did: not a merge key, a scalar, not seen before.

    A tag other than `!!str` is refused on a key too (`text` shows it as written).
    """
    kind = event.__class__
    mark = event.start_mark
    packed = mark.line << LINE_SHIFT | mark.column
    tag = event.tag
    if kind is _ScalarEvent:
        key = event.value
        if (tag is None or tag == "!") and event.implicit[0] and key[:1] in MERGE_FIRSTS:
            tag = resolve_plain(key)
    elif tag is None or tag == "!":
        tag = SEQ if kind is _SequenceStartEvent else MAP
    if tag == MERGE:
        return Failure(packed, "merge keys (`<<`) are not supported", "write the fields out")
    if kind is not _ScalarEvent:
        return Failure(packed, "a key must be a plain word, not a list or mapping")
    if event.tag is not None and event.tag not in {"!", STR}:
        return Failure(packed, *unsupported_tag(event.tag, _shorthand(text, mark)))
    first = seen.get(key) if seen else None
    if first is None and key in frame[0]:
        first = _key_mark(frame[0], frame[1], key, marks)
    if first is not None:
        return Failure(
            packed,
            f"duplicate key `{shorten(key)}` (first at line {(first >> LINE_SHIFT) + 1})",
            "keep one of them",
        )
    return None


def _key_mark(mapping: dict[str, Any], start: int, key: str, marks: list[int]) -> int:
    """Return the mark of `key` in a mapping whose own mark is `marks[start]`."""
    index = start + 1
    for name, child in mapping.items():
        if name == key:
            break
        index += 1 + size(child)
    return marks[index]


def _finish(
    failure: Failure,
    failed: Any,
    events: Iterator[Any],
    stack: list[list[Any]],
    marks: list[int],
    replay: Replay | None,
) -> list[Failure]:
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
                seen[-1][key.value] = mark.line << LINE_SHIFT | mark.column
                states[-1] = _VALUE
            else:
                failures.append(found)
                states[-1] = _SKIP
    return failures


_VALUE = object()
_SKIP = object()
