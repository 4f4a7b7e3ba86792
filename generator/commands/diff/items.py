"""What changed in the content, item by item: items added, removed, renamed and changed,
and for a changed item each field, before and after, as a reader would name them.

The comparison is of validated items, not of lines: reordering items or rewriting the YAML
in another style changes nothing here. A renamed item is one removed and one added whose
fields, but for the id, are equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from generator.commands.diff.words import WordRun, word_diff
from generator.dates import PartialDate
from generator.errors import Location, shorten
from generator.load.content import COLLECTIONS, RawContent, RawItem
from generator.models import Model
from generator.validate.content import CaseContent, SiteContent
from generator.validate.ids import CASE_REFERENCES, REFERENCES

Change = Literal["added", "removed", "renamed", "changed"]
FieldKind = Literal["words", "date", "reference", "value"]
SITE_WIDE = ""
"""The `case` of what belongs to no case: site.yaml and the site-wide glossary."""
LABEL_FIELDS = ("name", "title", "term", "text", "label", "file")
"""The field that names an item to a reader, the first an item has."""


@dataclass(frozen=True)
class FieldChange:
    """One field of an item, before and after, each as readers see it (None: not set)."""

    field: str
    kind: FieldKind
    before: str | None
    after: str | None
    words: tuple[WordRun, ...] = ()
    """For `words`: the runs of words removed, added and kept."""
    added: tuple[str, ...] = ()
    """For a list of references: the entries only after the change, as `before` shows them."""
    removed: tuple[str, ...] = ()
    """For a list of references: the entries only before the change."""


@dataclass(frozen=True)
class ItemChange:
    case: str
    """The case's slug; `SITE_WIDE` for site.yaml and the site-wide glossary."""
    collection: str
    """A collection's name, or `case` for case.yaml, `site` for site.yaml."""
    change: Change
    id: str
    label: str
    """What readers call the item: a name, a title, a quote's words (shortened)."""
    location: Location | None = None
    """Where the item is written: after the change, or before it for a removed item."""
    old_id: str | None = None
    """The id it had before, for a renamed item."""
    fields: tuple[FieldChange, ...] = ()
    language: str | None = None
    """For a change of a translation file: the language; None for the content itself."""

    @property
    def group(self) -> str:
        """The heading reports list it under: its case (or the site) and collection, and
        the language of a translation's change."""
        place = "site-wide" if self.case == SITE_WIDE else self.case
        language = f" ({self.language} translation)" if self.language else ""
        return f"{place} · {self.collection}{language}"


@dataclass(frozen=True)
class _Item:
    model: Model
    raw: RawItem | None
    file_digest: bytes = b""
    """For a media item: the digest of its file's bytes."""


Items = dict[tuple[str, str, str], _Item]
"""Every item of a version, by (case, collection, id)."""


def item_changes(
    before: SiteContent, before_raw: RawContent, after: SiteContent, after_raw: RawContent
) -> list[ItemChange]:
    """Every item added, removed, renamed or changed between two versions, in the order of
    the cases, collections and items after the change (removed ones at the end of theirs)."""
    old, new = _items(before, before_raw), _items(after, after_raw)
    names = _Names(old, new)
    old_groups, new_groups = _by_group(old), _by_group(new)
    changes: list[ItemChange] = []
    for group in dict.fromkeys([*new_groups, *old_groups]):
        before_items, after_items = old_groups.get(group, {}), new_groups.get(group, {})
        changes.extend(_group_changes(group, before_items, after_items, names))
    changes.extend(_translation_changes(before, after, new, names))
    return changes


def _items(content: SiteContent, raw: RawContent) -> Items:
    found: Items = {}
    found[(SITE_WIDE, "site", "site")] = _Item(content.site, raw.site)
    for term, raw_term in zip(content.glossary, raw.glossary, strict=False):
        found[(SITE_WIDE, "glossary", term.id)] = _Item(term, raw_term)
    raw_cases = {case.slug: case for case in raw.cases}
    for case in content.cases:
        raw_case = raw_cases[case.slug]
        found[(case.slug, "case", case.slug)] = _Item(case.case, raw_case.case)
        for name in COLLECTIONS:
            raw_items = raw_case.collections.get(name, [])
            models = _collection(case, name, len(raw_items))
            digests = case.media_digests if name == "media" else ()
            for index, (model, raw_item) in enumerate(zip(models, raw_items, strict=False)):
                held = digests[index] if index < len(digests) else b""
                found[(case.slug, name, model.id)] = _Item(model, raw_item, held)  # type: ignore[attr-defined]
    return found


