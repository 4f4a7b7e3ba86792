"""`explainer check`: errors and warnings as text, GitHub workflow commands and JSON."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.commands.check import Problem, format_github, run_check
from generator.errors import Location
from tests.conftest import CliResult, minimal_site, write_tree

Run = Callable[..., CliResult]

CASE_WITH_UPDATE = """\
title: A test case
summary: What the test case is about.
status: ongoing
updates:
  - date: 2999-01-02
    text: First published.
sources: [report]
"""

PARTIES = """\
- id: ann
  name: Ann Example
  kind: person
  role: Spokesperson
"""

ORDINARY_QUOTE = """\
- id: hello
  text: Hello, world.
  speaker: ann
  said_on: {date: 2999-05, approximate: true}
  venue: A blog post
  sources: [report]
  verbatim_in: report
"""

SOURCES_WITH_UNUSED = """\
- id: report
  title: A report
  publisher: The Paper
  url: https://example.org/report
- id: unused
  title: A forgotten report
  publisher: The Paper
  url: https://example.org/forgotten
"""

BROKEN_CASE = """\
title: A test case
summary: What the test case is about.
status: maybe
sources: [report, reprot]
"""

FUTURE_UPDATE = "content/cases/demo/case.yaml:5:11"
NO_KEY_QUOTE = "content/cases/demo/case.yaml:1:1"
FUTURE_QUOTE = "content/cases/demo/quotes.yaml:4:19"
UNUSED_SOURCE = "content/cases/demo/sources.yaml:5:7"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    """Write a site to tmp_path/content and work from tmp_path, so paths read `content/…`."""
    monkeypatch.chdir(tmp_path)

    def make(**overrides: str) -> str:
        write_tree(tmp_path / "content", minimal_site(**overrides))
        return "content"

    return make


@pytest.fixture
def warned(site: Callable[..., str]) -> str:
    """A valid site with one warning of each kind, and a future date written as a mapping."""
    return site(
        **{
            "case.yaml": CASE_WITH_UPDATE,
            "parties.yaml": PARTIES,
            "quotes.yaml": ORDINARY_QUOTE,
            "sources.yaml": SOURCES_WITH_UNUSED,
        }
    )


def test_clean_site_as_text(run_cli: Run, site: Callable[..., str]) -> None:
    result = run_cli("check", "--content", site(), "--format", "text")
    assert (result.code, result.out, result.err) == (
        0,
        "ok: 1 case(s), 1 items, no errors\n",
        "",
    )


def test_clean_site_as_github_prints_nothing(run_cli: Run, site: Callable[..., str]) -> None:
    result = run_cli("check", "--content", site(), "--format", "github")
    assert (result.code, result.out, result.err) == (0, "", "")


def test_clean_site_as_json_is_an_empty_list(run_cli: Run, site: Callable[..., str]) -> None:
    result = run_cli("check", "--content", site(), "--format", "json")
    assert (result.code, result.out, result.err) == (0, "[]\n", "")


def test_clean_site_passes_strict(run_cli: Run, site: Callable[..., str]) -> None:
    assert run_cli("check", "--content", site(), "--strict").code == 0


def test_errors_as_text_are_unchanged(run_cli: Run, site: Callable[..., str]) -> None:
    result = run_cli("check", "--content", site(**{"case.yaml": BROKEN_CASE}))
    assert result.code == 1
    assert result.out == (
        "content/cases/demo/case.yaml:3:9: `maybe` is not a valid status"
        " — use one of: ongoing, resolved\n"
        "content/cases/demo/case.yaml:4:19: unknown source `reprot` in `sources`"
        " — did you mean `report`?\n"
        "2 errors found\n"
    )


def test_errors_as_github(run_cli: Run, site: Callable[..., str]) -> None:
    result = run_cli("check", "--content", site(**{"case.yaml": BROKEN_CASE}), "--format", "github")
    assert result.code == 1
    assert result.out == (
        "::error file=content/cases/demo/case.yaml,line=3,col=9,title=Content error"
        "::`maybe` is not a valid status — use one of: ongoing, resolved\n"
        "::error file=content/cases/demo/case.yaml,line=4,col=19,title=Content error"
        "::unknown source `reprot` in `sources` — did you mean `report`?\n"
    )


def test_errors_as_json(run_cli: Run, site: Callable[..., str]) -> None:
    result = run_cli("check", "--content", site(**{"case.yaml": BROKEN_CASE}), "--format", "json")
    assert result.code == 1
    assert result.out == (
        "[\n"
        "  {\n"
        '    "file": "content/cases/demo/case.yaml",\n'
        '    "line": 3,\n'
        '    "column": 9,\n'
        '    "severity": "error",\n'
        '    "message": "`maybe` is not a valid status",\n'
        '    "hint": "use one of: ongoing, resolved"\n'
        "  },\n"
        "  {\n"
        '    "file": "content/cases/demo/case.yaml",\n'
        '    "line": 4,\n'
        '    "column": 19,\n'
        '    "severity": "error",\n'
        '    "message": "unknown source `reprot` in `sources`",\n'
        '    "hint": "did you mean `report`?"\n'
        "  }\n"
        "]\n"
    )


def test_whole_file_error_as_github_has_no_line(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", "--content", "nowhere", "--format", "github")
    assert result.code == 1
    assert result.out == (
        "::error file=nowhere,title=Content error::content folder not found — pass --content DIR\n"
    )


def test_whole_file_error_as_json_has_line_zero(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", "--content", "nowhere", "--format", "json")
    assert result.code == 1
    assert json.loads(result.out) == [
        {
            "file": "nowhere",
            "line": 0,
            "column": 0,
            "severity": "error",
            "message": "content folder not found — pass --content DIR",
            "hint": "",
        }
    ]


def test_github_paths_and_properties_are_escaped(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    files = {k.replace("/demo/", "/a,b:100%/"): v for k, v in minimal_site().items()}
    write_tree(tmp_path / "content", files)
    result = run_cli("check", "--content", "content", "--format", "github")
    assert result.code == 1
    assert result.out == (
        "::error file=content/cases/a%2Cb%3A100%25/case.yaml,line=1,col=1,title=Content error"
        "::case folder name `a,b:100%25` is not a valid id"
        " — use lowercase letters, digits and hyphens, e.g. `microsoft-ireland`\n"
    )


def test_github_escapes_line_breaks_in_messages() -> None:
    problem = Problem(
        Location("/elsewhere/x.yaml", 2, 3), "warning", "one\r\ntwo", "a: b, c", "A, B: C"
    )
    assert format_github([problem], Path("/work")) == (
        "::warning file=/elsewhere/x.yaml,line=2,col=3,title=A%2C B%3A C::one%0D%0Atwo — a: b, c\n"
    )


def test_warnings_as_text(run_cli: Run, warned: str) -> None:
    result = run_cli("check", "--content", warned)
    assert result.code == 0
    assert result.out == (
        f"{NO_KEY_QUOTE}: warning: no quote of this case is marked as key,"
        " so its overview shows no key quotes"
        " — add `key: true` to the quote that best sums up the case\n"
        f"{FUTURE_UPDATE}: warning: `date` is 2999-01-02, which is in the future"
        " — check the date for a typo; content records only what has already happened\n"
        f"{FUTURE_QUOTE}: warning: `said_on` is 2999-05, which is in the future"
        " — check the date for a typo; content records only what has already happened\n"
        f"{UNUSED_SOURCE}: warning: source `unused` is not cited by anything"
        " — add `unused` to the `sources` of what it supports, or delete the source\n"
        "4 warnings found, no errors\n"
    )


def test_warnings_as_github(run_cli: Run, warned: str) -> None:
    result = run_cli("check", "--content", warned, "--format", "github")
    assert result.code == 0
    assert result.out == (
        "::warning file=content/cases/demo/case.yaml,line=1,col=1,title=No key quote"
        "::no quote of this case is marked as key, so its overview shows no key quotes"
        " — add `key: true` to the quote that best sums up the case\n"
        "::warning file=content/cases/demo/case.yaml,line=5,col=11,title=Date in the future"
        "::`date` is 2999-01-02, which is in the future"
        " — check the date for a typo; content records only what has already happened\n"
        "::warning file=content/cases/demo/quotes.yaml,line=4,col=19,title=Date in the future"
        "::`said_on` is 2999-05, which is in the future"
        " — check the date for a typo; content records only what has already happened\n"
        "::warning file=content/cases/demo/sources.yaml,line=5,col=7,title=Uncited source"
        "::source `unused` is not cited by anything"
        " — add `unused` to the `sources` of what it supports, or delete the source\n"
    )


def test_warnings_as_json(run_cli: Run, warned: str) -> None:
    result = run_cli("check", "--content", warned, "--format", "json")
    assert result.code == 0
    future = "check the date for a typo; content records only what has already happened"
    expected = [
        {
            "file": "content/cases/demo/case.yaml",
            "line": 1,
            "column": 1,
            "severity": "warning",
            "message": "no quote of this case is marked as key,"
            " so its overview shows no key quotes",
            "hint": "add `key: true` to the quote that best sums up the case",
        },
        {
            "file": "content/cases/demo/case.yaml",
            "line": 5,
            "column": 11,
            "severity": "warning",
            "message": "`date` is 2999-01-02, which is in the future",
            "hint": future,
        },
        {
            "file": "content/cases/demo/quotes.yaml",
            "line": 4,
            "column": 19,
            "severity": "warning",
            "message": "`said_on` is 2999-05, which is in the future",
            "hint": future,
        },
        {
            "file": "content/cases/demo/sources.yaml",
            "line": 5,
            "column": 7,
            "severity": "warning",
            "message": "source `unused` is not cited by anything",
            "hint": "add `unused` to the `sources` of what it supports, or delete the source",
        },
    ]
    assert result.out == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
    assert result.out.startswith('[\n  {\n    "file": "content/cases/demo/case.yaml",\n')


@pytest.mark.parametrize("form", ["text", "github", "json"])
def test_strict_turns_warnings_into_failure(run_cli: Run, warned: str, form: str) -> None:
    lenient = run_cli("check", "--content", warned, "--format", form)
    strict = run_cli("check", "--content", warned, "--format", form, "--strict")
    assert (lenient.code, strict.code) == (0, 1)
    assert strict.out == lenient.out


def test_a_key_quote_silences_the_warning(run_cli: Run, site: Callable[..., str]) -> None:
    key_quote = ORDINARY_QUOTE.replace("said_on: {date: 2999-05, approximate: true}", "key: true")
    key_quote = key_quote.replace("  venue:", "  said_on: 2014-08-29\n  venue:")
    content = site(**{"parties.yaml": PARTIES, "quotes.yaml": key_quote})
    result = run_cli("check", "--content", content, "--strict")
    assert (result.code, result.out) == (0, "ok: 1 case(s), 3 items, no errors\n")


EVERY_DATE = {
    "case.yaml": CASE_WITH_UPDATE,
    "parties.yaml": PARTIES
    + """\
