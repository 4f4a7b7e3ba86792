"""Spreadsheets read as tables of text: a CSV file or the first sheet of an XLSX workbook.

Input: a file. Output: a `Table`, its header row and its other rows, each cell the text the
editor typed and its `Place` (for messages), and the problems found reading it. A CSV file is
read as UTF-8 (with or without the byte order mark spreadsheet programs write); a quote that
does not close a cell is reported at its cell, and the rows after it are still read. Workbooks
need openpyxl (the `xlsx` extra): their values come back as the text the editor typed, a date
typed as a date as `2014-07-31`, a whole number as `2014`. Blank rows are passed over.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.commands.spreadsheet.problems import Place, Problem, UsageError, column_letters

XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt")
XLSX_EXTRA = "pip install 'case-explainer[xlsx]'"


class TableError(UsageError):
    """The file cannot be read as a spreadsheet at all (not found, unknown kind, no openpyxl)."""


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads a cell starting with as a formula (OWASP's CSV injection list)."""


def guarded(text: str) -> str:
    """A cell's text as a CSV file writes it: `'` before a start a spreadsheet would read as a
    formula, so that an item's words (a Markdown list's `- `, an `=` or `@`) open as words."""
    return "'" + text if text.startswith(FORMULA_START) else text


def unguarded(text: str) -> str:
    """A cell's text as written by `guarded` (or by an editor who guards it the same way)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


@dataclass(frozen=True)
class Cell:
    """One cell's text and its place."""

    text: str
    place: Place


@dataclass
class Row:
    """A row below the header: its cells by their column's header (blank cells included)."""

    number: int
    place: Place
    cells: dict[str, Cell] = field(default_factory=dict)

    def text(self, header: str) -> str:
        """The text of the cell under `header`, stripped; '' when blank or absent."""
        cell = self.cells.get(header)
        return cell.text.strip() if cell is not None else ""


@dataclass
class Table:
    """A spreadsheet: its header cells and the rows below them that hold anything."""

    file: str
    sheet: str | None
    header: list[Cell]
    rows: list[Row]

    @property
    def names(self) -> list[str]:
        """The header's names, in order."""
        return [cell.text for cell in self.header]

    def header_cell(self, name: str) -> Cell | None:
        """The header cell named `name`, if any."""
        return next((cell for cell in self.header if cell.text == name), None)


def read_table(path: Path) -> tuple[Table, list[Problem]]:
    """Read a CSV or XLSX file; return its table and the problems found reading it."""
    if not path.is_file():
        raise TableError(f"{path}: no such file — give the path of a .csv or .xlsx file")
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx(path)
    if suffix in CSV_SUFFIXES:
        return _read_csv(path)
    raise TableError(
        f"{path}: not a spreadsheet this command reads — save it as CSV (UTF-8) or as .xlsx"
    )


def _read_csv(path: Path) -> tuple[Table, list[Problem]]:
    name = str(path)
    problems: list[Problem] = []
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(
                Place(name),
                f"the file is not UTF-8 text (byte {exc.start + 1} cannot be read)",
                'save it again as "CSV UTF-8" from your spreadsheet program',
            )
        )
        return Table(name, None, [], []), problems
    lines = text.splitlines(keepends=True)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    number = 0
    last_line = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            number += 1
            record = "".join(lines[last_line : reader.line_num])
            last_line = reader.line_num
            names = records[0][1] if records else []
            problems.append(_quote_problem(name, number, record, str(exc), names))
            records.append((number, []))
            continue
        number += 1
        last_line = reader.line_num
        records.append((number, values))
    return _table(name, None, records, problems), problems


def _quote_problem(name: str, row: int, record: str, error: str, header: list[str]) -> Problem:
    """A CSV record the reader refused, at the column of the cell whose quote is wrong."""
    column, unterminated = _bad_quote_column(record)
    place = Place(name, row, column, header[column - 1].strip() if column <= len(header) else "")
    if unterminated or "end of data" in error:
        return Problem(
            place,
            'this cell opens a quote (`"`) that never closes, so the rest of the file would '
            "be read into it",
            'close the quote, and write a quote inside a cell twice (`""`)',
        )
    return Problem(
        place,
        'this cell has text after its closing quote (`"`)',
        'write a quote inside a quoted cell twice (`""`), or save the sheet again as CSV',
    )


