"""Ids across a case: the case's folder name and every item id a valid address, unique within
its collection (also ignoring case, since ids become URLs), and every reference naming an
existing id of the right kind, a miss getting a did-you-mean.

These checks read the raw data, so an item that failed its model still gets its ids and
references checked and the editor sees every mistake in one run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator.errors import ContentError, Location, did_you_mean, shorten
from generator.load.content import COLLECTIONS, RawCase, RawItem
from generator.models import SLUG_PATTERN

_SLUG = re.compile(SLUG_PATTERN)
RESERVED_CASE_SLUGS = {"static"}
PAGE_FOLDER = "page"
"""The folder that holds a list's further pages; no item of a paged list may have this id."""
RESERVED_IDS = {
    "events": {"kind", "party", "key", PAGE_FOLDER},
    "quotes": {"speaker", "year", PAGE_FOLDER},
}
"""Ids whose addresses belong to the timeline's filters or to a long list's further pages."""
_A_ITEM = {"events": "an event", "quotes": "a quote"}
_LIST_NAME = {"events": "timeline's filters and pages", "quotes": "quotes' pages"}
"""Event pages live at timeline/<id>/, beside the timeline's filter pages."""
_SINGULAR = {
    "parties": "party",
    "rulings": "ruling",
    "events": "event",
    "periods": "period",
    "quotes": "quote",
    "polls": "poll",
    "sources": "source",
    "glossary": "term",
    "media": "media item",
}


def check_case_folder(raw_case: RawCase, errors: list[ContentError]) -> None:
    """Report a case folder whose name is reserved or not a valid id."""
    if raw_case.slug in RESERVED_CASE_SLUGS:
        errors.append(
            ContentError(
                Location(raw_case.folder),
                f"a case folder may not be called `{raw_case.slug}`: the site uses that address",
                "rename the folder",
            )
        )
    elif not _SLUG.match(raw_case.slug):
        where = raw_case.case.locate() if raw_case.case else None
        errors.append(
            ContentError(
                where or Location(raw_case.folder),
                f"case folder name `{raw_case.slug}` is not a valid id",
                "use lowercase letters, digits and hyphens, e.g. `microsoft-ireland`",
            )
        )


def check_reserved_ids(raw_case: RawCase, errors: list[ContentError]) -> None:
    """Report events and quotes whose id is an address of their list (`RESERVED_IDS`)."""
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


def check_unique_ids(name: str, items: list[RawItem], errors: list[ContentError]) -> None:
    """Report each item of collection `name` whose id an earlier item has, also ignoring case."""
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


def check_unique(
    item: RawItem,
    path: tuple[str | int, ...],
    ids: list[str],
    noun: str,
    errors: list[ContentError],
) -> None:
    """Report each repeated id in the list at `path` of `item` (a case's conflicts, a poll's
    questions)."""
    seen: set[str] = set()
    for index, ident in enumerate(ids):
        if ident in seen:
            errors.append(
                ContentError(item.locate(path + (index, "id")), f"duplicate {noun} id `{ident}`")
            )
        seen.add(ident)


@dataclass(frozen=True)
class Reference:
    """A field that names items of another collection; `*` stands for every list index."""

    path: tuple[str, ...]
    collection: str
    kinds: frozenset[str] = frozenset()


REFERENCES: dict[str, tuple[Reference, ...]] = {
    "parties": (
        Reference(("member_of",), "parties"),
        Reference(("sources",), "sources"),
        Reference(("image",), "media"),
        Reference(("portrait",), "media"),
    ),
    "rulings": (
        Reference(("court",), "parties", frozenset({"court"})),
        Reference(("judges",), "parties", frozenset({"person"})),
        Reference(("favours",), "parties"),
        Reference(("sources",), "sources"),
        Reference(("image",), "media"),
        Reference(("documents",), "media"),
    ),
    "events": (
        Reference(("parties",), "parties"),
        Reference(("ruling",), "rulings"),
        Reference(("quotes",), "quotes"),
        Reference(("sources",), "sources"),
        Reference(("image",), "media"),
        Reference(("documents",), "media"),
    ),
    "periods": (Reference(("sources",), "sources"),),
    "quotes": (
        Reference(("speaker",), "parties"),
        Reference(("sources",), "sources"),
        Reference(("verbatim_in",), "sources"),
    ),
    "polls": (
        Reference(("pollster",), "parties"),
        Reference(("commissioned_by",), "parties"),
        Reference(("sources",), "sources"),
        Reference(("questions", "*", "sources"), "sources"),
    ),
    "sources": (),
    "glossary": (Reference(("sources",), "sources"),),
    "media": (Reference(("excerpts", "*", "sources"), "sources"),),
}
"""The references of each collection's items."""
CASE_REFERENCES = (
    Reference(("sources",), "sources"),
    Reference(("key_facts", "*", "sources"), "sources"),
    Reference(("conflicts", "*", "sources"), "sources"),
    Reference(("image",), "media"),
)
"""The references of case.yaml."""


class References:
    """Resolves ids against the case's collections and reports misses with a did-you-mean."""

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

    def check(self, item: RawItem, references: tuple[Reference, ...]) -> None:
        """Report every id that `item` names in `references` and the case lacks."""
        for reference in references:
            for path, ref in _values_at(item.data, reference.path, ()):
                self._one(item, path, ref, reference)

    def _one(
        self, item: RawItem, path: tuple[str | int, ...], ref: str, reference: Reference
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


_LISTED = 5
"""How many of a quote's sources a hint lists."""


def check_verbatim_in(item: RawItem, known_sources: set[str], errors: list[ContentError]) -> None:
    """Report a quote whose `verbatim_in` is a source of the case but not one of the quote's
    own `sources`.

    A source the case lacks, in either field, is reported as an unknown source; until the
    editor fixes it, which of the two fields is wrong cannot be told."""
    data = item.data
    if not isinstance(data, dict):
        return
    verbatim_in, sources = data.get("verbatim_in"), data.get("sources")
    if not isinstance(verbatim_in, str) or not isinstance(sources, list):
        return
    own = [s for s in sources if isinstance(s, str)]
    if not own or verbatim_in in own or not set(own) | {verbatim_in} <= known_sources:
        return
    listed = ", ".join(f"`{shorten(s)}`" for s in own[:_LISTED]) + (", …" * (len(own) > _LISTED))
    hint = (
        did_you_mean(verbatim_in, own)
        or f"name one of them ({listed}), or add `{shorten(verbatim_in)}` to `sources`"
    )
    errors.append(
        ContentError(
            item.locate(("verbatim_in",)),
            f"`verbatim_in` should name one of the quote's sources, but `{shorten(verbatim_in)}`"
            " is not among them",
            hint,
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


def _raw_ids(items: list[RawItem]) -> set[str]:
    return {
        i.data["id"]
        for i in items
        if isinstance(i.data, dict) and isinstance(i.data.get("id"), str)
    }
