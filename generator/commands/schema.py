"""JSON Schema of the content files, generated from the models, for editors' tools."""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from generator.models import COLLECTION_MODELS, Case, Model, Site

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
FILE_KINDS: dict[str, type[Model]] = {"site": Site, "case": Case, **COLLECTION_MODELS}


def content_schema(kind: str | None = None) -> dict[str, Any]:
    """Return the schema of one kind of file, or of all kinds when `kind` is None.

    A collection file (`quotes.yaml`) holds a list of items; a file inside a collection
    folder (`quotes/<id>.yaml`) holds one item, so collection schemas accept both.
    """
    models = list(FILE_KINDS.values())
    refs, schema = models_json_schema(
        [(model, "validation") for model in models], ref_template="#/$defs/{model}"
    )
    definitions = schema["$defs"]

    def file_schema(name: str, model: type[Model]) -> dict[str, Any]:
        ref = refs[(model, "validation")]
        if name in COLLECTION_MODELS:
            return {"anyOf": [{"type": "array", "items": ref}, ref]}
        return dict(ref)

    if kind is not None:
        result = file_schema(kind, FILE_KINDS[kind])
        title = f"Case explainer: {kind} file"
    else:
        result = {"anyOf": [file_schema(name, model) for name, model in FILE_KINDS.items()]}
        title = "Case explainer content files"
    return {
        "$schema": SCHEMA_DIALECT,
        "title": title,
        **result,
        "$defs": _referenced(result, definitions),
    }


def _referenced(root: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    """Keep the definitions reachable from `root`, in name order.

    Pydantic also describes the `PartialDate` class behind `Date`, whose schema the models
    replace with the forms editors write; nothing refers to it, so it is left out.
    """
    keep: set[str] = set()
    pending = [root]
    while pending:
        node = pending.pop()
        for name in _refs(node):
            if name not in keep:
                keep.add(name)
                pending.append(definitions[name])
    return {name: definitions[name] for name in sorted(keep)}


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"].rsplit("/", 1)[1]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []
