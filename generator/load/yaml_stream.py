"""The parser's events for the one document of a text, checked as PyYAML's composer checks them.

`document_events` yields the node events and raises what composing the node tree would: an
undefined or duplicate anchor, a second document. `Replay` plays recorded events back with
each alias expanded in place, for a text with anchors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from generator.load.yaml_scalars import Loader

CLOSE_EVENTS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
OPEN_EVENTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)


class AliasSeen(Exception):
    """An alias in a text read without tracking anchors: read it again, tracking them."""


def document_events(loader: Any, anchors: dict[str, int] | None, text: str) -> Iterator[Any]:
    """Yield the node events of the one document in the stream, checking what the composer does.

    With `anchors`, record for each anchor the index of its node's first event among those
    yielded; without, raise `AliasSeen` at the first alias. `text` is what `loader` parses,
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
                    raise AliasSeen
                if event.anchor not in anchors:
                    raise yaml.composer.ComposerError(
                        None, None, _undefined_alias(event.anchor), event.start_mark
                    )
            elif anchors is not None and kind not in CLOSE_EVENTS and event.anchor is not None:
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


class Replay:
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
                if event.__class__ in CLOSE_EVENTS:
                    depth -= 1
                elif event.__class__ in OPEN_EVENTS:
                    depth += 1
            if depth == 0:
                return
