"""JSON Schema of the content files: complete, documented, and printed by `explainer schema`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from generator.models import COLLECTION_MODELS, Model
from generator.schema import FILE_KINDS, SCHEMA_DIALECT, content_schema
from tests.conftest import CliResult

MODEL_NAMES = [
    "Case",
    "Conflict",
    "Event",
    "Fieldwork",
    "KeyFact",
    "Party",
    "Poll",
    "Question",
    "Quote",
    "Result",
    "Ruling",
    "Site",
    "Source",
    "Update",
]
# Tiny helper models whose field names say it all; exempt from the description rule.
HELPERS_WITHOUT_DESCRIPTIONS: set[str] = set()


def all_models() -> list[str]:
    """Every content model, found by walking Model's subclasses (so new models are covered)."""
    found: list[str] = []
    pending: list[type[Model]] = [Model]
    while pending:
        model = pending.pop()
        for sub in model.__subclasses__():
            found.append(sub.__name__)
            pending.append(sub)
    return sorted(found)


def test_model_list_matches_models_module() -> None:
    assert all_models() == MODEL_NAMES


def test_schema_is_json_serializable_and_round_trips() -> None:
    schema = content_schema()
    assert json.loads(json.dumps(schema)) == schema


def test_schema_names_dialect_and_title() -> None:
    schema = content_schema()
    assert schema["$schema"] == SCHEMA_DIALECT == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "Case explainer content files"


def test_schema_defs_cover_every_model() -> None:
    definitions = content_schema()["$defs"]
    assert set(MODEL_NAMES) <= set(definitions)


def test_schema_defs_hold_only_models() -> None:
    assert sorted(content_schema()["$defs"]) == MODEL_NAMES


def test_schema_refs_all_resolve() -> None:
    schema = content_schema()
    text = json.dumps(schema)
    refs = {part.split('"', 1)[0] for part in text.split('"$ref": "#/$defs/')[1:]}
    assert refs
    assert refs <= set(schema["$defs"])


def test_schema_top_level_offers_every_file_kind() -> None:
    schema = content_schema()
    assert len(schema["anyOf"]) == len(FILE_KINDS) == 8
    assert schema["anyOf"][0] == {"$ref": "#/$defs/Site"}
    assert schema["anyOf"][1] == {"$ref": "#/$defs/Case"}


def missing_descriptions(definition: dict[str, Any]) -> list[str]:
    return sorted(
        name
        for name, field in definition.get("properties", {}).items()
        if "description" not in field
    )


@pytest.mark.parametrize(
    "model", [name for name in MODEL_NAMES if name not in HELPERS_WITHOUT_DESCRIPTIONS]
)
def test_every_property_has_description(model: str) -> None:
    definition = content_schema()["$defs"][model]
    assert missing_descriptions(definition) == []


def test_undocumented_properties_are_exactly_the_known_gaps() -> None:
    definitions = content_schema()["$defs"]
    gaps = {
        name: missing_descriptions(definitions[name])
        for name in MODEL_NAMES
        if missing_descriptions(definitions[name])
    }
    assert gaps == {}


def test_every_model_has_description() -> None:
    definitions = content_schema()["$defs"]
    assert [name for name in MODEL_NAMES if "description" not in definitions[name]] == []


@pytest.mark.parametrize("kind", sorted(COLLECTION_MODELS))
def test_collection_schema_accepts_array_or_single_item(kind: str) -> None:
    schema = content_schema(kind)
    ref = {"$ref": f"#/$defs/{COLLECTION_MODELS[kind].__name__}"}
    assert schema["anyOf"] == [{"type": "array", "items": ref}, ref]
    assert schema["title"] == f"Case explainer: {kind} file"


def test_quotes_schema_accepts_array_or_single_quote() -> None:
    schema = content_schema("quotes")
    assert schema["anyOf"] == [
        {"type": "array", "items": {"$ref": "#/$defs/Quote"}},
        {"$ref": "#/$defs/Quote"},
    ]
    assert "Quote" in schema["$defs"]


@pytest.mark.parametrize(("kind", "model"), [("site", "Site"), ("case", "Case")])
def test_single_file_schema_is_one_mapping(kind: str, model: str) -> None:
    schema = content_schema(kind)
    assert schema["$ref"] == f"#/$defs/{model}"
    assert "anyOf" not in schema


def test_quote_definition_forbids_unknown_fields_and_requires_core_ones() -> None:
    quote = content_schema("quotes")["$defs"]["Quote"]
    assert quote["additionalProperties"] is False
    assert sorted(quote["required"]) == ["id", "said_on", "sources", "speaker", "text", "venue"]


def test_cli_schema_kind_quotes_prints_schema(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("schema", "--kind", "quotes")
    assert result.code == 0
    assert result.err == ""
    assert json.loads(result.out) == content_schema("quotes")
    assert result.out.endswith("}\n")
