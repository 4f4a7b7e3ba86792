"""`explainer import`: spreadsheets into a case's YAML, every problem at its cell, nothing
written on a problem, and YAML written as an editor would (unchanged items untouched)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import yaml

from generator.commands.check import run_check
from generator.commands.spreadsheet.columns import cell_text, own_columns
from generator.load.content import load_content
from generator.validate.content import validate_content
from tests.conftest import REAL_CONTENT, REPO, SITE_YAML, CliResult, write_tree

CASE = "cases/demo"

SOURCES = """\
# The demo's sources.

- id: report
  title: A report
  publisher: The Paper
  url: https://example.org/report
  published: 2014-08-29

- id: ruling-text
  title: The ruling
  publisher: The Court
  url: https://example.org/ruling
"""

PARTIES = """\
- id: jane-roe
  name: Jane Roe
  kind: person
  role: Wrote the report

- id: the-court
  name: The Court
  kind: court
  role: Decided the case
"""

EVENTS = """\
# The demo's timeline.

- id: report-published
  date: 2014-08-29
  title: The report is published
  kind: statement
  key: true
  body: >-
    The Paper published a report on the case, long enough that an editor folded it over two
    lines of the file.
  parties: [jane-roe]
  sources: [report]

- id: ruling
  date: {date: 2015, approximate: true}
  title: The court rules
  kind: ruling
  body: The court ruled.
  sources: [ruling-text, report]
