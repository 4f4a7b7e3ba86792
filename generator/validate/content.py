"""Stage 2, validate: `RawContent` → `SiteContent`, or every mistake at once.

Each YAML document and collection item is checked against its model in `models`; pydantic's
errors are placed at `file:line:column` through the loader's source map and reworded for
editors. Ids must be lowercase slugs, unique within their collection (also ignoring case, since
they become URLs), and every reference must name an existing id of the right kind; a miss
gets a did-you-mean. Numbers that YAML 1.1 reads otherwise than an editor means (`010` as 8,
`0x1F`, `12:30` as 750, `.inf`, `yes` where a number belongs) are mistakes too, where they would
otherwise pass. All errors are collected, up to `MAX_COLLECTED_ERRORS`, and raised as one
`ContentErrors`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from generator.errors import (
    MAX_COLLECTED_ERRORS,
    ContentError,
    ContentErrors,
    Location,
    describe_value,
    did_you_mean,
    shorten,
)
from generator.load.content import COLLECTIONS, RawCase, RawContent, RawItem
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

M = TypeVar("M", bound=Model)

_SLUG = re.compile(SLUG_PATTERN)
RESERVED_CASE_SLUGS = {"static"}
PAGE_FOLDER = "page"
"""The folder that holds a list's further pages; no item of a paged list may have this id."""
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
    errors: list[ContentError] = _Collected()
    try:
        return _validate_site(raw, base_url, errors)
    except _EnoughErrors:
        raise ContentErrors(errors, complete=False) from None


class _EnoughErrors(Exception):
    """Raised once `MAX_COLLECTED_ERRORS` mistakes are found: no need to look for more."""


class _Collected(list[ContentError]):
    """The mistakes found, up to `MAX_COLLECTED_ERRORS`; adding more raises `_EnoughErrors`."""

    def append(self, error: ContentError) -> None:
        if len(self) >= MAX_COLLECTED_ERRORS:
            raise _EnoughErrors
        super().append(error)

    def extend(self, errors: Iterable[ContentError]) -> None:
        for error in errors:
            self.append(error)


def _validate_site(
    raw: RawContent, base_url: str | None, errors: list[ContentError]
) -> SiteContent:
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
    surprises: dict[int, bool] = {}
    for name in COLLECTIONS:
        model = COLLECTION_MODELS[name]
        items = raw_case.collections.get(name, [])
        validated[name] = []
        for item in items:
            result = _validate_item(item, model, errors, surprises)
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
        self.hints: dict[tuple[str, str], str] = {}
        """Each unknown id's hint, worked out once however often the id is used."""

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
            hint = self.hints.get((collection, ref))
            if hint is None:
                hint = self.hints[(collection, ref)] = (
                    did_you_mean(ref, self.known[collection])
                    or f"add it to {collection}.yaml or fix the id"
                )
            self.errors.append(
                ContentError(
                    item.locate(path),
                    f"unknown {_SINGULAR[collection]} `{shorten(ref)}` in `{field_name}`",
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


def _validate_item(
    item: RawItem,
    model: type[M],
    errors: list[ContentError],
    surprises: dict[int, bool] | None = None,
) -> M | None:
    """Validate one item against `model`, adding its mistakes to `errors`.

    `surprises` remembers, across the items of one validation, which parts of documents hold
    numbers YAML reads in a way an editor would not expect (see `_yaml_surprises`).
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
        errors.extend(_translate(detail, item, model) for detail in details)
        failed = {tuple(p for p in detail["loc"] if not _is_internal(p)) for detail in details}
        errors.extend(_yaml_surprises(item, model, failed, surprises))
        return None
    found = _yaml_surprises(item, model, set(), surprises)
    if found:
        errors.extend(found)
        return None
    return validated


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


def _yaml_surprises(
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
            if _is_number_field(model, path):
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


def _not_finite(name: str, text: str, value: float) -> tuple[str, str]:
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
        return _not_finite(name, text, value)
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


def _is_number_field(model: type[Model], path: tuple[str | int, ...]) -> bool:
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
        current = _nested_model(annotation)
    kinds = set(getattr(annotation, "__args__", ())) | {annotation}
    return bool(kinds & {int, float})


def _describe(model: type[Model]) -> str:
    return {"Site": "site.yaml", "Case": "case.yaml"}.get(
        model.__name__, f"a {model.__name__.lower()}"
    )


def _translate(detail: ErrorDetails, item: RawItem, model: type[Model]) -> ContentError:
    loc = tuple(part for part in detail["loc"] if not _is_internal(part))
    kind = detail["type"]
    name = shorten(next((str(p) for p in reversed(loc) if isinstance(p, str)), "value"))
    value = detail.get("input")
    written = item.written(loc)
    shown = written if written is not None else shorten(value)
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
        if str(value) == "":
            return ContentError(where, f"`{name}` is empty", _field_hint(model, loc))
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
    if kind == "string_too_short" or (kind == "too_short" and isinstance(value, str)):
        return ContentError(where, f"`{name}` is empty", "write the text or remove the field")
    if kind == "list_type":
        return ContentError(
            where,
            f"`{name}` should be a list, not {_as_written(value, written)}",
            "write each entry on a line starting with `- `",
        )
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return ContentError(
            where, f"`{name}` should be a mapping of fields, not {_as_written(value, written)}"
        )
    if kind in {"date_form", "date_value"}:
        message = detail["msg"]
        if written is not None:  # `12:30` rather than the 750 YAML reads it as
            message = message.replace(f"`{value}`", f"`{written}`")
        return ContentError(where, f"`{name}`: {message}")
    if kind == "string_too_long":
        return ContentError(
            where,
            f"`{name}` is too long: {len(str(value))} characters, at most {ctx.get('max_length')}",
            "shorten it",
        )
    if isinstance(value, float) and not math.isfinite(value):
        return ContentError(where, *_not_finite(name, str(shown), value))
    if kind == "finite_number":
        return ContentError(where, f"`{name}` should be a number, not `{shown}`")
    if kind in _BOUNDS:
        bound = ctx.get(_BOUNDS[kind][0])
        if isinstance(bound, float) and bound.is_integer():
            bound = int(bound)
        return ContentError(where, f"`{name}` should be {_BOUNDS[kind][1]} {bound}, not `{shown}`")
    if kind in {"bool_type", "bool_parsing"}:
        return ContentError(where, f"`{name}` should be true or false, not {_quoted(value, shown)}")
    if kind in {"int_type", "int_parsing", "float_type", "float_parsing", "int_from_float"}:
        return ContentError(where, f"`{name}` should be a number, not {_quoted(value, shown)}")
    message = detail["msg"]
    return ContentError(where, f"`{name}`: {message[:1].lower()}{message[1:]}")


def _quoted(value: Any, shown: str) -> str:
    """`shown` in backticks; a list or a mapping by its kind (its text would read as Python's)."""
    return describe_value(value) if isinstance(value, list | dict) else f"`{shown}`"


def _as_written(value: Any, written: str | None) -> str:
    """Name a value as the editor wrote it: `010`, not the 8 YAML reads it as."""
    if written is None or value is None:
        return describe_value(value)
    return f"the value `{shorten(written)}`"


_BOUNDS = {
    "greater_than": ("gt", "more than"),
    "greater_than_equal": ("ge", "at least"),
    "less_than": ("lt", "less than"),
    "less_than_equal": ("le", "at most"),
}


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
