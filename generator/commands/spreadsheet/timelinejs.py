"""The TimelineJS template's columns, read into our own fields one row at a time.

A newsroom's timeline often lives in the Google Sheet template of TimelineJS (Knight Lab),
whose header row is `TIMELINEJS_COLUMNS`. `read_timelinejs_row` turns one row into an event,
a period (TimelineJS's "era") or the case's title and summary (the `title` row), with every
problem placed at its column by header name; `skipped_columns` says once which filled columns
have no place here, and why. How each column maps is in docs/editing.md ("From a
spreadsheet"); in short:

- Year, Month, Day: the date, to the precision given (a Year alone is a year); a Display Date
  starting "c.", "circa" or "about" marks it approximate; any other Display Date is skipped,
  as the site writes dates itself.
- Time and End Time: skipped (the timeline's dates go to the day at most).
- End Year, End Month, End Day: the end of an era; on an event they are a problem (an event
  has one date: clear them, or make the row an era).
- Headline: the title; Text: the body, TimelineJS's HTML converted to Markdown (html_text).
- Media: a picture, when it names a media item of the case; Media Credit, Media Caption,
  Media Thumbnail: skipped (the media item holds its credit and caption); Background: skipped.
- Type: blank for an event, `era`, or `title`; Group: the event's tag (a slug of it).
"""

from __future__ import annotations

import calendar
import html
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from generator.commands.spreadsheet.html_text import has_html, html_to_markdown
from generator.dates import PartialDate
from generator.errors import did_you_mean

TIMELINEJS_COLUMNS: tuple[str, ...] = (
    "Year",
    "Month",
    "Day",
    "Time",
    "End Year",
    "End Month",
    "End Day",
    "End Time",
    "Display Date",
    "Headline",
    "Text",
    "Media",
    "Media Credit",
    "Media Caption",
    "Media Thumbnail",
    "Type",
    "Group",
    "Background",
)
"""The header row of the TimelineJS3 Google Spreadsheet Template, as TimelineJS reads it."""

IDENTIFYING_COLUMNS = ("Year", "Month", "Day", "Headline", "Text")
"""Columns whose presence makes a header TimelineJS's: the template's without the optional
ones a sheet may have deleted."""

APPROXIMATE_MARKERS = ("c.", "ca.", "circa", "about")
"""How a Display Date says a date is approximate (any case): "c. 2014", "circa 2014"."""

SKIPPED_COLUMNS: dict[str, str] = {
    "Time": "the timeline's dates go to the day at most, so the time of day is not kept",
    "End Time": "the timeline's dates go to the day at most, so the time of day is not kept",
    "Display Date": 'dates are written by the site from the date itself; only "c.", "circa" '
    'or "about" at its start is kept, as an approximate date',
    "Media Credit": "a picture's credit belongs to its media item in media.yaml",
    "Media Caption": "a picture's caption belongs to its media item in media.yaml",
    "Media Thumbnail": "the site makes its own thumbnails from the media item's file",
    "Background": "the site's design sets colours and backgrounds",
}
"""Columns with no place in the content, and why: reported once when any row fills them."""

MEDIA_WITHOUT_MODEL = "this case has no media.yaml, so a picture cannot be referred to"


@dataclass(frozen=True)
class RowProblem:
    """Something wrong in one row, at the column it concerns (its header name)."""

    column: str
    message: str
    hint: str = ""


@dataclass(frozen=True)
class TimelineRow:
    """One row of the template, as our own fields (YAML-ready plain values)."""

    kind: Literal["event", "era", "title"]
    fields: dict[str, Any]
    problems: tuple[RowProblem, ...]


def is_timelinejs(header: Sequence[str]) -> bool:
    """Whether a header row is TimelineJS's template (columns it lacks or extra columns of
    our own are allowed, as long as the ones that say what a row is are there)."""
    names = {name.strip() for name in header}
    return all(column in names for column in IDENTIFYING_COLUMNS)


def read_timelinejs_row(cells: Mapping[str, str], media_ids: Collection[str] | None) -> TimelineRow:
    """Read one row of the template: an event, an era (a period) or the title row.

    `media_ids` are the ids of the case's media items, or None when the case has none (then
    the Media column is skipped, as `skipped_columns` says)."""
    row = _Row(cells)
    kind = row.kind()
    fields: dict[str, Any] = {}
    if kind == "title":
        _put(fields, "title", row.headline())
        _put(fields, "summary", row.text("the case's summary"))
        return TimelineRow("title", fields, tuple(row.problems))
    start = row.date("Year", "Month", "Day", required=True)
    end = row.date("End Year", "End Month", "End Day", required=kind == "era")
    if kind == "era":
        _put(fields, "title", row.headline())
        _put(fields, "start", _date_value(start, row.approximate()))
        _put(fields, "end", _date_value(end, False))
        if start is not None and end is not None and end.sort_key < start.sort_key:
            row.problem(
                "End Year",
                f"the era ends ({end.iso}) before it starts ({start.iso})",
                "write the end on or after the start",
            )
        _put(fields, "body", row.text(None))
        return TimelineRow("era", fields, tuple(row.problems))
    if end is not None:
        row.problem(
            "End Year",
            f"an event has one date, but this one ends in {end.iso}",
            "clear End Year, End Month and End Day to keep the start date, "
            "or write `era` in Type to show a span",
        )
    _put(fields, "date", _date_value(start, row.approximate()))
    _put(fields, "title", row.headline())
    _put(fields, "body", row.text("an event's body (a sentence or more on what happened)"))
    _put(fields, "image", row.media(media_ids))
    tags = row.tags()
    if tags:
        fields["tags"] = tags
    return TimelineRow("event", fields, tuple(row.problems))


