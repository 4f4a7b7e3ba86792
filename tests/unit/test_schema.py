"""JSON Schema of the content files: complete, documented, and printed by `explainer schema`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator, Draft202012Validator
from jsonschema.exceptions import best_match

from generator.commands.schema import FILE_KINDS, SCHEMA_DIALECT, content_schema
from generator.models import COLLECTION_MODELS, Model
from tests.conftest import REAL_CONTENT, REPO, CliResult

# The schema files editors' tools read (.vscode/settings.json maps content files to them),
# one per kind of file, each exactly what `explainer schema --kind KIND` prints.
SCHEMA_DIR = REPO / "schema"
REGENERATE = (
    "for kind in site case parties rulings events periods quotes polls sources; do\n"
    '  .venv/bin/explainer schema --kind "$kind" --output "schema/$kind.schema.json"\n'
    "done"
)
GOLDEN_CONTENT = REPO / "tests" / "golden" / "small" / "content"
# Content the generator accepts but the schema does not describe: (file, JSON path) → what
# the schema says; an editor underlines these although `explainer check` passes.
KNOWN_SCHEMA_GAPS: dict[tuple[str, str], str] = {}

MODEL_NAMES = [
    "Case",
    "Conflict",
    "Event",
    "Excerpt",
    "Fieldwork",
    "KeyFact",
    "Media",
    "Party",
    "Period",
    "Poll",
    "Question",
    "Quote",
    "Result",
    "Ruling",
    "Site",
    "Source",
    "Term",
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


TRANSLATION_MODEL_NAMES = [
    "CaseTranslation",
    "EventTranslation",
    "KeyFactTranslation",
    "MediaTranslation",
    "PartyTranslation",
    "PeriodTranslation",
    "PollTranslation",
    "QuestionTranslation",
    "QuoteTranslation",
    "RulingTranslation",
    "TermTranslation",
]
"""The models of translation files' items, which only `validate` reads (no schema file)."""


def test_model_list_matches_models_module() -> None:
    assert all_models() == sorted(MODEL_NAMES + TRANSLATION_MODEL_NAMES)


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
    assert len(schema["anyOf"]) == len(FILE_KINDS) == 11
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
    assert sorted(quote["required"]) == [
        "id",
        "said_on",
        "sources",
        "speaker",
        "text",
        "venue",
        "verbatim_in",
    ]


