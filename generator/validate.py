"""Stage 2, validate: `RawContent` → `SiteContent`, or every mistake at once.

Each YAML document and collection item is checked against its model in `models`; pydantic's
errors are placed at `file:line:column` through the loader's source map and reworded for
editors. Ids must be lowercase slugs, unique within their collection (also ignoring case, since
they become URLs), and every reference must name an existing id of the right kind; a miss
gets a did-you-mean. All errors are collected and raised as one `ContentErrors`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from generator.errors import ContentError, ContentErrors, Location, describe_value, did_you_mean
from generator.load import COLLECTIONS, RawCase, RawContent, RawItem
from generator.models import (
    COLLECTION_MODELS,
    SLUG_PATTERN,
    Case,
    Event,
    Model,
    Party,
    Poll,
    Quote,
    Ruling,
    Site,
    Source,
)
from generator.paging import PAGE_FOLDER

M = TypeVar("M", bound=Model)

_SLUG = re.compile(SLUG_PATTERN)
RESERVED_CASE_SLUGS = {"static"}
RESERVED_IDS = {"events": {"kind", "party", PAGE_FOLDER}, "quotes": {PAGE_FOLDER}}
"""Ids whose addresses belong to the timeline's filters or to a long list's further pages."""
_A_ITEM = {"events": "an event", "quotes": "a quote"}
_LIST_NAME = {"events": "timeline's filters and pages", "quotes": "quotes' pages"}
"""Event pages live at timeline/<id>/, beside the timeline's filter pages."""


@dataclass(frozen=True)
class CaseContent:
    """One validated case with its collections, each in the order the editor wrote it."""

    slug: str
    case: Case
    parties: tuple[Party, ...]
    rulings: tuple[Ruling, ...]
    events: tuple[Event, ...]
    quotes: tuple[Quote, ...]
    polls: tuple[Poll, ...]
    sources: tuple[Source, ...]
    files: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class SiteContent:
    """The whole validated site: settings and every case."""

    site: Site
    cases: tuple[CaseContent, ...]


def validate_content(raw: RawContent, base_url: str | None = None) -> SiteContent:
    """Check every document and reference; raise `ContentErrors` with all mistakes found.

    `base_url`, when given, replaces site.yaml's (the command line's `--base-url`).
    """
    errors: list[ContentError] = []
    site_item = raw.site
    if site_item is not None and base_url is not None and isinstance(site_item.data, dict):
        site_item = RawItem(
            {**site_item.data, "base_url": base_url}, site_item.document, site_item.path
        )
    site = _validate_item(site_item, Site, errors) if site_item is not None else None
    cases = []
    for raw_case in raw.cases:
        case = _validate_case(raw_case, errors)
        if case is not None:
            cases.append(case)
    if errors or site is None:
        raise ContentErrors(errors)
    return SiteContent(site, tuple(cases))


