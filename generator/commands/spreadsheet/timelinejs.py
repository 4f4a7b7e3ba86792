"""TEST-ONLY STAND-IN for the timelinejs helper's module (deleted before reporting)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

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


def is_timelinejs(header: Sequence[str]) -> bool:
    return {"Year", "Headline", "Text"} <= set(header)


@dataclass(frozen=True)
class RowProblem:
    column: str
    message: str
    hint: str = ""


@dataclass(frozen=True)
class TimelineRow:
    kind: Literal["event", "era", "title"]
    fields: dict[str, Any] = field(default_factory=dict)
    problems: tuple[RowProblem, ...] = ()


def read_timelinejs_row(cells: Mapping[str, str], media_ids: Collection[str] | None) -> TimelineRow:
    kind = (cells.get("Type") or "").strip().lower()
    if kind == "title":
        return TimelineRow(
            "title", {"title": cells.get("Headline", ""), "summary": cells.get("Text", "")}
        )
    problems = []
    year, month, day = (cells.get(c, "").strip() for c in ("Year", "Month", "Day"))
    date = year
    if not year.isdigit():
        problems.append(RowProblem("Year", f"`{year}` is not a year", "write the year in digits"))
    if month:
        if not month.isdigit() or not 1 <= int(month) <= 12:
            problems.append(RowProblem("Month", f"`{month}` is not a month", "write 1 to 12"))
        else:
            date += f"-{int(month):02d}"
            if day:
                date += f"-{int(day):02d}"
    approximate = (cells.get("Display Date") or "").lower().startswith(("c.", "circa", "about"))
    value: Any = {"date": date, "approximate": True} if approximate else date
    if kind == "era":
        end = cells.get("End Year", "").strip()
        return TimelineRow(
            "era", {"title": cells.get("Headline", ""), "start": value, "end": end}, tuple(problems)
        )
    fields: dict[str, Any] = {
        "date": value,
        "title": cells.get("Headline", ""),
        "body": cells.get("Text", ""),
    }
    group = (cells.get("Group") or "").strip()
    if group:
        fields["tags"] = [group.lower().replace(" ", "-")]
    return TimelineRow("event", fields, tuple(problems))


def skipped_columns(rows: Any, media_ids: Collection[str] | None) -> tuple[RowProblem, ...]:
    return ()
