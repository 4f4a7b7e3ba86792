"""The preview's shortcut: apply an edit of wording alone to the last plan, without replanning.

Most saves while writing change the words of an item — a quote's text, an event's body, a
ruling's holding — and nothing that other items are built from (ids, dates, references,
names and titles, which links and sort orders use). Such an edit changes only the item's own
view and, for a quote, its own page's title, share links and card; the build record then finds
the pages that read that view. Any other edit returns None and the build plans again.

`LOCAL_FIELDS` lists, per collection, the fields whose value appears nowhere but in the
item's own view (`resolve.case_view`) and own page (`plan`); keep it in step with them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import compress
from operator import is_not
from typing import Any

from generator.load.content import RawCase, RawContent, RawItem
from generator.load.media_files import MediaFile
from generator.models import TRANSLATABLE, Event, Party, Quote, Ruling, Source
from generator.plan.case_pages import refresh_quote_page
from generator.plan.context import QuoteView, Tracked, not_reported
from generator.plan.languages import Language, site_languages
from generator.plan.pages import Page
from generator.plan.site import SitePlan
from generator.plan.timeline import first_sentence
from generator.strings import words_language
from generator.validate.content import CaseContent, SiteContent, validate_item
from generator.validate.translations import translatable_fields, translate_item

LOCAL_FIELDS: dict[str, frozenset[str]] = {
    # Not `speaker_role`: the lists of quotes say a speaker's role once (`plan.quote_lists`).
    "quotes": frozenset({"text", "context", "note", "venue"}),
    "events": frozenset({"body"}),
    "rulings": frozenset({"holding", "outcome", "outcome_plain", "next_step", "citation"}),
    "parties": frozenset({"summary"}),
    "sources": frozenset({"note", "author"}),
}
VIEW_PREFIX = {
    "quotes": "QuoteView",
    "events": "EventView",
    "rulings": "RulingView",
    "parties": "PartyView",
    "sources": "SourceView",
}


@dataclass
class Built:
    """What the last successful build was made of, for the next one to start from."""

    raw: RawContent | None
    """None when the builder does not keep it (see `build.SiteBuilder`)."""
    content: SiteContent
    plan: SitePlan
    views: dict[str, Tracked]
    pages: dict[str, Page]


@dataclass(frozen=True)
class Patched:
    views: list[Tracked]
    pages: list[Page]


@dataclass(frozen=True)
class Patch:
    """An edit of wording, validated and ready to apply to the build it was made for."""

    built: Built
    raw: RawContent
    content: SiteContent
    """The content with the edited items in place."""
    targets: list[tuple[Tracked, Any, Party | None, str]]
    """Each view the edit changes, with the item as its language shows it, its speaker so
    shown (for a quote) and the language of the words."""

    def apply(self) -> Patched:
        """Write the edit into the views and pages of the build, in place."""
        built = self.built
        views: list[Tracked] = []
        pages: list[Page] = []
        for view, shown, speaker, words in self.targets:
            _APPLY[type(shown).__name__](view, shown, speaker, words)
            views.append(view)
            if isinstance(view, QuoteView):
                page = built.pages[view.url + "index.html"]
                refresh_quote_page(page, view, self.content.site)
                pages.append(page)
        built.content = self.content
        built.raw = self.raw
        return Patched(views, pages)


def patch(built: Built, raw: RawContent) -> Patched | None:
    """Apply edits of local fields to `built` in place; None for any other edit.

    Raises `ContentErrors` for an invalid edited item, before changing anything.
    """
    found = find_patch(built, raw)
    return None if found is None else found.apply()


def find_patch(built: Built, raw: RawContent) -> Patch | None:
    """The edits of local fields from `built` to `raw`, validated; None for any other edit.

    On a site in several languages the edit shows in each language's view of the item: the
    edited words where that language falls back to them, its own where it translates them.
    An edit that adds or empties a translatable field changes what falls back, and plans again.

    Raises `ContentErrors` for an invalid edited item.
    """
    if built.raw is None:
        return None
    edits = _local_edits(built.raw, raw)
    if edits is None:
        return None
    validated = [
        (case, name, index, validate_item(item, name)) for case, name, index, item in edits
    ]
    content = built.content
    codes = site_languages(content.site)
    languages = [Language(code, codes) for code in codes] if len(codes) > 1 else [None]
    targets: list[tuple[Tracked, Any, Party | None, str]] = []
    cases = list(content.cases)
    for case_index, name, index, model in validated:
        case = cases[case_index]
        items: list[Any] = list(getattr(case, name))
        before, items[index] = items[index], model
        cases[case_index] = case = replace(case, **{name: tuple(items)})  # type: ignore[arg-type]
        for language in languages:
            target = _target(built, case, name, before, model, language)
            if target is None:
                return None
            targets.append(target)
    return Patch(built, raw, replace(content, cases=tuple(cases)), targets)


def _target(
    built: Built,
    case: CaseContent,
    name: str,
    before: Any,
    model: Any,
    language: Language | None,
) -> tuple[Tracked, Any, Party | None, str] | None:
    """The view of the edited item in `language` (in the site's only one for None), the item as
    that language shows it, its speaker so shown (for a quote) and the language of the words;
    None when the edit changes which of its fields fall back there."""
    content = built.content
    ident = getattr(model, "id")  # noqa: B009 - every collection model has one
    speaker = (
        next(p for p in case.parties if p.id == model.speaker) if isinstance(model, Quote) else None
    )
    prefix = "" if language is None else language.prefix
    words = words_language(content.site.language if language is None else language.code)
    shown = model
    if language is not None and not language.is_default and name in TRANSLATABLE:
        code, default = language.code, language.languages[0]
        if translatable_fields(model, name, code, default) != translatable_fields(
            before, name, code, default
        ):
            return None
        shown = translate_item(content, code, case.slug, name, model)
        if speaker is not None:
            speaker = translate_item(content, code, case.slug, "parties", speaker)
    view = built.views.get(f"{VIEW_PREFIX[name]}:{prefix}{case.slug}/{_url_part(name, ident)}")
    return None if view is None else (view, shown, speaker, words)


def _url_part(name: str, ident: str) -> str:
    if name == "events":
        return f"timeline/{ident}/"
    if name == "sources":
        return f"sources/#{ident}"
    return f"{name}/{ident}/"


def _local_edits(
    before: RawContent, after: RawContent
) -> list[tuple[int, str, int, RawItem]] | None:
    """The items whose local fields alone changed, or None if anything else changed."""
    if _data(before.site) != _data(after.site) or len(before.cases) != len(after.cases):
        return None
    if [i.data for i in before.glossary] != [i.data for i in after.glossary]:
        return None
    if _sidecars(before) != _sidecars(after):
        return None  # a translation changed: not a local edit of the default language
    edits = []
    for case_index, (old, new) in enumerate(zip(before.cases, after.cases, strict=True)):
        if old.slug != new.slug or _data(old.case) != _data(new.case):
            return None
        if old.collections.keys() != new.collections.keys():
            return None
        if _media_files(old) != _media_files(new):  # processed again when planning
            return None
        for name, new_items in new.collections.items():
            old_items = old.collections[name]
            if len(old_items) != len(new_items):
                return None
            local = LOCAL_FIELDS.get(name)
            for index in compress(range(len(new_items)), map(is_not, old_items, new_items)):
                old_item, new_item = old_items[index], new_items[index]
                if old_item.data == new_item.data:
                    continue
                if local is None or not _same_except(old_item.data, new_item.data, local):
                    return None
                edits.append((case_index, name, index, new_item))
    return edits


def _sidecars(raw: RawContent) -> list[tuple[str, str, str | None, Any]]:
    """The translation files' contents, to compare two loads by."""
    found = [(s.language, s.collection, s.ident, s.item.data) for s in raw.glossary_sidecars]
    for case in raw.cases:
        found += [(s.language, s.collection, s.ident, s.item.data) for s in case.sidecars]
    return found


def _media_files(case: RawCase) -> dict[str, MediaFile] | None:
    """The files of a case's media folder, wherever the folder is (a review compares two)."""
    return None if case.media is None else case.media.files


def _data(item: RawItem | None) -> Any:
    return None if item is None else item.data


def _same_except(old: Any, new: Any, local: frozenset[str]) -> bool:
    if not isinstance(old, dict) or not isinstance(new, dict):
        return False
    return {k: v for k, v in old.items() if k not in local} == {
        k: v for k, v in new.items() if k not in local
    }


def _quote(view: Any, quote: Quote, speaker: Party | None, _language: str) -> None:
    assert speaker is not None
    view.text, view.context, view.note, view.venue = (
        quote.text,
        quote.context,
        quote.note,
        quote.venue,
    )
    view.speaker_role = quote.speaker_role or speaker.title or speaker.role


def _ruling(view: Any, ruling: Ruling, _speaker: Party | None, language: str) -> None:
    view.holding, view.outcome, view.next_step = ruling.holding, ruling.outcome, ruling.next_step
    view.outcome_plain = ruling.outcome_plain
    view.citation = ruling.citation or not_reported(language)


def _party(view: Any, party: Party, _speaker: Party | None, _language: str) -> None:
    view.summary = party.summary


def _event(view: Any, event: Event, _speaker: Party | None, _language: str) -> None:
    view.body = event.body
    view.line, _ = first_sentence(event.body)


def _source(view: Any, source: Source, _speaker: Party | None, _language: str) -> None:
    view.note, view.author = source.note, source.author


_APPLY: dict[str, Callable[[Any, Any, Party | None, str], None]] = {
    "Quote": _quote,
    "Event": _event,
    "Ruling": _ruling,
    "Party": _party,
    "Source": _source,
}
"""By the model's class: what each writes into its item's view."""
