"""Partial dates: a day, a month or a year, optionally approximate, as editors know them."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from generator.strings import DEFAULT_LANGUAGE, is_english, ui_strings

Precision = Literal["day", "month", "year"]

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
"""English month names, fixed: `calendar.month_name` follows the machine's locale and is slow."""

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class DateError(ValueError):
    """A date an editor wrote that cannot be read."""


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month or the year; sorts before any finer date inside it."""

    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False

    @classmethod
    def parse(cls, text: str, approximate: bool = False) -> PartialDate:
        """Read `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; raise DateError with an editor's message."""
        match = _PATTERN.match(text.strip())
        if match is None:
            raise DateError(
                f"`{text}` is not a date — write YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2014-07-31)"
            )
        year = int(match[1])
        if year < 1:
            raise DateError(f"`{text}` has no year 0 — years start at 0001")
        month = int(match[2]) if match[2] else None
        day = int(match[3]) if match[3] else None
        if month is not None and not 1 <= month <= 12:
            raise DateError(f"`{text}` has no month {month:02d} — months run from 01 to 12")
        if day is not None and month is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise DateError(
                    f"`{text}` does not exist — {MONTHS[month - 1]} {year} has {last} days"
                )
        return cls(year, month, day, approximate)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    @property
    def iso(self) -> str:
        """The date as written in ISO 8601 at its precision, for `<time datetime>`."""
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @property
    def display(self) -> str:
        """The date for readers: "31 July 2014", "July 2014", "2014", "c. 2014"."""
        if self.day is not None and self.month is not None:
            text = f"{self.day} {MONTHS[self.month - 1]} {self.year}"
        elif self.month is not None:
            text = f"{MONTHS[self.month - 1]} {self.year}"
        else:
            text = str(self.year)
        return f"c. {text}" if self.approximate else text

    def display_in(self, language: str = DEFAULT_LANGUAGE) -> str:
        """The date for readers of `language`, from CLDR's patterns: "4. Dezember 2013",
        "Dezember 2013", "2013", approximate as that language's strings say ("ca. 2013");
        in English exactly `display`."""
        if is_english(language):
            return self.display
        from babel.dates import format_date, format_skeleton  # ~20 ms: only when needed

        day = dt.date(self.year, self.month or 1, self.day or 1)
        if self.day is not None:
            text = format_date(day, "long", locale=language.replace("-", "_"))
        elif self.month is not None:
            text = format_skeleton("yMMMM", day, locale=language.replace("-", "_"))
        else:
            text = format_skeleton("y", day, locale=language.replace("-", "_"))
        return approximately(text, language) if self.approximate else text

    def within_year_in(self, language: str = DEFAULT_LANGUAGE) -> str:
        """The date under its year's heading, for readers of `language`: "4 Dec" in English,
        "4. Dez." in German, the month alone at month precision, the year at year precision;
        approximate as the language's strings say."""
        if is_english(language):
            if self.day is not None and self.month is not None:
                text = f"{self.day} {MONTHS[self.month - 1][:3]}"
            else:
                text = MONTHS[self.month - 1] if self.month is not None else str(self.year)
            return approximately(text, language) if self.approximate else text
        from babel.dates import format_date, format_skeleton  # ~20 ms: only when needed

        day = dt.date(self.year, self.month or 1, self.day or 1)
        locale = language.replace("-", "_")
        if self.day is not None and self.month is not None:
            text = format_skeleton("MMMd", day, locale=locale)
        elif self.month is not None:
            text = format_date(day, "LLLL", locale=locale)
        else:
            text = format_skeleton("y", day, locale=locale)
        return approximately(text, language) if self.approximate else text

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    @property
    def last_sort_key(self) -> tuple[int, int, int]:
        """The sort key of the last day the date can mean, past every finer date inside it:
        `2016` reaches to (2016, 12, 31), `2016-07` to (2016, 7, 31)."""
        return (self.year, self.month or 12, self.day or 31)

    def first_day(self) -> dt.date:
        """The earliest calendar day the date can mean (for feeds and sitemaps)."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def __lt__(self, other: PartialDate) -> bool:
        return self.sort_key < other.sort_key

    def __str__(self) -> str:
        return self.iso


def approximately(text: str, language: str = DEFAULT_LANGUAGE) -> str:
    """A date's words marked as approximate, as `language`'s strings say ("c. 2015")."""
    return ui_strings(language)["date.approximate"].format(date=text)


def format_number(number: int | float, language: str = DEFAULT_LANGUAGE) -> str:
    """A number for readers of `language` ("1,024" in English, "1.024" in German)."""
    if is_english(language):
        return f"{number:,}" if isinstance(number, int) else f"{number:g}"
    from babel.numbers import format_decimal

    return format_decimal(number, locale=language.replace("-", "_"))


def format_percentage(points: float, language: str = DEFAULT_LANGUAGE) -> str:
    """A share given in percentage points (42.5) for readers of `language`: "42.5%" in
    English, "42,5 %" in German, as CLDR writes percentages."""
    if is_english(language):
        return f"{points:g}%"
    from babel.numbers import format_percent

    share = Decimal(repr(points)) / 100  # exact: 42.5 is 0.425, not 0.42499…
    return format_percent(share, locale=language.replace("-", "_"), decimal_quantization=False)
