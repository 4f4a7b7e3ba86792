"""Our own columns: one per model field, named as the field, for events, quotes, parties and
sources; and how a cell's text and a field's value turn into each other.

A date cell is `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, approximate with a trailing `~` (as in ISO
8601-2): `2019~`. A list cell holds its values separated by `; `. A yes-or-no cell is `true` or
`false` (`yes` and `no` too, in any case). An empty cell is the field's default. Text is kept as
written (Markdown where the field is Markdown).
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

from generator.dates import DateError, PartialDate
from generator.models import COLLECTION_MODELS

KINDS = ("events", "quotes", "parties", "sources")
"""The collections `explainer import` and `explainer export` handle."""
LIST_SEPARATOR = "; "
APPROXIMATE_MARK = "~"
_TRUE = {"true", "yes"}
_FALSE = {"false", "no"}

FieldKind = Literal["date", "list", "bool", "text"]


def own_columns(kind: str) -> list[str]:
    """The columns of `kind` (a collection), in the model's field order, `id` first."""
    return list(COLLECTION_MODELS[kind].model_fields)


def cell_text(field: str, value: Any) -> str:
    """A validated model value as the text of its cell (`field` names the column)."""
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        return value.iso + (APPROXIMATE_MARK if value.approximate else "")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(cell_text(field, part) for part in value)
    return str(value)


def field_kind(kind: str, field: str) -> FieldKind:
    """How the cells of `field` of collection `kind` are written."""
    annotation = _unoptional(COLLECTION_MODELS[kind].model_fields[field].annotation)
    if annotation is PartialDate:
        return "date"
    if annotation is bool:
        return "bool"
    if get_origin(annotation) is list:
        return "list"
    return "text"


def _unoptional(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        rest = [a for a in get_args(annotation) if a is not type(None)]
        if len(rest) == 1:
            return _unoptional(rest[0])
    if get_origin(annotation) is not None and hasattr(annotation, "__metadata__"):
        return _unoptional(get_args(annotation)[0])
    return annotation


@dataclass(frozen=True)
class CellMistake:
    """Why a cell cannot be read as its field's value, and how to write it."""

    message: str
    hint: str = ""


BLANK = object()
"""A blank cell: the field takes its default (it is left out of the item)."""


def cell_value(kind: str, field: str, text: str) -> Any:
    """The plain YAML value of a cell of `field` (BLANK when empty); raise `CellMistake`
    when it cannot be read."""
    text = text.strip()
    if not text:
        return BLANK
    how = field_kind(kind, field)
    if how == "date":
        return date_value(text)
    if how == "bool":
        folded = text.casefold()
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
        raise CellMistakeError(
            CellMistake(f"`{text}` is not yes or no", "write `true` or `false`, or leave it empty")
        )
    if how == "list":
        return [part.strip() for part in re.split(r"\s*;\s*", text) if part.strip()]
    return text


class CellMistakeError(ValueError):
    """A cell that cannot be read as its field's value."""

    def __init__(self, mistake: CellMistake) -> None:
        super().__init__(mistake.message)
        self.mistake = mistake


def date_value(text: str) -> str | dict[str, Any]:
    """A date cell's YAML value: `2014-07-31`, or `{date: 2014, approximate: true}` for
    `2014~`; raise `CellMistakeError` saying what is wrong and how to write it."""
    approximate = text.endswith(APPROXIMATE_MARK)
    written = text[: -len(APPROXIMATE_MARK)].strip() if approximate else text
    try:
        date = PartialDate.parse(written, approximate)
    except DateError as exc:
        message, _, hint = str(exc).partition(" — ")
        if hint.startswith("write"):
            hint += "; add `~` for an approximate date (`2014~`)"
        raise CellMistakeError(CellMistake(message, hint)) from None
    if approximate:
        return {"date": date.iso, "approximate": True}
    return date.iso
