"""Periods: named spans of a case's time, checked where they are written, grouping the events
they hold on the timeline (whole, filtered and paged) and given in data.json; and events' tags,
on the event's page and in data.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.build.site import build_site
from generator.errors import ContentErrors
from generator.load.content import load_content
from generator.plan.context import TimelinePage
from generator.plan.site import plan_site
from generator.validate.content import SiteContent, validate_content
from tests.conftest import minimal_site, write_tree

EVENTS = """\
- id: complaint
  date: 2013-11-20
  title: The complaint is filed
  kind: filing
  body: The plaintiff sued.
  sources: [report]
- id: hearing
  date: 2014-02
  title: The court hears the motion
  kind: hearing
  body: Both sides argued.
  tags: [court-steps, hearings]
  sources: [report]
- id: ruling
  date: 2014-05-02
  title: The court rules
  kind: ruling
  key: true
  body: The court ruled.
  sources: [report]
- id: appeal
  date: 2014-06-10
  title: The appeal is filed
  kind: filing
  body: The loser appealed.
  sources: [report]
- id: settlement
  date: 2015-01-08
  title: The parties settle
  kind: statement
  body: They settled.
  sources: [report]
"""

PERIODS = """\
- id: first-instance
  title: Before the trial court
  start: 2013-11
  end: 2014-06
  body: From the complaint to the **appeal**.
  sources: [report]
- id: motion
  title: The motion
  start: 2014-02
  end: 2014-02
"""


def _content(tmp_path: Path, periods: str = PERIODS, events: str = EVENTS) -> Path:
    files = minimal_site(**{"events.yaml": events, "periods.yaml": periods})
    return write_tree(tmp_path / "content", files)


def _validated(tmp_path: Path, periods: str = PERIODS) -> SiteContent:
    return validate_content(load_content(_content(tmp_path, periods)))


def _errors(tmp_path: Path, periods: str) -> list[str]:
    root = _content(tmp_path, periods)
    with pytest.raises(ContentErrors) as caught:
        validate_content(load_content(root))
    return [str(e).replace(f"{root}/", "") for e in caught.value.errors]


def test_a_period_that_ends_before_it_starts_is_reported_at_its_end(tmp_path: Path) -> None:
    periods = "- id: backwards\n  title: Backwards\n  start: 2014-06-02\n  end: 2014-05\n"
    assert _errors(tmp_path, periods) == [
        "cases/demo/periods.yaml:4:8: period ends (2014-05) before it starts (2014-06-02)"
        " — swap the dates, or correct the one that is wrong"
    ]


def test_a_period_may_end_in_the_month_or_year_it_starts_in(tmp_path: Path) -> None:
    periods = (
        "- id: one-month\n  title: One month\n  start: 2014-05-20\n  end: 2014-05\n"
        "- id: one-year\n  title: One year\n  start: 2014-05\n  end: 2014\n"
    )
    assert [p.id for p in _validated(tmp_path, periods).cases[0].periods] == [
        "one-month",
        "one-year",
    ]


def test_an_unknown_source_of_a_period_suggests_the_closest(tmp_path: Path) -> None:
    periods = "- id: span\n  title: A span\n  start: 2014\n  end: 2015\n  sources: [reprot]\n"
    assert _errors(tmp_path, periods) == [
        "cases/demo/periods.yaml:5:13: unknown source `reprot` in `sources`"
        " — did you mean `report`?"
    ]


def _runs(page: TimelinePage) -> list[tuple[int, str | None, list[str], bool]]:
    """Each run of a timeline page: its year, its period, its events and whether continued."""
    return [
        (
            group.year,
            run.period.id if run.period else None,
            [e.id for e in run.events],
            run.continued,
        )
        for group in page.years
        for run in group.runs
    ]


def test_events_are_grouped_under_their_period_an_inner_one_interrupting(tmp_path: Path) -> None:
    view = plan_site(_validated(tmp_path)).cases[0]
    (page,) = view.timeline.pages
    assert _runs(page) == [
        (2013, "first-instance", ["complaint"], False),
        (2014, "motion", ["hearing"], False),
        (2014, "first-instance", ["ruling", "appeal"], True),
        (2015, None, ["settlement"], False),
    ]
    anchors = [run.anchor for group in page.years for run in group.runs]
    assert anchors == [
        "_period-first-instance-2013",
        "_period-motion-2014",
        "_period-first-instance-2014",
        "",
    ]
    first = view.periods[0]
    assert (first.id, first.url) == (
        "first-instance",
        "demo/timeline/#_period-first-instance-2013",
    )


def test_filtered_timelines_group_their_events_by_period_too(tmp_path: Path) -> None:
    view = plan_site(_validated(tmp_path)).cases[0]
    (filings,) = [t for t in view.kind_filters if t.url.endswith("kind/filing/")]
    assert _runs(filings.pages[0]) == [
        (2013, "first-instance", ["complaint"], False),
        (2014, "first-instance", ["appeal"], True),
    ]
    assert view.key_timeline is not None
    assert _runs(view.key_timeline.pages[0]) == [(2014, "first-instance", ["ruling"], False)]


def test_without_periods_each_year_is_one_run(tmp_path: Path) -> None:
    view = plan_site(_validated(tmp_path, "[]\n")).cases[0]
    assert view.periods == [] and view.period_of == {}
    assert _runs(view.timeline.pages[0]) == [
        (2013, None, ["complaint"], False),
        (2014, None, ["hearing", "ruling", "appeal"], False),
        (2015, None, ["settlement"], False),
    ]


def test_the_timeline_and_data_json_show_periods_and_the_event_page_its_tags(
    tmp_path: Path,
) -> None:
    output = tmp_path / "site"
    build_site(_content(tmp_path), output)
    timeline = (output / "demo" / "timeline" / "index.html").read_text(encoding="utf-8")
    assert timeline.count('class="period-title"') == 3
    assert (
        '<h3 class="period-title" id="_period-first-instance-2013"><span class="period-label">'
        'Period:</span> <span class="period-name">Before the trial court</span></h3>'
    ) in timeline
    assert (
        '<p class="period-span"><time datetime="2013-11">November 2013</time> – '
        '<time datetime="2014-06">June 2014</time></p>'
    ) in timeline
    assert "<strong>appeal</strong>" in timeline
    assert timeline.count('<p class="period-sources">') == 1  # not where it is continued
    assert '<span class="period-more">(continued)</span>' in timeline
    event = (output / "demo" / "timeline" / "hearing" / "index.html").read_text(encoding="utf-8")
    assert (
        '<p class="event-tags">Tags: <span class="tag">court steps</span>, '
        '<span class="tag">hearings</span></p>'
    ) in event
    data = json.loads((output / "demo" / "data.json").read_text(encoding="utf-8"))
    assert data["periods"][0] == {
        "id": "first-instance",
        "title": "Before the trial court",
        "start": "2013-11",
        "start_approximate": False,
        "end": "2014-06",
        "end_approximate": False,
        "body": "From the complaint to the **appeal**.",
        "sources": ["report"],
    }
    assert [p["id"] for p in data["periods"]] == ["first-instance", "motion"]
    tags = {e["id"]: e.get("tags") for e in data["events"]}
    assert tags == {
        "complaint": None,
        "hearing": ["court-steps", "hearings"],
        "ruling": None,
        "appeal": None,
        "settlement": None,
    }
    sources = (output / "demo" / "sources" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../demo/timeline/#_period-first-instance-2013">Before the trial court</a>' in (
        sources
    )
