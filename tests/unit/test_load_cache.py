"""Stage 1, load: reloading with a `LoadCache` gives what a fresh load gives, re-reading less."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

import pytest

from bench.synthetic import generate
from generator import load_chunks
from generator.errors import ContentErrors
from generator.load import LoadCache, RawContent, RawItem, load_content
from tests.unit.test_load_chunks import items, outcome, snapshot

QUOTES = "cases/synthetic/quotes.yaml"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    generate(60, tmp_path / "content")
    return tmp_path / "content"


def quotes(content: RawContent) -> list[RawItem]:
    return content.cases[0].collections["quotes"]


def reload(root: Path, cache: LoadCache) -> RawContent:
    """Load with the cache and check the result against a fresh load, value and location."""
    loaded = load_content(root, cache)
    assert snapshot(loaded) == snapshot(load_content(root))
    return loaded


def edit(root: Path, change: Any) -> None:
    path = root / QUOTES
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def test_unchanged_folder_gives_the_same_items_and_parses_nothing(content: Path) -> None:
    cache = LoadCache()
    first = load_content(content, cache)
    assert len(cache.last_stats.files_read) == 8
    second = reload(content, cache)
    assert cache.last_stats.files_read == []
    assert all(a is b for a, b in zip(items(first), items(second), strict=True))


def test_touched_file_with_the_same_bytes_is_not_parsed(content: Path) -> None:
    cache = LoadCache()
    first = load_content(content, cache)
    stat = (content / QUOTES).stat()
    os.utime(content / QUOTES, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    second = reload(content, cache)
    assert cache.last_stats.files_read == []
    assert quotes(second)[5] is quotes(first)[5]


def test_editing_one_item_parses_only_that_item(content: Path) -> None:
    cache = LoadCache()
    first = load_content(content, cache)
    edit(content, lambda text: text.replace("- id: quote-00007\n", "- id: quote-00007x\n"))
    second = reload(content, cache)
    assert cache.last_stats.files_read == [str(content / QUOTES)]
    assert cache.last_stats.chunks_parsed == 1
    assert cache.last_stats.chunks_reused == 59
    assert quotes(second)[6].data["id"] == "quote-00007x"
    assert quotes(second)[6] is not quotes(first)[6]
    assert all(quotes(second)[i] is quotes(first)[i] for i in range(60) if i != 6)


def test_lines_inserted_above_move_the_positions_below(content: Path) -> None:
    cache = LoadCache()
    first = load_content(content, cache)
    before = quotes(first)[40].locate(("text",))
    edit(content, lambda text: text.replace("- id: quote-00002\n", "- id: quote-00002\n\n\n\n"))
    second = reload(content, cache)
    assert quotes(second)[40] is quotes(first)[40]
    assert quotes(second)[40].locate(("text",)).line == before.line + 3
    assert cache.last_stats.chunks_parsed == 1


def test_added_and_deleted_items_renumber_the_others(content: Path) -> None:
    cache = LoadCache()
    first = load_content(content, cache)
    added = "- id: quote-new\n  text: New.\n  said_on: 2014-07-31\n  sources: [source-00001]\n"
    edit(content, lambda text: text.replace("- id: quote-00003\n", added + "- id: quote-00003\n"))
    second = reload(content, cache)
    assert [item.data["id"] for item in quotes(second)][2:4] == ["quote-new", "quote-00003"]
    assert quotes(second)[3] is quotes(first)[2]
    assert quotes(second)[3].path == (3,)
    assert cache.last_stats.chunks_parsed == 1

    def delete_first(text: str) -> str:
        start = text.index("- id: quote-00001\n")
        return text[:start] + text[text.index("- id: quote-00002\n") :]

    edit(content, delete_first)
    third = reload(content, cache)
    assert [item.data["id"] for item in quotes(third)][:3] == [
        "quote-00002",
        "quote-new",
        "quote-00003",
    ]
    assert quotes(third)[1] is quotes(second)[2]
    assert quotes(third)[2] is quotes(first)[2]
    assert quotes(third)[2].path == (2,)
    assert len(quotes(third)) == 60


def test_a_mistake_is_reported_as_a_fresh_load_would_then_fixing_it_reuses_items(
    content: Path,
) -> None:
    cache = LoadCache()
    first = load_content(content, cache)
    original = (content / QUOTES).read_text(encoding="utf-8")
    edit(content, lambda text: text.replace("- id: quote-00009\n", "- id: quote-00009\n  id: x\n"))
    with pytest.raises(ContentErrors) as cached:
        load_content(content, cache)
    assert outcome(content) == [str(error) for error in cached.value.errors]
    (content / QUOTES).write_text(original, encoding="utf-8")
    fixed = reload(content, cache)
    assert all(a is b for a, b in zip(items(first), items(fixed), strict=True))


def test_a_mistake_then_an_edit_elsewhere_still_loads_right(content: Path) -> None:
    cache = LoadCache()
    first = load_content(content, cache)
    edit(content, lambda text: text.replace("- id: quote-00009\n", "- id: quote-00009\n\tx: 1\n"))
    with pytest.raises(ContentErrors):
        load_content(content, cache)
    edit(
        content,
        lambda text: text.replace("\tx: 1\n", "").replace(
            "\n\n- id: quote-00030", "\n\n\n\n- id: quote-00030"
        ),
    )
    second = reload(content, cache)
    assert quotes(second)[45] is quotes(first)[45]


def test_added_and_removed_files(content: Path) -> None:
    cache = LoadCache()
    load_content(content, cache)
    (content / "cases/synthetic/polls.yaml").unlink()
    second = reload(content, cache)
    assert second.cases[0].collections["polls"] == []
    assert str(content / "cases/synthetic/polls.yaml") not in cache.files
    folder = content / "cases/synthetic/polls"
    folder.mkdir()
    (folder / "a.yaml").write_text("id: a\ntitle: A poll\n", encoding="utf-8")
    third = reload(content, cache)
    assert third.cases[0].collections["polls"][0].data["id"] == "a"
    assert cache.last_stats.files_read == [str(folder / "a.yaml")]


def test_files_read_whole_are_reloaded_right(content: Path) -> None:
    cache = LoadCache()
    edit(content, lambda text: "---\n" + text)
    first = load_content(content, cache)
    edit(content, lambda text: text.replace("- id: quote-00004\n", "- id: quote-00004\n\n"))
    second = reload(content, cache)
    assert quotes(second)[50].locate(("text",)).line == quotes(first)[50].locate(("text",)).line + 1
    assert cache.last_stats.chunks_parsed == 0
    anchored = "- id: quote-00001\n  sources: &s [source-00001]\n- id: quote-00002\n  sources: *s\n"
    (content / QUOTES).write_text(anchored, encoding="utf-8")
    third = reload(content, cache)
    assert quotes(third)[1].data["sources"] == ["source-00001"]


def test_cache_pickles_and_keeps_working(content: Path) -> None:
    cache = LoadCache()
    load_content(content, cache)
    restored: LoadCache = pickle.loads(pickle.dumps(cache))
    first = load_content(content, restored)
    edit(content, lambda text: text.replace("- id: quote-00011\n", "\n- id: quote-00011\n"))
    second = reload(content, restored)
    assert quotes(second)[30] is quotes(first)[30]
    assert restored.last_stats.chunks_parsed == 1


def test_items_parsed_again_in_workers_match(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = LoadCache()
    load_content(content, cache)
    monkeypatch.setattr(load_chunks, "PARALLEL_MIN_CHARS", 0)
    edit(content, lambda text: text.replace("quote-0000", "quote-x000"))
    reload(content, cache)
    assert cache.last_stats.chunks_parsed == 9
