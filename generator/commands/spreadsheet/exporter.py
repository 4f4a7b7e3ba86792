"""`explainer export`: a case's items as a spreadsheet, or as TimelineJS reads a timeline.

- `csv` and `xlsx`: our own columns (the model's fields, `id` first), one row per item in the
  order of the content, cells written as `explainer import` reads them back, so that an export
  imported again changes nothing.
- `timelinejs-csv`: the TimelineJS template's columns, then `id` and our own columns for the
  fields the template has no column for (`kind`, `sources`…), which TimelineJS ignores: the
  case's title row, one row per event, one `era` row per period. Text cells hold the HTML the
  site makes of the Markdown; Media holds the media item's id.
- `timelinejs-json`: TimelineJS's own JSON, to load with `new TL.Timeline(…, data)` without
  Google Sheets. TimelineJS puts `headline` and `text` into the page as HTML, so titles are
  escaped and bodies are the site's own sanitized HTML: nothing an editor writes can run
  there. A picture's `url` is its file under `media/`, beside the page that shows the
  timeline.

Content is read with the project's load and validate, so an export of content with errors
stops with the usual messages.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from generator.commands.spreadsheet.columns import cell_text, own_columns
from generator.commands.spreadsheet.tables import guarded
from generator.commands.spreadsheet.timelinejs import TIMELINEJS_COLUMNS
from generator.dates import PartialDate
from generator.errors import ExplainerError, did_you_mean
from generator.load.content import load_content
from generator.models import Event, Media
from generator.render.markdown import markdown_to_html
from generator.validate.content import CaseContent, validate_content

Format = Literal["csv", "xlsx", "timelinejs-csv", "timelinejs-json"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx", "timelinejs-csv", "timelinejs-json")
KINDS = ("events", "quotes", "parties", "sources")
"""The collections exported; the TimelineJS formats export the timeline (`events`)."""
TEXT_FORMATS = ("csv", "timelinejs-csv", "timelinejs-json")


class ExportError(ExplainerError):
    """The export cannot be made as asked (a case or format that does not fit)."""

    exit_code = 2


def export_case(content_dir: Path, kind: str, slug: str, format: Format) -> str | bytes:
    """The export of collection `kind` of case `slug`: text for csv and the TimelineJS
    formats, bytes for xlsx. Raises `ContentErrors` when the content has errors and
    `ExportError` when the case or the format does not fit."""
    if kind not in KINDS:
        raise ExportError(f"`{kind}` cannot be exported — export one of {', '.join(KINDS)}")
    if format.startswith("timelinejs") and kind != "events":
        raise ExportError(f"--format {format} exports the timeline — run `explainer export events`")
    content = validate_content(load_content(content_dir))
    cases = {case.slug: case for case in content.cases}
    case = cases.get(slug)
    if case is None:
        hint = did_you_mean(slug, cases) or f"the cases are: {', '.join(sorted(cases))}"
        raise ExportError(f"there is no case `{slug}` in {content_dir} — {hint}")
    if format == "csv":
        return _csv([own_columns(kind), *_own_rows(case, kind)])
    if format == "xlsx":
        return _xlsx(kind, [own_columns(kind), *_own_rows(case, kind)])
    if format == "timelinejs-csv":
        return _csv([timelinejs_header(), *_timelinejs_rows(case)])
    return json.dumps(timelinejs_json(case), indent=2, ensure_ascii=False) + "\n"


def _own_rows(case: CaseContent, kind: str) -> Iterator[list[str]]:
    columns = own_columns(kind)
    for item in getattr(case, kind):
        yield [cell_text(column, getattr(item, column)) for column in columns]


def _csv(rows: Sequence[Sequence[str]]) -> str:
    """Rows as CSV, each cell `guarded`: a spreadsheet opening the file runs no formula."""
    out = io.StringIO()
    csv.writer(out).writerows([guarded(cell) for cell in row] for row in rows)
    return out.getvalue()


def _xlsx(kind: str, rows: Sequence[Sequence[str]]) -> bytes:
    try:
        from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        raise ExportError(
            "writing XLSX needs openpyxl — install it with `pip install 'case-explainer[xlsx]'`"
        ) from None
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = kind
    for row in rows:
        sheet.append(list(row))  # every cell as text, so a date stays `2014-07` on the way back
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"  # text, never a formula, whatever it starts with
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


TIMELINE_FIELDS = ("date", "title", "body", "image", "tags")
"""Event fields the template's own columns hold (Year…, Headline, Text, Media, Group)."""


