"""The preview of a large site leaves the pages an edit changed to render when asked for.

A build of such a preview renders none of the pages it changed (`SiteBuilder.for_preview`
with `defers_pages`); the server renders each page a browser asks for, and the rest between
requests (`Preview.render_asked`, `Preview.render_left`). These tests lower the size from
which a preview counts as large to one page, so that the real case (search off, as in
`test_incremental`) takes that path, and hold it to what the preview promises: every file
not left is a clean build's, each page left is a clean build's once rendered, and when
none is left the whole folder is.
"""

from __future__ import annotations

import gc
import io
import random
from pathlib import Path

import pytest

from generator.build import site as site_module
from generator.build.site import SiteBuilder
from generator.serve.app import make_app
from generator.serve.preview import LEFT_PER_TURN, Preview
from tests.incremental_edits import ALL_EDITS, CASE, Site, items, set_field, yaml_string
from tests.test_incremental import (
    assert_same_as_clean_build,
    clean_build,
    copy_site,
    differences,
    snapshot,
)

BASE_URL = "http://localhost:9/"


@pytest.fixture(autouse=True)
def every_preview_is_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(site_module, "LARGE_PREVIEW", 1)


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return copy_site(tmp_path)


def deferring(site: Site) -> SiteBuilder:
    return SiteBuilder.for_preview(
        site.content, site.output, site.templates, BASE_URL, defers_pages=True
    )


def reword_first_quote(site: Site, words: str) -> str:
    """Put `words` before the first quote's text; return the path of its page."""
    quotes = site.collection("quotes")
    quote = items(quotes)[0]
    set_field(quotes, quote["id"], "text", yaml_string(f"{words} {quote['text']}"))
    return f"{CASE}/quotes/{quote['id']}/index.html"


def assert_only_left_pages_differ(site: Site, builder: SiteBuilder, history: list[str]) -> None:
    """Every file of the preview is a clean build's, but for pages still left to render."""
    left = set(builder.deferred.pages) if builder.deferred is not None else set()
    differing = differences(snapshot(site.output), clean_build(site, BASE_URL), marker=False)
    unexpected = [path for path in differing if path not in left]
    assert unexpected == [], f"after {history}: {unexpected[:8]} differ and are not left"


def test_an_edit_leaves_its_pages_until_asked_for_then_each_is_rendered_exactly(
    site: Site,
) -> None:
    builder = deferring(site)
    first = builder.build()
    assert first.deferred == 0 and builder.deferred is None  # a first build renders all
    before = snapshot(site.output)
    page = reword_first_quote(site, "Reworded for the deferral test.")

    result = builder.build()

    assert (result.rendered, result.written) == (0, 0)
    assert builder.deferred is not None and page in builder.deferred.pages
    assert result.deferred == len(builder.deferred) > 1
    assert snapshot(site.output) == before  # nothing written until asked for

    assert builder.render_deferred([page]) == 1
    assert "Reworded for the deferral test." in (site.output / page).read_text()
    assert page not in builder.deferred.pages
    assert_only_left_pages_differ(site, builder, ["reworded, its own page asked for"])

    builder.render_deferred()
    assert builder.deferred is None
    assert_same_as_clean_build(site, ["reworded, every page rendered"], BASE_URL, marker=False)


def test_pages_left_by_one_edit_are_carried_into_the_next_builds(site: Site) -> None:
    """Edits that replan, patch, add and remove pages, one after the other, with a page or
    two asked for between them: the files never asked for are a clean build's all along."""
    builder = deferring(site)
    builder.build()
    chance = random.Random(7)
    history: list[str] = []
    for name in [
        "new quote",
        "quote text",
        "base template",
        "removed quote",
        "event date",
        "party name",
        "quote speaker",
    ]:
        history.append(ALL_EDITS[name](random.Random(name), site))
        builder.build()
        assert_only_left_pages_differ(site, builder, history)
        left = sorted(builder.deferred.pages) if builder.deferred is not None else []
        builder.render_deferred(chance.sample(left, min(2, len(left))))
        assert_only_left_pages_differ(site, builder, [*history, "two pages asked for"])
    assert builder.deferred is not None, "the edits left no page"

    builder.render_deferred()

    assert_same_as_clean_build(site, history, BASE_URL, marker=False)
    again = builder.build()
    assert (again.deferred, again.written) == (0, 0), "the record was not brought up to date"


def test_a_new_quote_left_unrendered_and_then_reworded_is_rendered_reworded(site: Site) -> None:
    """The page of an item added by one build and left is not in the record; the next
    build's patch of its wording must still find it stale."""
    builder = deferring(site)
    builder.build()
    history = [ALL_EDITS["new quote"](random.Random(1), site)]
    builder.build()
    quotes = site.collection("quotes")
    added = next(q for q in items(quotes) if str(q["id"]).startswith("added-quote-"))
    set_field(quotes, added["id"], "text", yaml_string("Words given to the new quote."))
    history.append(f"reworded {added['id']}")

    result = builder.build()

    assert "patch" in result.stages
    builder.render_deferred()
    page = site.output / CASE / "quotes" / added["id"] / "index.html"
    assert "Words given to the new quote." in page.read_text()
    assert_same_as_clean_build(site, history, BASE_URL, marker=False)


@pytest.fixture
def preview(site: Site) -> Preview:
    """The preview of the copy, built once."""
    built = Preview(site.content, site.templates, site.output, BASE_URL, io.StringIO())
    built.build("first build")
    return built


