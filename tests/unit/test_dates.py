"""Partial dates: parsing at each precision, display, ISO form, order and editors' mistakes."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.dates import DateError, PartialDate


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("2014-07-31", PartialDate(2014, 7, 31), "day"),
        ("2014-07", PartialDate(2014, 7), "month"),
        ("2014", PartialDate(2014), "year"),
        (" 2014-07 ", PartialDate(2014, 7), "month"),
    ],
)
def test_parse_reads_precision(text: str, expected: PartialDate, precision: str) -> None:
    date = PartialDate.parse(text)
    assert date == expected
    assert date.precision == precision
    assert date.approximate is False


def test_parse_keeps_approximate_flag() -> None:
    assert PartialDate.parse("2014-07", approximate=True) == PartialDate(2014, 7, None, True)


@pytest.mark.parametrize(
    ("date", "display"),
    [
        (PartialDate(2014, 7, 31), "31 July 2014"),
        (PartialDate(2014, 7, 1), "1 July 2014"),
        (PartialDate(2014, 7), "July 2014"),
        (PartialDate(2014), "2014"),
        (PartialDate(2014, 7, approximate=True), "c. July 2014"),
        (PartialDate(2014, approximate=True), "c. 2014"),
        (PartialDate(2014, 7, 31, approximate=True), "c. 31 July 2014"),
    ],
)
def test_display_matches_precision(date: PartialDate, display: str) -> None:
    assert date.display == display


@pytest.mark.parametrize(
    ("date", "iso"),
    [
        (PartialDate(2014, 7, 31), "2014-07-31"),
        (PartialDate(2014, 7), "2014-07"),
        (PartialDate(2014), "2014"),
        (PartialDate(987, 1, 2), "0987-01-02"),
        (PartialDate(2014, 7, approximate=True), "2014-07"),
    ],
)
def test_iso_matches_precision(date: PartialDate, iso: str) -> None:
    assert date.iso == iso
    assert str(date) == iso


@pytest.mark.parametrize(
    ("month", "name"),
    [
        (1, "January"),
        (2, "February"),
        (3, "March"),
        (4, "April"),
        (5, "May"),
        (6, "June"),
        (7, "July"),
        (8, "August"),
        (9, "September"),
        (10, "October"),
        (11, "November"),
        (12, "December"),
    ],
)
def test_display_names_every_month_in_english(month: int, name: str) -> None:
    assert PartialDate(2014, month).display == f"{name} 2014"
    assert PartialDate(2014, month, 2).display == f"2 {name} 2014"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0001", PartialDate(1)),
        ("2014-01-01", PartialDate(2014, 1, 1)),
        ("2014-12-31", PartialDate(2014, 12, 31)),
        ("2014-11-30", PartialDate(2014, 11, 30)),
    ],
)
def test_parse_accepts_the_first_and_last_of_each_range(text: str, expected: PartialDate) -> None:
    assert PartialDate.parse(text) == expected


def test_parse_says_which_day_a_month_lacks() -> None:
    with pytest.raises(DateError) as exc:
        PartialDate.parse("2014-11-31")
    assert str(exc.value) == "`2014-11-31` does not exist — November 2014 has 30 days"


def test_partial_date_is_a_value_that_cannot_change() -> None:
    date = PartialDate(2014, 7)
    assert {date: "x"}[PartialDate(2014, 7)] == "x"
    with pytest.raises(AttributeError):
        date.year = 2015  # type: ignore[misc]


def test_date_is_not_before_itself() -> None:
    assert not PartialDate(2014, 7) < PartialDate(2014, 7)
    assert not PartialDate(2014, 7, approximate=True) < PartialDate(2014, 7)
    assert sorted([PartialDate(2014, 7, 1), PartialDate(2014, 7)]) == [
        PartialDate(2014, 7),
        PartialDate(2014, 7, 1),
    ]


def test_first_day_is_earliest_day_meant() -> None:
    assert PartialDate(2014).first_day() == dt.date(2014, 1, 1)
    assert PartialDate(2014, 7).first_day() == dt.date(2014, 7, 1)
    assert PartialDate(2014, 7, 31).first_day() == dt.date(2014, 7, 31)


def test_sort_puts_coarser_date_before_finer_dates_inside_it() -> None:
    dates = [PartialDate.parse(text) for text in ["2014-02", "2014-01-01", "2014", "2014-01"]]
    assert [date.iso for date in sorted(dates)] == ["2014", "2014-01", "2014-01-01", "2014-02"]
    assert PartialDate(2014) < PartialDate(2014, 1) < PartialDate(2014, 1, 1) < PartialDate(2014, 2)
    assert not PartialDate(2014, 2) < PartialDate(2014, 1, 31)
    assert PartialDate(2013, 12, 31) < PartialDate(2014)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2014-02-30", "`2014-02-30` does not exist — February 2014 has 28 days"),
        ("2014-07-00", "`2014-07-00` does not exist — July 2014 has 31 days"),
        ("2014-13", "`2014-13` has no month 13 — months run from 01 to 12"),
        ("2014-00", "`2014-00` has no month 00 — months run from 01 to 12"),
        (
            "July 2014",
            "`July 2014` is not a date — write YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2014-07-31)",
        ),
        (
            "14-07-31",
            "`14-07-31` is not a date — write YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2014-07-31)",
        ),
        (
            "2014-7-31",
            "`2014-7-31` is not a date — write YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2014-07-31)",
        ),
        (
            "2014-07-31T10:00",
            "`2014-07-31T10:00` is not a date — write YYYY-MM-DD, YYYY-MM or YYYY"
            " (e.g. 2014-07-31)",
        ),
    ],
)
def test_parse_invalid_date_raises_editor_message(text: str, message: str) -> None:
    with pytest.raises(DateError) as exc:
        PartialDate.parse(text)
    assert str(exc.value) == message


def test_parse_accepts_february_29_in_leap_year() -> None:
    assert PartialDate.parse("2016-02-29") == PartialDate(2016, 2, 29)
    assert PartialDate.parse("2000-02-29") == PartialDate(2000, 2, 29)


def test_parse_rejects_february_29_in_common_year() -> None:
    with pytest.raises(DateError) as exc:
        PartialDate.parse("2015-02-29")
    assert str(exc.value) == "`2015-02-29` does not exist — February 2015 has 28 days"
    with pytest.raises(DateError) as exc:
        PartialDate.parse("1900-02-29")
    assert str(exc.value) == "`1900-02-29` does not exist — February 1900 has 28 days"


def test_parse_rejects_year_zero() -> None:
    with pytest.raises(DateError) as exc:
        PartialDate.parse("0000")
    assert str(exc.value) == "`0000` has no year 0 — years start at 0001"


@st.composite
def partial_dates(draw: st.DrawFn) -> tuple[PartialDate, tuple[int, int, int]]:
    """A valid non-approximate date and the (year, month or 0, day or 0) tuple it stands for."""
    year = draw(st.integers(min_value=1, max_value=9999))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    if precision == "year":
        return PartialDate(year), (year, 0, 0)
    month = draw(st.integers(min_value=1, max_value=12))
    if precision == "month":
        return PartialDate(year, month), (year, month, 0)
    day = draw(st.integers(min_value=1, max_value=calendar.monthrange(year, month)[1]))
    return PartialDate(year, month, day), (year, month, day)


@settings(database=None, deadline=None)
@given(partial_dates())
def test_parse_of_iso_round_trips(drawn: tuple[PartialDate, tuple[int, int, int]]) -> None:
    date, _ = drawn
    assert PartialDate.parse(date.iso) == date
    assert PartialDate.parse(date.iso, approximate=True) == PartialDate(
        date.year, date.month, date.day, True
    )


@settings(database=None, deadline=None)
@given(partial_dates(), partial_dates())
def test_order_matches_tuple_and_iso_order(
    first: tuple[PartialDate, tuple[int, int, int]],
    second: tuple[PartialDate, tuple[int, int, int]],
) -> None:
    (a, a_tuple), (b, b_tuple) = first, second
    assert a.sort_key == a_tuple
    assert (a < b) == (a_tuple < b_tuple)
    # Zero-padded ISO text at mixed precision sorts the same way: a prefix comes first.
    assert (a < b) == (a.iso < b.iso)
