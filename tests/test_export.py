"""`explainer export`: our own columns as CSV and XLSX, the TimelineJS template, and
TimelineJS's JSON with nothing in it that could run script."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from generator.commands.spreadsheet.exporter import _group, export_case, own_columns
from generator.commands.spreadsheet.timelinejs import (
    TIMELINEJS_COLUMNS,
    read_timelinejs_row,
    slug_of,
)
from generator.render.markdown import ALLOWED_TAGS
from tests.conftest import REAL_CONTENT, CliResult, minimal_site

CASE = "microsoft-ireland"


def _content_rows(kind: str) -> list[dict[str, object]]:
    return yaml.safe_load((REAL_CONTENT / "cases" / CASE / f"{kind}.yaml").read_text("utf-8"))


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("kind", ["events", "quotes", "parties", "sources"])
def test_csv_has_our_columns_and_every_item_in_order(kind: str) -> None:
    exported = export_case(REAL_CONTENT, kind, CASE, "csv")
    assert isinstance(exported, str)
    header, *rows = _csv_rows(exported)
    assert header == own_columns(kind)
    assert header[0] == "id"
    assert [row[0] for row in rows] == [item["id"] for item in _content_rows(kind)]
    assert {len(row) for row in rows} == {len(header)}


def test_csv_cells_are_written_as_import_reads_them() -> None:
    exported = export_case(REAL_CONTENT, "events", CASE, "csv")
    assert isinstance(exported, str)
    header, *rows = _csv_rows(exported)
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    warrant = by_id["warrant-issued"]
    assert warrant["date"] == "2013-12-04"
    assert warrant["key"] == "true"
    assert (
        warrant["parties"] == "james-c-francis-iv; sdny; united-states; microsoft; account-holder"
    )
    assert by_id["stored-communications-act"]["date"] == "1986"
    assert by_id["stored-communications-act"]["ruling"] == ""


def test_xlsx_holds_the_same_cells_as_text(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    output = tmp_path / "events.xlsx"
    result = run_cli(
        "export", "events", "--case", CASE, "--format", "xlsx", "--output", str(output),
        "--content", str(REAL_CONTENT),
    )  # fmt: skip
    assert result.code == 0, result.err
    sheet = openpyxl.load_workbook(output).active
    cells = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    exported = export_case(REAL_CONTENT, "events", CASE, "csv")
    assert isinstance(exported, str)
    assert cells == _csv_rows(exported)
    assert sheet.title == "events"


def test_timelinejs_csv_reads_back_as_the_same_events() -> None:
    exported = export_case(REAL_CONTENT, "events", CASE, "timelinejs-csv")
    assert isinstance(exported, str)
    header, *rows = _csv_rows(exported)
    assert header[: len(TIMELINEJS_COLUMNS) + 1] == [*TIMELINEJS_COLUMNS, "id"]
    assert header[len(TIMELINEJS_COLUMNS) + 1 :] == [
        "kind", "parties", "ruling", "quotes", "key", "sources", "documents"
    ]  # fmt: skip
    read = [read_timelinejs_row(dict(zip(header, row, strict=True)), None) for row in rows]
    assert read[0].kind == "title"
    events = _content_rows("events")
    assert [r.kind for r in read[1:]] == ["event"] * len(events)
    assert [r.problems for r in read] == [()] * len(read)
    for row, cells, event in zip(read[1:], rows[1:], events, strict=True):
        assert cells[len(TIMELINEJS_COLUMNS)] == event["id"]
        assert cells[len(TIMELINEJS_COLUMNS) + 1] == event["kind"]
        date = event["date"]
        assert row.fields["date"] == (date if isinstance(date, dict) else str(date))
        assert row.fields["title"] == event["title"]


def test_timelinejs_json_has_a_slide_per_event_with_its_date() -> None:
    exported = export_case(REAL_CONTENT, "events", CASE, "timelinejs-json")
    assert isinstance(exported, str)
    data = json.loads(exported)
    events = _content_rows("events")
    assert [slide["unique_id"] for slide in data["events"]] == [e["id"] for e in events]
    first = data["events"][0]
    assert first["start_date"] == {"year": 1986, "display_date": "1986"}
    assert data["title"]["text"]["headline"] == "Microsoft Ireland email warrant"
    pictures = [slide["media"] for slide in data["events"] if "media" in slide]
    assert pictures and all(p["url"].startswith("media/") for p in pictures)


UNSAFE = {
    "events.yaml": """\
    - id: planted
      date: {date: 2014, approximate: true}
      title: <script>alert("title")</script> & more
      kind: context
      body: |
        Text <img src="x" onerror="alert(1)"> and <script>alert(2)</script>
        [a link](javascript:alert(3)) <iframe src="https://example.org/"></iframe>
      sources: [report]
    """,
}


class _Tags(HTMLParser):
    """Every tag and attribute of some HTML, as a browser's parser sees them."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def _runs_nothing(text: str) -> bool:
    for tag, attrs in _Tags(text).found:
        if tag not in ALLOWED_TAGS or any(name.startswith("on") for name in attrs):
            return False
        if not (attrs.get("href") or "https:").startswith(("https:", "http:", "mailto:")):
            return False
    return True


