"""The content models' fields, looked up along an error's path: which fields a mapping allows,
what a field is for (its description, the hint of a missing or empty field), whether it holds
a number."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.models import Model


def nested_model(annotation: Any) -> type[Model] | None:
    """The model an annotation holds, itself or inside a list, an optional or a union."""
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = nested_model(arg)
        if found is not None:
            return found
    return None


def _walk(model: type[Model], loc: tuple[str | int, ...]) -> Iterator[type[Model]]:
    """Follow `loc` through nested models, yielding each model reached."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return
        nested = nested_model(info.annotation)
        if nested is None:
            return
        current = nested
        yield nested


def allowed_fields(model: type[Model], loc: tuple[str | int, ...]) -> set[str]:
    """The fields of the mapping at `loc` in `model`."""
    for submodel in _walk(model, loc):
        model = submodel
    return set(model.model_fields)


def field_hint(model: type[Model], loc: tuple[str | int, ...]) -> str:
    """The description of the field at `loc`, worded as a hint; empty when it has none."""
    owner: type[Model] = model
    for nested in _walk(model, loc[:-1]):
        owner = nested
    name = loc[-1] if loc else None
    info = owner.model_fields.get(name) if isinstance(name, str) else None
    if info is None or not info.description:
        return ""
    return info.description[:1].lower() + info.description[1:].rstrip(".")


def is_number_field(model: type[Model], path: tuple[str | int, ...]) -> bool:
    """Whether the field at `path` of `model` holds a number (int or float, not a boolean)."""
    current: Any = model
    annotation: Any = None
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, Model)):
            return False
        info = current.model_fields.get(part)
        if info is None:
            return False
        annotation = info.annotation
        current = nested_model(annotation)
    kinds = set(getattr(annotation, "__args__", ())) | {annotation}
    return bool(kinds & {int, float})
