"""Planning: page paths, relative roots, collisions, feed order."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from generator.errors import ContentErrors
from generator.load.content import load_content
from generator.plan.site import plan_site
from generator.validate.content import SiteContent, validate_content
from tests.conftest import REAL_CONTENT, minimal_site, write_tree

QUOTES = """\
- id: first
  text: First words.
  speaker: speaker
  said_on: 2014-08-27
  venue: Blog
  sources: [report]
  verbatim_in: report
"""
PARTIES = """\
- id: speaker
  name: A Speaker
  kind: person
  role: Speaks
"""


@pytest.fixture
def content(tmp_path: Path) -> SiteContent:
    files = minimal_site(**{"quotes.yaml": QUOTES, "parties.yaml": PARTIES})
    return validate_content(load_content(write_tree(tmp_path / "content", files)))


def test_pages_get_a_root_prefix_matching_their_depth(content: SiteContent) -> None:
    roots = {page.path: page.context["root"] for page in plan_site(content).pages}
    assert roots["index.html"] == ""
    assert roots["demo/index.html"] == "../"
    assert roots["demo/quotes/first/index.html"] == "../../../"
    assert roots["demo/data.json"] == "../"


def test_not_found_page_uses_the_base_path_since_it_is_served_at_any_depth(
    content: SiteContent,
) -> None:
    page = next(p for p in plan_site(content).pages if p.path == "404.html")
    assert page.context["root"] == "/explainers/"
    assert page.context["stylesheet"] == "/explainers/static/style.css"


def test_pages_differing_only_by_case_collide_and_both_are_named(content: SiteContent) -> None:
    case = content.cases[0]
    broken = replace(content, cases=(case, replace(case, slug="Demo")))
    with pytest.raises(ContentErrors) as caught:
        plan_site(broken)
    messages = {error.location.file: str(error) for error in caught.value.errors}
    assert messages["demo/data.json"] == (
        "demo/data.json: several items would be written to the same address: "
        "case demo (demo/data.json), case Demo (Demo/data.json) — give them different ids"
    )
    assert len(caught.value.errors) == len(
        [p for p in plan_site(content).pages if "demo/" in p.path]
    )


def test_canonical_urls_use_the_base_url(content: SiteContent) -> None:
    pages = {page.path: page for page in plan_site(content).pages}
    page = pages["demo/quotes/first/index.html"]
    assert page.context["canonical"] == "https://example.org/explainers/demo/quotes/first/"


def test_case_folder_named_static_is_refused(tmp_path: Path) -> None:
    files = minimal_site()
    files = {k.replace("cases/demo/", "cases/static/"): v for k, v in files.items()}
    root = write_tree(tmp_path / "content", files)
    with pytest.raises(ContentErrors) as caught:
        validate_content(load_content(root))
    assert [e.message for e in caught.value.errors] == [
        "a case folder may not be called `static`: the site uses that address"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "a b/c?d=e&f+g%h",
        "Brad Smith: “Privacy” — Zoë, 𝄞",
        "https://example.org/explainers/case/quotes/a-b/",
        "".join(chr(code) for code in range(1, 128)),
    ],
)
def test_share_link_encoding_matches_urllib(text: str) -> None:
    from urllib.parse import quote, quote_plus

    from generator.plan.site import _PERCENT_ALL, _quote, _quote_plus

    assert _quote(text) == quote(text)
    assert _quote(text, _PERCENT_ALL) == quote(text, safe="")
    assert _quote_plus(text) == quote_plus(text)


def test_case_data_json_is_exactly_json_dumps_of_the_case_data() -> None:
    import json

    from generator.render.data_files import case_data, case_data_json

    content = validate_content(load_content(REAL_CONTENT))
    view = plan_site(content).cases[0]
    expected = json.dumps(case_data(view), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert case_data_json(view).decode("utf-8") == expected
    assert json.loads(expected)["quotes"][0]["id"] == view.quotes[0].id


@pytest.mark.parametrize("count", range(1, 12))
def test_a_quote_page_lists_the_speakers_nearest_other_quotes(count: int) -> None:
    from generator.plan.site import MORE_FROM_SPEAKER, _nearby

    quotes = list(range(count))  # a speaker's quotes in date order
    for index in quotes:
        shown = _nearby(quotes, index)  # type: ignore[arg-type]
        assert index not in shown
        assert shown == sorted(shown)
        assert len(shown) == min(MORE_FROM_SPEAKER, count - 1)
        farthest = max((abs(i - index) for i in shown), default=0)
        assert all(abs(i - index) >= farthest for i in quotes if i not in shown and i != index)
