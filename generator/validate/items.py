"""One document or collection item against its model: the validated model, or its mistakes."""

from __future__ import annotations

from typing import TypeVar

from pydantic import ValidationError

from generator.errors import ContentError, ContentErrors, describe_value
from generator.load.content import RawItem
from generator.models import COLLECTION_MODELS, Model
from generator.validate.pydantic_errors import is_internal, translate
from generator.validate.yaml_numbers import yaml_surprises

M = TypeVar("M", bound=Model)


def validate_item(item: RawItem, collection: str) -> Model:
    """Check one collection item on its own (its references are not checked)."""
    errors: list[ContentError] = []
    model = check_item(item, COLLECTION_MODELS[collection], errors)
    if model is None:
        raise ContentErrors(errors)
    return model


def check_item(
    item: RawItem,
    model: type[M],
    errors: list[ContentError],
    surprises: dict[int, bool] | None = None,
) -> M | None:
    """Validate one item against `model`, adding its mistakes to `errors`.

    `surprises` remembers, across the items of one validation, which parts of documents hold
    numbers YAML reads in a way an editor would not expect (see `yaml_surprises`).
    """
    if not isinstance(item.data, dict):
        errors.append(
            ContentError(
                item.locate(),
                f"expected a mapping of fields for {_describe(model)}, "
                f"found {describe_value(item.data)}",
                "write `field: value` lines",
            )
        )
        return None
    try:
        validated = model.model_validate(item.data)
    except ValidationError as exc:
        details = exc.errors(include_url=False)
        errors.extend(translate(detail, item, model) for detail in details)
        failed = {tuple(p for p in detail["loc"] if not is_internal(p)) for detail in details}
        errors.extend(yaml_surprises(item, model, failed, surprises))
        return None
    found = yaml_surprises(item, model, set(), surprises)
    if found:
        errors.extend(found)
        return None
    return validated


def _describe(model: type[Model]) -> str:
    return {"Site": "site.yaml", "Case": "case.yaml"}.get(
        model.__name__, f"a {model.__name__.lower()}"
    )
