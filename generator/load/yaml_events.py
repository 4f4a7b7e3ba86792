"""Values with positions, built straight from the parser's events in one pass.

Each node leaves only a packed line and column (`Positions`). Duplicate keys, unknown tags,
merge keys, nesting deeper than `MAX_DEPTH`, aliases that expand out of proportion and texts
of more than `MAX_VALUES` values are `Failures`, reported exactly as composing PyYAML's node
tree and then walking it would. `yaml_error` words the parser's own mistakes for editors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from generator.errors import ContentError, Location, shorten
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


class _AliasSeen(Exception):
    """An alias in a text read without tracking anchors: read it again, tracking them."""


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


_ScalarEvent = yaml.ScalarEvent
_SequenceStartEvent = yaml.SequenceStartEvent
_MappingStartEvent = yaml.MappingStartEvent
_CLOSE_EVENTS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)
_OPEN_EVENTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
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
            return _build(_events(Loader(text), None, text), MAX_VALUES, None, text)
        except _AliasSeen:
            pass
    anchors: dict[str, int] = {}
    events = []
    nodes = 0
    for event in _events(Loader(text), anchors, text):
        events.append(event)
        if isinstance(event, _NODE_EVENTS):
            nodes += 1
            if nodes > MAX_VALUES:  # keys included: the events themselves take memory
                raise Failures([_too_many(event)])
    if not events:
        return _build(iter(()), 0, None, text)
    budget = min(max(ALIAS_EXPANSION_FLOOR, ALIAS_EXPANSION_FACTOR * nodes), MAX_VALUES)
    replay = _Replay(events, anchors)
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


def _events(loader: Any, anchors: dict[str, int] | None, text: str) -> Iterator[Any]:
    """Yield the node events of the one document in the stream, checking what the composer does.

    With `anchors`, record for each anchor the index of its node's first event among those
    yielded; without, raise `_AliasSeen` at the first alias. `text` is what `loader` parses,
    for the check of a `%YAML` directive that libyaml lets through.
    """
    try:
        loader.get_event()
        if isinstance(loader.peek_event(), yaml.StreamEndEvent):
            return
        start = loader.get_event()
        if start.version is not None:
            _check_version_directive(text, start)
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


_VERSION_THEN_HASH = re.compile(r"(?<![^\n\r])%YAML[ \t]+[0-9]+\.[0-9]+(?=#)")
"""A `%YAML` directive whose version runs straight into a `#`, at the start of a line."""
_LINE_BREAK = re.compile(r"\r\n|[\r\n]")


def _check_version_directive(text: str, start: Any) -> None:
    """Refuse a `%YAML` directive whose version a `#` follows without a space between them.

    A comment needs a space or tab before its `#` (YAML 1.2, 6.6); libyaml reads `%YAML 1.1#x`
    as a version and a comment anyway, where PyYAML's own scanner, like the YAML test suite
    (case MUS6-0), refuses it. The directives lie between the document start event's marks,
    each at the start of a line.
    """
    found = _VERSION_THEN_HASH.search(text, start.start_mark.index, start.end_mark.index)
    if found is None:
        return
    index = found.end()
    line = start.start_mark.line + len(_LINE_BREAK.findall(text, start.start_mark.index, index))
    column = index - found.start()
    context = yaml.Mark("<unicode string>", found.start(), line, 0, "", 0)
    mark = yaml.Mark("<unicode string>", index, line, column, "", 0)
    raise yaml.scanner.ScannerError(
        "while scanning a directive", context, "found a comment without a space before `#`", mark
    )


def _undefined_alias(anchor: str) -> str:
    if Loader.__name__ == "CSafeLoader":
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


def _build(events: Iterator[Any], budget: int, replay: _Replay | None, text: str) -> Parsed:
    """Build plain values from node events, visiting nodes in the order the old node walk did.

    `text` is what the events were parsed from, to show a tag as the editor wrote it.

    Each value counts against `budget`; keys do not. After the first mistake, `_finish` goes on
    as the old walk did and reads the rest of the events, so a later syntax error still wins.
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
    replay: _Replay | None,
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


def yaml_error(file: str, exc: yaml.YAMLError, text: str = "") -> ContentError:
    """Word a mistake the parser found for editors, at the place to fix it.

    `text` is what was parsed, to quote the characters at fault.
    """
    if isinstance(exc, yaml.reader.ReaderError):
        return _unreadable_character(file, text)
    if not isinstance(exc, yaml.MarkedYAMLError):
        return ContentError(Location(file), f"invalid YAML: {exc}")
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or ""
    at = _character(text, mark)
    if "tab" in problem or "'\\t'" in problem or at == "\t":
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        return ContentError(
            Location(file, line, column),
            "tab used for indentation — YAML allows only spaces",
            "replace the tab with spaces",
        )
    words = _reworded(exc, problem, at, text)
    if words is None:
        message, hint, mark = problem or "invalid YAML", "", mark
    else:
        message, hint, mark = words
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    if "maximum nesting depth" in problem:  # the parser's own limit, worded as ours
        return ContentError(Location(file, line, column), message, hint)
    return ContentError(Location(file, line, column), f"invalid YAML: {message}", hint)


