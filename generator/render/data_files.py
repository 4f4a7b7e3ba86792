"""The files made without a template: a case's `data.json` and each poll's CSV.

`data.json` is serialized in Python rather than templated, in a stable key order; inside a
build, and from one build to the next in the preview, an unchanged item is neither encoded
nor hashed again (`CaseData`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress
from operator import ne
from typing import Any, TypeVar

from generator.digest import digest
from generator.plan.context import (
    CaseView,
    DocumentView,
    EventView,
    MediaView,
    PartyView,
    PeriodView,
    PollView,
    QuoteView,
    RulingView,
    SourceView,
    TermView,
    Tracked,
    case_views,
)

T = TypeVar("T", bound=Tracked)

JSON_BLOCK = 256
"""Items joined into one piece of a list's JSON: an edit joins again only its own block,
not 10 MB of quotes."""

_ITEM_SEPARATOR = b",\n    "


def case_data_json(view: CaseView) -> bytes:
    """Serialize the validated case as open data, in a stable key order."""
    return b"".join(CaseData().pieces(view, {})[0])


def case_data(view: CaseView) -> dict[str, Any]:
    """The open data of a case as one value (what `case_data_json` encodes)."""
    return {
        name: [value[1](v) for v in value[0]] if isinstance(value, tuple) else value
        for name, value in _case_data_members(view)
    }


_NO_IMAGE = {"image"}


def _case_data_members(view: CaseView) -> list[tuple[str, Any]]:
    """The members of a case's open data in key order: a value, or (views, item function)
    for a list with one entry per view."""
    members: list[tuple[str, Any]] = [
        # A case without a picture has data.json as before media existed.
        (
            "case",
            view.case.model_dump(
                mode="json", exclude=_NO_IMAGE if view.case.image is None else None
            ),
        ),
        ("events", (view.events, _event_data)),
        ("glossary", [_term_data(t) for t in view.glossary.terms]),
        ("parties", (view.parties, _party_data)),
        ("polls", (view.polls, _poll_data)),
        ("quotes", (view.quotes, _quote_data)),
        ("rulings", (view.rulings, _ruling_data)),
        ("slug", view.slug),
        ("sources", (view.sources, _source_data)),
    ]
    # A case without pictures or documents has data.json as before media existed: no
    # `media` or `documents` key.
    media = media_entries(view)
    if media:
        members.append(("media", (media, _media_data)))
    if view.documents:
        members.append(("documents", (view.documents, _document_data)))
    # Likewise a case without periods has no `periods` key.
    if view.periods:
        members.append(("periods", (view.periods, _period_data)))
    members.sort(key=lambda member: member[0])
    return members


def media_entries(view: CaseView) -> list[Tracked]:
    """The case's media items as `data.json` lists them, in the editor's order: the pictures
    pages show. Documents have a list of their own, `documents`."""
    return list(view.media)


def _media_data(m: Tracked) -> dict[str, Any]:
    """One media item's entry: what a reader is told about it, and its published files."""
    assert isinstance(m, MediaView)
    return {
        **_dump_fields(m, ("id", "alt", "caption", "credit", "licence")),
        "kind": "picture",
        "licence_url": m.licence_url,
        **_dump_fields(m, ("licence_note", "creator", "copyright_notice", "source")),
        "date": m.date.iso if m.date is not None else None,
        "width": m.width,
        "height": m.height,
        "files": [
            {"url": v.url, "width": v.width, "bytes": v.size, "type": kind}
            for variants, kind in ((m.modern, "image/webp"), (m.fallback, m.fallback_type))
            for v in variants
        ],
    }


def _with_pictures(data: dict[str, Any], **ids: MediaView | None) -> dict[str, Any]:
    """`data` with the id of each picture it names (`image`, `portrait`), none without."""
    for name, image in ids.items():
        if image is not None:
            data[name] = image.id
    return data


@dataclass
class _EncodedList:
    views: Sequence[Tracked]
    keys: list[str]
    fingerprints: list[bytes | None]
    items: list[bytes]
    digests: list[bytes]
    blocks: list[bytes]
    content: tuple[bytes, ...]
    digest: bytes


