"""A spreadsheet row read into an item to import.

The header row picks the mapping: the TimelineJS template's columns (`timelinejs`; an era row
becomes a period, the title row the title and summary of a new case), else our own columns,
named as the model's fields (`columns`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from generator.commands.spreadsheet.columns import (
    BLANK,
    CellMistakeError,
    cell_value,
    own_columns,
)
from generator.commands.spreadsheet.problems import Place, Problem
from generator.commands.spreadsheet.tables import Cell, Row, Table
from generator.commands.spreadsheet.timelinejs import (
    TIMELINEJS_COLUMNS,
    read_timelinejs_row,
)
from generator.errors import did_you_mean
from generator.models import COLLECTION_MODELS, EVENT_KINDS

PERIODS = "periods"
"""The collection a TimelineJS era becomes."""
DEFAULT_EVENT_KIND = "context" if "context" in EVENT_KINDS else None
"""The kind of an imported event whose row names none (and `--kind` is not given)."""
_DATE_CELLS = ("Year", "Month", "Day", "Display Date")
_TIMELINE_CELLS = {
    "date": _DATE_CELLS,
    "start": _DATE_CELLS,
    "end": ("End Year", "End Month", "End Day"),
    "title": ("Headline",),
    "body": ("Text",),
    "summary": ("Text",),
    "image": ("Media",),
    "tags": ("Group",),
}
"""The TimelineJS columns each field read from a TimelineJS row comes from: the first is
where messages about the field point."""


@dataclass
class Imported:
    """One row read as an item of `collection`."""

    row: Row
    collection: str
    data: dict[str, Any]
    blank: set[str]
    """Fields whose column is in the sheet and whose cell is empty: the item loses them."""
    cells: dict[str, Cell]
    """The cell each field came from, for messages."""
    defaults: dict[str, Any] = field(default_factory=dict)
    """Values for fields the row leaves out, unless the item it updates has them (`--source`,
    `--kind`)."""
    mistaken: set[str] = field(default_factory=set)
    """Fields whose cell could not be read (already reported)."""
    ident: str | None = None
    derived: bool = False
    """Whether the id was made from the row rather than read from an `id` column."""


@dataclass
class Options:
    sources: tuple[str, ...]
    event_kind: str | None


def check_header(table: Table, kind: str, timeline: bool, problems: list[Problem]) -> bool:
    """Report each header that names no column of the mapping, with a did-you-mean; return
    False when the header cannot be read at all (columns not separated by commas)."""
    own = own_columns(kind)
    known = [*TIMELINEJS_COLUMNS, *own] if timeline else own
    if timeline and kind != "events":
        problems.append(
            Problem(
                table.header[0].place,
                f"this is a TimelineJS sheet, which holds events, not {kind}",
                "import it with `explainer import events`",
            )
        )
    for cell in table.header:
        if cell.text in known:
            continue
        if len(table.header) == 1 and (";" in cell.text or "\t" in cell.text):
            problems.append(
                Problem(
                    cell.place,
                    "the columns are separated by semicolons or tabs, not commas",
                    'save the sheet again as "CSV UTF-8 (Comma delimited)"',
                )
            )
            return False
        if cell.text not in known:
            hint = did_you_mean(cell.text, known) or (
                f"{kind} columns are named as the fields of `explainer schema --kind {kind}`: "
                + ", ".join(own)
            )
            problems.append(Problem(cell.place, f"unknown column `{cell.text}`", hint))
    return True


def own_row(row: Row, kind: str, options: Options, problems: list[Problem]) -> Imported:
    """A row of our own columns as an item of `kind`."""
    item = Imported(row, kind, {}, set(), {})
    _read_own_cells(row, kind, item, problems, skip=())
    _apply_defaults(item, options)
    return item


def _read_own_cells(
    row: Row, kind: str, item: Imported, problems: list[Problem], skip: Collection[str]
) -> None:
    fields = COLLECTION_MODELS[kind].model_fields
    for name, cell in row.cells.items():
        if name not in fields or name in skip:
            continue
        item.cells[name] = cell
        try:
            value = cell_value(kind, name, cell.text)
        except CellMistakeError as exc:
            problems.append(Problem(cell.place, exc.mistake.message, exc.mistake.hint))
            item.mistaken.add(name)
            continue
        if value is BLANK:
            item.blank.add(name)
        else:
            item.data[name] = value


def _apply_defaults(item: Imported, options: Options) -> None:
    """Give a row that names no sources the `--source` ones, and an event that names no kind
    the `--kind` one (or `context`), unless the item it updates has them."""
    if options.sources and "sources" not in item.data:
        item.defaults["sources"] = list(options.sources)
    if item.collection == "events" and "kind" not in item.data and options.event_kind:
        item.defaults["kind"] = options.event_kind


def timeline_row(
    row: Row,
    kind: str,
    media_ids: Collection[str] | None,
    options: Options,
    problems: list[Problem],
) -> Imported | None:
    """A TimelineJS row as an event or a period, or (the title row) the case's title and
    summary, as an item of the collection `case`."""
    cells = {name: cell.text for name, cell in row.cells.items() if name in TIMELINEJS_COLUMNS}
    read = read_timelinejs_row(cells, media_ids)
    for problem in read.problems:
        cell = row.cells.get(problem.column)
        place = cell.place if cell is not None else row.place
        problems.append(Problem(place, problem.message, problem.hint))
    if read.kind == "title":
        columns = {"title": "Headline", "summary": "Text"}
        return Imported(
            row,
            "case",
            {k: v for k, v in read.fields.items() if v not in ("", None)},
            set(),
            {f: row.cells[c] for f, c in columns.items() if c in row.cells},
            mistaken={f for f, c in columns.items() if c in {p.column for p in read.problems}},
        )
    collection = PERIODS if read.kind == "era" else kind
    if collection not in COLLECTION_MODELS:
        problems.append(
            Problem(
                cell_place(row, "Type"),
                "an era row becomes a period, and this version of the generator has no periods",
                "delete the row, or update the generator",
            )
        )
        return None
    item = Imported(row, collection, {}, set(), {})
    reported = {problem.column for problem in read.problems}
    for name in COLLECTION_MODELS[collection].model_fields:
        read_from = _TIMELINE_CELLS.get(name, ())
        if read_from and read_from[0] in row.cells:
            item.cells[name] = row.cells[read_from[0]]
        if not reported.isdisjoint(read_from):
            item.mistaken.add(name)  # the TimelineJS reading said what is wrong
    for name, value in read.fields.items():
        if value not in ("", None, []):
            item.data[name] = value
    _read_own_cells(row, collection, item, problems, skip=item.data)
    _apply_defaults(item, options)
    return item


def cell_place(row: Row, column: str) -> Place:
    cell = row.cells.get(column)
    return cell.place if cell is not None else row.place