- id: court
  name: A Court
  kind: court
  role: Decides
- id: pollster
  name: A Pollster
  kind: organization
  role: Asks
""",
    "rulings.yaml": """\
- id: order
  title: An order
  court: court
  stage: other
  date: 2999-03-04
  outcome: Granted
  holding: It was granted.
  sources: [report]
""",
    "events.yaml": """\
- id: filed
  date: 2999
  title: Filed
  kind: filing
  body: It was filed.
  sources: [report]
""",
    "quotes.yaml": ORDINARY_QUOTE.replace("  venue:", "  key: true\n  venue:"),
    "polls.yaml": """\
- id: survey
  title: A survey
  pollster: pollster
  fieldwork:
    start: 2999-06-01
    end: {date: 2999-06-02}
  published: 2999-06-10
  questions:
    - id: q
      text: Asked
      results: [{answer: Agree, percent: 50}]
  sources: [report]
""",
    "sources.yaml": """\
- id: report
  title: A report
  publisher: The Paper
  url: https://example.org/report
  published: 2999-02
  accessed: 2999-02-03
""",
}


def test_every_date_field_is_checked(run_cli: Run, site: Callable[..., str]) -> None:
    result = run_cli("check", "--content", site(**EVERY_DATE))
    lines = [line.split(" — ")[0] for line in result.out.splitlines()]
    demo = "content/cases/demo"
    assert lines == [
        f"{demo}/case.yaml:5:11: warning: `date` is 2999-01-02, which is in the future",
        f"{demo}/events.yaml:2:9: warning: `date` is 2999, which is in the future",
        f"{demo}/polls.yaml:5:12: warning: `start` is 2999-06-01, which is in the future",
        f"{demo}/polls.yaml:6:17: warning: `end` is 2999-06-02, which is in the future",
        f"{demo}/polls.yaml:7:14: warning: `published` is 2999-06-10, which is in the future",
        f"{demo}/quotes.yaml:4:19: warning: `said_on` is 2999-05, which is in the future",
        f"{demo}/rulings.yaml:5:9: warning: `date` is 2999-03-04, which is in the future",
        f"{demo}/sources.yaml:5:14: warning: `published` is 2999-02, which is in the future",
        f"{demo}/sources.yaml:6:13: warning: `accessed` is 2999-02-03, which is in the future",
        "9 warnings found, no errors",
    ]
    assert result.code == 0


@pytest.mark.parametrize(
    ("today", "future"),
    [
        (dt.date(2030, 5, 31), True),
        (dt.date(2030, 6, 1), False),
        (dt.date(2030, 6, 30), False),
    ],
)
def test_a_partial_date_is_future_only_if_its_first_day_is(
    tmp_path: Path, today: dt.date, future: bool
) -> None:
    case = CASE_WITH_UPDATE.replace("2999-01-02", "2030-06")
    root = write_tree(tmp_path / "content", minimal_site(**{"case.yaml": case}))
    warnings = run_check(root, today=today).warnings
    assert [w.message for w in warnings] == (
        ["`date` is 2030-06, which is in the future"] if future else []
    )


@pytest.mark.parametrize(
    ("today", "future"), [(dt.date(2030, 12, 31), False), (dt.date(2029, 12, 31), True)]
)
def test_a_year_is_future_only_before_it_begins(
    tmp_path: Path, today: dt.date, future: bool
) -> None:
    case = CASE_WITH_UPDATE.replace("2999-01-02", "2030")
    root = write_tree(tmp_path / "content", minimal_site(**{"case.yaml": case}))
    assert bool(run_check(root, today=today).warnings) is future


def test_today_itself_is_not_future(tmp_path: Path) -> None:
    case = CASE_WITH_UPDATE.replace("2999-01-02", "2030-06-15")
    root = write_tree(tmp_path / "content", minimal_site(**{"case.yaml": case}))
    assert run_check(root, today=dt.date(2030, 6, 15)).warnings == []
    assert len(run_check(root, today=dt.date(2030, 6, 14)).warnings) == 1


SECOND_SOURCE = SOURCES_WITH_UNUSED.replace("unused", "second")
CITING = {
    "case summary": {"case.yaml": "sources: [report, second]"},
    "key fact": {
        "case.yaml": "key_facts:\n  - {label: Docket, value: No. 1, sources: [second]}\n"
        "sources: [report]"
    },
    "conflict": {
        "case.yaml": "conflicts:\n  - {id: c, title: T, text: X, sources: [second]}\n"
        "sources: [report]"
    },
    "party": {"parties.yaml": PARTIES + "  sources: [second]\n"},
    "ruling": {"rulings.yaml": EVERY_DATE["rulings.yaml"].replace("[report]", "[second]")},
    "event": {"events.yaml": EVERY_DATE["events.yaml"].replace("[report]", "[second]")},
    "quote": {"quotes.yaml": ORDINARY_QUOTE.replace("[report]", "[second]")},
    "poll": {"polls.yaml": EVERY_DATE["polls.yaml"].replace("[report]\n", "[second]\n", 1)},
    "poll question": {
        "polls.yaml": EVERY_DATE["polls.yaml"].replace(
            "percent: 50}]\n", "percent: 50}]\n      sources: [second]\n"
        )
    },
}


@pytest.mark.parametrize("citer", sorted(CITING))
def test_a_source_cited_anywhere_is_not_reported(tmp_path: Path, citer: str) -> None:
    files = {**EVERY_DATE, "sources.yaml": SECOND_SOURCE}
    for name, body in CITING[citer].items():
        files[name] = (
            CASE_WITH_UPDATE.replace("sources: [report]", body) if name == "case.yaml" else body
        )
    root = write_tree(tmp_path / "content", minimal_site(**files))
    uncited = [w for w in run_check(root).warnings if "not cited" in w.message]
    assert uncited == []


def test_an_uncited_source_is_reported_at_its_id(tmp_path: Path) -> None:
    files = {**EVERY_DATE, "sources.yaml": SECOND_SOURCE}
    root = write_tree(tmp_path / "content", minimal_site(**files))
    uncited = [w for w in run_check(root).warnings if "not cited" in w.message]
    assert [(w.location, w.message) for w in uncited] == [
        (
            Location(str(root / "cases/demo/sources.yaml"), 5, 7),
            "source `second` is not cited by anything",
        )
    ]


def test_a_case_without_quotes_gets_no_key_quote_warning(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "content", minimal_site())
    assert run_check(root).warnings == []


def test_quotes_in_a_folder_are_checked_too(tmp_path: Path) -> None:
    quote = ORDINARY_QUOTE.replace("- id", "id").replace("\n  ", "\n")
    files = minimal_site(**{"parties.yaml": PARTIES, "cases/demo/quotes/hello.yaml": quote})
    root = write_tree(tmp_path / "content", files)
    assert [(str(w.location), w.message) for w in run_check(root).warnings] == [
        (
            f"{root}/cases/demo/case.yaml:1:1",
            "no quote of this case is marked as key, so its overview shows no key quotes",
        ),
        (
            f"{root}/cases/demo/quotes/hello.yaml:4:17",
            "`said_on` is 2999-05, which is in the future",
        ),
    ]


def test_examples_left_from_explainer_new_are_reported_once_per_item(tmp_path: Path) -> None:
    from generator.commands.scaffold import new_case

    content = write_tree(tmp_path / "content", {"site.yaml": minimal_site()["site.yaml"]})
    new_case(content, "demo")
    result = run_check(content, today=dt.date(2026, 1, 1))
    assert result.errors == []
    found = [
        (Path(w.location.file).name, w.location.line, w.message, w.title) for w in result.warnings
    ]
    names = [
        "case",
        "events",
        "glossary",
        "parties",
        "periods",
        "polls",
        "quotes",
        "rulings",
        "sources",
    ]
    assert [name for name, *_ in found] == [f"{name}.yaml" for name in names]
    assert found[0][2:] == (
        "`title` still holds an example written by `explainer new`",
        "Example left in",
    )
    assert {message for _, _, message, _ in found[1:]} == {
        "`id` still holds an example written by `explainer new`"
    }


def test_a_real_text_mentioning_replacement_is_not_an_example() -> None:
    from generator.commands.scaffold import is_placeholder

    assert is_placeholder("Replace with the answer as the source words it")
    assert is_placeholder("https://example.org/replace-me")
    assert not is_placeholder("Congress may replace the Stored Communications Act.")
    assert not is_placeholder("A replacement bill, with the changes Microsoft asked for")


def test_next_step_of_a_resolved_case_is_warned_about_where_it_is_written(
    tmp_path: Path,
) -> None:
    case = "title: T\nsummary: S.\nstatus: resolved\nnext_step: An appeal.\nsources: [report]\n"
    root = write_tree(tmp_path / "content", minimal_site(**{"case.yaml": case}))
    (warning,) = run_check(root).warnings
    assert str(warning.location).endswith("cases/demo/case.yaml:4:1")
    assert (warning.message, warning.hint) == (
        "`next_step` is not shown, because the case is resolved",
        "delete `next_step`, or set `status: ongoing` if the case goes on",
    )
    ongoing = case.replace("resolved", "ongoing")
    write_tree(tmp_path / "content", minimal_site(**{"case.yaml": ongoing}))
    assert run_check(root).warnings == []


NESTED = {
    "case.yaml": """\
