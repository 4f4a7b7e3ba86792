"""The built overview and home page of the real case: in brief first, contents that lead to
the page's own sections, where sources disagree left to the sources page, one line per case."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.load.content import load_content
from generator.validate.content import CaseContent, validate_content
from tests.conftest import REAL_CONTENT

CASE = "microsoft-ireland"


class _Outline(HTMLParser):
    """The ids, h1s, h2s (with ids), links and text of a page's `<main>`."""

    def __init__(self) -> None:
        super().__init__()
        self.in_main = False
        self.ids: set[str] = set()
        self.h2_ids: list[str] = []
        self.links: list[str] = []
        self.h1: list[str] = []
        self.text: list[str] = []
        self._heading: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "main":
            self.in_main = True
        if not self.in_main:
            return
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "h2" and values.get("id"):
            self.h2_ids.append(str(values["id"]))
        if tag == "h1":
            self._heading = ""
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.in_main = False
        if tag == "h1" and self._heading is not None:
            self.h1.append(self._heading.strip())
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self.in_main:
            self.text.append(data)
            if self._heading is not None:
                self._heading += data


def _outline(page: Path) -> _Outline:
    outline = _Outline()
    outline.feed(page.read_text(encoding="utf-8"))
    return outline


@pytest.fixture(scope="module")
def case() -> CaseContent:
    content = validate_content(load_content(REAL_CONTENT))
    return next(c for c in content.cases if c.slug == CASE)


def test_overview_contents_lead_to_every_section_of_the_page(built_example: Path) -> None:
    page = _outline(built_example / CASE / "index.html")
    contents = [link[1:] for link in page.links if link.startswith("#")]
    assert contents, "the overview has no contents"
    assert all(anchor in page.ids for anchor in contents), contents
    sections = [i for i in page.h2_ids if i not in {"_in-brief", "_contents"}]
    assert contents == sections


def test_overview_starts_with_in_brief_and_keeps_the_real_facts(
    built_example: Path, case: CaseContent
) -> None:
    html = (built_example / CASE / "index.html").read_text(encoding="utf-8")
    main = html[html.index("<main") :]
    assert main.index('id="_in-brief"') < main.index('id="_contents"') < main.index('"_summary"')
    text = " ".join("".join(_outline(built_example / CASE / "index.html").text).split())
    for point in case.case.in_brief:
        assert point in text, point
    assert 'Resolved</span> <span class="date-span">' in main
    assert '<time datetime="2013-12">December 2013</time>' in main
    assert '<time datetime="2018-04">April 2018</time>' in main


def test_overview_leaves_where_sources_disagree_to_the_sources_page(
    built_example: Path, case: CaseContent
) -> None:
    page = _outline(built_example / CASE / "index.html")
    text = " ".join("".join(page.text).split())
    assert f"Sources disagree on {len(case.case.conflicts)} points:" in text
    assert any(link.endswith(f"{CASE}/sources/#_disagreements") for link in page.links)
    assert "_disagreements" not in page.ids
    for conflict in case.case.conflicts:
        assert conflict.title not in text
        assert f"conflict-{conflict.id}" not in page.ids


def test_home_page_lists_each_case_in_one_line_without_its_summary(
    built_example: Path, case: CaseContent
) -> None:
    html = (built_example / "index.html").read_text(encoding="utf-8")
    page = _outline(built_example / "index.html")
    site_title = re.search(r'<p class="site-title"><a href="">([^<]+)</a>', html)
    assert site_title is not None
    assert page.h1 and page.h1 != [site_title.group(1)]
    items = re.findall(r'<ul class="case-list">(.*?)</ul>', html, re.S)[0].split("<li>")[1:]
    assert len(items) == 1
    (item,) = items
    assert f">{case.case.title}</a>" in item
    assert "Resolved" in item and "December 2013</time> – <time" in item
    assert item.count("\n") == 1  # one line: the item and its end
    first_sentence = case.case.summary.split(".")[0]
    assert first_sentence not in html
