"""The parser's mistakes in editors' words, at the place to fix them.

`yaml_error` turns a `yaml.YAMLError` into a `ContentError`. What PyYAML says is matched
against `_REWORDINGS`, a table of (what the parser says) → (our message and hint), walked in
order: the first row that applies words the mistake; when none does, PyYAML's own words stay.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from generator.errors import ContentError, Location
from generator.load.yaml_events import MAX_DEPTH


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


@dataclass(frozen=True)
class _Mistake:
    """What the parser said, with the text it was reading."""

    problem: str
    """The parser's problem, or its context when it gave no problem."""
    context: str
    """What the parser was reading (`while scanning a quoted scalar`), or ''."""
    at: str
    """The character at the place of the mistake."""
    text: str
    mark: Any
    """Where the parser found the problem."""
    start: Any
    """Where what the parser was reading starts."""

    @property
    def opened(self) -> str:
        """The character that opened what the parser was reading (a quote, a bracket)."""
        return _character(self.text, self.start)


_Reworded = tuple[str, str, Any]
"""(message, hint, mark) of a mistake in editors' words."""
_Test = Callable[[_Mistake], bool]
_Wording = Callable[[_Mistake], _Reworded]


def _reworded(exc: yaml.MarkedYAMLError, problem: str, at: str, text: str) -> _Reworded | None:
    """(message, hint, mark) for a parser mistake in editors' words, or None to keep PyYAML's."""
    mistake = _Mistake(problem, exc.context or "", at, text, exc.problem_mark, exc.context_mark)
    for applies, wording in _REWORDINGS:
        if applies(mistake):
            return wording(mistake)
    return None


def _says(*phrases: str) -> _Test:
    """The parser's problem holds one of `phrases`."""
    return lambda mistake: any(phrase in mistake.problem for phrase in phrases)


def _reading(*phrases: str) -> _Test:
    """The parser's context, what it was reading, holds one of `phrases`."""
    return lambda mistake: any(phrase in mistake.context for phrase in phrases)


def _either(*tests: _Test) -> _Test:
    return lambda mistake: any(test(mistake) for test in tests)


def _fixed(message: str, hint: str) -> _Wording:
    """Words that do not depend on the text, at the place of the problem."""
    return lambda mistake: (message, hint, mistake.mark)


_QUOTE_HINT = "put the whole value in quotes"
SIMPLE_KEY_LIMIT = 1024
"""YAML looks no further than this for the `:` after a key written without `?`."""
_NAME = re.compile(r"[^\s,\[\]{}]+")


def _value_cannot_start(mistake: _Mistake) -> _Reworded:
    return f"a value cannot start with {_shown(mistake.at)}", _QUOTE_HINT, mistake.mark


def _no_colon_after_key(mistake: _Mistake) -> _Reworded:
    """Word a key without its `:`: too long for YAML, a `-` without its space, or a stray line."""
    mark = mistake.start or mistake.mark
    line = _line(mistake.text, mark)
    if re.search(r":(\s|$)", line[SIMPLE_KEY_LIMIT:]):
        return (
            f"this key is longer than the {SIMPLE_KEY_LIMIT:,} characters YAML allows",
            "shorten it",
            mark,
        )
    if line.startswith("-") and not line.startswith(("- ", "---")):
        return (
            "this line has no `:` after its key",
            "put a space after `-` to start a list item",
            mark,
        )
    return (
        "this line has no `:` after its key",
        "write `key: value`, or indent the line further if it continues the text above",
        mark,
    )


def _unexpected_colon(mistake: _Mistake) -> _Reworded:
    """Word a `: ` the parser did not expect: in a value, after a line without one, or indented."""
    text, mark = mistake.text, mistake.mark
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


def _out_of_line(mistake: _Mistake) -> _Reworded:
    """Word a line the parser cannot place: `-` without a space, text after a closing quote or
    bracket, or an indentation that matches nothing above.
    """
    text, mark = mistake.text, mistake.mark
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


def _in_quoted_text(mistake: _Mistake) -> bool:
    return "quoted scalar" in mistake.context and mistake.start is not None


def _quoted_text(mistake: _Mistake) -> _Reworded:
    """Word quoted text that is never closed, or a backslash escape YAML does not know."""
    text, mark = mistake.text, mistake.mark
    if "end of stream" in mistake.problem or "document indicator" in mistake.problem:
        return (
            "the quoted text that starts here is never closed",
            f"add the closing `{mistake.opened}`",
            mistake.start,
        )
    backslash = text.rfind("\\", 0, mark.index + 1) if mark is not None else -1
    escape = text[backslash : backslash + 2] if backslash >= 0 else "\\"
    if "hexdecimal" in mistake.problem or "Unicode" in mistake.problem:
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


