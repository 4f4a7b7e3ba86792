"""Stage 2, validate: `RawContent` → `SiteContent`, or every mistake at once.

Each YAML document and collection item is checked against its model in `models`; pydantic's
errors are placed at `file:line:column` through the loader's source map and reworded for
editors (`pydantic_errors`). Ids must be lowercase slugs, unique within their collection (also
ignoring case, since they become URLs), and every reference must name an existing id of the
right kind; a miss gets a did-you-mean (`ids`). Numbers that YAML 1.1 reads otherwise than an
editor means (`010` as 8, `0x1F`, `12:30` as 750, `.inf`, `yes` where a number belongs) are
mistakes too, where they would otherwise pass (`yaml_numbers`). A media item's file must be
in the case's media folder and be what its name says (`media`). All errors are collected, up to
`MAX_COLLECTED_ERRORS`, and raised as one `ContentErrors`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from generator.errors import MAX_COLLECTED_ERRORS, ContentError, ContentErrors, Location
from generator.load.content import COLLECTIONS, MediaFolder, RawCase, RawContent, RawItem
from generator.models import (
    COLLECTION_MODELS,
    Case,
    Event,
    Media,
    Party,
    Period,
    Poll,
    Quote,
    Ruling,
    Site,
    Source,
    Term,
)
from generator.validate.glossary import case_glossary, check_site_glossary
from generator.validate.ids import (
    CASE_REFERENCES,
    PAGE_FOLDER,
    REFERENCES,
    RESERVED_CASE_SLUGS,
    References,
    check_case_folder,
    check_reserved_ids,
    check_unique,
    check_unique_ids,
    check_verbatim_in,
)
from generator.validate.items import check_item, validate_item
from generator.validate.media import check_media, check_media_uses, check_portraits
from generator.validate.translations import (
    Credit,
    ItemKey,
    Translation,
    check_languages,
    check_quote_translations,
    validate_translations,
)

__all__ = [
    "PAGE_FOLDER",
    "RESERVED_CASE_SLUGS",
    "CaseContent",
    "SiteContent",
    "validate_content",
    "validate_item",
]


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
    periods: tuple[Period, ...] = ()
    """The named spans the timeline shows over the events they hold, as written."""
    glossary: tuple[Term, ...] = ()
    """The case's own terms, then the site-wide terms it does not replace (`glossary`)."""
    media: tuple[Media, ...] = ()
    """The case's pictures and documents, their files checked to be in its media folder."""
    media_folder: str | None = None
    """The case's media folder, which each media item's `file` is relative to; None when
    the case has none (and so no media)."""
    media_files_at: tuple[Location, ...] = ()
    """Where each media item's `file` is written, in the order of `media`: the build
    reports there a file it cannot process."""
    media_digests: tuple[bytes, ...] = ()
    """The digest of each media item's file as loaded, in the order of `media`: the build
    finds a picture's processed files by it without reading the file again."""
    fallback: frozenset[ItemKey] = frozenset()
    """In a translated case (`translate`): the items, as (collection, id) and ("case", slug)
    for the case itself, with text not translated into its language, shown in the default
    language."""
    translation_credit: Credit | None = None
    """In a translated case: who translated it, and when (case.<lang>.yaml)."""

    def prose(self) -> list[str]:
        """The case's Markdown fields that pages show as prose, whose glossary terms they
        link, in the editor's order (the terms' own definitions are not among them)."""
        texts = [self.case.summary, *self.case.in_brief]
        texts += [u.text for u in self.case.updates] + [c.text for c in self.case.conflicts]
        texts += [p.summary for p in self.parties if p.summary]
        texts += [r.holding for r in self.rulings] + [e.body for e in self.events]
        texts += [p.body for p in self.periods if p.body]
        texts += [q.context for q in self.quotes if q.context]
        texts += [p.summary for p in self.polls if p.summary]
        texts += [m.caption for m in self.media if m.caption]
        return texts


@dataclass(frozen=True)
class SiteContent:
    """The whole validated site: settings and every case."""

    site: Site
    cases: tuple[CaseContent, ...]
    glossary: tuple[Term, ...] = ()
    """The site-wide terms (`content/glossary.yaml`), already part of each case's glossary."""
    languages: tuple[str, ...] = ()
    """The site's languages, the default first (site.yaml's `languages`)."""
    translations: dict[str, Translation] = field(default_factory=dict)
    """The translations into each language but the default, by language."""

    def __post_init__(self) -> None:
        if not self.languages:
            object.__setattr__(self, "languages", tuple(self.site.languages))


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
    site = check_item(site_item, Site, errors) if site_item is not None else None
    check_languages(site_item, site, errors)
    glossary = _validate_site_glossary(raw.glossary, errors)
    cases = []
    for raw_case in raw.cases:
        case = _validate_case(raw_case, glossary, errors)
        if case is not None:
            cases.append(case)
    if site is not None:
        check_quote_translations(raw, site, cases, errors)
        translations = validate_translations(raw, site, cases, errors)
    if errors or site is None:
        raise ContentErrors(errors)
    return SiteContent(site, tuple(cases), glossary, tuple(site.languages), translations)