def _collection(case: CaseContent, name: str, count: int) -> tuple[Model, ...]:
    models: tuple[Model, ...] = getattr(case, name)
    # A case's glossary lists its own terms first, then the site-wide ones it does not replace.
    return models[:count] if name == "glossary" else models


def _by_group(items: Items) -> dict[tuple[str, str], dict[str, _Item]]:
    """The items of each (case, collection), by id, in order."""
    grouped: dict[tuple[str, str], dict[str, _Item]] = {}
    for (case, collection, ident), item in items.items():
        grouped.setdefault((case, collection), {})[ident] = item
    return grouped


def _group_changes(
    group: tuple[str, str], before: dict[str, _Item], after: dict[str, _Item], names: _Names
) -> list[ItemChange]:
    case, collection = group
    added = [i for i in after if i not in before]
    removed = [i for i in before if i not in after]
    renamed: dict[str, str] = {}
    for new_id in added:
        for old_id in removed:
            if old_id not in renamed.values() and _same_but_id(
                before[old_id].model, after[new_id].model
            ):
                renamed[new_id] = old_id
                break
    changes = []
    for ident, item in after.items():
        change: Change = "changed"
        fields: tuple[FieldChange, ...] = ()
        if ident in renamed:
            change = "renamed"
        elif ident not in before:
            change = "added"
        else:
            fields = _item_changes(case, collection, before[ident], item, names)
            if not fields:
                continue
        label, where, was = names.label(item.model, ident), _where(item), renamed.get(ident)
        changes.append(ItemChange(case, collection, change, ident, label, where, was, fields))
    for ident in removed:
        if ident not in renamed.values():
            item = before[ident]
            label = names.label(item.model, ident)
            changes.append(ItemChange(case, collection, "removed", ident, label, _where(item)))
    return changes


FILE_CONTENTS = "file contents"
"""The field a media item's file, changed under the same name, is reported as."""


def _file_change(before: bytes, after: bytes) -> FieldChange:
    """A media item's file replaced: named by the beginning of each version's digest."""
    return FieldChange(FILE_CONTENTS, "value", before.hex()[:12] or None, after.hex()[:12] or None)


def _item_changes(
    case: str, collection: str, before: _Item, after: _Item, names: _Names
) -> tuple[FieldChange, ...]:
    """The fields of an item that changed, and its file. Most items of a version are equal
    to their earlier selves, which is told at once without going through their fields."""
    fields: tuple[FieldChange, ...] = ()
    if before.model != after.model:
        fields = _field_changes(case, collection, before.model, after.model, names)
    if before.file_digest != after.file_digest:
        fields += (_file_change(before.file_digest, after.file_digest),)
    return fields


def _where(item: _Item) -> Location | None:
    return item.raw.locate() if item.raw is not None else None


def _same_but_id(before: Model, after: Model) -> bool:
    if type(before) is not type(after):
        return False
    return before.model_copy(update={"id": getattr(after, "id", None)}) == after


def _field_changes(
    case: str, collection: str, before: Model, after: Model, names: _Names
) -> tuple[FieldChange, ...]:
    references = _references(collection)
    changes = []
    for name in type(after).model_fields:
        old, new = getattr(before, name, None), getattr(after, name, None)
        if old == new:
            continue
        if name in references:
            target = references[name]
            gone = [i for i in old or () if i not in (new or ())] if isinstance(old, list) else []
            came = [i for i in new or () if i not in (old or ())] if isinstance(new, list) else []
            changes.append(
                FieldChange(
                    name,
                    "reference",
                    names.references(case, target, old, before=True),
                    names.references(case, target, new, before=False),
                    added=tuple(names.reference(case, target, i, before=False) for i in came),
                    removed=tuple(names.reference(case, target, i, before=True) for i in gone),
                )
            )
        elif isinstance(old, PartialDate) or isinstance(new, PartialDate):
            changes.append(FieldChange(name, "date", _date(old), _date(new)))
        elif isinstance(old, str) and isinstance(new, str):
            changes.append(FieldChange(name, "words", old, new, word_diff(old, new)))
        else:
            changes.append(FieldChange(name, "value", shown_value(old), shown_value(new)))
    return tuple(changes)