"""

QUOTE = """\
id: roe-words
text: Some words
speaker: jane-roe
said_on: 2014-08-29
venue: The report
sources: [report]
verbatim_in: report
"""


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A one-case site with sources, parties, an events file and a quotes folder."""
    return write_tree(
        tmp_path / "content",
        {
            "site.yaml": SITE_YAML,
            f"{CASE}/case.yaml": "title: Demo\nsummary: The demo case.\nstatus: ongoing\n",
            f"{CASE}/sources.yaml": SOURCES,
            f"{CASE}/parties.yaml": PARTIES,
            f"{CASE}/events.yaml": EVENTS,
            f"{CASE}/quotes/roe-words.yaml": QUOTE,
        },
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def run_import(run_cli: Callable[..., CliResult], content: Path, *args: str) -> CliResult:
    return run_cli("import", *args, "--case", "demo", "--content", str(content))


EVENT_HEADER = ["id", "date", "title", "kind", "body", "sources"]


def test_planted_mistakes_are_all_reported_at_their_cells_and_nothing_is_written(
    content: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    sheet = tmp_path / "events.csv"
    sheet.write_text(
        "\ufeff"  # the byte order mark Excel writes
        "id,date,title,kind,body,sources\n"
        "a,2014-13,Month thirteen,hearing,Body.,report\n"
        "b,20I4,A letter for a digit,hearing,Body.,report\n"
        "c,2014,A missing source,hearing,Body.,reprot\n"
        "a,2014,The same id,hearing,Body.,report\n"
        "d,2014,A blank body,hearing,,report\n"
        'e,2014,"A "broken" quote",hearing,Body.,report\n'
        "f,2014,A good row after them,hearing,Body.,report\n",
        encoding="utf-8",
    )
    before = snapshot(content)
    result = run_import(run_cli, content, "events", str(sheet))
    assert result.code == 1
    assert result.err.splitlines() == [
        f"{sheet}:2:1 (id): duplicate id `a` (in its `id` cell): row 5 has it too"
        " — give each row its own id",
        f"{sheet}:2:2 (date): `2014-13` has no month 13 — months run from 01 to 12",
        f"{sheet}:3:2 (date): `20I4` is not a date — write YYYY-MM-DD, YYYY-MM or YYYY"
        " (e.g. 2014-07-31); add `~` for an approximate date (`2014~`)",
        f"{sheet}:4:6 (sources): unknown source `reprot` in `sources` — did you mean `report`?",
        f"{sheet}:5:1 (id): duplicate id `a` (in its `id` cell): row 2 has it too"
        " — give each row its own id",
        f"{sheet}:6:5 (body): `body` is required, and this cell is empty"
        " — write what happened, in your own words (Markdown)",
        f'{sheet}:7:3 (title): this cell has text after its closing quote (`"`)'
        ' — write a quote inside a quoted cell twice (`""`), or save the sheet again as CSV',
        "7 problems found; nothing was written",
    ]
    assert snapshot(content) == before


def test_unknown_speaker_and_unknown_column_suggest_the_closest(
    content: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    sheet = write_csv(
        tmp_path / "quotes.csv",
        [
            ["text", "speaker", "said_on", "venue", "sources", "verbatim_in", "contxt"],
            ["Other words", "jane-doe", "2014-09", "An interview", "report", "report", ""],
        ],
    )
    result = run_import(run_cli, content, "quotes", str(sheet))
    assert result.code == 1
    assert result.err.splitlines()[:2] == [
        f"{sheet}:1:7 (contxt): unknown column `contxt` — did you mean `context`?",
        f"{sheet}:2:2 (speaker): unknown party `jane-doe` in `speaker` — did you mean `jane-roe`?",
    ]


def test_unterminated_quote_is_reported_at_the_cell_that_opens_it(
    content: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    sheet = tmp_path / "events.csv"
    sheet.write_text(
        'id,date,title,kind,body,sources\nx,2014,Title,hearing,"Body never closed,report\n',
        encoding="utf-8",
    )
    result = run_import(run_cli, content, "events", str(sheet))
    assert result.code == 1
    assert result.err.splitlines()[0].startswith(
        f'{sheet}:2:5 (body): this cell opens a quote (`"`) that never closes'
    )


def test_xlsx_merged_header_cell_is_reported_at_its_cell(
    content: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Timeline"
    sheet.append(["id", "date", "title", "kind", "body", "sources"])
    sheet.append(["x", "2014-13", "Title", "hearing", "Body.", "report"])
    sheet.merge_cells("C1:D1")
    path = tmp_path / "events.xlsx"
    workbook.save(path)
    before = snapshot(content)
    result = run_import(run_cli, content, "events", str(path))
    assert result.code == 1
    lines = result.err.splitlines()
    assert lines[0] == (
        f"{path}:Timeline!C1 (title): this header cell is merged with its neighbours (C1:D1)"
        " — unmerge the cells: each column needs a header of its own"
    )
    assert f"{path}:Timeline!B2 (date): `2014-13` has no month 13" in result.err
    assert snapshot(content) == before


def test_xlsx_dates_and_numbers_read_as_typed(
    content: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["date", "title", "kind", "body", "sources", "key"])
    sheet.append([dt.datetime(2016, 7, 14), "Appeal decided", "ruling", "Decided.", "report", True])
    sheet.append([2017, "A year later", "context", "Later.", "report; ruling-text", None])
    path = tmp_path / "events.xlsx"
    workbook.save(path)
    result = run_import(run_cli, content, "events", str(path))
    assert (result.code, result.err) == (0, "")
    events = (content / CASE / "events.yaml").read_text("utf-8")
    assert events == EVENTS + (
        "\n"
        "- id: 2016-07-14-appeal-decided\n"
        "  date: 2016-07-14\n"
        "  title: Appeal decided\n"
        "  kind: ruling\n"
        "  key: true\n"
        "  body: Decided.\n"
        "  sources: [report]\n"
        "\n"
        "- id: 2017-a-year-later\n"
        "  date: 2017\n"
        "  title: A year later\n"
        "  kind: context\n"
        "  body: Later.\n"
        "  sources: [report, ruling-text]\n"
    )


def test_dry_run_lists_new_changed_unchanged_and_writes_nothing(
    content: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    sheet = write_csv(
        tmp_path / "events.csv",
        [
            EVENT_HEADER,
            [
                "ruling",
                "2015~",
                "The court rules",
                "ruling",
                "The court ruled.",
                "ruling-text; report",
            ],
            ["report-published", "2014-08-29", "The report is out", "statement", "Out.", "report"],
            ["", "2016", "Something new", "context", "New.", "report"],
        ],
    )
    before = snapshot(content)
    result = run_import(run_cli, content, "events", str(sheet), "--dry-run")
    assert result.code == 0
    events = content / CASE / "events.yaml"
    assert result.out.splitlines() == [
        f"unchanged events/ruling  ({events})",
        f"changed   events/report-published  ({events})",
        f"new       events/2016-something-new  ({events})",
        "1 new, 1 changed, 1 unchanged; dry run: nothing written",
    ]
    assert snapshot(content) == before


def test_reimport_updates_the_item_instead_of_adding_it_again(
    content: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    header = ["date", "title", "kind", "body", "sources"]
    first = write_csv(
        tmp_path / "a.csv", [header, ["2016-03", "A hearing", "hearing", "Heard.", "report"]]
    )
    assert run_import(run_cli, content, "events", str(first)).code == 0
    second = write_csv(
        tmp_path / "b.csv",
        [header, ["2016-03", "A hearing", "hearing", "Heard at length.", "report"]],
    )
    result = run_import(run_cli, content, "events", str(second))
    assert result.code == 0
    assert "changed   events/2016-03-a-hearing" in result.out
    text = (content / CASE / "events.yaml").read_text("utf-8")
    assert text.count("id: 2016-03-a-hearing") == 1
    assert "  body: Heard at length.\n" in text


def test_existing_item_with_the_same_date_and_title_is_updated(
    content: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    sheet = write_csv(
        tmp_path / "events.csv",
        [
            ["date", "title", "kind", "body", "sources"],
            ["2014-08-29", "The report is published", "statement", "Shorter.", "report"],
        ],
    )
    result = run_import(run_cli, content, "events", str(sheet))
    assert result.code == 0
    assert "changed   events/report-published" in result.out


def test_written_yaml_checks_and_changes_only_the_new_content(
    content: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    sheet = write_csv(
        tmp_path / "events.csv",
        [
            [*EVENT_HEADER, "parties"],
            [
                "ruling",
                "2015~",
                "The court rules",
                "ruling",
                "The court ruled for Jane Roe.",
                "ruling-text; report",
                "the-court; jane-roe",
            ],
            [
                "report-published",
                "2014-08-29",
                "The report is published",
                "statement",
                "The Paper published a report on the case, long enough that an editor folded it"
                " over two lines of the file.",
                "report",
                "jane-roe",
            ],
            ["", "2016", "A long one", "context", "word " * 40, "report", ""],
        ],
    )
    result = run_import(run_cli, content, "events", str(sheet))
    assert result.code == 0, result.err
    text = (content / CASE / "events.yaml").read_text("utf-8")
    # The unchanged item keeps its bytes; the changed one only its changed lines.
    expected_changed = EVENTS.replace(
        "  body: The court ruled.\n  sources: [ruling-text, report]\n",
        "  body: The court ruled for Jane Roe.\n  parties: [the-court, jane-roe]\n"
        "  sources: [ruling-text, report]\n",
    )
    assert text.startswith(expected_changed)
    added = text[len(expected_changed) :]
    assert added.startswith("\n- id: 2016-a-long-one\n  date: 2016\n")
    body = added.split("  body: >-\n", 1)[1].split("  sources:", 1)[0]
    assert all(len(line) <= 100 and line.startswith("    word") for line in body.splitlines())
    checked = run_check(content)
    assert checked.errors == []


def test_folder_collection_gets_a_file_per_item(
    content: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    sheet = write_csv(
        tmp_path / "quotes.csv",
        [
            ["text", "speaker", "said_on", "venue", "sources", "verbatim_in"],
            ["We will decide: soon", "the-court", "2015~", "Hearing", "ruling-text", "ruling-text"],
            ["Some words", "jane-roe", "2014-08-29", "The report", "report", "report"],
        ],
    )
    quote = (content / CASE / "quotes" / "roe-words.yaml").read_bytes()
    result = run_import(run_cli, content, "quotes", str(sheet))
    assert result.code == 0, result.err
    made = content / CASE / "quotes" / "2015-we-will-decide-soon.yaml"
    assert made.read_text("utf-8") == (
        "id: 2015-we-will-decide-soon\n"
        'text: "We will decide: soon"\n'
        "speaker: the-court\n"
        "said_on: {date: 2015, approximate: true}\n"
        "venue: Hearing\n"
        "sources: [ruling-text]\n"
        "verbatim_in: ruling-text\n"
    )
    assert "unchanged quotes/roe-words" not in result.out  # unchanged items are not listed
    assert (content / CASE / "quotes" / "roe-words.yaml").read_bytes() == quote
    assert sorted(p.name for p in (content / CASE / "quotes").iterdir()) == [
        "2015-we-will-decide-soon.yaml",
        "roe-words.yaml",
    ]
    assert run_check(content).errors == []


def test_new_case_is_made_with_a_case_yaml_to_finish(
    content: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    sheet = write_csv(
        tmp_path / "sources.csv",
        [
            ["title", "publisher", "url", "published"],
            ["A filing", "A Court", "https://example.org/f", "2019-02"],
        ],
    )
    result = run_cli("import", "sources", str(sheet), "--case", "fresh", "--content", str(content))
    assert result.code == 0, result.err
    folder = content / "cases" / "fresh"
    assert (folder / "case.yaml").read_text("utf-8") == (
        'title: "New case: replace this title"\n'
        "summary: Replace with what the case is about, in a few sentences of your own.\n"
        "status: ongoing\n"
    )
    assert (folder / "sources.yaml").read_text("utf-8") == (
        "- id: a-filing\n"
        "  title: A filing\n"
        "  publisher: A Court\n"
        "  url: https://example.org/f\n"
        "  published: 2019-02\n"
    )
    checked = run_check(content)
    assert checked.errors == []


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_words_a_spreadsheet_would_run_as_a_formula_export_as_words_and_read_back(
    content: Path, tmp_path: Path, run_cli: Callable[..., CliResult], form: str
) -> None:
    """An item's words starting as a formula does (`=`, `+`, `-`, `@`) open as words: a CSV
    cell gets a `'` before them, an XLSX cell is typed as text; import reads them back."""
    events = content / CASE / "events.yaml"
    events.write_text(
        events.read_text("utf-8")
        .replace("body: The court ruled.", 'body: \'=HYPERLINK("https://example.org", "x")\'')
        .replace("title: The court rules", "title: '@court rules'"),
        "utf-8",
    )
    sheet = tmp_path / f"events.{form}"
    exported = run_cli(
        "export", "events", "--case", "demo", "--content", str(content), "--format", form,
        "--output", str(sheet),
    )  # fmt: skip
    assert exported.code == 0, exported.err
    if form == "csv":
        rows = list(csv.reader(io.StringIO(sheet.read_text("utf-8"))))
        assert '\'=HYPERLINK("https://example.org", "x")' in rows[2]
        assert "'@court rules" in rows[2]
        assert rows[1][rows[0].index("body")].startswith("The Paper")
    else:
        cells = [c for row in openpyxl.load_workbook(sheet).active.iter_rows() for c in row]
        formula = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
        assert formula.data_type == "s"
    before = snapshot(content)
    result = run_import(run_cli, content, "events", str(sheet))
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1].startswith("0 new, 0 changed, ")
    assert snapshot(content) == before


TIMELINEJS_TEMPLATE = REPO / "tests" / "fixtures" / "timelinejs" / "template.csv"


def test_the_timelinejs_template_imports_with_its_dates_tags_era_and_title(
    content: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    """The TimelineJS template as a newsroom downloads it, into a new case: each date to the
    precision given, "c." making it approximate, the Group a tag, the era a period and the
    title row the case's title and summary; the HTML of Text as Markdown."""
    sources = write_csv(
        tmp_path / "sources.csv",
        [
            ["id", "title", "publisher", "url"],
            ["register", "A report", "The Register", "https://example.org/register"],
        ],
    )
    args = ("--case", "lower-courts", "--content", str(content))
    assert run_cli("import", "sources", str(sources), *args).code == 0
    result = run_cli("import", "events", str(TIMELINEJS_TEMPLATE), *args, "--source", "register")
    assert result.code == 0, result.err
    assert "note: the Media column is not imported" in result.out  # the case has no media.yaml
    folder = content / "cases" / "lower-courts"
    case = yaml.safe_load((folder / "case.yaml").read_text("utf-8"))
    assert case["title"] == "Microsoft Ireland email warrant"
    assert case["summary"].startswith("Whether a U.S. warrant reaches emails")
    events = {e["title"]: e for e in yaml.safe_load((folder / "events.yaml").read_text("utf-8"))}
    act = events["Congress passes the Stored Communications Act"]
    assert (act["date"], act["tags"]) == (1986, ["legislation"])
    snowden = events["Snowden disclosures begin"]
    assert snowden["date"] == {"date": "2013-06", "approximate": True}
    assert "**Edward Snowden**" in snowden["body"]
    assert "[Pew Research Center](https://legacy.pewresearch.org/?p=276950)" in snowden["body"]
    assert events["Warrant issued for an MSN.com account"]["date"] == dt.date(2013, 12, 4)
    preska = events["Chief Judge Preska upholds the warrant"]
    assert (preska["date"], preska["tags"]) == (dt.date(2014, 7, 31), ["court-rulings"])
    assert preska["body"] == "- the warrant stands\n- *Microsoft* may appeal"
    assert all(e["sources"] == ["register"] and e["kind"] == "context" for e in events.values())
    [period] = yaml.safe_load((folder / "periods.yaml").read_text("utf-8"))
    assert (period["title"], period["start"], period["end"]) == (
        "In the lower courts",
        dt.date(2013, 12, 4),
        dt.date(2016, 7, 14),
    )
    assert run_check(content).errors == []


def test_bad_usage_exits_2(
    content: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    assert run_import(run_cli, content, "events", str(tmp_path / "none.csv")).code == 2
    assert run_import(run_cli, content, "rulings", str(tmp_path / "none.csv")).code == 2
    other = tmp_path / "events.ods"
    other.write_bytes(b"x")
    result = run_import(run_cli, content, "events", str(other))
    assert result.code == 2
    assert "save it as CSV (UTF-8) or as .xlsx" in result.err


def test_timelinejs_rows_take_the_given_sources_and_kind(
    content: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    sheet = write_csv(
        tmp_path / "timeline.csv",
        [
            ["Year", "Month", "Day", "Display Date", "Headline", "Text", "Type"],
            ["2016", "7", "14", "", "The appeal is decided", "The court of appeals decided.", ""],
        ],
    )
    result = run_import(run_cli, content, "events", str(sheet), "--source", "ruling-text")
    assert result.code == 0, result.err
    text = (content / CASE / "events.yaml").read_text("utf-8")
    assert text.endswith(
        "\n- id: 2016-07-14-the-appeal-is-decided\n"
        "  date: 2016-07-14\n"
        "  title: The appeal is decided\n"
        "  kind: context\n"
        "  body: The court of appeals decided.\n"
        "  sources: [ruling-text]\n"
    )


def test_a_timelinejs_date_read_wrong_is_reported_once_at_its_cell(
    content: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    """A Month, Day or Display Date the TimelineJS reading finds wrong is not reported again
    as a missing date at the Year cell."""
    sheet = write_csv(
        tmp_path / "timeline.csv",
        [
            ["Year", "Month", "Day", "Display Date", "Headline", "Text", "Type"],
            ["2016", "13", "14", "", "The appeal is decided", "The court decided.", ""],
            ["2016", "7", "32", "", "Another day", "It happened.", ""],
        ],
    )
    result = run_import(run_cli, content, "events", str(sheet), "--source", "ruling-text")
    assert result.code == 1
    lines = [line for line in result.err.splitlines() if line.startswith(str(sheet))]
    assert [line.split(": ", 1)[0] for line in lines] == [
        f"{sheet}:2:2 (Month)",
        f"{sheet}:3:3 (Day)",
    ], result.err


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_real_events_through_cell_text_import_unchanged(
    tmp_path: Path, run_cli: Callable[..., CliResult], form: str
) -> None:
    """The real case's events, written as cells with `cell_text` and imported again, leave
    every file byte-identical."""
    copy = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, copy)
    case = validate_content(load_content(copy)).cases[0]
    columns = own_columns("events")
    rows = [columns] + [[cell_text(c, getattr(e, c)) for c in columns] for e in case.events]
    if form == "csv":
        sheet = write_csv(tmp_path / "events.csv", rows)
    else:
        workbook = openpyxl.Workbook()
        for row in rows:
            workbook.active.append(row)
        sheet = tmp_path / "events.xlsx"
        workbook.save(sheet)
    before = snapshot(copy)
    result = run_cli("import", "events", str(sheet), "--case", case.slug, "--content", str(copy))
    assert result.code == 0, result.err
    assert (
        result.out.splitlines()[-1]
        == f"0 new, 0 changed, {len(case.events)} unchanged; wrote 0 file(s)"
    )
    assert snapshot(copy) == before


def test_title_row_names_a_case_the_import_just_made(
    content: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    sources = write_csv(
        tmp_path / "sources.csv",
        [["title", "publisher", "url"], ["The opinion", "The Court", "https://example.org/o"]],
    )
    args = ("--case", "fresh", "--content", str(content))
    assert run_cli("import", "sources", str(sources), *args).code == 0
    timeline = write_csv(
        tmp_path / "timeline.csv",
        [
            ["Year", "Month", "Day", "Headline", "Text", "Type"],
            ["", "", "", "A fresh case", "What the fresh case is about.", "title"],
            ["2019", "", "", "It begins", "It began.", ""],
        ],
    )
    result = run_cli("import", "events", str(timeline), *args, "--source", "the-opinion")
    assert result.code == 0, result.err
    folder = content / "cases" / "fresh"
    assert (folder / "case.yaml").read_text("utf-8") == (
        "title: A fresh case\nsummary: What the fresh case is about.\nstatus: ongoing\n"
    )
    assert "  sources: [the-opinion]\n" in (folder / "events.yaml").read_text("utf-8")
    assert run_check(content).errors == []
    again = run_cli("import", "events", str(timeline), *args, "--source", "the-opinion")
    assert again.out.splitlines()[-1] == "0 new, 0 changed, 1 unchanged; wrote 0 file(s)"


def test_unknown_source_option_is_reported_once(
    content: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    sheet = write_csv(
        tmp_path / "events.csv",
        [
            ["date", "title", "kind", "body"],
            ["2019", "One", "context", "1."],
            ["2020", "Two", "context", "2."],
        ],
    )
    result = run_import(run_cli, content, "events", str(sheet), "--source", "reprot")
    assert result.err.splitlines() == [
        f"{sheet}: `--source reprot` names no source of the case — did you mean `report`?",
        "1 problem found; nothing was written",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "word " * 30 + "end",
        "First paragraph.\n\nSecond paragraph, *in Markdown*.",
        "x: y",
        "yes",
        "# not a comment " * 8,
        "Tabs\tinside " * 10,
        "- a list\n- of two",
        "  leading spaces and a trailing newline\n",
        "Quotes \"double\" and 'single'",
    ],
)
def test_written_text_reads_back_as_itself(text: str) -> None:
    import yaml

    from generator.commands.spreadsheet.yaml_writer import field_lines

    lines = field_lines("body", text, 0)
    assert yaml.safe_load("\n".join(lines)) == {"body": text}


def test_a_column_every_row_needs_is_reported_once_at_the_header(
    content: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    sheet = write_csv(
        tmp_path / "events.csv",
        [
            ["date", "title", "kind", "body"],
            ["2019", "One", "context", "1."],
            ["2020", "Two", "context", "2."],
        ],
    )
    result = run_import(run_cli, content, "events", str(sheet), "--dry-run")
    assert result.err.splitlines() == [
        f"{sheet}:1: the sheet has no `sources` column, which rows 2, 3 need"
        " — add a `sources` column: ids of entries in sources.yaml that support this item"
        " (at least one); or give the sources of every row with `--source ID`",
        "1 problem found; nothing was written",
    ]


def test_dry_run_into_a_new_case_makes_no_folder(
    content: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    sheet = write_csv(
        tmp_path / "sources.csv",
        [["title", "publisher", "url"], ["A", "B", "https://example.org/a"]],
    )
    result = run_cli(
        "import", "sources", str(sheet), "--case", "fresh", "--content", str(content), "--dry-run"
    )
    assert result.code == 0, result.err
    assert "new       sources/a  (" in result.out
    assert not (content / "cases" / "fresh").exists()


def test_xlsx_without_openpyxl_names_the_extra(
    content: Path,
    tmp_path: Path,
    run_cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    path = tmp_path / "events.xlsx"
    path.write_bytes(b"PK")
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if not installed
    result = run_import(run_cli, content, "events", str(path))
    assert result.code == 2
    assert "install the `xlsx` extra (pip install 'case-explainer[xlsx]')" in result.err


def test_case_slug_close_to_an_existing_one_is_noted(
    content: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    sheet = write_csv(
        tmp_path / "sources.csv",
        [["title", "publisher", "url"], ["A", "B", "https://example.org/a"]],
    )
    result = run_cli(
        "import", "sources", str(sheet), "--case", "demoo", "--content", str(content), "--dry-run"
    )
    assert "note: there is no case `demoo`, so it is made new — did you mean `demo`?" in result.out


@pytest.mark.parametrize(
    ("kind", "form"),
    [
        ("events", "csv"),
        ("events", "xlsx"),
        ("quotes", "csv"),
        ("parties", "csv"),
        ("sources", "csv"),
    ],
)
def test_export_then_import_of_the_real_case_leaves_content_byte_identical(
    tmp_path: Path, run_cli: Callable[..., CliResult], kind: str, form: str
) -> None:
    copy = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, copy)
    sheet = tmp_path / f"{kind}.{form}"
    where = ("--case", "microsoft-ireland", "--content", str(copy))
    exported = run_cli("export", kind, *where, "--format", form, "--output", str(sheet))
    assert exported.code == 0, exported.err
    before = snapshot(copy)
    result = run_cli("import", kind, str(sheet), *where)
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1].startswith("0 new, 0 changed, ")
    assert snapshot(copy) == before
