"""Translations: the words of the content in the site's other languages, checked and applied.

Input: the loaded translation files (`events.de.yaml`, `events/<id>.de.yaml`, `case.de.yaml`,
`content/glossary.de.yaml`) and the validated default-language content. Output: one
`Translation` per language other than the default, and `translate()`, which gives the content
in one language. Errors (`ContentError`, located): a file for a language `languages` does not
list, an unknown id (with did-you-mean), a field that is not translatable (naming those that
are), a list whose length differs from the source's, a field the source does not have, and
whatever the field's model refuses.

Each translated item may carry `translated_from`, by field the `field_fingerprint` of the
default-language text it was translated from, or `untranslated` for a field left in the
default language (`explainer translations stamp`); each `TranslatedItem` compares its stamp
with the text as it is now, which `translation_warnings` reports.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from generator.dates import PartialDate  # noqa: TC001 (a dataclass field)
from generator.errors import ContentError, Location, did_you_mean
from generator.load.content import RawItem, RawSidecar
from generator.models import (
    TRANSLATABLE,
    TRANSLATED_FROM,
    TRANSLATION_MODELS,
    TRANSLATION_SOURCES,
    UNFINGERPRINTED,
    UNTRANSLATED,
    Model,
    Quote,
    Site,
)
from generator.validate.ids import _SINGULAR
from generator.validate.items import check_item

if TYPE_CHECKING:
    from generator.load.content import RawCase, RawContent
    from generator.validate.content import CaseContent, SiteContent

ItemKey = tuple[str, str]
"""(collection, id) of a translated item; the case itself is ("case", its slug)."""
SAME_LENGTH = {("case", "in_brief"), ("case", "questions"), ("case", "key_facts")}
SAME_LENGTH |= {("polls", "questions")}
"""Lists translated item by item: a translation has as many entries as the source, in order."""
_CREDIT = ("translated_by", "translated_on")
"""case.<lang>.yaml's credit of the translation, which translates no field."""


@dataclass(frozen=True)
class Credit:
    """Who translated a case into a language, and when (case.<lang>.yaml)."""

    translated_by: str
    translated_on: PartialDate


@dataclass(frozen=True)
class TranslatedItem:
    """One item's translated fields, with where they and their source are written."""

    fields: dict[str, Any]
    """The translated fields, validated, as plain values (`key_facts` as mappings)."""
    stamp: dict[str, str] | str | None
    """Its `translated_from`: by field, a fingerprint or `untranslated`; a fingerprint of the
    whole item when stamped before stamps were kept per field; None when not stamped yet."""
    fingerprints: dict[str, str]
    """By field the source has text in (each field a translation would translate), the
    fingerprint of that text as it is now."""
    at: Location
    """Its `translated_from` when stamped, else the item itself."""
    field_at: dict[str, Location]
    """Where each translated field is written (its key), by field."""
    source_at: dict[str, Location]
    """Where each field of `fingerprints` is written in the source (its key), by field."""
    now: dict[str, Any] = field(repr=False, compare=False)
    """The source text of each field of `fingerprints`, as it is now."""
    sidecar: RawItem = field(repr=False, compare=False)
    """The item in its translation file."""
    source: RawItem = field(repr=False, compare=False)
    """The item in the default language's file."""
    item_fingerprint: str = ""
    """For a stamp of the whole item: the `fingerprint` of the source text it translates now."""
    credit: Credit | None = None
    """For case.<lang>.yaml: who translated the case, and when."""

    @property
    def wanted_stamp(self) -> dict[str, str]:
        """The stamp that says the translation is up to date with the source as it is now."""
        return {
            name: digest if name in self.fields else UNTRANSLATED
            for name, digest in self.fingerprints.items()
        }

    @property
    def stale_fields(self) -> list[str]:
        """The translated fields stamped from source text that has changed since (for a stamp of
        the whole item, all its fields when any changed)."""
        stamp = self.stamp
        if isinstance(stamp, str):
            changed = stamp != self.item_fingerprint
            return [n for n in self.fields if n in self.fingerprints] if changed else []
        if stamp is None:
            return []
        return [
            name
            for name in self.fields
            if name in self.fingerprints
            and stamp.get(name, UNTRANSLATED) not in (UNTRANSLATED, self.fingerprints[name])
        ]

    @property
    def unstamped_fields(self) -> list[str]:
        """Translated fields a per-field stamp does not cover (translated after it was written)."""
        if not isinstance(self.stamp, dict):
            return []
        stamp = self.stamp
        covered = [n for n in self.fields if n in self.fingerprints]
        return [n for n in covered if stamp.get(n, UNTRANSLATED) == UNTRANSLATED]

    @property
    def new_fields(self) -> list[str]:
        """Fields with text in the source that a per-field stamp does not know and the
        translation lacks: written in the default language after the stamp (missing)."""
        if not isinstance(self.stamp, dict):
            return []
        stamp = self.stamp
        return [n for n in self.fingerprints if n not in self.fields and n not in stamp]

    @property
    def stale(self) -> bool:
        """Stamped, and a field it translates has changed in the source since."""
        return bool(self.stale_fields)

    @property
    def not_stamped(self) -> bool:
        """Not stamped, or a translated field is not."""
        return self.stamp is None or bool(self.unstamped_fields)


