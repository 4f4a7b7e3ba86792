"""Pydantic's errors as editors' mistakes: each placed at `file:line:column` through the
loader's source map, its words rewritten for editors, quoting the value as it was written
(`010`, not the 8 YAML reads it as), with a hint where one helps."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic_core import ErrorDetails

from generator.errors import ContentError, Location, describe_value, did_you_mean, shorten
from generator.load.content import RawItem
from generator.models import SLUG_PATTERN, Model
from generator.validate.fields import allowed_fields, field_hint
from generator.validate.yaml_numbers import not_finite


def is_internal(part: str | int) -> bool:
    """Pydantic adds union branch names such as `function-before[...]` to locations."""
    return isinstance(part, str) and ("[" in part or part in {"str", "int", "list[str]"})


@dataclass(frozen=True)
class _Mistake:
    """One pydantic error, seen from the editor's file."""

    detail: ErrorDetails
    item: RawItem
    model: type[Model]
    loc: tuple[str | int, ...]
    """The error's place in the item, without pydantic's union branch names."""
    kind: str
    name: str
    """The field's name: the last key of `loc`, or `value`."""
    value: Any
    written: str | None
    """The value's text as the editor wrote it, if a scalar."""
    shown: str
    """The value as a message quotes it: as written, or else as YAML read it."""
    ctx: dict[str, Any]

    @property
    def where(self) -> Location:
        return self.item.locate(self.loc)


def translate(detail: ErrorDetails, item: RawItem, model: type[Model]) -> ContentError:
    """Turn one pydantic error about `item` into a located mistake in editors' words."""
    loc = tuple(part for part in detail["loc"] if not is_internal(part))
    value = detail.get("input")
    written = item.written(loc)
    mistake = _Mistake(
        detail=detail,
        item=item,
        model=model,
        loc=loc,
        kind=detail["type"],
        name=shorten(next((str(p) for p in reversed(loc) if isinstance(p, str)), "value")),
        value=value,
        written=written,
        shown=written if written is not None else shorten(value),
        ctx=detail.get("ctx") or {},
    )
    words = _WORDS.get(mistake.kind)
    error = words(mistake) if words is not None else None
    if error is not None:
        return error
    if isinstance(value, float) and not math.isfinite(value):
        return ContentError(mistake.where, *not_finite(mistake.name, mistake.shown, value))
    return _NUMBER_WORDS.get(mistake.kind, _in_pydantic_words)(mistake)


def _missing(m: _Mistake) -> ContentError:
    return ContentError(
        m.item.locate(m.loc[:-1]), f"missing field `{m.name}`", field_hint(m.model, m.loc)
    )


def _unknown_field(m: _Mistake) -> ContentError:
    allowed = allowed_fields(m.model, m.loc[:-1])
    hint = did_you_mean(m.name, allowed) or f"allowed fields: {', '.join(sorted(allowed))}"
    return ContentError(m.item.locate_key(m.loc), f"unknown field `{m.name}`", hint)


def _not_text(m: _Mistake) -> ContentError:
    if isinstance(m.value, bool):
        return ContentError(
            m.where,
            f"`{m.name}` should be text, but YAML reads `{m.shown}` as {str(m.value).lower()}",
            f'put it in quotes: "{m.shown}"',
        )
    if isinstance(m.value, (int, float)):
        return ContentError(
            m.where,
            f"`{m.name}` should be text, but YAML reads `{m.shown}` as a number",
            f'put it in quotes: "{m.shown}"',
        )
    return ContentError(m.where, f"`{m.name}` should be text, not {describe_value(m.value)}")


def _not_matching(m: _Mistake) -> ContentError:
    if str(m.value) == "":
        return ContentError(m.where, f"`{m.name}` is empty", field_hint(m.model, m.loc))
    if m.name == "id" or m.ctx.get("pattern") == SLUG_PATTERN:
        return ContentError(
            m.where,
            f"`{m.shown}` is not a valid id",
            f"use lowercase letters, digits and hyphens, e.g. `{_slugify(m.shown)}`",
        )
    return ContentError(m.where, f"`{m.shown}` is not a valid {m.name}", field_hint(m.model, m.loc))


def _not_an_option(m: _Mistake) -> ContentError:
    options = re.findall(r"'([^']*)'", str(m.ctx.get("expected", "")))
    if m.name == "licence":  # a near miss may be other terms (CC-BY-NC-4.0 is not CC-BY-4.0)
        hint = (
            f"the site publishes media under one of: {', '.join(options)}; under other terms, "
            "only with the owner's permission, written as `licence: permission` and a "
            "`licence_note`"
        )
        return ContentError(m.where, f"`{m.shown}` is not a licence the site can publish", hint)
    hint = did_you_mean(m.shown, options) or f"use one of: {', '.join(options)}"
    return ContentError(m.where, f"`{m.shown}` is not a valid {m.name}", hint)