def _validate_case(raw_case: RawCase, errors: list[ContentError]) -> CaseContent | None:
    start = len(errors)
    if raw_case.slug in RESERVED_CASE_SLUGS:
        errors.append(
            ContentError(
                _folder_location(raw_case),
                f"a case folder may not be called `{raw_case.slug}`: the site uses that address",
                "rename the folder",
            )
        )
    elif not _SLUG.match(raw_case.slug):
        where = raw_case.case.locate() if raw_case.case else None
        errors.append(
            ContentError(
                where or _folder_location(raw_case),
                f"case folder name `{raw_case.slug}` is not a valid id",
                "use lowercase letters, digits and hyphens, e.g. `microsoft-ireland`",
            )
        )
    case = _validate_item(raw_case.case, Case, errors) if raw_case.case is not None else None
    validated: dict[str, list[tuple[Any, RawItem]]] = {}
    for name in COLLECTIONS:
        model = COLLECTION_MODELS[name]
        items = raw_case.collections.get(name, [])
        validated[name] = []
        for item in items:
            result = _validate_item(item, model, errors)
            if result is not None:
                validated[name].append((result, item))
        _check_unique_ids(name, items, errors)
    for name, reserved in RESERVED_IDS.items():
        for item in raw_case.collections.get(name, []):
            if isinstance(item.data, dict) and item.data.get("id") in reserved:
                errors.append(
                    ContentError(
                        item.locate(("id",)),
                        f"`{item.data['id']}` cannot be {_A_ITEM[name]} id:"
                        f" the {_LIST_NAME[name]} use that address",
                        "choose another id",
                    )
                )
    references = _References(raw_case, errors)
    if raw_case.case is not None:
        references.check(raw_case.case, _CASE_REFERENCES)
        if case is not None:
            ids = [c.id for c in case.conflicts]
            _check_unique(raw_case.case, ("conflicts",), ids, "conflict", errors)
    for name in COLLECTIONS:
        for item in raw_case.collections.get(name, []):
            references.check(item, _REFERENCES[name])
    for poll, item in validated["polls"]:
        _check_unique(item, ("questions",), [q.id for q in poll.questions], "question", errors)
        if poll.fieldwork is not None and poll.fieldwork.end < poll.fieldwork.start:
            errors.append(
                ContentError(
                    item.locate(("fieldwork", "end")),
                    f"fieldwork ends ({poll.fieldwork.end}) "
                    f"before it starts ({poll.fieldwork.start})",
                )
            )
    if len(errors) > start or case is None:
        return None
    return CaseContent(
        slug=raw_case.slug,
        case=case,
        parties=tuple(p for p, _ in validated["parties"]),
        rulings=tuple(r for r, _ in validated["rulings"]),
        events=tuple(e for e, _ in validated["events"]),
        quotes=tuple(q for q, _ in validated["quotes"]),
        polls=tuple(p for p, _ in validated["polls"]),
        sources=tuple(s for s, _ in validated["sources"]),
        files=tuple(
            sorted({i.document.file for items in raw_case.collections.values() for i in items})
        ),
    )


def _folder_location(raw_case: RawCase) -> Location:
    return Location(raw_case.folder)


@dataclass(frozen=True)
class _Reference:
    """A field that names items of another collection; `*` stands for every list index."""

    path: tuple[str, ...]
    collection: str
    kinds: frozenset[str] = frozenset()


_REFERENCES: dict[str, tuple[_Reference, ...]] = {
    "parties": (_Reference(("member_of",), "parties"), _Reference(("sources",), "sources")),
    "rulings": (
        _Reference(("court",), "parties", frozenset({"court"})),
        _Reference(("judges",), "parties", frozenset({"person"})),
        _Reference(("favours",), "parties"),
        _Reference(("sources",), "sources"),
    ),
    "events": (
        _Reference(("parties",), "parties"),
        _Reference(("ruling",), "rulings"),
        _Reference(("quotes",), "quotes"),
        _Reference(("sources",), "sources"),
    ),
    "quotes": (_Reference(("speaker",), "parties"), _Reference(("sources",), "sources")),
    "polls": (
        _Reference(("pollster",), "parties"),
        _Reference(("commissioned_by",), "parties"),
        _Reference(("sources",), "sources"),
        _Reference(("questions", "*", "sources"), "sources"),
    ),
    "sources": (),
}
_CASE_REFERENCES = (
    _Reference(("sources",), "sources"),
    _Reference(("key_facts", "*", "sources"), "sources"),
    _Reference(("conflicts", "*", "sources"), "sources"),
)