_QUOTE_HINT = "put the whole value in quotes"
SIMPLE_KEY_LIMIT = 1024
"""YAML looks no further than this for the `:` after a key written without `?`."""
_NAME = re.compile(r"[^\s,\[\]{}]+")


def _reworded(
    exc: yaml.MarkedYAMLError, problem: str, at: str, text: str
) -> tuple[str, str, Any] | None:
    """(message, hint, mark) for a parser mistake in editors' words, or None to keep PyYAML's."""
    context = exc.context or ""
    start = exc.context_mark
    mark = exc.problem_mark
    opened = _character(text, start)
    if "cannot start any token" in problem:
        return f"a value cannot start with {_shown(at)}", _QUOTE_HINT, mark
    if "could not find expected ':'" in problem:
        line = _line(text, start or mark)
        if re.search(r":(\s|$)", line[SIMPLE_KEY_LIMIT:]):
            return (
                f"this key is longer than the {SIMPLE_KEY_LIMIT:,} characters YAML allows",
                "shorten it",
                start or mark,
            )
        if line.startswith("-") and not line.startswith(("- ", "---")):
            return (
                "this line has no `:` after its key",
                "put a space after `-` to start a list item",
                start or mark,
            )
        return (
            "this line has no `:` after its key",
            "write `key: value`, or indent the line further if it continues the text above",
            start or mark,
        )
    if "mapping values are not allowed" in problem:
        return _unexpected_colon(text, mark)
    if "did not find expected key" in problem or "expected '-' indicator" in problem:
        line = _line(text, mark)
        if line[:1] == "-" and line[1:2] not in {" ", "\t", "\r", "\n", "", "-"}:
            return (
                "a list item's `-` needs a space after it",
                "write `- ` (a dash and a space) before the item",
                mark,
            )
        before = text[: mark.index].rstrip(" ")[-1:] if mark is not None else ""
        if before in {"]", "}", '"', "'"}:
            return (
                f"more text after the closing {_shown(before)} of a value",
                "a value that starts with a quote or a bracket must be quoted as a whole, "
                'e.g. title: "[Letter] to the court"',
                mark,
            )
        return (
            "this line does not line up with the lines above",
            "indent it exactly as the fields or the `- ` items it belongs with",
            mark,
        )
    if "block sequence entries are not allowed" in problem:
        return (
            "a list item (`- `) cannot start here",
            "start the list on the next line, indented under its key; or, if `- ` is part of "
            "the text, " + _QUOTE_HINT,
            mark,
        )
    if "mapping keys are not allowed" in problem:
        return "a value cannot start with `?`", _QUOTE_HINT, mark
    if "quoted scalar" in context and start is not None:
        if "end of stream" in problem or "document indicator" in problem:
            return (
                "the quoted text that starts here is never closed",
                f"add the closing `{opened}`",
                start,
            )
        backslash = text.rfind("\\", 0, mark.index + 1) if mark is not None else -1
        escape = text[backslash : backslash + 2] if backslash >= 0 else "\\"
        if "hexdecimal" in problem or "Unicode" in problem:
            return (
                f"`{escape}` must be followed by the hexadecimal code of a character",
                "write `\\\\` for a backslash, or use single quotes, in which `\\` is plain text",
                mark,
            )
        return (
            f"`{escape}` is not an escape YAML knows in double quotes",
            "write `\\\\` for a backslash, or use single quotes, in which `\\` is plain text",
            mark,
        )
    if "flow sequence" in context or "flow mapping" in context:
        close = "]" if "sequence" in context else "}"
        kind = "list" if close == "]" else "mapping"
        where = f"line {start.line + 1}, column {start.column + 1}" if start else "above"
        return (
            f"the {kind} opened with `{opened}` at {where} is not closed",
            f"close it with `{close}` and separate its items with `,`; if the text starts with "
            f"`{opened}`, " + _QUOTE_HINT,
            mark,
        )
    if "expected node content" in problem:
        if at in {"]", "}", ","}:
            return f"a value cannot start with `{at}`", _QUOTE_HINT, mark
        return "a value is missing here", "write the value, or remove the `,` or `-`", mark
    if context.startswith(("while scanning an alias", "while scanning an anchor")):
        sign = "*" if "alias" in context else "&"
        return (
            f"`{sign}` must be followed by a name (an anchor)",
            f"if the `{sign}` is part of the text, " + _QUOTE_HINT,
            start or mark,
        )
    if "undefined alias" in problem:
        name = _word(text, mark, 1)
        return (
            f"`*{name}` repeats an anchor `&{name}` that is not defined above it",
            f"define `&{name}` before it, or write the value out",
            mark,
        )
    if "duplicate anchor" in context:
        name = _word(text, mark, 1)
        first = exc.context_mark
        return (
            f"the anchor `&{name}` is defined twice "
            f"(first at line {first.line + 1 if first else '?'})",
            "give each anchor its own name",
            mark,
        )
    if "another document" in problem:
        return (
            "a second document starts here; a content file holds one",
            "remove the `---` line, or move what follows into a file of its own",
            mark,
        )
    if "document start" in problem:
        if mark is not None and _line_above(text, mark.index - mark.column)[0].startswith("%"):
            return (
                "a line starting with `%` is read as a YAML directive, which must be followed "
                "by a `---` line",
                "add a `---` line after the directives, or remove the line starting with `%`",
                mark,
            )
        return (
            "more text after the end of the document (`...`)",
            "remove the `...` line, or the text after it",
            mark,
        )
    if "indentation indicator" in problem:
        return (
            "the number after `|` or `>` gives the indentation, from 1 to 9, not 0",
            "write `|` or `>` alone",
            mark,
        )
    if "block scalar" in context:
        return (
            "after `|` or `>`, the text goes on the lines below, indented",
            "move the text to the next line",
            mark,
        )
    if "directive" in context or "directive" in problem or "incompatible YAML" in problem:
        return (
            "a line starting with `%` is read as a YAML directive, and this one is not valid",
            "remove the line, or put the text in quotes",
            mark,
        )
    if "tag" in context or "tag" in problem:
        word = _word(text, start or mark, 0)
        return f"unsupported YAML tag `{word}`", "remove the tag", start or mark
    if "maximum nesting depth" in problem:
        return f"nested more than {MAX_DEPTH} levels deep", "", mark
    return None