def _too_short(m: _Mistake) -> ContentError | None:
    """An empty `sources` or text; an empty list elsewhere is left to the later words."""
    if m.name == "sources":
        return ContentError(m.where, "no source cited", "add at least one source id to `sources`")
    return _empty(m) if isinstance(m.value, str) else None


def _empty(m: _Mistake) -> ContentError:
    return ContentError(m.where, f"`{m.name}` is empty", "write the text or remove the field")


def _not_a_list(m: _Mistake) -> ContentError:
    return ContentError(
        m.where,
        f"`{m.name}` should be a list, not {_as_written(m.value, m.written)}",
        "write each entry on a line starting with `- `",
    )


def _not_a_mapping(m: _Mistake) -> ContentError:
    return ContentError(
        m.where, f"`{m.name}` should be a mapping of fields, not {_as_written(m.value, m.written)}"
    )


def _bad_date(m: _Mistake) -> ContentError:
    message = m.detail["msg"]
    if m.written is not None:  # `12:30` rather than the 750 YAML reads it as
        message = message.replace(f"`{m.value}`", f"`{m.written}`")
    return ContentError(m.where, f"`{m.name}`: {message}")


def _too_long(m: _Mistake) -> ContentError:
    return ContentError(
        m.where,
        f"`{m.name}` is too long: {len(str(m.value))} characters,"
        f" at most {m.ctx.get('max_length')}",
        "shorten it",
    )


_WORDS: dict[str, Callable[[_Mistake], ContentError | None]] = {
    "missing": _missing,
    "extra_forbidden": _unknown_field,
    "string_type": _not_text,
    "string_pattern_mismatch": _not_matching,
    "literal_error": _not_an_option,
    "too_short": _too_short,
    "string_too_short": _empty,
    "list_type": _not_a_list,
    "model_type": _not_a_mapping,
    "model_attributes_type": _not_a_mapping,
    "dict_type": _not_a_mapping,
    "date_form": _bad_date,
    "date_value": _bad_date,
    "string_too_long": _too_long,
}
"""Editors' words for each kind of error, ahead of infinity and not-a-number: YAML's `.inf`
where text is wanted is text to put in quotes, not a number to write."""


def _out_of_bounds(m: _Mistake) -> ContentError:
    key, words = _BOUNDS[m.kind]
    bound = m.ctx.get(key)
    if isinstance(bound, float) and bound.is_integer():
        bound = int(bound)
    return ContentError(m.where, f"`{m.name}` should be {words} {bound}, not `{m.shown}`")


_BOUNDS = {
    "greater_than": ("gt", "more than"),
    "greater_than_equal": ("ge", "at least"),
    "less_than": ("lt", "less than"),
    "less_than_equal": ("le", "at most"),
}


def _not_true_or_false(m: _Mistake) -> ContentError:
    return ContentError(m.where, f"`{m.name}` should be true or false, not {_quoted(m)}")


def _not_a_number(m: _Mistake) -> ContentError:
    return ContentError(m.where, f"`{m.name}` should be a number, not {_quoted(m)}")


def _in_pydantic_words(m: _Mistake) -> ContentError:
    message = m.detail["msg"]
    return ContentError(m.where, f"`{m.name}`: {message[:1].lower()}{message[1:]}")


_NUMBER_WORDS: dict[str, Callable[[_Mistake], ContentError]] = {
    **dict.fromkeys(_BOUNDS, _out_of_bounds),
    "bool_type": _not_true_or_false,
    "bool_parsing": _not_true_or_false,
    **dict.fromkeys(
        ("int_type", "int_parsing", "float_type", "float_parsing", "int_from_float"),
        _not_a_number,
    ),
}
"""Words for the kinds of error about numbers and booleans; pydantic's own for the rest."""


def _quoted(m: _Mistake) -> str:
    """The value in backticks; a list or a mapping by its kind (its text would read as Python's)."""
    return describe_value(m.value) if isinstance(m.value, list | dict) else f"`{m.shown}`"


def _as_written(value: Any, written: str | None) -> str:
    """Name a value as the editor wrote it: `010`, not the 8 YAML reads it as."""
    if written is None or value is None:
        return describe_value(value)
    return f"the value `{shorten(written)}`"


def _slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return slug or "my-id"