def _validate_site_glossary(items: list[RawItem], errors: list[ContentError]) -> tuple[Term, ...]:
    """The site-wide terms, each checked against its model and the glossary's rules."""
    if not items:
        return ()
    validated = []
    for item in items:
        term = check_item(item, Term, errors)
        if term is not None:
            validated.append((term, item))
    check_unique_ids("glossary", items, errors)
    case_glossary((), validated, errors)
    return check_site_glossary(validated, errors)


def _validate_case(
    raw_case: RawCase, site_glossary: tuple[Term, ...], errors: list[ContentError]
) -> CaseContent | None:
    start = len(errors)
    check_case_folder(raw_case, errors)
    case = check_item(raw_case.case, Case, errors) if raw_case.case is not None else None
    validated = _validate_collections(raw_case, errors)
    check_reserved_ids(raw_case, errors)
    references = References(raw_case, errors)
    if raw_case.case is not None:
        references.check(raw_case.case, CASE_REFERENCES)
        if case is not None:
            ids = [c.id for c in case.conflicts]
            check_unique(raw_case.case, ("conflicts",), ids, "conflict", errors)
    for name in COLLECTIONS:
        for item in raw_case.collections.get(name, []):
            references.check(item, REFERENCES[name])
    for item in raw_case.collections.get("quotes", []):
        check_verbatim_in(item, references.known["sources"], errors)
    for poll, item in validated["polls"]:
        _check_poll(poll, item, errors)
    for period, item in validated["periods"]:
        _check_period(period, item, errors)
    check_media(validated["media"], raw_case.media, errors)
    check_portraits(validated["parties"], errors)
    users = [*validated["parties"], *validated["rulings"], *validated["events"]]
    if case is not None and raw_case.case is not None:
        users.append((case, raw_case.case))
    check_media_uses(users, validated["media"], errors)
    glossary = case_glossary(site_glossary, validated["glossary"], errors)
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
        periods=tuple(p for p, _ in validated["periods"]),
        glossary=glossary,
        media=tuple(m for m, _ in validated["media"]),
        media_folder=raw_case.media.folder if raw_case.media is not None else None,
        media_files_at=tuple(item.locate(("file",)) for _, item in validated["media"]),
        media_digests=_media_digests(raw_case.media, [m for m, _ in validated["media"]]),
    )


def _media_digests(folder: MediaFolder | None, media: list[Media]) -> tuple[bytes, ...]:
    files = folder.files if folder is not None else {}
    found = (files.get(PurePosixPath(m.file).as_posix()) for m in media)
    return tuple(f.digest if f is not None else b"" for f in found)


def _validate_collections(
    raw_case: RawCase, errors: list[ContentError]
) -> dict[str, list[tuple[Any, RawItem]]]:
    """Validate each collection's items and check their ids unique; return the valid ones."""
    validated: dict[str, list[tuple[Any, RawItem]]] = {}
    surprises: dict[int, bool] = {}
    for name in COLLECTIONS:
        model = COLLECTION_MODELS[name]
        items = raw_case.collections.get(name, [])
        validated[name] = []
        for item in items:
            result = check_item(item, model, errors, surprises)
            if result is not None:
                validated[name].append((result, item))
        check_unique_ids(name, items, errors)
    return validated


def _check_poll(poll: Poll, item: RawItem, errors: list[ContentError]) -> None:
    check_unique(item, ("questions",), [q.id for q in poll.questions], "question", errors)
    if poll.fieldwork is not None and poll.fieldwork.end < poll.fieldwork.start:
        errors.append(
            ContentError(
                item.locate(("fieldwork", "end")),
                f"fieldwork ends ({poll.fieldwork.end}) before it starts ({poll.fieldwork.start})",
            )
        )


def _check_period(period: Period, item: RawItem, errors: list[ContentError]) -> None:
    if period.end.last_sort_key < period.start.sort_key:
        errors.append(
            ContentError(
                item.locate(("end",)),
                f"period ends ({period.end}) before it starts ({period.start})",
                "swap the dates, or correct the one that is wrong",
            )
        )