def test_timelinejs_json_can_run_nothing_an_editor_writes(
    content_tree: Callable[..., Path],
) -> None:
    content = content_tree(minimal_site(**UNSAFE))
    exported = export_case(content, "events", "demo", "timelinejs-json")
    assert isinstance(exported, str)
    (slide,) = json.loads(exported)["events"]
    assert _runs_nothing(slide["text"]["headline"])
    assert _runs_nothing(slide["text"]["text"])
    assert _runs_nothing(slide["start_date"]["display_date"])
    assert _Tags(slide["text"]["text"]).found == [("p", {}), ("a", {"rel": "noopener noreferrer"})]
    assert slide["text"]["headline"] == '&lt;script&gt;alert("title")&lt;/script&gt; &amp; more'
    assert slide["start_date"]["display_date"] == "c. 2014"


def test_timelinejs_csv_text_is_the_sanitized_html(content_tree: Callable[..., Path]) -> None:
    content = content_tree(minimal_site(**UNSAFE))
    exported = export_case(content, "events", "demo", "timelinejs-csv")
    assert isinstance(exported, str)
    header, _title, row = _csv_rows(exported)
    cells = dict(zip(header, row, strict=True))
    assert _runs_nothing(cells["Text"])
    assert _runs_nothing(cells["Headline"])
    assert cells["Display Date"] == "c. 2014"
    assert cells["Headline"].startswith("&lt;script&gt;")


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["events", "--case", CASE, "--format", "xlsx"], 2, "--format xlsx needs --output FILE"),
        (["events", "--case", "microsoft-irland"], 2, "did you mean `microsoft-ireland`?"),
        (["quotes", "--case", CASE, "--format", "timelinejs-json"], 2, "explainer export events"),
        (["rulings", "--case", CASE], 2, "invalid choice"),
    ],
)
def test_export_usage_mistakes_exit_2(
    run_cli: Callable[..., CliResult], args: list[str], code: int, said: str
) -> None:
    result = run_cli("export", *args, "--content", str(REAL_CONTENT))
    assert result.code == code
    assert said in result.err


def test_export_of_content_with_errors_exits_1(
    run_cli: Callable[..., CliResult], content_tree: Callable[..., Path]
) -> None:
    content = content_tree(minimal_site(**{"events.yaml": "- id: x\n  date: 2014-13\n"}))
    result = run_cli("export", "events", "--case", "demo", "--content", str(content))
    assert result.code == 1
    assert "events.yaml:2:" in result.err
    assert result.out == ""


def test_export_writes_the_output_file(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    output = tmp_path / "timeline.json"
    result = run_cli(
        "export", "events", "--case", CASE, "--format", "timelinejs-json",
        "--output", str(output), "--content", str(REAL_CONTENT),
    )  # fmt: skip
    assert result.code == 0
    assert result.out == f"wrote {output}\n"
    assert json.loads(output.read_text("utf-8"))["events"]


@pytest.mark.parametrize(
    ("tag", "group"),
    [("court-rulings", "Court rulings"), ("cloud-act", "Cloud act"), ("2016", "2016")],
)
def test_group_of_a_tag_reads_back_as_the_same_tag(tag: str, group: str) -> None:
    assert _group(SimpleNamespace(tags=[tag, "other"])) == group  # type: ignore[arg-type]
    assert slug_of(group) == tag
    assert _group(SimpleNamespace(tags=[])) == ""  # type: ignore[arg-type]