def test_cli_schema_kind_quotes_prints_schema(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("schema", "--kind", "quotes")
    assert result.code == 0
    assert result.err == ""
    assert json.loads(result.out) == content_schema("quotes")
    assert result.out.endswith("}\n")


def schema_properties(node: Any, path: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property declared anywhere in `node`, nested objects (the date form) included."""
    if isinstance(node, dict):
        properties = node.get("properties")
        if isinstance(properties, dict):
            for name, field in properties.items():
                yield f"{path}/properties/{name}", field
        for key, value in node.items():
            yield from schema_properties(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from schema_properties(value, f"{path}/{index}")


def test_schema_properties_walks_nested_date_objects() -> None:
    paths = [path for path, _ in schema_properties(content_schema("quotes"))]
    assert "#/$defs/Quote/properties/said_on" in paths
    assert "#/$defs/Quote/properties/said_on/anyOf/2/properties/approximate" in paths


@pytest.mark.parametrize("kind", sorted(FILE_KINDS))
def test_every_property_everywhere_has_description_and_examples(kind: str) -> None:
    """What an editor shows on hover and offers as it completes: nothing may be bare."""
    schema = content_schema(kind)
    missing = [
        f"{path} lacks {key}"
        for path, field in schema_properties(schema)
        for key in ("description", "examples")
        if not field.get(key)
    ]
    assert missing == []


@pytest.mark.parametrize("kind", sorted(FILE_KINDS))
def test_examples_are_valid_values_of_their_property(kind: str) -> None:
    """An example an editor offers must itself pass the schema (and so be a real form)."""
    schema = content_schema(kind)
    wrong = []
    for path, field in schema_properties(schema):
        validator = Draft202012Validator({**field, "$defs": schema["$defs"]})
        for example in field.get("examples", []):
            wrong += [f"{path}: {example!r}: {e.message}" for e in validator.iter_errors(example)]
    assert wrong == []


@pytest.mark.parametrize("kind", sorted(FILE_KINDS))
def test_schema_is_valid_for_draft_7_and_2020_12(kind: str) -> None:
    """The YAML language server checks a schema against draft 7; the schema names 2020-12."""
    schema = content_schema(kind)
    Draft7Validator.check_schema(schema)
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("kind", sorted(FILE_KINDS))
def test_committed_schema_file_is_what_explainer_schema_prints(
    kind: str, run_cli: Callable[..., CliResult]
) -> None:
    committed = SCHEMA_DIR / f"{kind}.schema.json"
    result = run_cli("schema", "--kind", kind)
    assert result.code == 0
    assert committed.is_file(), f"{committed} is missing; write it with:\n{REGENERATE}"
    assert committed.read_text(encoding="utf-8") == result.out, (
        f"{committed.relative_to(REPO)} is stale; regenerate the schema files with:\n{REGENERATE}"
    )


REPORT_SCHEMAS = ("diff-report.schema.json",)
"""The one schema of a report rather than of a content file: `explainer diff --format json`'s,
written by hand (tests/test_diff.py validates every report against it)."""


def test_schema_folder_holds_one_file_per_kind_and_the_report_schema() -> None:
    assert sorted(path.name for path in SCHEMA_DIR.iterdir()) == sorted(
        [*(f"{kind}.schema.json" for kind in FILE_KINDS), *REPORT_SCHEMAS]
    )


class Yaml12Loader(yaml.SafeLoader):
    """Reads dates as the strings the YAML language server (YAML 1.2) sees, not as dates."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def kind_of(relative: Path) -> str:
    """The kind of a content file by the loader's rules: site, case or a collection."""
    parts = relative.parts
    if len(parts) == 1:
        return "site"
    if len(parts) == 3:
        return "case" if relative.stem == "case" else relative.stem
    return parts[2]


def content_files() -> list[tuple[Path, Path]]:
    return [
        (root, path)
        for root in (REAL_CONTENT, GOLDEN_CONTENT)
        for path in sorted(root.rglob("*"))
        if path.suffix in (".yaml", ".yml")
        and "." not in path.stem  # translation files (`case.de.yaml`) have no schema
    ]


def mistakes(kind: str, data: Any) -> dict[str, str]:
    """What the committed schema of `kind` says is wrong in `data`: JSON path → message.

    The YAML language server validates with draft 7's keywords, so this does too; of the
    alternatives (a list of items, or one item) the most relevant error is kept, as editors do.
    """
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    found = {}
    for error in Draft7Validator(schema).iter_errors(data):
        best = best_match([error])
        found[best.json_path] = best.message
    return found


def test_content_files_include_every_form() -> None:
    relatives = {path.relative_to(root).as_posix() for root, path in content_files()}
    assert "site.yaml" in relatives
    assert "cases/microsoft-ireland/quotes.yaml" in relatives
    assert "cases/cafe-munchen/quotes/coffee.yaml" in relatives


def test_real_content_passes_the_committed_schemas() -> None:
    """The editor must not underline content that `explainer check` accepts."""
    found = {
        (path.relative_to(REPO).as_posix(), json_path): message
        for root, path in content_files()
        for json_path, message in mistakes(
            kind_of(path.relative_to(root)),
            yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader),
        ).items()
    }
    assert found == KNOWN_SCHEMA_GAPS


QUOTE = {
    "id": "francis-hybrid",
    "text": "a hybrid: part search warrant and part subpoena",
    "speaker": "james-c-francis-iv",
    "said_on": "2014-04-25",
    "venue": "Memorandum and order denying Microsoft's motion to vacate, S.D.N.Y.",
    "sources": ["francis-opinion-2014-04-25"],
    "verbatim_in": "francis-opinion-2014-04-25",
}


def test_schema_accepts_a_correct_quote_as_item_or_list() -> None:
    assert mistakes("quotes", QUOTE) == {}
    assert mistakes("quotes", [QUOTE, {**QUOTE, "key": True}]) == {}


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"speeker": "brendon-lynch"}, "$", "('speeker' was unexpected)"),
        ({"id": "Francis Hybrid"}, "$.id", "does not match"),
        ({"said_on": "25/04/2014"}, "$.said_on", "does not match"),
        ({"key": "yes"}, "$.key", "is not of type 'boolean'"),
        ({"sources": []}, "$.sources", "should be non-empty"),
    ],
)
def test_schema_flags_an_editors_mistake(change: dict[str, Any], path: str, message: str) -> None:
    """What the editor underlines as the journalist types, in a quote file or a list of them."""
    assert message in mistakes("quotes", {**QUOTE, **change}).get(path, "")
    in_list = mistakes("quotes", [QUOTE, {**QUOTE, **change}])
    assert message in in_list.get(path.replace("$", "$[1]", 1), "")


@pytest.mark.parametrize("field", ["sources", "verbatim_in"])
def test_schema_flags_a_missing_required_field(field: str) -> None:
    quote = {key: value for key, value in QUOTE.items() if key != field}
    assert mistakes("quotes", quote) == {"$": f"'{field}' is a required property"}