def _unclosed_flow(mistake: _Mistake) -> _Reworded:
    """Word a `[` list or `{` mapping that is not closed where the parser looked for its end."""
    start, opened = mistake.start, mistake.opened
    close = "]" if "sequence" in mistake.context else "}"
    kind = "list" if close == "]" else "mapping"
    where = f"line {start.line + 1}, column {start.column + 1}" if start else "above"
    return (
        f"the {kind} opened with `{opened}` at {where} is not closed",
        f"close it with `{close}` and separate its items with `,`; if the text starts with "
        f"`{opened}`, " + _QUOTE_HINT,
        mistake.mark,
    )


def _missing_value(mistake: _Mistake) -> _Reworded:
    if mistake.at in {"]", "}", ","}:
        return f"a value cannot start with `{mistake.at}`", _QUOTE_HINT, mistake.mark
    return "a value is missing here", "write the value, or remove the `,` or `-`", mistake.mark


def _reading_anchor_name(mistake: _Mistake) -> bool:
    return mistake.context.startswith(("while scanning an alias", "while scanning an anchor"))


def _nameless_anchor(mistake: _Mistake) -> _Reworded:
    sign = "*" if "alias" in mistake.context else "&"
    return (
        f"`{sign}` must be followed by a name (an anchor)",
        f"if the `{sign}` is part of the text, " + _QUOTE_HINT,
        mistake.start or mistake.mark,
    )


def _undefined_alias(mistake: _Mistake) -> _Reworded:
    name = _word(mistake.text, mistake.mark, 1)
    return (
        f"`*{name}` repeats an anchor `&{name}` that is not defined above it",
        f"define `&{name}` before it, or write the value out",
        mistake.mark,
    )


def _duplicate_anchor(mistake: _Mistake) -> _Reworded:
    name = _word(mistake.text, mistake.mark, 1)
    first = mistake.start
    return (
        f"the anchor `&{name}` is defined twice (first at line {first.line + 1 if first else '?'})",
        "give each anchor its own name",
        mistake.mark,
    )


def _text_after_document(mistake: _Mistake) -> _Reworded:
    """Word text where a document cannot go on: after directives without `---`, or after `...`."""
    text, mark = mistake.text, mistake.mark
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


def _unsupported_tag(mistake: _Mistake) -> _Reworded:
    mark = mistake.start or mistake.mark
    return f"unsupported YAML tag `{_word(mistake.text, mark, 0)}`", "remove the tag", mark


_REWORDINGS: tuple[tuple[_Test, _Wording], ...] = (
    (_says("cannot start any token"), _value_cannot_start),
    (_says("could not find expected ':'"), _no_colon_after_key),
    (_says("mapping values are not allowed"), _unexpected_colon),
    (_says("did not find expected key", "expected '-' indicator"), _out_of_line),
    (
        _says("block sequence entries are not allowed"),
        _fixed(
            "a list item (`- `) cannot start here",
            "start the list on the next line, indented under its key; or, if `- ` is part of "
            "the text, " + _QUOTE_HINT,
        ),
    ),
    (_says("mapping keys are not allowed"), _fixed("a value cannot start with `?`", _QUOTE_HINT)),
    (_in_quoted_text, _quoted_text),
    (_reading("flow sequence", "flow mapping"), _unclosed_flow),
    (_says("expected node content"), _missing_value),
    (_reading_anchor_name, _nameless_anchor),
    (_says("undefined alias"), _undefined_alias),
    (_reading("duplicate anchor"), _duplicate_anchor),
    (
        _says("another document"),
        _fixed(
            "a second document starts here; a content file holds one",
            "remove the `---` line, or move what follows into a file of its own",
        ),
    ),
    (_says("document start"), _text_after_document),
    (
        _says("indentation indicator"),
        _fixed(
            "the number after `|` or `>` gives the indentation, from 1 to 9, not 0",
            "write `|` or `>` alone",
        ),
    ),
    (
        _reading("block scalar"),
        _fixed(
            "after `|` or `>`, the text goes on the lines below, indented",
            "move the text to the next line",
        ),
    ),
    (
        _either(_reading("directive"), _says("directive", "incompatible YAML")),
        _fixed(
            "a line starting with `%` is read as a YAML directive, and this one is not valid",
            "remove the line, or put the text in quotes",
        ),
    ),
    (_either(_reading("tag"), _says("tag")), _unsupported_tag),
    (_says("maximum nesting depth"), _fixed(f"nested more than {MAX_DEPTH} levels deep", "")),
)
"""(what the parser says, our words for it), tried in order: the first that applies wins."""


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
