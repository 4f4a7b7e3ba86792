"""Stage 1, load: reloading with a `LoadCache` gives what a fresh load gives, re-reading less."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path
from typing import Any

import pytest

from bench.synthetic import generate
from generator.errors import ContentErrors
from generator.load import cache as load_cache
from generator.load import chunks as load_chunks
from generator.load import edit as load_edit
from generator.load.content import LoadCache, RawContent, RawItem, load_content
from tests.conftest import minimal_site
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


def test_a_cache_moved_to_another_version_of_the_folder_leaves_the_first_as_it_was(
    content: Path, tmp_path: Path
) -> None:
    """A review reads the second version from the first's cache, moved: each file there is
    read from the second folder and named by it, only the changed items are parsed, and the
    first version's items still locate what they were read from."""
    cache = LoadCache()
    first = load_content(content, cache)
    kept = snapshot(first)
    other = tmp_path / "other"
    shutil.copytree(content, other)
    edit(other, lambda text: text.replace("- id: quote-00002\n", "- id: quote-00002\n\n\n"))
    moved = cache.moved(content, other)
    second = reload(other, moved)
    assert moved.last_stats.chunks_parsed == 1
    assert all(item.document.file.startswith(str(other)) for item in items(second))
    assert snapshot(first) == kept


def test_items_parsed_again_in_workers_match(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = LoadCache()
    load_content(content, cache)
    monkeypatch.setattr(load_chunks, "PARALLEL_MIN_CHARS", 0)
    edit(content, lambda text: text.replace("quote-0000", "quote-x000"))
    reload(content, cache)
    assert cache.last_stats.chunks_parsed == 9


LIST = "cases/demo/quotes.yaml"


def simple_list(count: int = 50) -> str:
    return "".join(f"- id: q{i}\n  n{i}: {i}\n  t{i}: words of {i}\n" for i in range(count))


def load_or_errors(root: Path, cache: LoadCache | None = None) -> Any:
    """A snapshot of loading `root`, or its errors as printed."""
    try:
        return snapshot(load_content(root, cache))
    except ContentErrors as exc:
        return [str(error) for error in exc.errors]


@pytest.fixture
def rereads(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record, for each list file re-read around an edit, whether that worked."""
    calls: list[bool] = []
    reread = load_edit.reread

    def spy(*args: Any) -> Any:
        edited = reread(*args)
        calls.append(edited is not None)
        return edited

    monkeypatch.setattr(load_edit, "reread", spy)
    return calls


def check_edits(root: Path, edits: list[tuple[Any, bool | None]], rereads: list[bool]) -> None:
    """Apply each edit in turn: the cached load must give what a fresh load gives.

    With each edit comes whether the file should be re-read around the edit (True), read whole
    after trying that (False), or read whole at once (None). Re-read around the edit, every
    item whose text did not change must be the very same item.
    """
    path = root / LIST
    cache = LoadCache()
    before = load_content(root, cache).cases[0].collections["quotes"]
    for change, around in edits:
        old = [piece for _, piece in load_chunks.split(path.read_text(encoding="utf-8")) or []]
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
        del rereads[:]
        got = load_or_errors(root, cache)
        assert got == load_or_errors(root)
        assert rereads == ([] if around is None else [around])
        if not isinstance(got[0], tuple):
            continue
        after = load_content(root, cache).cases[0].collections["quotes"]
        if around:
            new = [piece for _, piece in load_chunks.split(path.read_text(encoding="utf-8")) or []]
            unmatched = dict(enumerate(old))
            for item, text in zip(after, new, strict=True):
                index = next((i for i, piece in unmatched.items() if piece == text), None)
                if index is not None:
                    del unmatched[index]
                    assert item is before[index]
        before = after


def replace(old: str, new: str) -> Any:
    def change(text: str) -> str:
        assert old in text
        return text.replace(old, new, 1)

    return change


@pytest.mark.parametrize(
    "edits",
    [
        pytest.param([(replace("words of 0\n", "other words\n"), True)], id="start"),
        pytest.param([(replace("words of 25\n", "other words\n"), True)], id="middle"),
        pytest.param([(replace("words of 49\n", "other words\n"), True)], id="end"),
        pytest.param([(lambda text: text + "- id: new\n", True)], id="append"),
        pytest.param(
            [(replace("  n10: 10\n", "  n10: 10\n  more: |\n    a\n\n    b\n"), True)],
            id="lines-added",
        ),
        pytest.param([(replace("  n10: 10\n", ""), True)], id="lines-removed"),
        pytest.param([(replace("- id: q20\n", "  id20: q20\n"), True)], id="marker-removed"),
        pytest.param([(replace("  n20: 20\n", "- n20: 20\n"), True)], id="marker-added"),
        pytest.param([(replace("- id: q20\n", "- id: new\n- id: q20\n"), True)], id="item-added"),
        pytest.param(
            [(replace("- id: q20\n  n20: 20\n  t20: words of 20\n", ""), True)],
            id="item-removed",
        ),
        pytest.param(
            [(replace("- id: q0\n  n0: 0\n  t0: words of 0\n", ""), True)],
            id="first-item-removed",
        ),
        pytest.param(
            [(replace("- id: q49\n  n49: 49\n  t49: words of 49\n", ""), True)],
            id="last-item-removed",
        ),
        pytest.param([(replace("- id: q20\n", "# - id: q20\n"), True)], id="marker-commented"),
        pytest.param(
            [
                (replace("words of 19\n", "words of 19\n  # note\n"), True),
                (replace("  # note\n- id: q20", "  # note - id: q20"), True),
            ],
            id="lines-joined",
        ),
        pytest.param([(lambda text: "---\n" + text, False)], id="document-marker"),
        pytest.param(
            [(lambda text: "\ufeff" + text, False), (replace("words of 3\n", "w3\n"), False)],
            id="byte-order-mark",
        ),
        pytest.param([(replace("- id: q20\n", "-id: q20\n"), False)], id="broken-marker"),
        pytest.param([(replace("- id: q20\n", "x: 1\n- id: q20\n"), False)], id="mapping-key"),
        pytest.param([(replace("  n20: 20\n", "  n20: 20\r\n"), False)], id="carriage-return"),
        pytest.param(
            [(replace("words of 5\n", "wörds — of 5\n"), True), (replace("q30", "q30é"), True)],
            id="non-ascii",
        ),
        pytest.param(
            [
                (replace("  n3: 3\n", "  n3: 3\n  id: dup\n"), False),
                (replace("  id: dup\n", "  m3: 3\n"), True),
            ],
            id="error-then-fixed",
        ),
        pytest.param(
            [(replace("words of 2\n", "w2\n"), True), (replace("words of 47\n", "w47\n"), True)],
            id="two-edits",
        ),
        pytest.param(
            [
                (lambda t: t.replace("words of 2\n", "w2\n").replace("q47", "q47x"), True),
                (lambda t: t.replace("  n2: 2\n", "\n\n").replace("  n46: 46\n", ""), True),
            ],
            id="far-apart",
        ),
        pytest.param(
            [
                (replace("  n10: 10\n", "  n10: &a [x]\n"), True),
                (replace("  n40: 40\n", "  n40: *a\n"), False),
                (replace("  n40: *a\n", "  n40: 40\n"), None),
                (replace("  n40: 40\n", "  n40: 41\n"), True),
            ],
            id="anchor-across-items",
        ),
        pytest.param(
            [(lambda text: "- id: only\n", False), (lambda text: simple_list(), None)],
            id="one-item-and-back",
        ),
    ],
)
def test_edits_reload_as_a_fresh_load_does(
    content_tree: Any, rereads: list[bool], edits: list[tuple[Any, bool]]
) -> None:
    root = content_tree(minimal_site(**{"quotes.yaml": simple_list()}))
    check_edits(root, edits, rereads)


def test_edit_moves_locations_below_and_renumbers_items(
    content_tree: Any, rereads: list[bool]
) -> None:
    root = content_tree(minimal_site(**{"quotes.yaml": simple_list()}))
    cache = LoadCache()
    first = load_content(root, cache).cases[0].collections["quotes"]
    below = first[40].locate(("t40",)).line
    edit = replace("- id: q10\n", "- id: new\n  text: |\n    one\n    two\n- id: q10\n")
    (root / LIST).write_text(edit((root / LIST).read_text()), encoding="utf-8")
    second = load_content(root, cache).cases[0].collections["quotes"]
    assert rereads == [True]
    assert cache.last_stats.chunks_parsed == 1
    assert second[41] is first[40]
    assert second[41].path == (41,)
    assert second[41].locate(("t40",)).line == below + 4
    assert second[5] is first[5]
    assert second[5].locate(("t5",)).line == 5 * 3 + 3


def test_comment_before_the_first_item_belongs_to_it(
    content_tree: Any, rereads: list[bool]
) -> None:
    root = content_tree(minimal_site(**{"quotes.yaml": simple_list()}))
    cache = LoadCache()
    first = load_content(root, cache).cases[0].collections["quotes"]
    (root / LIST).write_text("# notes\n\n" + (root / LIST).read_text(), encoding="utf-8")
    second = reload(root, cache).cases[0].collections["quotes"]
    assert rereads == [True]
    assert second[0] is not first[0]
    assert second[0].locate(("id",)).line == 3
    assert all(second[i] is first[i] for i in range(1, 50))


def test_items_dropped_by_an_edit_still_locate_what_they_were_read_from(
    content_tree: Any,
) -> None:
    root = content_tree(minimal_site(**{"quotes.yaml": simple_list()}))
    cache = LoadCache()
    first = load_content(root, cache).cases[0].collections["quotes"]
    where = first[20].locate(("t20",))
    edit = replace("- id: q20\n  n20: 20\n  t20: words of 20\n", "")
    (root / LIST).write_text(edit((root / LIST).read_text()), encoding="utf-8")
    load_content(root, cache)
    assert first[20].locate(("t20",)) == where
    assert first[20].data["id"] == "q20"


def test_unchanged_stat_skips_reading(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_cache, "RACY_NS", 0)
    cache = LoadCache()
    first = load_content(content, cache)
    assert len(cache.last_stats.files_opened) == 8
    second = reload(content, cache)
    assert cache.last_stats.files_opened == []
    assert all(a is b for a, b in zip(items(first), items(second), strict=True))


def test_stat_of_a_file_changed_just_before_it_was_read_is_not_trusted(content: Path) -> None:
    cache = LoadCache()
    load_content(content, cache)
    path = content / QUOTES
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("quote-00007", "quote-00008", 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    second = reload(content, cache)
    assert [item.data["id"] for item in quotes(second)][6] == "quote-00008"


def test_file_replaced_with_the_same_size_and_mtime_is_read(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(load_cache, "RACY_NS", 0)
    cache = LoadCache()
    load_content(content, cache)
    path = content / QUOTES
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    fresh = path.with_suffix(".new")
    fresh.write_text(text.replace("quote-00007", "quote-00008", 1), encoding="utf-8")
    os.utime(fresh, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(fresh, path)
    second = reload(content, cache)
    assert cache.last_stats.files_opened == [str(path)]
    assert [item.data["id"] for item in quotes(second)][6] == "quote-00008"


@pytest.mark.parametrize("grown_to", [100, load_cache.MAX_FILE_BYTES + 5])
def test_a_file_that_grew_since_it_was_looked_at_is_read_whole_or_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, grown_to: int
) -> None:
    """The read asks for the size the file had when opened and a byte more; a file longer
    than that by then is read on, up to the cap, and refused past it."""
    path = tmp_path / "quotes.yaml"
    path.write_bytes(b"x" * grown_to)
    real_fstat = os.fstat

    def smaller(descriptor: int) -> Any:
        found = real_fstat(descriptor)
        fields = list(found)
        fields[6] = 10  # st_size: the size it had before it grew
        return os.stat_result(fields)

    monkeypatch.setattr(load_cache.os, "fstat", smaller)
    errors: list[Any] = []

    raw = load_cache._read_bytes(path, 10, errors)

    if grown_to <= load_cache.MAX_FILE_BYTES:
        assert (raw, errors) == (b"x" * grown_to, [])
    else:
        assert raw is None and "over the 20 MiB" in errors[0].message