@dataclass
class CaseData:
    """Encodes cases' `data.json`, keeping each item's bytes while its fingerprint holds.

    A builder keeps one for the life of the site it builds; the fingerprints are the
    inputs' (`build.record`), given at each call. With no fingerprints nothing is kept.
    """

    encoded: dict[str, tuple[bytes | None, bytes, bytes]] = field(default_factory=dict)
    """Each item's encoded data by view key: the fingerprint it had, the bytes and their
    digest."""
    lists: dict[str, _EncodedList] = field(default_factory=dict)
    """The last encoding of each list of each case's data (`<case>/<member>`)."""
    views_of_case: dict[str, tuple[CaseView, tuple[str, ...]]] = field(default_factory=dict)

    def pieces(self, view: CaseView, inputs: Mapping[str, bytes]) -> tuple[list[bytes], bytes]:
        """The bytes of `data.json` in pieces, and a digest of them made from the pieces'.

        The text is exactly `json.dumps(case_data(view), indent=2, sort_keys=True)`,
        assembled from one piece per list so that an unchanged item is neither encoded nor
        hashed again, and an unchanged list not even joined again.
        """
        pieces: list[bytes] = [b"{\n"]
        digests: list[bytes] = []
        members = _case_data_members(view)
        for index, (name, value) in enumerate(members):
            pieces.append((("  " if index == 0 else ",\n  ") + f'"{name}": ').encode("utf-8"))
            if isinstance(value, tuple):
                encoded, list_digest = self._json_list(f"{view.slug}/{name}", inputs, *value)
                pieces.extend(encoded)
            else:
                pieces.append(_json(value, 1).encode("utf-8"))
                list_digest = digest(pieces[-1])
            digests.append(list_digest)
        pieces.append(b"\n}\n")
        return pieces, digest(b"".join(digests))

    def every_view(self, case: CaseView, inputs: Mapping[str, bytes]) -> tuple[str, ...]:
        """The keys of every view of a case, which its data shows; kept while the case view
        is the same object (a patch changes its views, never which ones)."""
        known = self.views_of_case.get(case.view_key)
        if known is not None and known[0] is case:
            return known[1]
        keys = tuple({view.view_key: None for view in case_views(case)})
        if inputs:
            self.views_of_case[case.view_key] = (case, keys)
        return keys

    def _json_list(
        self,
        name: str,
        inputs: Mapping[str, bytes],
        views: Sequence[T],
        data: Callable[[T], dict[str, Any]],
    ) -> tuple[tuple[bytes, ...], bytes]:
        """A JSON list of items in pieces, and a digest made from the items' digests.

        When the same items as last time are listed, only those whose fingerprint changed
        are encoded again, and only their blocks joined again; when other items are listed,
        unchanged items still come from `encoded`.
        """
        last = self.lists.get(name)
        if last is not None and last.views is views:
            keys = last.keys  # the same list object: a patch changes views, never which ones
        else:
            keys = [view.view_key for view in views]
        fingerprints = list(map(inputs.get, keys))
        known = None not in fingerprints
        if known and last is not None and last.keys == keys:
            if last.fingerprints == fingerprints:
                return last.content, last.digest
            items, digests, blocks = list(last.items), list(last.digests), list(last.blocks)
            changed = list(compress(range(len(keys)), map(ne, last.fingerprints, fingerprints)))
            for index in changed:
                items[index], digests[index] = self._item(views[index], fingerprints[index], data)
            for block in sorted({index // JSON_BLOCK for index in changed}):
                start = block * JSON_BLOCK
                blocks[block] = _ITEM_SEPARATOR.join(items[start : start + JSON_BLOCK])
        else:
            items, digests, blocks = [], [], []
            for start in range(0, len(views), JSON_BLOCK):
                encoded_block: list[bytes] = []
                for index in range(start, min(start + JSON_BLOCK, len(views))):
                    encoded, item_digest = self._item(views[index], fingerprints[index], data)
                    encoded_block.append(encoded)
                    digests.append(item_digest)
                blocks.append(_ITEM_SEPARATOR.join(encoded_block))
                if known:  # kept to join a block again after an edit; else gone with the block
                    items.extend(encoded_block)
        if blocks:
            joined = [piece for block in blocks for piece in (_ITEM_SEPARATOR, block)]
            content = (b"[\n    ", *joined[1:], b"\n  ]")
        else:
            content = (b"[]",)
        list_digest = digest(len(views).to_bytes(8, "big") + b"".join(digests))
        if known:
            self.lists[name] = _EncodedList(
                views, keys, fingerprints, items, digests, blocks, content, list_digest
            )
        return content, list_digest

    def _item(
        self, view: T, fingerprint: bytes | None, data: Callable[[T], dict[str, Any]]
    ) -> tuple[bytes, bytes]:
        """An item's encoded data and its digest, kept while its fingerprint holds."""
        cached = self.encoded.get(view.view_key) if fingerprint is not None else None
        if cached is not None and cached[0] == fingerprint:
            return cached[1], cached[2]
        encoded = _json(data(view), 2).encode("utf-8")
        item_digest = digest(encoded)
        if fingerprint is not None:
            self.encoded[view.view_key] = (fingerprint, encoded, item_digest)
        return encoded, item_digest


def _json(value: object, depth: int) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
    return text.replace("\n", "\n" + "  " * depth)


def _party_data(p: PartyView) -> dict[str, Any]:
    data = _dump_fields(p, ("id", "name", "kind", "role", "title", "side"))
    return _with_pictures(data, image=p.image, portrait=p.portrait)


_RULING_FIELDS = (
    "id",
    "title",
    "stage",
    "citation",
    "outcome",
    "outcome_plain",
    "holding",
    "next_step",
)


def _ruling_data(r: RulingView) -> dict[str, Any]:
    return _with_pictures(_ruling_fields(r), image=r.image)


def _ruling_fields(r: RulingView) -> dict[str, Any]:
    return {
        **_dump_fields(r, _RULING_FIELDS),
        "date": r.date.iso,
        "approximate": r.date.approximate,
        "court": r.court.id,
        "judges": [j.id for j in r.judges],
        "sources": [c.id for c in r.sources],
        **_document_ids(r.documents),
    }


def _document_ids(documents: list[DocumentView]) -> dict[str, Any]:
    """An event's or ruling's `documents` by id (their data is in the case's list, kept by
    their own fingerprints); nothing without any, as before documents existed."""
    return {"documents": [d.id for d in documents]} if documents else {}


def _document_data(d: DocumentView) -> dict[str, Any]:
    return {
        **_dump_fields(d, ("id", "title", "credit", "licence", "licence_note", "source", "pages")),
        "file": d.url,
        "excerpts": [
            {"page": x.page, "quote": x.quote, "sources": [c.id for c in x.sources], "url": x.url}
            for x in d.excerpts
        ],
    }


def _term_data(t: TermView) -> dict[str, Any]:
    return {
        **_dump_fields(t, ("id", "term", "forms", "definition")),
        "sources": [c.id for c in t.sources],
    }


def _event_data(e: EventView) -> dict[str, Any]:
    return _with_pictures(_event_fields(e), image=e.image)


def _event_fields(e: EventView) -> dict[str, Any]:
    return {
        **_dump_fields(e, ("id", "title", "kind", "body", "key")),
        "date": e.date.iso,
        "approximate": e.date.approximate,
        "parties": [p.id for p in e.parties],
        "quotes": [q.id for q in e.quotes],
        "sources": [c.id for c in e.sources],
        **_document_ids(e.documents),
        # Tags only where the event has some, as before tags existed.
        **({"tags": list(e.tags)} if e.tags else {}),
    }


def _period_data(p: PeriodView) -> dict[str, Any]:
    return {
        **_dump_fields(p, ("id", "title")),
        "start": p.start.iso,
        "start_approximate": p.start.approximate,
        "end": p.end.iso,
        "end_approximate": p.end.approximate,
        "body": p.body,
        "sources": [c.id for c in p.sources],
    }


def _quote_data(q: QuoteView) -> dict[str, Any]:
    return {
        **_dump_fields(q, ("id", "text", "speaker_role", "venue", "context", "key")),
        "speaker": q.speaker.id,
        "said_on": q.said_on.iso,
        "approximate": q.said_on.approximate,
        "sources": [c.id for c in q.sources],
        "verbatim_in": q.verbatim_in.id,
    }


def _poll_data(p: PollView) -> dict[str, Any]:
    fields = (
        "id",
        "title",
        "fieldwork",
        "published",
        "population",
        "sample_size",
        "margin_of_error",
        "mode",
    )
    return {
        **_dump_fields(p, fields),
        "questions": [
            {
                "id": q.id,
                "text": q.text,
                "wording": q.wording,
                "results": [{"answer": b.answer, "percent": b.percent} for b in q.results],
            }
            for q in p.questions
        ],
        "sources": [c.id for c in p.sources],
    }


def _source_data(s: SourceView) -> dict[str, Any]:
    fields = ("id", "title", "publisher", "author", "url", "published", "accessed", "note", "kind")
    return _dump_fields(s, fields)


def _dump_fields(item: object, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(item, name) for name in names}


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: str) -> str:
    """Neutralize cells a spreadsheet would run as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def poll_csv(poll: Any) -> bytes:
    """The poll's reported results, one row per answer."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["question_id", "question", "answer", "percent", "pollster", "fieldwork", "sample_size"]
    )
    for question in poll.questions:
        for bar in question.results:
            writer.writerow(
                [
                    question.id,
                    _csv_cell(question.text),
                    _csv_cell(bar.answer),
                    f"{bar.percent:g}",
                    _csv_cell(poll.pollster.label),
                    poll.fieldwork,
                    poll.sample_size,
                ]
            )
    return buffer.getvalue().encode("utf-8")