class _References:
    """Resolves ids against the case's collections and reports misses with a did-you-mean.

    It reads the raw data, so an item that failed its model still gets its references
    checked and the editor sees every mistake in one run.
    """

    def __init__(self, raw_case: RawCase, errors: list[ContentError]) -> None:
        self.known = {name: _raw_ids(raw_case.collections.get(name, [])) for name in COLLECTIONS}
        self.kinds = {
            i.data["id"]: i.data.get("kind")
            for i in raw_case.collections.get("parties", [])
            if isinstance(i.data, dict) and isinstance(i.data.get("id"), str)
        }
        self.errors = errors

    def check(self, item: RawItem, references: tuple[_Reference, ...]) -> None:
        for reference in references:
            for path, ref in _values_at(item.data, reference.path, ()):
                self._one(item, path, ref, reference)

    def _one(
        self, item: RawItem, path: tuple[str | int, ...], ref: str, reference: _Reference
    ) -> None:
        field_name = reference.path[-1]
        collection = reference.collection
        if ref not in self.known[collection]:
            hint = (
                did_you_mean(ref, self.known[collection])
                or f"add it to {collection}.yaml or fix the id"
            )
            self.errors.append(
                ContentError(
                    item.locate(path),
                    f"unknown {_SINGULAR[collection]} `{ref}` in `{field_name}`",
                    hint,
                )
            )
            return
        kind = self.kinds.get(ref)
        if reference.kinds and isinstance(kind, str) and kind not in reference.kinds:
            wanted = " or ".join(sorted(reference.kinds))
            self.errors.append(
                ContentError(
                    item.locate(path),
                    f"`{field_name}` should name a party of kind `{wanted}`, "
                    f"but `{ref}` is of kind `{kind}`",
                )
            )