def timelinejs_header() -> list[str]:
    """The template's columns, then `id` and our own columns for the event fields it has no
    column for (`kind`, `sources`…): TimelineJS ignores them, and import reads them back."""
    own = [c for c in own_columns("events") if c != "id" and c not in TIMELINE_FIELDS]
    return [*TIMELINEJS_COLUMNS, "id", *own]


def _timelinejs_rows(case: CaseContent) -> Iterator[list[str]]:
    """The template's rows: the title row, each event, each period as an era."""
    header = timelinejs_header()

    def row(cells: dict[str, str]) -> list[str]:
        return [cells.get(column, "") for column in header]

    yield row(
        {
            "Headline": _headline(case.case.title),
            "Text": markdown_to_html(case.case.summary),
            "Type": "title",
        }
    )
    for event in case.events:
        own = {c: cell_text(c, getattr(event, c)) for c in header[len(TIMELINEJS_COLUMNS) :]}
        yield row(
            {
                **_date_cells(event.date, ""),
                "Display Date": event.date.display if event.date.approximate else "",
                "Headline": _headline(event.title),
                "Text": markdown_to_html(event.body),
                "Media": event.image or "",
                "Group": _group(event),
                **own,
            }
        )
    for period in case.periods:
        yield row(
            {
                **_date_cells(period.start, ""),
                **_date_cells(period.end, "End "),
                "Display Date": period.start.display if period.start.approximate else "",
                "Headline": _headline(period.title),
                "Text": markdown_to_html(period.body) if period.body else "",
                "Type": "era",
                "id": period.id,
                "sources": cell_text("sources", period.sources),
            }
        )


def _date_cells(date: PartialDate, prefix: str) -> dict[str, str]:
    return {
        f"{prefix}Year": str(date.year),
        f"{prefix}Month": str(date.month or ""),
        f"{prefix}Day": str(date.day or ""),
    }


def _group(event: Event) -> str:
    """TimelineJS's group of an event: its first tag in words (`court-rulings` → "Court
    rulings"), which import makes the same tag again; empty without tags."""
    tags = event.tags
    return tags[0].replace("-", " ").capitalize() if tags else ""


def _headline(title: str) -> str:
    """A title as TimelineJS shows it: as HTML, so its `<` and `&` are escaped."""
    return html.escape(title, quote=False)


def timelinejs_json(case: CaseContent) -> dict[str, Any]:
    """The case's timeline in TimelineJS's JSON format: the title slide, an event slide per
    event (`unique_id` its id), and each period as an era."""
    media = {item.id: item for item in case.media}
    events = []
    for event in case.events:
        slide: dict[str, Any] = {
            "unique_id": event.id,
            "start_date": _json_date(event.date),
            "text": {"headline": _headline(event.title), "text": markdown_to_html(event.body)},
        }
        if _group(event):
            slide["group"] = _group(event)
        if event.image and event.image in media:
            slide["media"] = _json_media(media[event.image])
        events.append(slide)
    eras = [
        {
            "start_date": _json_date(period.start),
            "end_date": _json_date(period.end),
            "text": {
                "headline": _headline(period.title),
                "text": markdown_to_html(period.body) if period.body else "",
            },
        }
        for period in case.periods
    ]
    title = {
        "text": {
            "headline": _headline(case.case.title),
            "text": markdown_to_html(case.case.summary),
        }
    }
    return {"title": title, "events": events, "eras": eras}


def _json_date(date: PartialDate) -> dict[str, Any]:
    found: dict[str, Any] = {"year": date.year}
    if date.month is not None:
        found["month"] = date.month
    if date.day is not None:
        found["day"] = date.day
    found["display_date"] = html.escape(date.display, quote=False)
    return found


def _json_media(item: Media) -> dict[str, str]:
    shown = {
        "url": "media/" + quote(item.file),
        "credit": html.escape(item.credit, quote=False),
        "caption": markdown_to_html(item.caption) if item.caption else "",
    }
    if item.alt:
        shown["alt"] = item.alt  # set as an attribute by TimelineJS, not parsed as HTML
    return shown
