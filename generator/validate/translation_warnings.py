"""Warnings about translations that have fallen behind the text they translate.

Field by field: a translation not stamped (`explainer translations stamp`), one stamped from
text that has changed since (stale, at the translated field and at its source, with the text
as it is now), and text written in the default language after the stamp that the translation
lacks (missing). A stamp written before stamps were kept per field (one `fingerprint` of the
whole item) is still read: it tells that the item changed, not which field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.errors import Location
from generator.models import TRANSLATED_FROM

if TYPE_CHECKING:
    from generator.validate.content import SiteContent
    from generator.validate.translations import TranslatedItem


@dataclass(frozen=True)
class TranslationWarning:
    """A translation not stamped, or stale: where, what, and how to fix it."""

    location: Location
    message: str
    hint: str
    title: str


def translation_warnings(content: SiteContent) -> list[TranslationWarning]:
    """Translated fields not stamped yet; stamped ones whose source text changed since (stale,
    at the translated field and at its source); and source text written after the stamp that
    the translation lacks (missing)."""
    warnings: list[TranslationWarning] = []
    default = content.languages[0]
    for language, translation in content.translations.items():
        items = [i for c in translation.cases.values() for i in c.items.values()]
        for item in [*items, *translation.glossary.values()]:
            warnings.extend(_item_warnings(item, language, default))
    return warnings


SHOWN_TEXT = 80
"""Source text longer than this is shortened in a stale warning, at a word."""


def shown_text(text: Any) -> str:
    """A field's source text on one line for a message: whole when short, else its beginning
    cut at a word; list entries joined by ` / ` (a key fact as `label: value`)."""
    if isinstance(text, list):
        entries = [
            ": ".join(str(v) for v in e.values()) if isinstance(e, dict) else str(e) for e in text
        ]
        text = " / ".join(entries)
    words = " ".join(str(text).split())
    if len(words) <= SHOWN_TEXT:
        return words
    cut = words[: SHOWN_TEXT - 1].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + " …"


def _item_warnings(item: TranslatedItem, language: str, default: str) -> list[TranslationWarning]:
    stamp = f"explainer translations stamp {language}"
    if item.stamp is None:
        return [
            TranslationWarning(
                item.at,
                f"this `{language}` translation is not stamped, so a later change to the text "
                "it translates would go unnoticed",
                f"run `{stamp}` once it is up to date",
                "Translation not stamped",
            )
        ]
    if isinstance(item.stamp, str):
        return _whole_item_warnings(item, language)
    warnings = []
    for name in item.stale_fields:
        source, translated = item.source_at[name], item.field_at[name]
        original = _source_field(name)
        its = "its source" if original == name else f"its source, `{original}`,"
        of = "" if original == name else f" (`{name}`)"
        warnings += [
            TranslationWarning(
                translated,
                f"`{name}` of this `{language}` translation is stale: {its} at {source} "
                f"changed after it was stamped, and now reads `{shown_text(item.now[name])}`",
                f"bring it up to date, then run `{stamp}`",
                "Stale translation",
            ),
            TranslationWarning(
                source,
                f"`{original}` changed after its `{language}` translation{of} was stamped, which "
                f"is now stale: {translated}",
                "update the translation too, then stamp it again",
                "Stale translation",
            ),
        ]
    for name in item.unstamped_fields:
        warnings.append(
            TranslationWarning(
                item.field_at[name],
                f"`{name}` of this `{language}` translation is not stamped (it was translated "
                "after the stamp), so a later change to its source would go unnoticed",
                f"run `{stamp}` once it is up to date",
                "Translation not stamped",
            )
        )
    for name in item.new_fields:
        source = item.source_at[name]
        warnings += [
            TranslationWarning(
                item.at,
                f"this `{language}` translation lacks `{name}`, written at {source} after it was "
                f"stamped: missing, not stale, so readers see it in `{default}`",
                f"translate `{name}` here, then run `{stamp}` (stamping alone leaves it in "
                f"`{default}`)",
                "Missing translation",
            ),
            TranslationWarning(
                source,
                f"`{name}` was written after this item's `{language}` translation was stamped, "
                f"and that translation lacks it: missing, not stale, at {item.at}",
                f"translate it there, then run `{stamp}`",
                "Missing translation",
            ),
        ]
    return warnings


def _source_field(name: str) -> str:
    """The source field a translated field translates (a quote's `translation`: its `text`)."""
    return next((m[name] for m in TRANSLATED_FROM.values() if name in m), name)


def _whole_item_warnings(item: TranslatedItem, language: str) -> list[TranslationWarning]:
    """A stale stamp of the whole item (written before stamps were kept per field), which
    cannot tell which of its fields changed."""
    names = item.stale_fields
    if not names:
        return []
    quoted = [f"`{n}`" for n in names]
    fields = " or ".join(filter(None, [", ".join(quoted[:-1]), *quoted[-1:]]))
    first = min(item.source_at[n] for n in names)
    return [
        TranslationWarning(
            item.at,
            f"this `{language}` translation is stale: the text it translates changed after it "
            f"was stamped (in {fields}), at {first}; its stamp is of the whole item, written "
            "before stamps were kept per field, so it cannot tell which",
            f"bring the translation up to date, then run `explainer translations stamp "
            f"{language}`, which stamps each field",
            "Stale translation",
        ),
        TranslationWarning(
            first,
            f"this text changed (in {fields}) after its `{language}` translation was stamped, "
            f"which is now stale: {item.at}",
            "update the translation too, then stamp it again",
            "Stale translation",
        ),
    ]
