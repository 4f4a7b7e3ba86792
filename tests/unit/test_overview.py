"""The overview's plan: the case's span of dates, what happens next, its contents, and the
line that leads to where sources disagree; and the home page's one line per case."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.dates import PartialDate
from generator.load.content import load_content
from generator.plan.context import CaseView
from generator.plan.pages import CASE_PAGE
from generator.plan.resolve import date_span
from generator.plan.site import plan_site
from generator.validate.content import validate_content
from tests.conftest import REAL_CONTENT, minimal_site, write_tree

PARTIES = """\
- id: court
  name: A Court
  kind: court
  role: Decides
- id: speaker
  name: A Speaker
  kind: person
  role: Speaks
"""
RULINGS = """\
- id: first
  title: First ruling
  court: court
  stage: district
  date: 2014-03-02
  outcome: Granted
  holding: The court granted it.
  next_step: The loser appealed.
  sources: [report]
- id: second
  title: Second ruling
  court: court
  stage: appeals
  date: 2016-07
  outcome: Affirmed
  holding: The court affirmed.
  next_step: The loser asked the Supreme Court to hear the case.
  sources: [report]
"""
EVENTS = """\
- id: old-law
  date: 1986
  title: A law is passed
  kind: legislation
  body: Long before the case.
  sources: [report]
- id: filing
  date: 2013-11-20
  title: The first filing
  kind: filing
  body: It starts.
  sources: [report]
- id: statement
  date: 2019-01-05
  title: A statement afterwards
  kind: statement
  body: Someone speaks.
  sources: [report]
"""


def _case(tmp_path: Path, case_yaml: str | None = None, **files: str) -> CaseView:
    overrides = {"case.yaml": case_yaml} if case_yaml is not None else {}
    root = write_tree(tmp_path / "content", minimal_site(**overrides, **files))
    return plan_site(validate_content(load_content(root))).cases[0]


def _overview(tmp_path: Path, case_yaml: str | None = None, **files: str) -> dict[str, object]:
    overrides = {"case.yaml": case_yaml} if case_yaml is not None else {}
    root = write_tree(tmp_path / "content", minimal_site(**overrides, **files))
    plan = plan_site(validate_content(load_content(root)))
    (page,) = [p for p in plan.pages if p.path == "demo/index.html"]
    return dict(CASE_PAGE.context_of(page))


@pytest.mark.parametrize(
    ("dates", "label", "ends"),
    [
        (["2018-04-17", "2013-12-04", "2014-07-31"], "December 2013 – April 2018", True),
        (["2018-04-17", "2018-03-23"], "March – April 2018", True),
        (["2018-04-17", "2018-04-03"], "April 2018", False),
        (["2018-04-17"], "April 2018", False),
        (["2013", "2015-06-02"], "2013 – June 2015", True),
        (["2016", "2016"], "2016", False),
    ],
)
def test_date_span_runs_from_the_first_to_the_last_month(
    dates: list[str], label: str, ends: bool
) -> None:
    span = date_span(PartialDate.parse(d) for d in dates)
    assert span is not None
    assert span.label == label
    assert (span.end is not None) == ends
    assert span.start.day is None


def test_date_span_of_an_approximate_start_says_so_and_keeps_its_year() -> None:
    start = PartialDate.parse("2018-02", approximate=True)
    span = date_span([start, PartialDate.parse("2018-04-17")])
    assert span is not None
    assert (span.start_label, span.label) == ("c. February 2018", "c. February 2018 – April 2018")


def test_date_span_of_no_date_is_none() -> None:
    assert date_span([]) is None


def test_span_counts_rulings_and_steps_in_court_not_laws_or_statements(tmp_path: Path) -> None:
    view = _case(
        tmp_path,
        **{"parties.yaml": PARTIES, "rulings.yaml": RULINGS, "events.yaml": EVENTS},
    )
    assert view.span is not None
    assert view.span.label == "November 2013 – July 2016"
    assert (view.span.start.iso, view.span.end and view.span.end.iso) == ("2013-11", "2016-07")


def test_a_case_without_rulings_or_steps_in_court_has_no_span(tmp_path: Path) -> None:
    assert _case(tmp_path).span is None


def test_an_ongoing_case_shows_its_own_next_step(tmp_path: Path) -> None:
    case = "title: T\nsummary: S.\nstatus: ongoing\nnext_step: A hearing in May.\n"
    view = _case(tmp_path, case, **{"parties.yaml": PARTIES, "rulings.yaml": RULINGS})
    assert (view.next_step, view.next_step_ruling) == ("A hearing in May.", None)


def test_an_ongoing_case_without_next_step_shows_the_latest_rulings(tmp_path: Path) -> None:
    view = _case(tmp_path, **{"parties.yaml": PARTIES, "rulings.yaml": RULINGS})
    assert view.next_step is None
    assert view.next_step_ruling is not None
    assert view.next_step_ruling.id == "second"
    assert view.next_step_ruling is view.rulings[-1]  # the view itself, which pages read


def test_a_resolved_case_shows_no_next_step(tmp_path: Path) -> None:
    case = "title: T\nsummary: S.\nstatus: resolved\nnext_step: Nothing.\n"
    view = _case(tmp_path, case, **{"parties.yaml": PARTIES, "rulings.yaml": RULINGS})
    assert (view.next_step, view.next_step_ruling) == (None, None)


def test_overview_of_a_bare_case_has_no_contents_and_no_disagreements(tmp_path: Path) -> None:
    context = _overview(tmp_path)
    assert context["contents"] == []
    assert context["disagreements"] is None


def test_overview_contents_lists_the_sections_it_has_in_order(tmp_path: Path) -> None:
    case = """\
title: T
summary: S.
status: ongoing
questions: [Why?]
conflicts:
  - {id: c, title: A point, text: They differ., sources: [report]}
sources: [report]
"""
    context = _overview(tmp_path, case, **{"parties.yaml": PARTIES, "rulings.yaml": RULINGS})
    contents = context["contents"]
    assert isinstance(contents, list)
    assert [(c.label, c.url) for c in contents] == [
        ("Summary", "#_summary"),
        ("Questions at stake", "#_questions"),
        ("The path through the courts", "#_path"),
        ("Who is involved", "#_parties"),
    ]
    assert context["disagreements"] == "Sources disagree on 1 point"


def test_real_overview_points_to_its_disagreements_and_lists_its_contents() -> None:
    plan = plan_site(validate_content(load_content(REAL_CONTENT)))
    (page,) = [p for p in plan.pages if p.path == "microsoft-ireland/index.html"]
    context = CASE_PAGE.context_of(page)
    view = context["case"]
    assert context["disagreements"] == f"Sources disagree on {len(view.conflicts)} points"
    labels = [c.label for c in context["contents"]]
    assert labels[:3] == ["Summary", "Key facts", "Questions at stake"]
    assert labels[-1] == "Updates and corrections"
    assert 3 <= len(view.case.in_brief) <= 5
    assert view.span is not None and view.span.label == "December 2013 – April 2018"
