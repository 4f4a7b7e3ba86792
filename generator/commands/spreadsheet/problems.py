"""Problems of an import, each at its place in the spreadsheet: a cell, a row or the file.

They print as `file.csv:ROW:COLUMN (Header): message — hint` (1-based, the header row being
row 1) or, for a workbook, `file.xlsx:Sheet!B7 (Month): message — hint`, sorted by place, all
of one run together, as `explainer check` prints content errors.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.errors import MAX_REPORTED_ERRORS, ExplainerError


def column_letters(column: int) -> str:
    """A spreadsheet's name of a 1-based column: 1 → A, 27 → AA."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Place:
    """Where in a spreadsheet: a cell, a whole row (`column` 0) or the file (`row` 0)."""

    file: str
    row: int = 0
    column: int = 0
    header: str = field(default="", compare=False)
    """The header of the cell's column, shown in parentheses."""
    sheet: str | None = field(default=None, compare=False)
    """The worksheet's name, for a workbook; None for a CSV file."""

    def __str__(self) -> str:
        if self.row == 0:
            return self.file
        if self.sheet is None:
            where = f"{self.file}:{self.row}" + (f":{self.column}" if self.column else "")
        elif self.column:
            where = f"{self.file}:{self.sheet}!{column_letters(self.column)}{self.row}"
        else:
            where = f"{self.file}:{self.sheet}!{self.row}:{self.row}"
        return f"{where} ({self.header})" if self.header and self.column else where

    def of_row(self) -> Place:
        """The row this place is in, as a whole."""
        return Place(self.file, self.row, 0, "", self.sheet)


@dataclass(frozen=True)
class Problem:
    """One mistake in the spreadsheet, at its place, with how to fix it."""

    place: Place
    message: str
    hint: str = ""

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" + (f" — {self.hint}" if self.hint else "")


def _order(problem: Problem) -> tuple[str, int, int, str]:
    where = problem.place
    return (where.file, where.row, where.column, problem.message)


class UsageError(ExplainerError):
    """The command cannot run as given (a file it cannot read as a sheet, a case slug that is
    no slug): exit status 2, as for bad usage."""

    exit_code = 2


class ImportProblems(ExplainerError):
    """Raised with every problem of an import; nothing has been written."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems), key=_order)
        super().__init__(f"{len(self.problems)} problem(s) in the spreadsheet")

    def _lines(self) -> list[str]:
        return format_problems(self.problems)

    def summary(self) -> str:
        return f"{len(self.problems)} problem(s)"


def format_problems(problems: list[Problem]) -> list[str]:
    """The lines that print `problems` (sorted), capped as content errors are, and a count."""
    shown = problems[:MAX_REPORTED_ERRORS]
    lines = [str(problem) for problem in shown]
    if len(problems) > len(shown):
        lines.append(f"… and {len(problems) - len(shown)} more problem(s) not shown")
    noun = "problem" if len(problems) == 1 else "problems"
    lines.append(f"{len(problems)} {noun} found; nothing was written")
    return lines
