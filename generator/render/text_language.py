"""The language of words on a page in another, written by templates as `lang` and `dir`.

Views mark such words with a `TextLanguage` (words never translated, on a page in another
language) or an `Untranslated` (an item shown in the default language's words): see
generator/plan/languages.py. These filters write nothing where there is no mark, so a page in
the default language is as it would be without them: `{{ party.language|lang_of }}`,
`{{ quote.venue|in_lang(quote.venue_language) }}`, `{{ event.untranslated|lang_of("body") }}`.
Filters rather than template macros or functions, which a sandboxed template calls through
checks: they are applied to a dozen fragments on every page.
"""

from __future__ import annotations

from markupsafe import Markup

from generator.plan.languages import TextLanguage, Untranslated

Mark = TextLanguage | Untranslated | None
_NOTHING = Markup("")


def _field_mark(mark: Mark, field: str | None) -> Mark:
    """An `Untranslated` item's mark for one of its fields: none where that one is translated."""
    if field is not None and isinstance(mark, Untranslated):
        return mark.of(field)
    return mark


def lang_of(mark: Mark, field: str | None = None) -> Markup:
    """` lang="…" dir="…"` for the element holding marked words; nothing without a mark."""
    mark = _field_mark(mark, field)
    if mark is None:
        return _NOTHING
    return Markup(' lang="%s" dir="%s"') % (mark.language, mark.dir)


def in_lang(text: object, mark: Mark, field: str | None = None) -> object:
    """`text` in a span of its language where a mark says it is not the page's, else as it is
    (for the template to escape as it writes it)."""
    mark = _field_mark(mark, field)
    if mark is None:
        return text
    return Markup('<span lang="%s" dir="%s">%s</span>') % (mark.language, mark.dir, text)


def mark_of(mark: Untranslated | None, fields: list[str]) -> Markup:
    """The short "not yet translated" note after an item in a list, where any of the item's
    `fields` shown there is in the default language's words."""
    if mark is None or all(name in mark.translated for name in fields):
        return _NOTHING
    return Markup(' <span class="untranslated-mark">%s</span>') % mark.mark