def _bad_quote_column(record: str) -> tuple[int, bool]:
    """The 1-based column of the first cell of a CSV record whose quoting is broken, and
    whether its quote is left open."""
    column, state, opened = 1, "start", 1
    for char in record:
        if state == "start":
            if char == '"':
                state, opened = "quoted", column
            elif char == ",":
                column += 1
            elif char not in "\r\n":
                state = "plain"
        elif state == "plain":
            if char == ",":
                column, state = column + 1, "start"
        elif state == "quoted":
            if char == '"':
                state = "closed"
        elif char == '"':
            state = "quoted"
        elif char == ",":
            column, state = column + 1, "start"
        elif char not in "\r\n":
            return column, False
    return opened, state == "quoted"


def _read_xlsx(path: Path) -> tuple[Table, list[Problem]]:
    try:
        import openpyxl
    except ImportError:
        raise TableError(
            f"{path}: reading .xlsx files needs openpyxl, which is not installed — "
            f"install the `xlsx` extra ({XLSX_EXTRA}), or save the sheet as CSV (UTF-8)"
        ) from None
    name = str(path)
    try:
        workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is no workbook
        return Table(name, None, [], []), [
            Problem(
                Place(name),
                f"cannot be read as an .xlsx workbook ({type(exc).__name__})",
                "save it again as an Excel workbook (.xlsx), or as CSV (UTF-8)",
            )
        ]
    sheet = workbook.worksheets[0]
    problems: list[Problem] = []
    for merged in sheet.merged_cells.ranges:
        if merged.min_row == 1:
            first = f"{column_letters(merged.min_col)}1"
            problems.append(
                Problem(
                    Place(name, 1, merged.min_col, _text(sheet[first].value), sheet.title),
                    f"this header cell is merged with its neighbours ({merged.coord})",
                    "unmerge the cells: each column needs a header of its own",
                )
            )
    records = [
        (number, [_text(value) for value in values])
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
    ]
    workbook.close()
    return _table(name, sheet.title, records, problems), problems


def _text(value: Any) -> str:
    """A workbook cell's value as the text the editor typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(
    name: str, sheet: str | None, records: list[tuple[int, list[str]]], problems: list[Problem]
) -> Table:
    """The header and the rows that hold anything, with problems of the header added."""
    if not records:
        problems.append(
            Problem(Place(name), "the file is empty", "the first row names the columns")
        )
        return Table(name, sheet, [], [])
    number, names = records[0]
    header = [
        Cell(text.strip(), Place(name, number, i, text.strip(), sheet))
        for i, text in enumerate(names, start=1)
    ]
    seen: dict[str, Cell] = {}
    for cell in header:
        if not cell.text:
            continue
        first = seen.setdefault(cell.text, cell)
        if first is not cell:
            problems.append(
                Problem(
                    cell.place,
                    f"a second column is called `{cell.text}` (the first is {first.place})",
                    "give each column its own header",
                )
            )
    rows = []
    for number, values in records[1:]:
        if not any(value.strip() for value in values):
            continue
        row = Row(number, Place(name, number, 0, "", sheet))
        for index, value in enumerate(values, start=1):
            head = header[index - 1].text if index <= len(header) else ""
            if not head:
                if value.strip():
                    problems.append(
                        Problem(
                            Place(name, number, index, "", sheet),
                            "this cell is in a column that has no header",
                            "name the column in the first row, or delete the cell",
                        )
                    )
                continue
            if head not in row.cells:
                row.cells[head] = Cell(unguarded(value), Place(name, number, index, head, sheet))
        rows.append(row)
    return Table(name, sheet, [cell for cell in header if cell.text], rows)