def _values_at(
    data: Any, path: tuple[str, ...], prefix: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Yield (path, id) for every string id found at `path`, where a list may stand for one id."""
    if not path:
        if isinstance(data, str):
            yield prefix, data
        elif isinstance(data, list):
            for index, value in enumerate(data):
                if isinstance(value, str):
                    yield prefix + (index,), value
        return
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(data, list):
            for index, value in enumerate(data):
                yield from _values_at(value, rest, prefix + (index,))
    elif isinstance(data, dict) and head in data:
        yield from _values_at(data[head], rest, prefix + (head,))


_SINGULAR = {
    "parties": "party",
    "rulings": "ruling",
    "events": "event",
    "quotes": "quote",
    "polls": "poll",
    "sources": "source",
}


def _raw_ids(items: list[RawItem]) -> set[str]:
    return {
        i.data["id"]
        for i in items
        if isinstance(i.data, dict) and isinstance(i.data.get("id"), str)
    }


def _check_unique_ids(name: str, items: list[RawItem], errors: list[ContentError]) -> None:
    seen: dict[str, RawItem] = {}
    for item in items:
        if not isinstance(item.data, dict) or not isinstance(item.data.get("id"), str):
            continue
        ident: str = item.data["id"]
        folded = ident.casefold()
        first = seen.get(folded)
        if first is None:
            seen[folded] = item
            continue
        where = first.locate(("id",))
        same = (
            "the same id"
            if first.data["id"] == ident
            else f"an id that differs only by case (`{first.data['id']}`)"
        )
        errors.append(
            ContentError(
                item.locate(("id",)),
                f"duplicate {_SINGULAR[name]} id `{ident}`: {where} has {same}",
                "give each item its own id",
            )
        )


def _check_unique(
    item: RawItem,
    path: tuple[str | int, ...],
    ids: list[str],
    noun: str,
    errors: list[ContentError],
) -> None:
    seen: set[str] = set()
    for index, ident in enumerate(ids):
        if ident in seen:
            errors.append(
                ContentError(item.locate(path + (index, "id")), f"duplicate {noun} id `{ident}`")
            )
        seen.add(ident)


def validate_item(item: RawItem, collection: str) -> Model:
    """Check one collection item on its own (its references are not checked)."""
    errors: list[ContentError] = []
    model = _validate_item(item, COLLECTION_MODELS[collection], errors)
    if model is None:
        raise ContentErrors(errors)
    return model


def _validate_item(item: RawItem, model: type[M], errors: list[ContentError]) -> M | None:
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
        return model.model_validate(item.data)
    except ValidationError as exc:
        errors.extend(_translate(detail, item, model) for detail in exc.errors(include_url=False))
        return None


def _describe(model: type[Model]) -> str:
    return {"Site": "site.yaml", "Case": "case.yaml"}.get(
        model.__name__, f"a {model.__name__.lower()}"
    )


def _translate(detail: ErrorDetails, item: RawItem, model: type[Model]) -> ContentError:
    loc = tuple(part for part in detail["loc"] if not _is_internal(part))
    kind = detail["type"]
    name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "value")
    value = detail.get("input")
    written = item.written(loc)
    shown = written if written is not None else value
    ctx = detail.get("ctx") or {}
    if kind == "missing":
        return ContentError(
            item.locate(loc[:-1]), f"missing field `{name}`", _field_hint(model, loc)
        )
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, loc[:-1])
        hint = did_you_mean(name, allowed) or f"allowed fields: {', '.join(sorted(allowed))}"
        return ContentError(item.locate_key(loc), f"unknown field `{name}`", hint)
    where = item.locate(loc)
    if kind in {"string_type", "str_type"}:
        if isinstance(value, bool):
            return ContentError(
                where,
                f"`{name}` should be text, but YAML reads `{shown}` as {str(value).lower()}",
                f'put it in quotes: "{shown}"',
            )
        if isinstance(value, (int, float)):
            return ContentError(
                where,
                f"`{name}` should be text, but YAML reads `{shown}` as a number",
                f'put it in quotes: "{shown}"',
            )
        return ContentError(where, f"`{name}` should be text, not {describe_value(value)}")
    if kind == "string_pattern_mismatch":
        if name in {"id"} or _is_slug_pattern(ctx.get("pattern")):
            return ContentError(
                where,
                f"`{shown}` is not a valid id",
                f"use lowercase letters, digits and hyphens, e.g. `{_slugify(str(shown))}`",
            )
        return ContentError(where, f"`{shown}` is not a valid {name}", _field_hint(model, loc))
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        options = re.findall(r"'([^']*)'", expected)
        hint = did_you_mean(str(shown), options) or f"use one of: {', '.join(options)}"
        return ContentError(where, f"`{shown}` is not a valid {name}", hint)
    if kind == "too_short" and name == "sources":
        return ContentError(where, "no source cited", "add at least one source id to `sources`")
    if kind == "string_too_short":
        return ContentError(where, f"`{name}` is empty", "write the text or remove the field")
    if kind == "list_type":
        return ContentError(
            where,
            f"`{name}` should be a list, not {describe_value(value)}",
            "write each entry on a line starting with `- `",
        )
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return ContentError(
            where, f"`{name}` should be a mapping of fields, not {describe_value(value)}"
        )
    if kind in {"date_form", "date_value"}:
        return ContentError(where, f"`{name}`: {detail['msg']}")
    if kind in {"bool_type", "bool_parsing"}:
        return ContentError(where, f"`{name}` should be true or false, not `{shown}`")
    if kind in {"int_type", "int_parsing", "float_type", "float_parsing", "int_from_float"}:
        return ContentError(where, f"`{name}` should be a number, not `{shown}`")
    message = detail["msg"]
    return ContentError(where, f"`{name}`: {message[:1].lower()}{message[1:]}")


def _is_internal(part: str | int) -> bool:
    """Pydantic adds union branch names such as `function-before[...]` to locations."""
    return isinstance(part, str) and ("[" in part or part in {"str", "int", "list[str]"})


def _is_slug_pattern(pattern: object) -> bool:
    return pattern == SLUG_PATTERN


def _slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return slug or "my-id"


def _allowed_fields(model: type[Model], loc: tuple[str | int, ...]) -> set[str]:
    for submodel in _walk(model, loc):
        model = submodel
    return set(model.model_fields)


def _walk(model: type[Model], loc: tuple[str | int, ...]) -> Iterator[type[Model]]:
    """Follow `loc` through nested models, yielding each model reached."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return
        nested = _nested_model(info.annotation)
        if nested is None:
            return
        current = nested
        yield nested


def _nested_model(annotation: Any) -> type[Model] | None:
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _nested_model(arg)
        if found is not None:
            return found
    return None


def _field_hint(model: type[Model], loc: tuple[str | int, ...]) -> str:
    owner: type[Model] = model
    for nested in _walk(model, loc[:-1]):
        owner = nested
    name = loc[-1] if loc else None
    info = owner.model_fields.get(name) if isinstance(name, str) else None
    if info is None or not info.description:
        return ""
    return info.description[:1].lower() + info.description[1:].rstrip(".")
