"""Embeds: each case's timeline and each quote as a page for other sites' frames, the code to
embed them on the full pages, and their oEmbed answers (`<case>/embed/…`).

The real site is checked page by page; the payload site of `tests/injection_site.py` shows
that nothing an editor writes escapes from the code's attributes or runs in an embed page.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from generator.build.site import build_site
from generator.load.content import load_content
from generator.plan import paging
from generator.validate.content import CaseContent, validate_content
from tests.conftest import REAL_CONTENT
from tests.incremental_edits import Site as IncrementalSite
from tests.incremental_edits import set_field
from tests.injection_site import MARKER, PAYLOADS, payload_site
from tests.test_incremental import build_and_check, build_builder, copy_site, serve_builder
from tests.test_injection import _check_html

if TYPE_CHECKING:
    from generator.build.site import SiteBuilder

CASE = "microsoft-ireland"
BASE = "https://example.org/explainers/"
OEMBED_FIELDS = {"version", "type", "title", "provider_name", "provider_url", "html", "width"}
OEMBED_FIELDS |= {"height"}
FRAME_ATTRIBUTES = ["src", "title", "width", "height", "loading", "style"]
HEIGHTS = (480, 640, 900)
"""The heights of timeline frame the Embed box offers; none is over 900 px."""
DEFAULT_HEIGHT = 640
VIEW = re.compile(r"timeline/(?P<view>key|\d+)/(?P<page>page/\d+/)?")
"""An embedded view of the timeline other than every event: its key events, or a year."""
KEY_EVENTS = ["warrant-issued", "contempt", "second-circuit-ruling", "case-dismissed"]


class _Parsed(HTMLParser):
    """Start tags in order with their attributes, the text of the embed code's field, and of
    every field of code by its id (`_embed-code`, and a choice's `_embed-<view>-<height>`)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.code: list[str] = []
        self.fields: dict[str, str] = {}
        self._in_field: str | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        name = dict(attrs).get("id") if tag == "textarea" else None
        self._in_field = name if name is not None and name.startswith("_embed-") else None
        if self._in_field is not None:
            self.fields[self._in_field] = ""

    def handle_endtag(self, tag: str) -> None:
        self._in_field = None

    def handle_data(self, data: str) -> None:
        if self._in_field is not None:
            self.fields[self._in_field] += data
            if self._in_field == "_embed-code":
                self.code.append(data)

    def find(self, tag: str, **wanted: str) -> list[dict[str, str | None]]:
        return [
            dict(attrs)
            for name, attrs in self.tags
            if name == tag and all(dict(attrs).get(k) == v for k, v in wanted.items())
        ]

    def discovery(self) -> list[dict[str, str | None]]:
        return self.find("link", rel="alternate", type="application/json+oembed")


def _parse(path: Path) -> _Parsed:
    return _Parsed(path.read_text(encoding="utf-8"))


def _oembed(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _code(parsed: _Parsed) -> tuple[dict[str, str | None], dict[str, str | None]]:
    """The frame's and the script's attributes in embed code; fails unless the code is exactly
    those two elements with exactly those attributes."""
    assert [name for name, _ in parsed.tags] == ["iframe", "script"], parsed.tags
    (_, frame), (_, script) = parsed.tags
    assert [name for name, _ in frame] == FRAME_ATTRIBUTES, frame
    assert [name for name, _ in script] == ["src", "async"], script
    return dict(frame), dict(script)


@pytest.fixture(scope="module")
def case() -> CaseContent:
    content = validate_content(load_content(REAL_CONTENT))
    return next(c for c in content.cases if c.slug == CASE)


def test_the_timeline_its_years_and_every_quote_have_an_embed_page_and_an_oembed_answer(
    built_example: Path, case: CaseContent
) -> None:
    views = {"timeline/"} | {f"timeline/{e.date.year}/" for e in case.events}
    views |= {"timeline/key/"} if any(e.key for e in case.events) else set()
    expected = {f"{view}{name}" for view in views for name in ("index.html", "oembed.json")}
    expected |= {
        f"quotes/{q.id}/{name}" for q in case.quotes for name in ("index.html", "oembed.json")
    }
    folder = built_example / CASE / "embed"
    found = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert found == expected


def test_oembed_answers_are_complete_and_absolute(built_example: Path) -> None:
    answers = sorted((built_example / CASE / "embed").rglob("oembed.json"))
    assert len(answers) > 10
    for path in answers:
        data = _oembed(path)
        assert set(data) == OEMBED_FIELDS, path
        assert (data["version"], data["type"]) == ("1.0", "rich")
        assert (data["provider_name"], data["provider_url"]) == ("Case Explainers", BASE)
        assert data["title"].endswith(" — Microsoft Ireland email warrant"), data["title"]
        for size in ("width", "height"):
            assert type(data[size]) is int and 100 <= data[size] <= 2000, (path, size)
        frame, script = _code(_Parsed(data["html"]))
        page = path.parent.relative_to(built_example).as_posix() + "/"
        assert frame["src"] == BASE + page
        assert (built_example / page / "index.html").is_file()
        assert frame["title"] == data["title"]
        assert frame["height"] == str(data["height"]) and frame["width"] == "100%"
        assert script["src"] == BASE + "static/embed-host.js"
        assert (built_example / "static" / "embed-host.js").is_file()
        assert "<" not in path.read_text(encoding="utf-8"), "JSON escapes, not raw markup"


def test_full_pages_name_their_oembed_answer_and_offer_its_code(
    built_example: Path, case: CaseContent
) -> None:
    pages = [f"{CASE}/timeline/"] + [f"{CASE}/quotes/{q.id}/" for q in case.quotes]
    for page in pages:
        parsed = _parse(built_example / page / "index.html")
        (link,) = parsed.discovery()
        href = str(link["href"])
        assert href.startswith(BASE), href
        answer = built_example / href[len(BASE) :]
        assert answer.is_file(), href
        data = _oembed(answer)
        assert link["title"] == data["title"]
        assert "".join(parsed.code) == data["html"], page
        assert parsed.find("label", **{"for": "_embed-code"}), page


def test_event_pages_name_an_oembed_answer_of_the_timeline_at_the_event(
    built_example: Path, case: CaseContent
) -> None:
    timeline = _parse(built_example / CASE / "embed" / "timeline" / "index.html")
    for event in case.events:
        page = built_example / CASE / "timeline" / event.id
        parsed = _parse(page / "index.html")
        (link,) = parsed.discovery()
        href = str(link["href"])
        assert href == f"{BASE}{CASE}/timeline/{event.id}/oembed.json"
        answer = built_example / href[len(BASE) :]
        assert answer.is_file(), href
        text = answer.read_text(encoding="utf-8")
        assert "<" not in text and ">" not in text, "JSON escapes, not raw markup"
        data = _oembed(answer)
        assert set(data) == OEMBED_FIELDS and (data["version"], data["type"]) == ("1.0", "rich")
        assert (data["provider_name"], data["provider_url"]) == ("Case Explainers", BASE)
        assert event.title in data["title"] and link["title"] == data["title"]
        frame, script = _code(_Parsed(data["html"]))
        assert frame["src"] == f"{BASE}{CASE}/embed/timeline/#{event.id}"
        assert frame["title"] == data["title"] and frame["height"] == str(data["height"])
        assert script["src"] == BASE + "static/embed-host.js"
        assert timeline.find("li", id=event.id), event.id
        assert "".join(parsed.code) == data["html"], "the page offers the answer's code"


def _links(parsed: _Parsed) -> list[dict[str, str | None]]:
    return [dict(attrs) for name, attrs in parsed.tags if name == "a"]


def test_embed_pages_have_no_site_chrome_and_open_links_in_the_top_window(
    built_example: Path,
) -> None:
    pages = sorted((built_example / CASE / "embed").rglob("index.html"))
    for path in pages:
        parsed = _parse(path)
        root = "../" * (len(path.relative_to(built_example).parts) - 1)
        classes = {str(dict(attrs).get("class")) for _, attrs in parsed.tags}
        assert not classes & {"site-header", "case-nav", "site-footer", "skip-link"}, path
        assert [attrs for name, attrs in parsed.tags if name == "base"] == [[("target", "_top")]]
        scripts = [attrs for name, attrs in parsed.tags if name == "script"]
        assert scripts == [[("src", f"{root}static/embed.js"), ("defer", None)]], path
        (canonical,) = parsed.find("link", rel="canonical")
        full = str(canonical["href"]).replace(BASE, "", 1)
        assert "/embed/" not in full and (built_example / full / "index.html").is_file()
        credit = [a for a in _links(parsed) if a["href"] == root + full]
        assert credit, f"{path}: no link to the full page"
        for link in _links(parsed):
            href = str(link["href"])
            stays = href.startswith("#") or "/embed/" in href
            assert link.get("target") == ("_self" if stays else None), (path, link)
    assert any(a["href"].startswith("#") for p in pages for a in _links(_parse(p)) if a["href"])


def test_embed_timeline_pages_follow_the_timeline_s_pages(tmp_path: Path) -> None:
    output = tmp_path / "output"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(paging, "PER_PAGE", 4)
        build_site(REAL_CONTENT, output, workers=1)
    timeline, embedded = output / CASE / "timeline", output / CASE / "embed" / "timeline"
    full_pages = sorted(p.parent.relative_to(timeline) for p in timeline.glob("page/*/index.html"))
    embed_pages = sorted(p.parent.relative_to(embedded) for p in embedded.glob("page/*/index.html"))
    assert len(full_pages) > 3 and embed_pages == full_pages
    for page in embed_pages:
        assert (embedded / page / "oembed.json").is_file()
        (link,) = _parse(timeline / page / "index.html").discovery()
        assert link["href"] == f"{BASE}{CASE}/embed/timeline/{page.as_posix()}/oembed.json"
    data = json.loads((output / CASE / "data.json").read_text(encoding="utf-8"))
    last = data["events"][-1]["id"]
    frame, _ = _code(_Parsed("".join(_parse(timeline / last / "index.html").code)))
    number = -(-len(data["events"]) // 4)
    assert frame["src"] == f"{BASE}{CASE}/embed/timeline/page/{number}/#{last}"
    answer, _ = _code(_Parsed(_oembed(timeline / last / "oembed.json")["html"]))
    assert answer["src"] == frame["src"]
    assert _parse(embedded / "page" / str(number) / "index.html").find("li", id=last)


def test_embed_pages_are_left_out_of_the_sitemap(built_example: Path) -> None:
    sitemap = (built_example / "sitemap.xml").read_text(encoding="utf-8")
    assert f"{CASE}/quotes/" in sitemap and "/embed/" not in sitemap


def test_embeds_false_makes_no_embed_page_code_or_discovery_link(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, content)
    site = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
    (content / "site.yaml").write_text(yaml.safe_dump(site | {"embeds": False}), "utf-8")
    output = tmp_path / "output"
    build_site(content, output, workers=1)
    assert not (output / CASE / "embed").exists()
    assert list(output.rglob("oembed.json")) == []
    assert (output / CASE / "timeline" / "index.html").is_file()
    for page in output.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "_embed-code" not in text and "json+oembed" not in text, page


def _by_design(root: str) -> tuple[str, str]:
    """What every embed page holds that the injection checks (`tests/test_injection.py`)
    refuse elsewhere: its `<base target="_top">` and its own script."""
    return '<base target="_top">\n', f'<script src="{root}static/embed.js" defer></script>\n'


@pytest.mark.parametrize("build", range(len(PAYLOADS)))
def test_payloads_stay_inert_in_embeds_and_their_code(build: int, tmp_path: Path) -> None:
    site = payload_site(tmp_path / "content", build)
    output = tmp_path / "output"
    build_site(site.content, output, workers=1)
    embed_pages = sorted(output.glob("*/embed/**/index.html"))
    answers = sorted(output.glob("*/embed/**/oembed.json"))
    assert embed_pages and len(answers) == len(embed_pages)
    problems = []
    for path in embed_pages:
        where = path.relative_to(output).as_posix()
        root = "../" * (len(path.relative_to(output).parts) - 1)
        text = path.read_text(encoding="utf-8")
        for element in _by_design(root):
            assert text.count(element) == 1, (where, element)
            text = text.replace(element, "")
        problems += _check_html(text, where)
    assert problems == []
    markers = set()
    for path in answers:
        text = path.read_text(encoding="utf-8")
        assert "<" not in text and ">" not in text
        data = _oembed(path)
        frame, script = _code(_Parsed(data["html"]))
        assert frame["title"] == data["title"] and data["provider_url"] == site.base_url
        assert script["src"] == site.base_url + "static/embed-host.js"
        src = str(frame["src"])
        assert src.startswith(site.base_url)
        case, embed, *rest = src[len(site.base_url) :].split("/")
        assert embed == "embed" and (output / case / embed / "/".join(rest)).is_dir()
        view = VIEW.fullmatch("/".join(rest))
        if view is None:
            full = _parse(output / case / "/".join(rest) / "index.html")
            assert "".join(full.code) == data["html"]
        elif view["page"] is None:  # a view's first page is offered by the timeline's box
            full = _parse(output / case / "timeline" / "index.html")
            assert full.fields[f"_embed-{view['view']}-{DEFAULT_HEIGHT}"] == data["html"]
        markers |= set(MARKER.findall(data["title"] + data["provider_name"]))
    assert markers, "no attacked field reached an oEmbed answer, so nothing was checked there"
    event_answers = sorted(output.glob("*/timeline/*/oembed.json"))
    assert event_answers
    event_markers = set()
    for path in event_answers:
        text = path.read_text(encoding="utf-8")
        assert "<" not in text and ">" not in text
        data = _oembed(path)
        frame, script = _code(_Parsed(data["html"]))
        assert frame["title"] == data["title"] and data["provider_url"] == site.base_url
        assert script["src"] == site.base_url + "static/embed-host.js"
        page, _, anchor = str(frame["src"]).removeprefix(site.base_url).partition("#")
        assert anchor == path.parent.name and (output / page / "index.html").is_file()
        assert "".join(_parse(path.parent / "index.html").code) == data["html"]
        event_markers |= set(MARKER.findall(data["title"]))
    assert event_markers, "no attacked field reached an event's oEmbed answer"


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content with exactly `KEY_EVENTS` marked key, built."""
    content = tmp_path_factory.mktemp("keyed") / "content"
    shutil.copytree(REAL_CONTENT, content)
    events = content / "cases" / CASE / "events.yaml"
    text = re.sub(r"(?m)^ +key: (?:true|false) *\n", "", events.read_text(encoding="utf-8"))
    for event in KEY_EVENTS:
        text, found = re.subn(rf"(?m)^- id: {event}\n", f"- id: {event}\n  key: true\n", text)
        assert found == 1, event
    events.write_text(text, encoding="utf-8")
    output = content.parent / "output"
    build_site(content, output, workers=1)
    return output


def _event_ids(page: _Parsed) -> list[str]:
    return [str(attrs["id"]) for attrs in page.find("li") if "event" in str(attrs.get("class"))]


def test_the_default_embed_shows_the_key_events_and_switches_to_every_event_in_the_frame(
    keyed: Path,
) -> None:
    timeline = _parse(keyed / CASE / "timeline" / "index.html")
    (link,) = timeline.discovery()
    assert link["href"] == f"{BASE}{CASE}/embed/timeline/key/oembed.json"
    frame, _ = _code(_Parsed("".join(timeline.code)))
    assert frame["src"] == f"{BASE}{CASE}/embed/timeline/key/"
    assert frame["height"] == str(DEFAULT_HEIGHT)
    key = _parse(keyed / CASE / "embed" / "timeline" / "key" / "index.html")
    assert _event_ids(key) == KEY_EVENTS, "the key events, in date order"
    (canonical,) = key.find("link", rel="canonical")
    assert canonical["href"] == f"{BASE}{CASE}/timeline/key/"
    root = "../" * 4
    full = [a for a in _links(key) if a["href"] == f"{root}{CASE}/timeline/"]
    assert full and all("target" not in a for a in full), "See the full timeline, in the window"
    switch = {str(a["href"]): a for a in _links(key) if a.get("target") == "_self"}
    assert switch[f"{root}{CASE}/embed/timeline/key/"]["aria-current"] == "page"
    assert "aria-current" not in switch[f"{root}{CASE}/embed/timeline/"]
    every = _parse(keyed / CASE / "embed" / "timeline" / "index.html")
    assert len(_event_ids(every)) > len(KEY_EVENTS)
    (current,) = [a for a in _links(every) if a.get("aria-current") == "page"]
    assert current["href"] == "../../../microsoft-ireland/embed/timeline/"


def test_the_embed_box_offers_every_view_at_every_height(keyed: Path) -> None:
    data = json.loads((keyed / CASE / "data.json").read_text(encoding="utf-8"))
    years: dict[str, list[str]] = {}
    for event in data["events"]:
        years.setdefault(str(event["date"])[:4], []).append(event["id"])
    shown = {"key": KEY_EVENTS, "all": [e["id"] for e in data["events"]], **years}
    timeline = _parse(keyed / CASE / "timeline" / "index.html")
    expected = {f"_embed-{view}-{height}" for view in shown for height in HEIGHTS}
    assert set(timeline.fields) == expected | {"_embed-code"}
    opened = {str(a["href"]) for a in _links(timeline)}
    for view, ids in shown.items():
        answers = set()
        for height in HEIGHTS:
            frame, script = _code(_Parsed(timeline.fields[f"_embed-{view}-{height}"]))
            assert frame["height"] == str(height) and frame["width"] == "100%"
            assert script["src"] == BASE + "static/embed-host.js"
            src = str(frame["src"])
            assert src in opened, f"the box links to what {view} shows"
            page = keyed / src.removeprefix(BASE)
            assert _event_ids(_parse(page / "index.html")) == ids, view
            data_answer = _oembed(page / "oembed.json")
            assert frame["title"] == data_answer["title"]
            answers.add(data_answer["html"])
        assert answers == {timeline.fields[f"_embed-{view}-{DEFAULT_HEIGHT}"]}
    assert timeline.fields["_embed-code"] == timeline.fields[f"_embed-key-{DEFAULT_HEIGHT}"]


def test_embedded_years_are_cut_into_pages_as_the_timeline_is(tmp_path: Path) -> None:
    output = tmp_path / "output"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(paging, "PER_PAGE", 4)
        build_site(REAL_CONTENT, output, workers=1)
    data = json.loads((output / CASE / "data.json").read_text(encoding="utf-8"))
    years: dict[str, list[str]] = {}
    for event in data["events"]:
        years.setdefault(str(event["date"])[:4], []).append(event["id"])
    assert max(len(ids) for ids in years.values()) > 4
    for year, ids in years.items():
        folder = output / CASE / "embed" / "timeline" / year
        pages = [folder] + [folder / "page" / str(n) for n in range(2, -(-len(ids) // 4) + 1)]
        assert not (folder / "page" / str(len(pages) + 1)).exists()
        assert [i for page in pages for i in _event_ids(_parse(page / "index.html"))] == ids
        assert all((page / "oembed.json").is_file() for page in pages), year


@pytest.mark.parametrize("make", [serve_builder, build_builder], ids=["serve", "build"])
def test_marking_key_events_rebuilds_the_embeds_as_a_clean_build_does(
    tmp_path: Path, make: Callable[[IncrementalSite], SiteBuilder]
) -> None:
    site = copy_site(tmp_path)
    events = site.content / "cases" / CASE / "events.yaml"
    unmarked = re.sub(r"(?m)^ +key: (?:true|false) *\n", "", events.read_text(encoding="utf-8"))
    events.write_text(unmarked, encoding="utf-8")
    builder = make(site)
    history = ["first build, no key event"]
    build_and_check(builder, site, history)
    for event in KEY_EVENTS[:2]:
        set_field(events, event, "key", "true")
    history.append(f"key: true on {KEY_EVENTS[:2]}")
    assert build_and_check(builder, site, history).incremental
    key = site.output / CASE / "embed" / "timeline" / "key"
    assert _event_ids(_parse(key / "index.html")) == KEY_EVENTS[:2]
    set_field(events, KEY_EVENTS[0], "key", None)
    set_field(events, KEY_EVENTS[1], "key", None)
    history.append("no key event")
    assert build_and_check(builder, site, history).incremental
    assert not key.exists()
