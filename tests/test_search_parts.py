"""The search index in parts (`plan.search_parts`): which part a page is in, a parted site as
a clean build makes it, and a rebuild that makes again only the parts whose pages changed
what the index reads of them.

The real case has fewer searched pages than one part holds, so the builds here make parts of
a few pages (`PART_PAGES` lowered) to have several."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.build import besides_pages
from generator.build.search_index import INDEX_FILES, search_bundle
from generator.plan import search_parts
from generator.plan.search_parts import (
    PART_PAGES,
    index_parts,
    part_count,
    part_folder,
    part_of,
)
from tests.incremental_edits import items, set_field, yaml_string
from tests.test_incremental import build_and_check, build_builder, copy_site, snapshot

CASE = "microsoft-ireland"
LANGUAGES = ("en", "de")
paths = st.lists(st.from_regex(r"[a-z]{1,8}(/[a-z0-9-]{1,12}){0,3}/index\.html", fullmatch=True))


def test_one_part_up_to_its_size_then_powers_of_two_holding_at_most_that_on_average() -> None:
    assert [part_count(n) for n in (0, 1, PART_PAGES)] == [1, 1, 1]
    assert part_count(PART_PAGES + 1) == 2
    assert part_count(4 * PART_PAGES) == 4
    assert part_count(4 * PART_PAGES + 1) == 8
    for pages in (PART_PAGES + 1, 10 * PART_PAGES, 123_457):
        count = part_count(pages)
        assert count & (count - 1) == 0 and count * PART_PAGES >= pages > count * PART_PAGES // 2


@given(paths, paths)
def test_every_page_is_in_one_part_with_its_translations_as_others_come_and_go(
    kept: list[str], others: list[str]
) -> None:
    listed = sorted({*kept, *others, *(f"de/{path}" for path in kept)})
    parts = index_parts(listed, LANGUAGES)
    assert sorted(path for part in parts for path in part) == listed
    assert all(part == sorted(part) for part in parts)
    assert all(parts) or parts == [[]]
    for path in kept:
        holding = [part for part in parts if path in part]
        assert len(holding) == 1 and f"de/{path}" in holding[0]
        count = part_count(len(listed))
        assert all(
            part_of(other, count, LANGUAGES) == part_of(path, count, LANGUAGES)
            for other in holding[0]
        )


def test_parts_after_the_first_have_folders_of_their_own() -> None:
    assert part_folder(0) == ""
    assert [part_folder(n) for n in (1, 2, 15)] == ["part-1/", "part-2/", "part-15/"]


@pytest.fixture
def parted(monkeypatch: pytest.MonkeyPatch) -> int:
    """Parts of at most 30 pages on average: the real case's index in several."""
    monkeypatch.setattr(search_parts, "PART_PAGES", 30)
    return search_parts.PART_PAGES


def _entry(folder: Path) -> dict[str, object]:
    entry: dict[str, object] = json.loads((folder / "pagefind-entry.json").read_bytes())
    return entry


def test_a_parted_index_covers_the_searched_pages_once_and_goes_when_one_part_will_do(
    tmp_path: Path, parted: int
) -> None:
    site = copy_site(tmp_path, search=True, languages=True)
    builder = build_builder(site)
    build_and_check(builder, site, ["the real case"])

    bundle = site.output / "pagefind"
    folders = sorted(bundle.glob("part-*"), key=lambda p: int(p.name.removeprefix("part-")))
    assert len(folders) + 1 == len(index_parts(_searched(site.output), LANGUAGES))
    assert len(folders) >= 3
    counted = 0
    for folder in [bundle, *folders]:
        languages = _entry(folder)["languages"]
        assert isinstance(languages, dict)
        counted += sum(int(language["page_count"]) for language in languages.values())
    assert counted == sum(1 for _ in _searched(site.output))
    for folder in [bundle, *folders]:  # a page's translations are in its part
        languages = _entry(folder)["languages"]
        assert isinstance(languages, dict) and sorted(languages) == sorted(LANGUAGES)
        assert len({language["page_count"] for language in languages.values()}) == 1
    for folder in folders:  # the index alone: the code is the first part's
        allowed = {path for pattern in INDEX_FILES for path in folder.glob(pattern)}
        assert {path for path in folder.rglob("*") if path.is_file()} <= allowed
        assert not (folder / "pagefind.js").exists()
    assert (bundle / "pagefind.js").is_file()
    search_page = (site.output / "search" / "index.html").read_text(encoding="utf-8")
    named = re.search(r'data-index-parts="([^"]*)"', search_page)
    assert named is not None
    assert named.group(1).split() == [f"{folder.name}/" for folder in folders]

    search_parts.PART_PAGES = 1000  # one part again; the fixture's monkeypatch puts it back
    build_and_check(build_builder(site), site, ["the real case in one part"])

    assert not list(bundle.glob("part-*"))
    assert "data-index-parts" not in (site.output / "search" / "index.html").read_text("utf-8")


def test_a_rebuild_makes_again_only_the_parts_holding_a_page_whose_indexed_text_changed(
    tmp_path: Path, parted: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = copy_site(tmp_path, search=True, languages=True)
    build_and_check(build_builder(site), site, ["the real case"])
    before = snapshot(site.output)
    quotes = site.collection("quotes")
    quote = items(quotes)[-1]
    set_field(quotes, quote["id"], "text", yaml_string(f"Reworded at the start. {quote['text']}"))
    indexed: list[list[str]] = []

    @contextmanager
    def noting(site_dir: Path, pages: Sequence[str], **options: Any) -> Iterator[Any]:
        if site_dir.parent == site.output.parent:  # not the clean build's, to compare with
            indexed.append(list(pages))
        with search_bundle(site_dir, pages, **options) as result:
            yield result

    monkeypatch.setattr(besides_pages, "search_bundle", noting)
    result = build_and_check(build_builder(site), site, [f"reworded {quote['id']}"])

    assert result.incremental
    after = snapshot(site.output)
    searched = _searched(site.output)
    count = part_count(len(searched))
    rewritten = [page for page in searched if before.get(page) != after[page]]
    changed = [page for page in rewritten if _indexed(before[page]) != _indexed(after[page])]
    quote_page = f"{CASE}/quotes/{quote['id']}/index.html"
    assert changed == sorted([quote_page, f"de/{quote_page}"])
    assert len(rewritten) > len(changed)  # pages that show the quote: its speaker's, ...
    expected = sorted({part_of(page, count, LANGUAGES) for page in changed})
    assert sorted(part_of(part[0], count, LANGUAGES) for part in indexed) == expected
    assert len(expected) < count
    for part in indexed:
        number = part_of(part[0], count, LANGUAGES)
        assert part == [page for page in searched if part_of(page, count, LANGUAGES) == number]


class _Indexed(HTMLParser):
    """A page's tags and text outside the elements marked `data-pagefind-ignore="all"`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.kept: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping or ("data-pagefind-ignore", "all") in attrs:
            self.skipping.append(tag)
        else:
            self.kept.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping.pop()
        else:
            self.kept.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.kept.append(data)


def _indexed(page: bytes) -> list[str]:
    parser = _Indexed()
    parser.feed(page.decode("utf-8"))
    parser.close()
    return parser.kept


def _searched(output: Path) -> list[str]:
    """The pages of a built site the index covers: those marked as a search's body."""
    return sorted(
        path.relative_to(output).as_posix()
        for path in output.rglob("*.html")
        if path.relative_to(output).parts[0] != "pagefind"
        and "data-pagefind-body" in path.read_text(encoding="utf-8")
    )