def _unexpected_colon(text: str, mark: Any) -> tuple[str, str, Any]:
    """Word a `: ` the parser did not expect: in a value, after a line without one, or indented."""
    line_start = mark.index - mark.column
    line = text[line_start : mark.index]
    if ": " in line:
        return (
            "a second `: ` in this line: YAML reads it as the start of a new field",
            "if the text contains `: `, " + _QUOTE_HINT,
            mark,
        )
    indent = len(line) - len(line.lstrip(" "))
    above, lines_up = _line_above(text, line_start)
    if above.strip() and len(above) - len(above.lstrip(" ")) == indent:
        content = above.strip()
        if ": " not in content and not content.endswith(":"):
            return (
                "this line has no `:` after its key, so YAML reads it and the next line as "
                "one text",
                "write `key: value`",
                yaml.Mark(mark.name, 0, mark.line - lines_up, indent, "", 0),
            )
    return (
        "this line is indented more than the field above, so YAML reads it as more of that "
        "field's text, where `: ` is not allowed",
        "line it up with the fields above; if the text contains `: `, " + _QUOTE_HINT,
        mark,
    )


def _line_above(text: str, line_start: int) -> tuple[str, int]:
    """The nearest line above that is neither blank nor a comment, and how many lines up it is."""
    end = line_start
    lines_up = 0
    while end > 0:
        end -= 1
        if text[end] == "\n" and end > 0 and text[end - 1] == "\r":
            end -= 1
        start = max(text.rfind("\n", 0, end), text.rfind("\r", 0, end)) + 1
        lines_up += 1
        above = text[start:end]
        if above.strip() and not above.lstrip().startswith("#"):
            return above, lines_up
        end = start
    return "", 0


def _shown(character: str) -> str:
    """Quote a character for a message; a backtick cannot be quoted with backticks."""
    return "a backtick (`)" if character == "`" else f"`{character}`"


def _line(text: str, mark: Any) -> str:
    """The text of the line a parser mark is on, from the mark on."""
    if mark is None:
        return ""
    end = text.find("\n", mark.index)
    return text[mark.index : end if end >= 0 else len(text)]


def _character(text: str, mark: Any) -> str:
    """The character at a parser mark (its index counts characters), or '' past the end."""
    if mark is None or not 0 <= mark.index < len(text):
        return ""
    return text[mark.index]


def _word(text: str, mark: Any, skip: int) -> str:
    """The anchor name at a parser mark, after `skip` characters (`*` or `&`)."""
    if mark is None:
        return ""
    found = _NAME.match(text, mark.index + skip)
    return found.group() if found else ""


_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _unreadable_character(file: str, text: str) -> ContentError:
    """Locate the first character YAML does not allow, which the parser reports unlocated."""
    found = _UNPRINTABLE.search(text)
    if found is None:  # pragma: no cover - the parser found one
        return ContentError(Location(file), "invalid YAML: this file has a character YAML forbids")
    index = found.start()
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    character = found.group()
    sample = text[:1000]
    if character == "\x00" and sample.count("\x00") * 4 >= len(sample):
        return ContentError(
            Location(file, line, column),
            "this file has zero bytes in it: it looks saved as UTF-16, not UTF-8",
            "save it as UTF-8 in your editor",
        )
    return ContentError(
        Location(file, line, column),
        f"invisible control character U+{ord(character):04X}, which YAML does not allow",
        "delete it (it may have come with pasted text)",
    )
