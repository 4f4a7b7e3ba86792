"""The TimelineJS template's rows read into our own fields, and its HTML into Markdown."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.commands.spreadsheet.html_text import has_html, html_to_markdown
from generator.commands.spreadsheet.timelinejs import (
    TIMELINEJS_COLUMNS,
    RowProblem,
    TimelineRow,
    is_timelinejs,
    read_timelinejs_row,
    skipped_columns,
    slug_of,
)
from generator.render.markdown import markdown_to_html

TEMPLATE = Path(__file__).parent / "fixtures" / "timelinejs" / "template.csv"
MEDIA = {"where-the-emails-were", "warrant-or-treaty"}


def _rows() -> list[dict[str, str]]:
    with TEMPLATE.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _read(**cells: str) -> TimelineRow:
    return read_timelinejs_row(
        {column: cells.get(column.replace(" ", "_"), "") for column in TIMELINEJS_COLUMNS},
        MEDIA,
    )


def _problems(row: TimelineRow) -> list[tuple[str, str]]:
    return [(p.column, p.message) for p in row.problems]


def test_template_header_is_timelinejs_with_or_without_own_columns() -> None:
    with TEMPLATE.open(encoding="utf-8") as file:
        header = next(csv.reader(file))
    assert tuple(header) == TIMELINEJS_COLUMNS
    assert is_timelinejs(header)
    assert is_timelinejs([*header, "id", "sources"])
    assert is_timelinejs([c for c in header if c not in ("Background", "Media Thumbnail")])
    assert not is_timelinejs(["id", "date", "title", "kind", "body", "sources"])


def test_template_rows_become_the_title_events_and_an_era() -> None:
    read = [read_timelinejs_row(cells, MEDIA) for cells in _rows()]

    assert [row.problems for row in read] == [()] * 6
    assert [row.kind for row in read] == ["title", "event", "event", "event", "event", "era"]
    title, law, leaks, warrant, ruling, era = (row.fields for row in read)
    assert title == {
        "title": "Microsoft Ireland email warrant",
        "summary": "Whether a U.S. warrant reaches emails that Microsoft kept on its servers "
        "in Dublin, Ireland.",
    }
    assert law == {
        "date": "1986",
        "title": "Congress passes the Stored Communications Act",
        "body": "The Stored Communications Act became law as part of the *Electronic "
        "Communications Privacy Act* of 1986.",
        "tags": ["legislation"],
    }
    assert leaks["date"] == {"date": "2013-06", "approximate": True}
    assert leaks["body"] == (
        "Documents leaked by **Edward Snowden** about U.S. government surveillance began to "
        "be published.\n\nSee [Pew Research Center](https://legacy.pewresearch.org/?p=276950)."
    )
    assert leaks["tags"] == ["context"]
    assert warrant["date"] == "2013-12-04"  # the Time is skipped, the day kept
    assert warrant["image"] == "where-the-emails-were"
    assert warrant["tags"] == ["court-rulings"]
    assert warrant["body"] == (
        "A magistrate judge issued a warrant for the contents of an MSN.com account.  \n"
        "Microsoft kept its emails in Dublin."
    )
    assert ruling["date"] == "2014-07-31"  # a Display Date without "c." is not approximate
    assert ruling["body"] == "- the warrant stands\n- *Microsoft* may appeal"
    assert era == {
        "title": "In the lower courts",
        "start": "2013-12-04",
        "end": "2016-07-14",
        "body": "From the warrant to the Second Circuit's ruling.",
    }


def test_skipped_columns_are_named_once_each_with_why() -> None:
    notes = skipped_columns(_rows(), MEDIA)
    assert [note.column for note in notes] == [
        "Time",
        "Display Date",  # "July 31, 2014"; "c. June 2013" alone would be kept
        "Media Credit",
        "Media Caption",
        "Background",
    ]
    assert all(note.hint for note in notes)
    without_media = skipped_columns(_rows(), None)
    assert "Media" in [note.column for note in without_media]


def test_media_without_a_media_model_is_left_out_of_the_row() -> None:
    row = read_timelinejs_row(_rows()[3], None)
    assert "image" not in row.fields
    assert row.problems == ()


@pytest.mark.parametrize(
    ("display", "approximate"),
    [
        ("c. 2013", True),
        ("C.2013", True),
        ("circa 2013", True),
        ("About June 2013", True),
        ("ca. 2013", True),
        ("2013", False),
        ("Summer 2013", False),
        ("", False),
    ],
)
def test_display_date_marks_approximate_dates(display: str, approximate: bool) -> None:
    row = _read(Year="2013", Display_Date=display, Headline="H", Text="T")
    assert row.fields["date"] == ({"date": "2013", "approximate": True} if approximate else "2013")


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"Year": "20I4"}, "Year", "`20I4` is not a year"),
        ({"Year": "2014", "Month": "13"}, "Month", "`13` is not a month"),
        ({"Year": "2014", "Month": "2", "Day": "30"}, "Day", "`30` is not a day"),
        ({"Year": "2014", "Day": "3"}, "Day", "Day is given without a month"),
        ({"Year": ""}, "Year", "Year is blank: a date needs a year"),
        ({"Year": "2014", "Headline": ""}, "Headline", "Headline is blank"),
        ({"Year": "2014", "Headline": "<b>Bold</b>"}, "Headline", "Headline has HTML in it"),
        ({"Year": "2014", "Text": ""}, "Text", "Text is blank"),
        ({"Year": "2014", "Type": "slide"}, "Type", "`slide` is not a type of row"),
        (
            {"Year": "2014", "End_Year": "2015"},
            "End Year",
            "an event has one date, but this one ends in 2015",
        ),
        (
            {"Year": "2014", "Media": "where-the-email-were"},
            "Media",
            "`where-the-email-were` is not a media item of this case",
        ),
        ({"Year": "2014", "Group": "!!"}, "Group", "`!!` makes no tag"),
        (
            {"Year": "2016", "End_Year": "2014", "Type": "era"},
            "End Year",
            "the era ends (2014) before it starts (2016)",
        ),
        (
            {"Year": "2016", "Type": "era"},
            "End Year",
            "End Year is blank: an era needs an end year",
        ),
    ],
)
def test_mistakes_are_reported_at_their_column(
    cells: dict[str, str], column: str, message: str
) -> None:
    written = {"Headline": "A headline", "Text": "A text.", **cells}
    row = _read(**written)
    assert (column, message) in _problems(row)
    assert all(p.hint for p in row.problems)


def test_unknown_media_suggests_the_closest_id() -> None:
    row = _read(Year="2014", Headline="H", Text="T", Media="where-the-email-were")
    assert row.problems == (
        RowProblem(
            "Media",
            "`where-the-email-were` is not a media item of this case",
            "did you mean `where-the-emails-were`?",
        ),
    )


def test_script_and_frames_in_text_are_reported_never_kept() -> None:
    text = (
        '<p>Ruling<script>alert("x")</script></p><iframe src="https://example.org/"></iframe>'
        '<img src="x.png" onerror="alert(1)"><a href="javascript:alert(1)">here</a>'
        '<p onclick="alert(1)">hi</p><span>note</span>'
    )
    row = _read(Year="2014", Headline="H", Text=text)
    messages = [message for column, message in _problems(row)]
    assert {column for column, _ in _problems(row)} == {"Text"}
    assert messages == [
        "`<script>` cannot be kept in a text",
        "`<iframe>` cannot be kept in a text",
        "`<img onerror=…>` runs a script, which is not kept",
        "`<img>` cannot be kept in a text",
        "the link to `javascript:alert(1)` is not an http(s) address",
        "`<p onclick=…>` runs a script, which is not kept",
        "`<span>` cannot be kept in a text",
    ]
    body = row.fields["body"]
    assert "alert" not in body and "<" not in body and "javascript" not in body


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("<b>bold</b> and <i>italic</i>", "**bold** and *italic*"),
        ("<blockquote><p>Said.</p></blockquote>", "> Said."),
        ("<ol><li>first</li><li>second</li></ol>", "1. first\n2. second"),
        ("<p>a*b_c [d]</p>", "a\\*b\\_c \\[d\\]"),
        ("<p>1 &lt; 2 &amp; &lt;b&gt;</p>", "1 < 2 & &lt;b>"),
        ("plain *Markdown* kept", "plain *Markdown* kept"),
        ('<a name="top">no address</a>', "no address"),
        ("<p>write &amp;lt; for &lt;</p>", "write &amp;lt; for <"),
        ("<ul><li>a<ul><li>b</li></ul></li></ul>", "- a\n\n    - b"),
    ],
)
def test_html_becomes_the_markdown_an_editor_would_write(html: str, markdown: str) -> None:
    converted = html_to_markdown(html)
    assert converted.problems == ()
    assert converted.markdown == markdown


def test_converted_markdown_renders_as_the_html_meant() -> None:
    converted = html_to_markdown('<p>See <a href="https://example.org/a_(b)">the <b>ruling</b></a>')
    assert markdown_to_html(converted.markdown) == (
        '<p>See <a href="https://example.org/a_%28b%29" rel="noopener noreferrer">'
        "the <strong>ruling</strong></a></p>"
    )


def test_slug_of_a_group_drops_accents_and_punctuation() -> None:
    assert slug_of("Court rulings") == "court-rulings"
    assert slug_of("  Décisions & appels ") == "decisions-appels"


PIECES = [
    "<p>", "</p>", "<b>", "</b>", "<em>", "</em>", "<br>", "<ul>", "<li>", "</li>", "</ul>",
    "<blockquote>", "</blockquote>", '<a href="https://example.org/">', "</a>", "<span>",
    "<script>", "</script>", '<img src=x onerror="alert(1)">', "&lt;script&gt;", "&amp;",
    "*", "_", "[", "]", "`", "#", "> ", "- ", "1. ", "\n", " ", "words", "<", "&",
]  # fmt: skip


MADE_TAGS = {"p", "a", "strong", "em", "ul", "ol", "li", "blockquote", "br"}


@settings(derandomize=True, database=None, max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=20).map("".join))
def test_converted_text_never_holds_html(text: str) -> None:
    """Whatever TimelineJS's HTML holds, the Markdown made of it has no tag in it, and what
    the site renders of it has only the converter's own tags and links."""
    converted = html_to_markdown(text)
    if not has_html(text):
        return
    assert not has_html(converted.markdown), converted.markdown
    rendered = markdown_to_html(converted.markdown)
    assert set(re.findall(r"<(\w+)", rendered)) <= MADE_TAGS, rendered