def request(preview: Preview, path: str) -> tuple[str, str]:
    status: list[str] = []

    def start_response(line: str, headers: list[tuple[str, str]]) -> None:
        status.append(line)

    app = make_app(preview.state, None, preview.render_asked)
    body = b"".join(app({"PATH_INFO": path, "QUERY_STRING": ""}, start_response))
    return status[0], body.decode("utf-8")


def test_the_preview_serves_a_left_page_rendered_and_renders_the_rest_in_turns(
    site: Site, preview: Preview
) -> None:
    page = reword_first_quote(site, "Asked for by a browser.")

    assert preview.build("quotes.yaml changed"), "no reload for pages left"
    assert isinstance(preview.log, io.StringIO)
    assert "pages left to render as they are viewed" in preview.log.getvalue()
    left = len(preview.builder.deferred or ())
    assert left > LEFT_PER_TURN

    status, body = request(preview, "/" + page.removesuffix("index.html"))

    assert status == "200 OK" and "Asked for by a browser." in body
    turns = 0
    while preview.has_left:
        assert not preview.render_left()
        turns += 1
    assert turns == -(-(left - 1) // LEFT_PER_TURN)
    assert_same_as_clean_build(site, ["reworded, served, the rest in turns"], BASE_URL, False)


def test_a_left_page_that_fails_shows_the_error_page_until_the_next_good_save(
    site: Site, preview: Preview
) -> None:
    template = site.templates / "quote.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good.replace("{% block content %}", "{% block content %}{{ 1 // 0 }}", 1))
    page = f"/{CASE}/quotes/{items(site.collection('quotes'))[0]['id']}/"

    preview.build("quote.html changed")
    status, body = request(preview, page)

    assert status.startswith("500") and "quote.html" in body
    assert preview.state.failed and not preview.has_left
    assert not preview.render_left()  # no turn retries the failing page

    template.write_text(good, encoding="utf-8")
    assert preview.build("quote.html changed")
    assert request(preview, page)[0] == "200 OK"
    while preview.has_left:
        preview.render_left()
    assert_same_as_clean_build(site, ["quote.html broken, then mended"], BASE_URL, False)


@pytest.mark.parametrize("name", ["quote date", "quote speaker", "event date"])
def test_an_edit_rendered_when_asked_for_and_then_undone_gives_the_clean_build(
    site: Site, name: str
) -> None:
    """A page rendered after its build records the context it was rendered with, so that
    undoing the edit renders it again."""
    builder = deferring(site)
    builder.build()
    history = [ALL_EDITS[name](random.Random(name), site)]
    builder.build()
    builder.render_deferred()
    assert_same_as_clean_build(site, history, BASE_URL, marker=False)
    copy_site(site.content.parent)
    history.append("undone")

    builder.build()
    builder.render_deferred()

    assert_same_as_clean_build(site, history, BASE_URL, marker=False)


def test_a_page_rendered_when_asked_for_is_found_again_by_what_it_now_reads(site: Site) -> None:
    """A quote given another speaker, whose page now lists it, rendered after the build: an
    edit of the quote's words (a patch, which finds the pages to render by what each read)
    leaves that page to render again."""
    builder = deferring(site)
    builder.build()
    quotes, parties = site.collection("quotes"), site.collection("parties")
    quote = items(quotes)[0]
    speaker = next(p["id"] for p in items(parties) if p["id"] != quote["speaker"])
    set_field(quotes, quote["id"], "speaker", str(speaker))
    builder.build()
    builder.render_deferred()
    set_field(quotes, quote["id"], "text", yaml_string("Words the new speaker said."))

    result = builder.build()

    assert "patch" in result.stages
    assert builder.deferred is not None
    assert f"{CASE}/parties/{speaker}/index.html" in builder.deferred.pages
    builder.render_deferred()
    history = [f"{quote['id']} said by {speaker}", "reworded"]
    assert_same_as_clean_build(site, history, BASE_URL, marker=False)


def test_a_build_that_makes_the_search_index_renders_its_pages_first(tmp_path: Path) -> None:
    """Search turned on in a large site's preview: the index is made from the pages on
    disk, so the build renders them all, as a clean build does, and leaves none."""
    site = copy_site(tmp_path)
    builder = deferring(site)
    builder.build()
    settings = site.content / "site.yaml"
    settings.write_text(settings.read_text().replace("\nsearch: false\n", "\nsearch: true\n"))

    result = builder.build()

    assert result.deferred == 0 and builder.deferred is None
    assert_same_as_clean_build(site, ["search turned on"], BASE_URL, marker=False)


def test_the_preview_freezes_its_plan_and_collects_after_the_last_page_left(site: Site) -> None:
    """No collection walks the plan a preview keeps, and the garbage of a patch is collected
    once its pages are rendered, not in the middle of the next rebuild."""
    builder = deferring(site)
    builder.build()
    assert builder.last is not None
    kept = builder.last.plan.pages[0]
    frozen = gc.get_freeze_count()
    assert frozen > len(builder.last.plan.pages)
    assert not any(tracked is kept for tracked in gc.get_objects())

    reword_first_quote(site, "Reworded for the collector.")
    builder.build()  # a patch: what it keeps is the plan frozen already
    assert gc.get_freeze_count() <= frozen  # freed as ever when the patch replaced them
    assert builder.deferred is not None
    young = gc.get_count()[0]
    builder.render_deferred()
    assert builder.deferred is None
    assert gc.get_count()[0] < young
