"""Numbers that YAML 1.1 reads otherwise than an editor means, found where they would pass.

`010` is 8, `0x1F` 31, `12:30` 750, `.inf` infinity, and `yes` where a number belongs the
number 1: each is valid to the models, so each is reported here, in the editor's own writing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from typing import Any

from generator.errors import ContentError
from generator.load.content import RawItem
from generator.models import Model, Poll
from generator.validate.fields import is_number_field

_SURPRISING = re.compile(
    r"[-+]?(?:0[0-7_]+|0b[01_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
    r"|\.(?:inf|Inf|INF))|\.(?:nan|NaN|NAN)"
)
"""Numbers as YAML 1.1 reads them but an editor would not: octal (`010` is 8), binary,
hexadecimal, base 60 (`12:30` is 750), infinity and not-a-number (`.inf`, `.nan`)."""
_SURPRISING_TEXTS: dict[str, bool] = {}
"""Whether each text met so far is `_SURPRISING`: few texts recur ("true", "2014", "61")."""
_WITH_NUMBERS: set[type[Model]] = {Poll}
"""Models with number fields, where YAML's `yes` (true) would pass for the number 1."""


def yaml_surprises(
    item: RawItem,
    model: type[Model],
    failed: set[tuple[str | int, ...]],
    surprises: dict[int, bool] | None,
) -> list[ContentError]:
    """Report numbers YAML read otherwise than the editor wrote them, where no other error is.

    `010` would pass for 8 and `yes` for the number 1: the editor is asked to write what they
    mean. Only items whose written scalars hold such a number, or whose model has number
    fields, are walked, so the usual item costs one dictionary look-up.
    """
    written = item.document.source_map.written_near(item.path)
    if not written:
        return []
    if model not in _WITH_NUMBERS:
        key = id(written)
        known = surprises.get(key) if surprises is not None else None
        if known is None:
            known = _any_surprising(written.values())
            if surprises is not None:
                surprises[key] = known
        if not known:
            return []
    errors = []
    for path, value in _scalars(item.data, ()):
        if any(path[:end] in failed for end in range(len(path) + 1)):
            continue
        text = item.written(path)
        if text is None:
            continue
        name = next((str(p) for p in reversed(path) if isinstance(p, str)), "value")
        if isinstance(value, bool):
            if is_number_field(model, path):
                errors.append(
                    ContentError(
                        item.locate(path),
                        f"`{name}` should be a number, but YAML reads `{text}` as "
                        f"{str(value).lower()}",
                        "write the number",
                    )
                )
        elif _SURPRISING.fullmatch(text):
            errors.append(ContentError(item.locate(path), *_surprise(name, text, value)))
    return errors


def not_finite(name: str, text: str, value: float) -> tuple[str, str]:
    """The message and hint for infinity or not-a-number where a number belongs."""
    meaning = "not a number" if math.isnan(value) else "infinity"
    return (f"`{name}`: YAML reads `{text}` as {meaning}", "write a number")


def _any_surprising(texts: Iterable[str]) -> bool:
    """Whether any of `texts` is `_SURPRISING`, remembering the answer for each text."""
    known = _SURPRISING_TEXTS
    for text in texts:
        found = known.get(text)
        if found is None:
            if len(known) > 10_000:
                known.clear()
            found = known[text] = _SURPRISING.fullmatch(text) is not None
        if found:
            return True
    return False


def _surprise(name: str, text: str, value: object) -> tuple[str, str]:
    if isinstance(value, float) and not math.isfinite(value):
        return not_finite(name, text, value)
    digits = text.lstrip("+-")
    if ":" in digits:
        return (
            f"`{name}`: YAML reads `{text}` as the number {value}, counting in sixties as for "
            "a time",
            "write the number you mean, or put the value in quotes",
        )
    if digits.startswith(("0x", "0b")):
        base = "hexadecimal" if digits.startswith("0x") else "binary"
        return (
            f"`{name}`: YAML reads `{text}` as the {base} number {value}",
            "write the number in decimal digits, or put the value in quotes",
        )
    return (
        f"`{name}`: YAML reads `{text}` as the number {value}: a leading 0 makes it octal",
        "remove the leading 0, or put the value in quotes",
    )


def _scalars(data: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Yield (path, value) for every number and boolean in `data`."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _scalars(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _scalars(value, (*path, index))
    elif isinstance(data, (int, float)):
        yield path, data