@dataclass(frozen=True)
class CaseTranslation:
    """One case's translation into one language."""

    credit: Credit | None
    items: dict[ItemKey, TranslatedItem]


@dataclass(frozen=True)
class Translation:
    """The content's translation into one language other than the default."""

    language: str
    cases: dict[str, CaseTranslation]
    glossary: dict[str, TranslatedItem] = field(default_factory=dict)
    """The site-wide glossary's terms (`content/glossary.<lang>.yaml`), by id."""


def field_fingerprint(text: Any) -> str:
    """The first 8 hex digits of the sha256 of one field's source text, as canonical JSON."""
    written = json.dumps(text, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(written.encode("utf-8")).hexdigest()[:8]


def fingerprint(source: Model, collection: str, fields: Iterable[str]) -> str:
    """The first 12 hex digits of the sha256 of the source text of `fields`, as canonical JSON:
    the stamp of a whole item, as written before stamps were kept per field."""
    values = {
        name: source_text(source, collection, name)
        for name in fields
        if name not in UNFINGERPRINTED
    }
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def source_text(source: Model, collection: str, name: str) -> Any:
    """The default-language text that translated field `name` of `source` translates."""
    value = getattr(source, TRANSLATED_FROM.get(collection, {}).get(name, name))
    if (collection, name) == ("case", "key_facts"):
        return [{"label": fact.label, "value": fact.value} for fact in value]
    if (collection, name) == ("polls", "questions"):
        return [{"text": question.text} for question in value]
    return value


def translatable_fields(source: Model, collection: str, language: str, default: str) -> list[str]:
    """The translatable fields `source` has text in, which a translation into `language`
    would translate."""
    names = []
    for name in TRANSLATABLE[collection]:
        if name in UNFINGERPRINTED:
            continue
        if name == "translation":
            assert isinstance(source, Quote)
            if (source.language or default) != language:
                names.append(name)
            continue
        if source_text(source, collection, name):
            names.append(name)
    return names


def check_languages(item: RawItem | None, site: Site | None, errors: list[ContentError]) -> None:
    """Report a `language` that is not the first of `languages`, and a language listed twice."""
    if item is None or site is None or not isinstance(item.data, dict):
        return
    written = item.data.get("languages")
    if not isinstance(written, list) or not written:
        return
    language = item.data.get("language")
    if language is not None and language != written[0]:
        errors.append(
            ContentError(
                item.locate(("language",)),
                f"`language` is `{language}`, but `languages` starts with `{written[0]}`",
                "delete `language`: the first of `languages` is the default language",
            )
        )
    seen: set[Any] = set()
    for index, value in enumerate(written):
        if value in seen:
            errors.append(
                ContentError(
                    item.locate(("languages", index)),
                    f"`{value}` is listed twice in `languages`",
                    "delete the second one",
                )
            )
        seen.add(value)


def check_quote_translations(
    raw: RawContent, site: Site, cases: Iterable[CaseContent], errors: list[ContentError]
) -> None:
    """Report a translation in quotes.yaml of words already in the site's default language
    (translations into other languages go in quotes.<lang>.yaml)."""
    default = site.languages[0] if site.languages else site.language
    raw_cases = {c.slug: c for c in raw.cases}
    for case in cases:
        items = raw_cases[case.slug].collections.get("quotes", [])
        for quote, item in zip(case.quotes, items, strict=False):
            if quote.translation is not None and (quote.language or default) == default:
                errors.append(
                    ContentError(
                        item.locate_key(("translation",)),
                        f"the quote `{quote.id}` is in `{default}`, the site's default "
                        "language, so `translation` has nothing to translate",
                        "give the words' own language in `language`, or put a translation "
                        "into another language in quotes.<lang>.yaml",
                    )
                )


def validate_translations(
    raw: RawContent,
    site: Site,
    cases: Iterable[CaseContent],
    errors: list[ContentError],
) -> dict[str, Translation]:
    """Check every translation file against the content; return the translations by language."""
    raw_cases = {c.slug: c for c in raw.cases}
    if not raw.glossary_sidecars and not any(c.sidecars for c in raw.cases):
        return {}  # a site without translations pays nothing more
    default, others = site.languages[0], site.languages[1:]
    found: dict[str, Translation] = {language: Translation(language, {}, {}) for language in others}
    site_terms = {_id(i): i for i in raw.glossary}
    site_models = {t.id: t for c in cases for t in c.glossary}
    for sidecar in raw.glossary_sidecars:
        if _known_language(sidecar, default, others, errors):
            sources: dict[str, tuple[Model, RawItem]] = {
                k: (site_models[k], v) for k, v in site_terms.items() if k in site_models
            }
            for key, item in _translated_items(sidecar, sources, default, errors):
                found[sidecar.language].glossary[key[1]] = item
    for case in cases:
        raw_case = raw_cases[case.slug]
        sources_of = _case_sources(raw_case, case)
        for sidecar in raw_case.sidecars:
            if not _known_language(sidecar, default, others, errors):
                continue
            translation = found[sidecar.language]
            items = translation.cases.setdefault(case.slug, CaseTranslation(None, {})).items
            sources = sources_of.get(sidecar.collection) or {}
            for key, item in _translated_items(sidecar, sources, default, errors):
                items[key] = item
                if item.credit is not None:
                    translation.cases[case.slug] = replace(
                        translation.cases[case.slug], credit=item.credit
                    )
    return found


def _id(item: RawItem) -> str:
    return str(item.data.get("id")) if isinstance(item.data, dict) else ""


def _case_sources(
    raw_case: RawCase, case: CaseContent
) -> dict[str, dict[str, tuple[Model, RawItem]]]:
    """Each collection's validated items with their raw items, by id; the case under its slug."""
    sources: dict[str, dict[str, tuple[Model, RawItem]]] = {}
    if raw_case.case is not None:
        sources["case"] = {case.slug: (case.case, raw_case.case)}
    for name in TRANSLATABLE:
        if name == "case":
            continue
        models: Iterable[Model] = getattr(case, name)
        raw_items = raw_case.collections.get(name, [])
        # Validation keeps the editor's order; a case's glossary has its own terms first.
        sources[name] = {m.id: (m, r) for m, r in zip(models, raw_items, strict=False)}  # type: ignore[attr-defined]
    return sources


def _known_language(
    sidecar: RawSidecar, default: str, others: list[str], errors: list[ContentError]
) -> bool:
    if sidecar.language in others:
        return True
    name = sidecar.item.document.file.rsplit("/", 1)[-1]
    where = Location(sidecar.item.document.file)
    if sidecar.language == default:
        errors.append(
            ContentError(
                where,
                f"`{name}` is a translation into `{default}`, the site's default language",
                "its words belong in the default file itself; delete or rename this one",
            )
        )
    else:
        listed = ", ".join(f"`{language}`" for language in others) or "none"
        errors.append(
            ContentError(
                where,
                f"`{name}` is a translation into `{sidecar.language}`, which site.yaml's "
                f"`languages` does not list (other languages: {listed})",
                f"add `{sidecar.language}` to `languages` in site.yaml, or rename or delete "
                "the file",
            )
        )
    return False


def _translated_items(
    sidecar: RawSidecar,
    sources: dict[str, tuple[Model, RawItem]],
    default: str,
    errors: list[ContentError],
) -> Iterator[tuple[ItemKey, TranslatedItem]]:
    """The valid items of one translation file, reporting the mistakes of the others."""
    collection = sidecar.collection
    if collection == "case":
        [slug] = sources or [""]
        entries: list[tuple[str, RawItem, Location | None]] = [(slug, sidecar.item, None)]
    elif sidecar.ident is not None:
        entries = [(sidecar.ident, sidecar.item, Location(sidecar.item.document.file))]
    else:
        data = sidecar.item.data
        entries = [
            (str(key), _sub(sidecar.item, key), sidecar.item.locate_key((key,))) for key in data
        ]
    for ident, item, id_at in entries:
        known = sources.get(ident)
        if known is None:
            assert id_at is not None
            errors.append(_unknown_id(collection, ident, id_at, sources))
            continue
        translated = _translated_item(
            collection, ident, item, known, sidecar.language, default, errors
        )
        if translated is not None:
            yield (collection, ident), translated


def _sub(item: RawItem, key: Any) -> RawItem:
    return RawItem(item.data[key], item.document, (*item.path, key))


def _unknown_id(
    collection: str, ident: str, at: Location, sources: dict[str, tuple[Model, RawItem]]
) -> ContentError:
    what = _SINGULAR.get(collection, collection)
    hint = did_you_mean(ident, sources)
    return ContentError(
        at,
        f"no {what} has the id `{ident}`, so there is nothing here to translate",
        hint or f"a translation of {collection} is keyed by the ids in {collection}.yaml",
    )


def _translated_item(
    collection: str,
    ident: str,
    item: RawItem,
    known: tuple[Model, RawItem],
    language: str,
    default: str,
    errors: list[ContentError],
) -> TranslatedItem | None:
    source, source_item = known
    model = TRANSLATION_MODELS[collection]
    start = len(errors)
    if isinstance(item.data, dict):
        allowed = [n for n in model.model_fields]
        for key in item.data:
            if key not in model.model_fields:
                errors.append(_not_translatable(collection, str(key), item, allowed))
        data = {k: v for k, v in item.data.items() if k in model.model_fields}
        if len(data) != len(item.data):
            item = RawItem(data, item.document, item.path)
    if len(errors) > start:
        check_item(item, model, errors)
        return None
    validated = check_item(item, model, errors)
    if validated is None:
        return None
    written = validated.model_dump(exclude_unset=True)
    meta = ("translated_from", *_CREDIT) if collection == "case" else ("translated_from",)
    fields = {k: v for k, v in written.items() if k not in meta}
    stamp = written.get("translated_from")
    for name, value in fields.items():
        stamped = isinstance(stamp, dict) and stamp.get(name, UNTRANSLATED) != UNTRANSLATED
        _check_field(
            collection, ident, name, value, item, known, (language, default), stamped, errors
        )
    if len(errors) > start:
        return None
    now = {
        name: source_text(source, collection, name)
        for name in translatable_fields(source, collection, language, default)
    }
    keys = [n for n in fields if n not in UNFINGERPRINTED]
    return TranslatedItem(
        fields=fields,
        stamp=stamp,
        fingerprints={name: field_fingerprint(text) for name, text in now.items()},
        at=item.locate(("translated_from",)) if stamp is not None else item.locate_key(()),
        field_at={n: item.locate_key((n,)) for n in keys},
        source_at={
            n: source_item.locate_key((TRANSLATED_FROM.get(collection, {}).get(n, n),)) for n in now
        },
        now=now,
        item_fingerprint=fingerprint(source, collection, keys) if isinstance(stamp, str) else "",
        sidecar=item,
        source=source_item,
        credit=Credit(written["translated_by"], getattr(validated, "translated_on"))  # noqa: B009 - a date, not its dumped text
        if collection == "case"
        else None,
    )


def _not_translatable(collection: str, key: str, item: RawItem, allowed: list[str]) -> ContentError:
    listed = ", ".join(f"`{n}`" for n in allowed if n not in ("translated_from", *_CREDIT))
    only = (
        f"a translation of {'the case' if collection == 'case' else collection} holds only {listed}"
    )
    file = "case.yaml" if collection == "case" else f"{collection}.yaml"
    source = TRANSLATION_SOURCES[collection]
    if key in source.model_fields:
        return ContentError(
            item.locate_key((key,)),
            f"`{key}` cannot be translated: ids, dates, references, figures and names are "
            f"written once, in {file}",
            only,
        )
    hint = did_you_mean(key, allowed, cutoff=0.8)
    return ContentError(item.locate_key((key,)), f"unknown field `{key}`", hint or only)


def _check_field(
    collection: str,
    ident: str,
    name: str,
    value: Any,
    item: RawItem,
    known: tuple[Model, RawItem],
    languages: tuple[str, str],
    stamped: bool,
    errors: list[ContentError],
) -> None:
    """Report a translated field whose source has no text (no longer, when it was `stamped`),
    or a list of another length."""
    if name in UNFINGERPRINTED:
        return
    source, source_item = known
    language, default = languages
    what = "case.yaml" if collection == "case" else f"the {_SINGULAR[collection]} `{ident}`"
    original = source_text(source, collection, name)
    if name == "translation":
        assert isinstance(source, Quote)
        if (source.language or default) == language:
            errors.append(
                ContentError(
                    item.locate_key((name,)),
                    f"the quote `{ident}` is in `{language}` already, so its words need no "
                    "translation into it",
                    "delete `translation`",
                )
            )
        return
    if not original and stamped:
        errors.append(
            ContentError(
                item.locate_key((name,)),
                f"translates `{name}`, which {what} no longer has: it was removed from "
                f"{source_item.locate()} after this translation was stamped",
                f"delete `{name}` here too, or write it in the default language again",
            )
        )
    elif not original:
        errors.append(
            ContentError(
                item.locate_key((name,)),
                f"translates `{name}`, which {what} does not have",
                f"delete `{name}` here, or write it in the default language first",
            )
        )
    elif (collection, name) in SAME_LENGTH and len(value) != len(original):
        errors.append(
            ContentError(
                item.locate_key((name,)),
                f"`{name}` has {len(value)} {'entry' if len(value) == 1 else 'entries'}, "
                f"but {what} has {len(original)}",
                "translate each entry, in the same order",
            )
        )


def translate(content: SiteContent, language: str) -> SiteContent:
    """The content in `language`: translated fields in place of the default language's, and
    in each case the items that fall back to the default language (`CaseContent.fallback`).

    A quote's words stay as said: its translation goes into `translation` and `translated_by`.
    """
    default = content.languages[0]
    if language == default:
        return content
    translation = content.translations.get(language) or Translation(language, {}, {})
    cases = tuple(_translate_case(case, translation, language, default) for case in content.cases)
    glossary = tuple(
        _apply(t, "glossary", translation.glossary.get(t.id)) for t in content.glossary
    )
    return replace(content, cases=cases, glossary=glossary)


def translate_item(
    content: SiteContent, language: str, slug: str, collection: str, model: Any
) -> Any:
    """An item of a collection of case `slug` in `language`, as `translate` gives it."""
    translation = content.translations.get(language) or Translation(language, {}, {})
    own = translation.cases.get(slug) or CaseTranslation(None, {})
    default = content.languages[0]
    return _translate_one(model, collection, model.id, own, translation, language, default)[0]


def _translate_one(
    model: Any,
    collection: str,
    ident: str,
    own: CaseTranslation,
    translation: Translation,
    language: str,
    default: str,
) -> tuple[Any, bool]:
    found = own.items.get((collection, ident))
    if found is None and collection == "glossary":
        found = translation.glossary.get(ident)
    wanted = translatable_fields(model, collection, language, default)
    falls_back = bool(wanted) and (found is None or any(n not in found.fields for n in wanted))
    if collection == "quotes" and model.language == language and model.translation:
        # Words said in this language need no translation on its pages.
        model = model.model_copy(update={"translation": None, "translated_by": None})
    return _apply(model, collection, found), falls_back


def _translate_case(
    case: CaseContent, translation: Translation, language: str, default: str
) -> CaseContent:
    own = translation.cases.get(case.slug) or CaseTranslation(None, {})
    fallback: set[ItemKey] = set()

    def one(model: Any, collection: str, ident: str) -> Any:
        translated, falls_back = _translate_one(
            model, collection, ident, own, translation, language, default
        )
        if falls_back:
            fallback.add((collection, ident))
        return translated

    changes: dict[str, Any] = {"case": one(case.case, "case", case.slug)}
    for name in TRANSLATABLE:
        if name != "case":
            changes[name] = tuple(one(m, name, m.id) for m in getattr(case, name))
    return replace(case, **changes, fallback=frozenset(fallback), translation_credit=own.credit)


def _apply(model: Any, collection: str, found: TranslatedItem | None) -> Any:
    if found is None:
        return model
    update = dict(found.fields)
    if collection == "case" and "key_facts" in update:
        update["key_facts"] = [
            fact.model_copy(update=words)
            for fact, words in zip(model.key_facts, update["key_facts"], strict=True)
        ]
    if collection == "polls" and "questions" in update:
        update["questions"] = [
            question.model_copy(update=words)
            for question, words in zip(model.questions, update["questions"], strict=True)
        ]
    return model.model_copy(update=update)
