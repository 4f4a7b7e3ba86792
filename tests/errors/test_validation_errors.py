"""Every kind of validation error, asserted word for word with its file:line:column."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.errors import ContentErrors
from generator.load.content import load_content
from generator.validate.content import validate_content
from tests.conftest import SOURCES_YAML, CliResult, minimal_site, write_tree

PARTIES = """\
- id: brendon-lynch
  name: Brendon Lynch
  kind: person
  role: Chief Privacy Officer
- id: sdny
  name: U.S. District Court for the Southern District of New York
  kind: court
  role: Trial court
"""
TWO_BLOG_POSTS = """\
- id: blog-2014-08-27
  title: Your email belongs to you
  publisher: A Blog
  url: https://example.org/blog
- id: blog-2014-08-28
  title: A reply
  publisher: A Blog
  url: https://example.org/reply
"""

CASES: list[tuple[str, dict[str, str], list[str]]] = [
    (
        "unknown_speaker_suggests_closest_id",
        {
            "parties.yaml": PARTIES,
            "quotes.yaml": """\
            - id: belongs
              text: Your email belongs to you.
              speaker: brendan-lynch
              said_on: 2014-08-27
              venue: Blog post
              sources: [report]
              verbatim_in: report
            """,
        },
        [
            "cases/demo/quotes.yaml:3:12: unknown party `brendan-lynch` in `speaker`"
            " — did you mean `brendon-lynch`?"
        ],
    ),
    (
        "unknown_reference_without_close_match_says_where_to_add_it",
        {
            "events.yaml": """\
            - id: hearing
              date: 2014-07-31
              title: Hearing
              kind: hearing
              body: A hearing.
              ruling: zzz
              sources: [report]
            """,
        },
        [
            "cases/demo/events.yaml:6:11: unknown ruling `zzz` in `ruling`"
            " — add it to rulings.yaml or fix the id"
        ],
    ),
    (
        "unknown_source_in_list_points_at_the_item",
        {
            "quotes.yaml": """\
            - id: q
              text: Words.
              speaker: nobody
              said_on: 2014
              venue: Blog
              sources:
                - report
                - reprot
              verbatim_in: report
            """,
        },
        [
            "cases/demo/quotes.yaml:3:12: unknown party `nobody` in `speaker`"
            " — add it to parties.yaml or fix the id",
            "cases/demo/quotes.yaml:8:7: unknown source `reprot` in `sources`"
            " — did you mean `report`?",
        ],
    ),
    (
        "unknown_field_suggests_the_field_name",
        {"parties.yaml": PARTIES + "  titel: Judge\n"},
        ["cases/demo/parties.yaml:9:3: unknown field `titel` — did you mean `title`?"],
    ),
    (
        "missing_field_points_at_the_item",
        {
            "sources.yaml": """\
            - id: report
              title: A report
              url: https://example.org/report
            """,
        },
        ["cases/demo/sources.yaml:1:3: missing field `publisher` — who published it"],
    ),
    (
        "yes_no_word_where_text_is_meant_asks_for_quotes",
        {"parties.yaml": PARTIES.replace("role: Trial court", "role: no")},
        [
            "cases/demo/parties.yaml:8:9: `role` should be text, but YAML reads `no` as false"
            ' — put it in quotes: "no"'
        ],
    ),
    (
        "number_where_text_is_meant_asks_for_quotes",
        {"parties.yaml": PARTIES.replace("role: Trial court", "role: 12:30")},
        [
            "cases/demo/parties.yaml:8:9: `role` should be text, but YAML reads `12:30` as a number"
            ' — put it in quotes: "12:30"'
        ],
    ),
    (
        "impossible_date_names_the_days_in_month",
        {
            "events.yaml": """\
            - id: e
              date: 2014-02-30
              title: T
              kind: context
              body: B.
              sources: [report]
            """,
        },
        [
            "cases/demo/events.yaml:2:9: `date`: `2014-02-30` does not exist"
            " — February 2014 has 28 days"
        ],
    ),
    (
        "date_in_words_shows_the_expected_form",
        {
            "events.yaml": """\
            - id: e
              date: July 2014
              title: T
              kind: context
              body: B.
              sources: [report]
            """,
        },
        [
            "cases/demo/events.yaml:2:9: `date`: `July 2014` is not a date"
            " — write YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2014-07-31)"
        ],
    ),
    (
        "approximate_date_form_is_accepted_and_checked",
        {
            "events.yaml": """\
            - id: e
              date: {date: 2013-06, approximate: maybe}
              title: T
              kind: context
              body: B.
              sources: [report]
            """,
        },
        ["cases/demo/events.yaml:2:9: `date`: `approximate` is true or false"],
    ),
    (
        "unknown_event_kind_suggests_a_kind",
        {
            "events.yaml": """\
            - id: e
              date: 2014
              title: T
              kind: rulling
              body: B.
              sources: [report]
            """,
        },
        ["cases/demo/events.yaml:4:9: `rulling` is not a valid kind — did you mean `ruling`?"],
    ),
    (
        "uppercase_id_is_not_a_slug",
        {
            "sources.yaml": """\
            - id: Report One
              title: A report
              publisher: P
              url: https://example.org/report
            """,
        },
        [
            "cases/demo/case.yaml:4:11: unknown source `report` in `sources`"
            " — did you mean `Report One`?",
            "cases/demo/sources.yaml:1:7: `Report One` is not a valid id"
            " — use lowercase letters, digits and hyphens, e.g. `report-one`",
        ],
    ),
    (
        "duplicate_ids_name_the_first",
        {
            "sources.yaml": """\
            - id: report
              title: A
              publisher: P
              url: https://example.org/a
            - id: report
              title: B
              publisher: P
              url: https://example.org/b
            """,
        },
        [
            "cases/demo/sources.yaml:5:7: duplicate source id `report`:"
            " {root}/cases/demo/sources.yaml:1:7 has the same id — give each item its own id"
        ],
    ),
    (
        "event_without_source_is_an_error",
        {
            "events.yaml": """\
            - id: e
              date: 2014
              title: T
              kind: context
              body: B.
              sources: []
            """,
        },
        ["cases/demo/events.yaml:6:12: no source cited — add at least one source id to `sources`"],
    ),
    (
        "ruling_court_must_be_a_court",
        {
            "parties.yaml": PARTIES,
            "rulings.yaml": """\
            - id: r
              title: R
              court: brendon-lynch
              stage: district
              judges: sdny
              date: 2014-07-31
              outcome: Affirmed
              holding: H.
              sources: [report]
            """,
        },
        [
            "cases/demo/rulings.yaml:3:10: `court` should name a party of kind `court`,"
            " but `brendon-lynch` is of kind `person`",
            "cases/demo/rulings.yaml:5:11: `judges` should name a party of kind `person`,"
            " but `sdny` is of kind `court`",
        ],
    ),
    (
        "list_where_mapping_expected",
        {"parties.yaml": "- - a\n  - b\n"},
        [
            "cases/demo/parties.yaml:1:3: expected a mapping of fields for a party, found a list"
            " — write `field: value` lines"
        ],
    ),
    (
        "aliased_bad_value_is_reported_once_at_its_anchor",
        {
            "parties.yaml": """\
            - id: brendon-lynch
              name: Brendon Lynch
              kind: &k persn
              role: Chief Privacy Officer
            - id: sdny
              name: U.S. District Court for the Southern District of New York
              kind: *k
              role: Trial court
            """,
        },
        ["cases/demo/parties.yaml:3:9: `persn` is not a valid kind — did you mean `person`?"],
    ),
    (
        "block_text_value_is_shown_on_one_line",
        {
            "parties.yaml": """\
            - id: brendon-lynch
              name: Brendon Lynch
              kind: |
                a person
                of   note
              role: Chief Privacy Officer
            """,
        },
        [
            "cases/demo/parties.yaml:3:9: `a person of note` is not a valid kind"
            " — use one of: person, organization, court, government"
        ],
    ),
    (
        "in_brief_of_two_points_asks_for_three_to_five",
        {
            "case.yaml": """\
            title: A test case
            summary: What the test case is about.
            status: ongoing
            in_brief:
              - The first point.
              - The second point.
            sources: [report]
            """,
        },
        [
            "cases/demo/case.yaml:5:3: `in_brief`: has 2 points; it should have 3 to 5"
            " — add a point, or delete `in_brief` to start the overview with the summary"
        ],
    ),
    (
        "in_brief_of_six_points_asks_to_keep_five",
        {
            "case.yaml": """\
            title: A test case
            summary: What the test case is about.
            status: ongoing
            in_brief: [One., Two., Three., Four., Five., Six.]
            sources: [report]
            """,
        },
        [
            "cases/demo/case.yaml:4:11: `in_brief`: has 6 points; it should have 3 to 5"
            " — keep the 5 a reader needs most"
        ],
    ),
    (
        "in_brief_point_too_long_is_located_at_the_point",
        {
            "case.yaml": f"""\
            title: A test case
            summary: What the test case is about.
            status: ongoing
            in_brief:
              - The first point.
              - >-
                {"A point that goes on. " * 7}and on.
              - The third point.
            sources: [report]
            """,
        },
        [
            "cases/demo/case.yaml:6:5: `in_brief`: this point is 161 characters long, at most"
            " 160 — shorten it to one short sentence and leave the detail to the summary"
        ],
    ),
    (
        "quote_without_verbatim_in_asks_which_source_prints_the_words",
        {
            "parties.yaml": PARTIES,
            "quotes.yaml": """\
            - id: belongs
              text: Your email belongs to you.
              speaker: brendon-lynch
              said_on: 2014-08-27
              venue: Blog post
              sources: [report]
            """,
        },
        [
            "cases/demo/quotes.yaml:1:3: missing field `verbatim_in` — name the one source in"
            " `sources` that prints the exact words, by its id; the others corroborate them"
        ],
    ),
    (
        "verbatim_in_outside_the_quotes_sources_suggests_the_closest_of_them",
        {
            "parties.yaml": PARTIES,
            "sources.yaml": SOURCES_YAML + TWO_BLOG_POSTS,
            "quotes.yaml": """\
            - id: belongs
              text: Your email belongs to you.
              speaker: brendon-lynch
              said_on: 2014-08-27
              venue: Blog post
              sources: [report, blog-2014-08-27]
              verbatim_in: blog-2014-08-28
            """,
        },
        [
            "cases/demo/quotes.yaml:7:16: `verbatim_in` should name one of the quote's sources,"
            " but `blog-2014-08-28` is not among them — did you mean `blog-2014-08-27`?"
        ],
    ),
    (
        "verbatim_in_outside_the_quotes_sources_lists_them",
        {
            "parties.yaml": PARTIES,
            "sources.yaml": SOURCES_YAML + TWO_BLOG_POSTS,
            "quotes.yaml": """\
            - id: belongs
              text: Your email belongs to you.
              speaker: brendon-lynch
              said_on: 2014-08-27
              venue: Blog post
              sources: [blog-2014-08-27]
              verbatim_in: report
            """,
        },
        [
            "cases/demo/quotes.yaml:7:16: `verbatim_in` should name one of the quote's sources,"
            " but `report` is not among them — name one of them (`blog-2014-08-27`), or add"
            " `report` to `sources`"
        ],
    ),
    (
        "verbatim_in_naming_no_source_of_the_case_is_an_unknown_source",
        {
            "parties.yaml": PARTIES,
            "quotes.yaml": """\
            - id: belongs
              text: Your email belongs to you.
              speaker: brendon-lynch
              said_on: 2014-08-27
              venue: Blog post
              sources: [report]
              verbatim_in: the-blog
            """,
        },
        [
            "cases/demo/quotes.yaml:7:16: unknown source `the-blog` in `verbatim_in`"
            " — add it to sources.yaml or fix the id"
        ],
    ),
    (
        "text_where_list_expected",
        {
            "quotes.yaml": """\
            - id: q
              text: Words.
              speaker: nobody
              said_on: 2014
              venue: Blog
              sources: report
              verbatim_in: report
            """,
        },
        [
            "cases/demo/quotes.yaml:3:12: unknown party `nobody` in `speaker`"
            " — add it to parties.yaml or fix the id",
            "cases/demo/quotes.yaml:6:12: `sources` should be a list, not the value `report`"
            " — write each entry on a line starting with `- `",
        ],
    ),
]


@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_validation_error_is_located_and_worded(
    tmp_path: Path, files: dict[str, str], expected: list[str]
) -> None:
    root = write_tree(tmp_path / "content", minimal_site(**files))
    with pytest.raises(ContentErrors) as caught:
        validate_content(load_content(root))
    prefix = f"{root}/"
    got = [str(error).removeprefix(prefix) for error in caught.value.errors]
    assert got == [line.format(root=root) for line in expected]


def test_check_prints_an_aliased_mistake_once_and_block_text_on_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Callable[..., CliResult]
) -> None:
    parties = (
        "- id: a\n  name: A\n  kind: &k persn\n  role: R\n"
        "- id: b\n  name: B\n  kind: *k\n  role: R\n"
        "- id: c\n  name: C\n  kind: |\n    a\n    court\n  role: R\n"
    )
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path / "content", minimal_site(**{"parties.yaml": parties}))
    result = run_cli("check", "--content", "content")
    assert (result.code, result.out.splitlines()) == (
        1,
        [
            "content/cases/demo/parties.yaml:3:9: `persn` is not a valid kind"
            " — did you mean `person`?",
            "content/cases/demo/parties.yaml:11:9: `a court` is not a valid kind"
            " — did you mean `court`?",
            "2 errors found",
        ],
    )


def test_all_errors_of_all_files_are_reported_together(tmp_path: Path) -> None:
    files = minimal_site(
        **{
            "site.yaml": "title: T\nbase_url: not-a-url\ndescription: D\npublisher: P\n",
            "parties.yaml": PARTIES + "  titel: Judge\n",
            "quotes.yaml": (
                "- id: q\n  text: no\n  speaker: x\n  said_on: 2014\n  venue: V\n"
                "  sources: [report]\n  verbatim_in: report\n"
            ),
        }
    )
    root = write_tree(tmp_path / "content", files)
    with pytest.raises(ContentErrors) as caught:
        validate_content(load_content(root))
    files_hit = {Path(e.location.file).name for e in caught.value.errors}
    assert files_hit == {"site.yaml", "parties.yaml", "quotes.yaml"}
    assert len(caught.value.errors) == 4
    assert caught.value.errors == sorted(caught.value.errors)


def test_valid_site_validates(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "content", minimal_site(**{"parties.yaml": PARTIES}))
    content = validate_content(load_content(root))
    assert [c.slug for c in content.cases] == ["demo"]
    assert [p.id for p in content.cases[0].parties] == ["brendon-lynch", "sdny"]


def test_event_id_reserved_for_timeline_filters(tmp_path: Path) -> None:
    events = (
        "- id: kind\n  date: 2014\n  title: T\n  kind: context\n  body: B.\n  sources: [report]\n"
    )
    root = write_tree(tmp_path / "content", minimal_site(**{"events.yaml": events}))
    with pytest.raises(ContentErrors) as caught:
        validate_content(load_content(root))
    assert [str(e).removeprefix(f"{root}/") for e in caught.value.errors] == [
        "cases/demo/events.yaml:1:7: `kind` cannot be an event id: the timeline's filters and"
        " pages use that address — choose another id"
    ]


def test_quote_id_reserved_for_further_pages_of_quotes(tmp_path: Path) -> None:
    quotes = (
        "- id: page\n  text: Words.\n  speaker: brendon-lynch\n  said_on: 2014\n"
        "  venue: A blog\n  sources: [report]\n  verbatim_in: report\n"
    )
    files = minimal_site(**{"parties.yaml": PARTIES, "quotes.yaml": quotes})
    root = write_tree(tmp_path / "content", files)
    with pytest.raises(ContentErrors) as caught:
        validate_content(load_content(root))
    assert [str(e).removeprefix(f"{root}/") for e in caught.value.errors] == [
        "cases/demo/quotes.yaml:1:7: `page` cannot be a quote id: the quotes' pages use that"
        " address — choose another id"
    ]