def _references(collection: str) -> dict[str, str]:
    """The fields of a collection's items that name other items, with their collection."""
    listed = CASE_REFERENCES if collection == "case" else REFERENCES.get(collection, ())
    return {r.path[0]: r.collection for r in listed if len(r.path) == 1}


def _date(value: Any) -> str | None:
    return value.display if isinstance(value, PartialDate) else shown_value(value)


def shown_value(value: Any) -> str | None:
    """A value as one line of text: a list's entries and a mapping's fields separated."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, PartialDate):
        return value.display
    if isinstance(value, Model):
        value = {k: v for k, v in value if v not in (None, [], "")}
    if isinstance(value, dict):
        return "{" + "; ".join(f"{k}: {shown_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(shown_value(v) or "" for v in value) + "]"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _Names:
    """What readers call each item, before and after the change."""

    def __init__(self, old: Items, new: Items) -> None:
        self.old, self.new = old, new

    def label(self, model: Model, ident: str) -> str:
        for name in LABEL_FIELDS:
            value = getattr(model, name, None)
            if isinstance(value, str) and value:
                return shorten(value)
        return ident

    def references(self, case: str, collection: str, ids: Any, before: bool) -> str | None:
        if ids is None:
            return None
        listed = ids if isinstance(ids, list) else [ids]
        shown = [self.reference(case, collection, ident, before) for ident in listed]
        return ", ".join(shown) if shown else "none"

    def reference(self, case: str, collection: str, ident: str, before: bool) -> str:
        """One referenced item as `Its name (its-id)`, named as in the version it is in."""
        item = (self.old if before else self.new).get((case, collection, ident))
        name = self.label(item.model, ident) if item is not None else None
        return f"{name} ({ident})" if name and name != ident else ident


def _translation_changes(
    before: SiteContent, after: SiteContent, items: Items, names: _Names
) -> list[ItemChange]:
    """Changes of translation files: each translated item's fields, by language; each
    item named as the default language names it."""

    def label(key: tuple[str, str, str]) -> str:
        item = items.get(key)
        return names.label(item.model, key[2]) if item is not None else key[2]

    changes = []
    for language in dict.fromkeys([*after.translations, *before.translations]):
        old_items = _translated(before, language)
        new_items = _translated(after, language)
        for key, (fields, where) in new_items.items():
            case, collection, ident = key
            if key not in old_items:
                changes.append(
                    ItemChange(
                        case, collection, "added", ident, label(key), where, language=language
                    )
                )
                continue
            old_fields = old_items[key][0]
            changed = tuple(
                _translated_field(name, old_fields.get(name), fields.get(name))
                for name in dict.fromkeys([*fields, *old_fields])
                if old_fields.get(name) != fields.get(name)
            )
            if changed:
                changes.append(
                    ItemChange(
                        case,
                        collection,
                        "changed",
                        ident,
                        label(key),
                        where,
                        None,
                        changed,
                        language,
                    )
                )
        for key, (_, where) in old_items.items():
            if key not in new_items:
                case, collection, ident = key
                changes.append(
                    ItemChange(
                        case, collection, "removed", ident, label(key), where, language=language
                    )
                )
    return changes


def _translated(
    content: SiteContent, language: str
) -> dict[tuple[str, str, str], tuple[dict[str, Any], Location]]:
    translation = content.translations.get(language)
    if translation is None:
        return {}
    found = {}
    for slug, case in translation.cases.items():
        for (collection, ident), item in case.items.items():
            found[(slug, collection, ident)] = (item.fields, item.sidecar.locate())
    for ident, item in translation.glossary.items():
        found[(SITE_WIDE, "glossary", ident)] = (item.fields, item.sidecar.locate())
    return found


def _translated_field(name: str, before: Any, after: Any) -> FieldChange:
    if isinstance(before, str) and isinstance(after, str):
        return FieldChange(name, "words", before, after, word_diff(before, after))
    return FieldChange(name, "value", shown_value(before), shown_value(after))