def skipped_columns(
    rows: Iterable[Mapping[str, str]], media_ids: Collection[str] | None
) -> tuple[RowProblem, ...]:
    """The columns filled in some row that the import leaves out, each once, with why: a
    note for the editor, not an error."""
    filled: set[str] = set()
    for cells in rows:
        for column in SKIPPED_COLUMNS:
            value = (cells.get(column) or "").strip()
            if value and not (column == "Display Date" and _marks_approximate(value)):
                filled.add(column)
        if media_ids is None and (cells.get("Media") or "").strip():
            filled.add("Media")
    reasons = {**SKIPPED_COLUMNS, "Media": MEDIA_WITHOUT_MODEL}
    return tuple(
        RowProblem(column, f"the {column} column is not imported", reasons[column])
        for column in TIMELINEJS_COLUMNS
        if column in filled
    )


def slug_of(text: str) -> str:
    """A slug of words: "Court rulings" → `court-rulings`, accents dropped ("é" → "e")."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:80].strip("-")


def _marks_approximate(display_date: str) -> bool:
    words = display_date.strip().lower()
    return any(
        words == marker or words.startswith(marker + " ") or words.startswith(marker + "\u00a0")
        for marker in APPROXIMATE_MARKERS
    ) or bool(re.match(r"^c\.\s*\d", words))


def _date_value(date: PartialDate | None, approximate: bool) -> str | dict[str, Any] | None:
    if date is None:
        return None
    return {"date": date.iso, "approximate": True} if approximate else date.iso


def _put(fields: dict[str, Any], name: str, value: Any) -> None:
    if value is not None:
        fields[name] = value


class _Row:
    """One row's cells, read column by column, collecting the problems found."""

    def __init__(self, cells: Mapping[str, str]) -> None:
        self.cells = {name.strip(): (value or "").strip() for name, value in cells.items()}
        self.problems: list[RowProblem] = []

    def get(self, column: str) -> str:
        return self.cells.get(column, "")

    def problem(self, column: str, message: str, hint: str = "") -> None:
        self.problems.append(RowProblem(column, message, hint))

    def kind(self) -> Literal["event", "era", "title"]:
        written = self.get("Type")
        kind = written.lower()
        if kind in ("era", "title"):
            return "era" if kind == "era" else "title"
        if kind not in ("", "event"):
            self.problem(
                "Type",
                f"`{written}` is not a type of row",
                "leave Type blank for an event, or write `era` or `title`",
            )
        return "event"

    def date(self, year: str, month: str, day: str, required: bool) -> PartialDate | None:
        """The date in three columns (TimelineJS allows spaces and commas in numbers)."""
        texts = {c: re.sub(r"[\s,]+", "", self.get(c)) for c in (year, month, day)}
        if not texts[year]:
            if required:
                what = "an era needs an end year" if year == "End Year" else "a date needs a year"
                self.problem(year, f"{year} is blank: {what}", "write it in digits, e.g. 2014")
            elif texts[month] or texts[day]:
                self.problem(year, f"{year} is blank but {month} or {day} is not", "write the year")
            return None
        if not texts[year].isdigit() or not 1 <= int(texts[year]) <= 9999:
            self.problem(
                year, f"`{self.get(year)}` is not a year", "write the year in digits, e.g. 2014"
            )
            return None
        number = int(texts[year])
        month_number = self._number(month, texts[month], 12, "months run from 1 to 12")
        if month_number is None:
            if texts[day]:
                self.problem(day, f"{day} is given without a month", f"write the {month} too")
            return PartialDate(number)
        if month_number == 0:
            return None
        last = calendar.monthrange(number, month_number)[1]
        day_number = self._number(day, texts[day], last, f"that month has {last} days")
        if day_number == 0:
            return None
        return PartialDate(number, month_number, day_number)

    def _number(self, column: str, text: str, most: int, limits: str) -> int | None:
        """A month or day number from 1 to `most`; None when blank, 0 when wrong (reported)."""
        if not text:
            return None
        if text.isdigit() and 1 <= int(text) <= most:
            return int(text)
        what = "month" if column.endswith("Month") else "day"
        self.problem(
            column, f"`{self.get(column)}` is not a {what}", f"{limits}; write it as a number"
        )
        return 0

    def approximate(self) -> bool:
        return _marks_approximate(self.get("Display Date"))

    def headline(self) -> str | None:
        written = self.get("Headline")
        if not written:
            self.problem("Headline", "Headline is blank", "write a short title for the row")
            return None
        if has_html(written):
            self.problem(
                "Headline",
                "Headline has HTML in it",
                "write the title as plain text, without tags: titles are not formatted",
            )
            return None
        return " ".join(html.unescape(written).split())

    def text(self, required: str | None) -> str | None:
        written = self.get("Text")
        if not written:
            if required is not None:
                self.problem("Text", "Text is blank", f"write {required}")
            return None
        converted = html_to_markdown(written)
        for found in converted.problems:
            self.problem("Text", found.message, found.hint)
        return converted.markdown or None

    def media(self, media_ids: Collection[str] | None) -> str | None:
        written = self.get("Media")
        if not written or media_ids is None:
            return None  # with no media model, `skipped_columns` reports the column once
        if written in media_ids:
            return written
        suggestion = did_you_mean(written, media_ids)
        self.problem(
            "Media",
            f"`{written}` is not a media item of this case",
            suggestion or "add the picture to media.yaml and write its id here, or clear the cell",
        )
        return None

    def tags(self) -> list[str]:
        written = self.get("Group")
        if not written:
            return []
        slug = slug_of(written)
        if not slug:
            self.problem(
                "Group", f"`{written}` makes no tag", "write the group in letters or digits"
            )
            return []
        return [slug]
