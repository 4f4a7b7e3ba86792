"""The timeline's headline entries: the one line each shows, the date under its year, the key
events' own view (paged like the others), and each event's place in the case."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bench.synthetic import CASE_SLUG, generate
from generator.dates import PartialDate
from generator.load.content import load_content
from generator.plan.pages import EVENT_PAGE, TIMELINE_PAGE
from generator.plan.paging import PER_PAGE
from generator.plan.site import plan_site
from generator.plan.timeline import first_sentence, within_year
from generator.validate.content import SiteContent, validate_content

REAL_CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.mark.parametrize(
    ("body", "line", "rest"),
    [
        ("One sentence only.", "One sentence only.", ""),
        ("First. Second one.", "First.", "Second one."),
        (
            "Magistrate Judge James C. Francis IV issued it. Microsoft refused.",
            "Magistrate Judge James C. Francis IV issued it.",
            "Microsoft refused.",
        ),
        (
            "Surveillance by the U.S. Government grew. Then it shrank.",
            "Surveillance by the U.S. Government grew.",
            "Then it shrank.",
        ),
        ("See Microsoft v. United States. More.", "See Microsoft v. United States.", "More."),
        ("Signed it (Pub. L. 115-141). Next.", "Signed it (Pub. L. 115-141).", "Next."),
        ("Did it stand? Yes.", "Did it stand?", "Yes."),
        ("“It stands.” He said so.", "“It stands.”", "He said so."),
        ("The count was 4–4. 2018 came.", "The count was 4–4.", "2018 came."),
        ("A [linked. Text](https://example.org/a) here. Rest.", "A linked. Text here.", "Rest."),
        ("Some *stress* and `code`. Rest.", "Some stress and code.", "Rest."),
        (
            "One paragraph\nover two lines\n\nAnother paragraph.",
            "One paragraph over two lines",
            "Another paragraph.",
        ),
        ("  Spaces   around.  ", "Spaces around.", ""),
        (
            "lower case after. a stop stays one line.",
            "lower case after. a stop stays one line.",
            "",
        ),
    ],
)
def test_first_sentence_is_the_line_and_the_rest_follows(body: str, line: str, rest: str) -> None:
    assert first_sentence(body) == (line, rest)


@pytest.mark.parametrize(
    ("date", "shown"),
    [
        (PartialDate(2013, 12, 4), "4 Dec"),
        (PartialDate(2013, 6), "June"),
        (PartialDate(1986), "1986"),
        (PartialDate(2017, 12, approximate=True), "c. December"),
    ],
)
def test_within_year_drops_the_year_its_heading_shows(date: PartialDate, shown: str) -> None:
    assert within_year(date) == shown


def _real() -> SiteContent:
    return validate_content(load_content(REAL_CONTENT))


def test_the_real_case_marks_a_few_key_events_and_views_them_alone() -> None:
    plan = plan_site(_real())
    view = plan.cases[0]
    key = [e.id for e in view.events if e.key]
    assert 6 <= len(key) <= 9
    assert view.key_timeline is not None
    assert view.key_timeline.url == f"{view.url}timeline/key/"
    shown = [e.id for p in view.key_timeline.pages for g in p.years for e in g.events]
    assert shown == key
    urls = {page.context["url"] for page in plan.pages if page.template == TIMELINE_PAGE.template}
    assert view.key_timeline.url in urls


def test_each_event_page_says_where_it_falls_in_date_order() -> None:
    plan = plan_site(_real())
    view = plan.cases[0]
    pages = [
        page
        for page in plan.pages
        if page.template == EVENT_PAGE.template and page.context["home"] == ""
    ]  # the default language's, whose views are the plan's first
    assert len(pages) == len(view.events)
    for number, (page, event) in enumerate(zip(pages, view.events, strict=True), start=1):
        context = EVENT_PAGE.context_of(page)
        assert context["event"] is event
        assert (context["position"], context["event_count"]) == (number, len(view.events))
        previous, following = context["previous"], context["next"]
        assert previous is (view.events[number - 2] if number > 1 else None)
        assert following is (view.events[number] if number < len(view.events) else None)


def test_a_case_without_key_events_has_no_key_view() -> None:
    content = _real()
    case = content.cases[0]
    plain = dataclasses.replace(
        case, events=tuple(e.model_copy(update={"key": False}) for e in case.events)
    )
    view = plan_site(dataclasses.replace(content, cases=(plain,))).cases[0]
    assert view.key_timeline is None


def test_a_large_case_pages_its_key_events_as_its_other_views(tmp_path: Path) -> None:
    generate(3 * PER_PAGE, tmp_path / "content")
    content = validate_content(load_content(tmp_path / "content"))
    case = content.cases[0]
    every = tuple(e.model_copy(update={"key": True}) for e in case.events)
    view = plan_site(dataclasses.replace(content, cases=(dataclasses.replace(case, events=every),)))
    case_view = view.cases[0]
    key = case_view.key_timeline
    assert key is not None and len(case_view.events) > PER_PAGE
    assert [p.url for p in key.pages][:2] == [
        f"{CASE_SLUG}/timeline/key/",
        f"{CASE_SLUG}/timeline/key/page/2/",
    ]
    assert [e.id for p in key.pages for g in p.years for e in g.events] == [
        e.id for e in case_view.events
    ]
    assert all(len([e for g in p.years for e in g.events]) <= PER_PAGE for p in key.pages)