title: A test case
summary: What the test case is about.
status: ongoing
questions:
  - Replace with a question readers ask
key_facts:
  - {label: Docket, value: Replace with the number, sources: [second]}
updates:
  - date: 2999-01-02
    text: First published.
sources: [report]
image: map
""",
    "polls.yaml": """\
- id: survey
  title: A survey
  pollster: pollster
  fieldwork:
    start: 2999-06-01
    end: {date: 2999-06-02}
  questions:
    - id: q
      text: Replace with the question
      results: [{answer: Agree, percent: 50}]
      sources: [third]
  sources: [report]
""",
    "sources.yaml": "".join(
        f"- id: {ident}\n  title: A report\n  publisher: The Paper\n"
        f"  url: https://example.org/{ident}\n"
        for ident in ("report", "second", "third", "unused")
    ),
    "media.yaml": """\
- id: map
  file: map.png
  alt: A map
  credit: Case Explainers
  licence: CC-BY-4.0
- id: spare
  file: map.png
  alt: The same map
  credit: Case Explainers
  licence: CC-BY-4.0
""",
    "parties.yaml": EVERY_DATE["parties.yaml"],
    "cases/demo/media/map.png": b"\x89PNG\r\n\x1a\n" + bytes(16),
}


def test_each_warning_kind_reads_values_nested_in_lists_and_mappings(tmp_path: Path) -> None:
    """Sources cited, media shown, dates and examples found at any depth, each at its place."""
    root = write_tree(tmp_path / "content", minimal_site(**NESTED))
    found = [
        (Path(w.location.file).name, w.location.line, w.location.column, w.message, w.title)
        for w in run_check(root, today=dt.date(2030, 1, 1)).warnings
    ]
    new = "still holds an example written by `explainer new`"
    assert found == [
        ("case.yaml", 5, 5, f"`questions` {new}", "Example left in"),
        ("case.yaml", 9, 11, "`date` is 2999-01-02, which is in the future", "Date in the future"),
        ("media.yaml", 6, 7, "media item `spare` is not shown by anything", "Unused media item"),
        (
            "polls.yaml",
            5,
            12,
            "`start` is 2999-06-01, which is in the future",
            "Date in the future",
        ),
        ("polls.yaml", 6, 17, "`end` is 2999-06-02, which is in the future", "Date in the future"),
        ("polls.yaml", 9, 13, f"`text` {new}", "Example left in"),
        ("sources.yaml", 13, 7, "source `unused` is not cited by anything", "Uncited source"),
    ]
