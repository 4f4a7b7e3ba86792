"""The build record: its index of readers, kept up to date, equals one made afresh; a
record cut short or of other bytes is not trusted."""

from __future__ import annotations

import pickle
import random
from pathlib import Path

import pytest

from generator.build.record import (
    BuildRecord,
    PageRecord,
    invert_reads,
    read_record,
    save_record,
    update_readers,
)

KEYS = [f"QuoteView:c/quotes/q{n}/" for n in range(12)] + ["template:base.html"]


def _pages(rng: random.Random, paths: list[str]) -> dict[str, PageRecord]:
    return {
        path: PageRecord(b"c", tuple(rng.sample(KEYS, rng.randint(0, 5))), b"d") for path in paths
    }


def _without_empty(readers: dict[str, set[str]]) -> dict[str, set[str]]:
    return {key: paths for key, paths in readers.items() if paths}


@pytest.mark.parametrize("seed", range(30))
def test_updated_readers_equal_readers_made_afresh(seed: int) -> None:
    rng = random.Random(seed)
    paths = [f"p{n}/index.html" for n in range(20)]
    before = _pages(rng, paths)
    readers = invert_reads(before)
    after = dict(before)
    touched = set(rng.sample(paths, rng.randint(0, 8)))  # rendered again
    after.update(_pages(rng, sorted(touched)))
    removed = set(rng.sample(paths, rng.randint(0, 3)))
    for path in removed:
        after.pop(path)
    added = [f"new{n}/index.html" for n in range(rng.randint(0, 3))]
    after.update(_pages(rng, added))
    update_readers(readers, before, after, touched | removed | set(added))
    assert _without_empty(readers) == invert_reads(after)


@pytest.mark.parametrize("seed", range(30))
def test_pages_reading_a_changed_input_are_the_same_found_with_or_without_readers(
    seed: int,
) -> None:
    rng = random.Random(seed)
    paths = [f"p{n}/index.html" for n in range(20)]
    record = BuildRecord(b"setup", {})
    record.pages.update(_pages(rng, paths))
    changed = set(rng.sample(KEYS, rng.randint(0, 3)))
    contexts = {path: page.context for path, page in record.pages.items()}
    moved = rng.sample(paths, rng.randint(0, 2))  # pages whose context changed
    contexts.update({path: b"other" for path in moved})
    contexts["new/index.html"] = b"c"

    found = record.pages_reading(changed, None, contexts)

    assert found == record.pages_reading(changed, invert_reads(record.pages), contexts)
    reading = {path for path, page in record.pages.items() if changed & set(page.reads)}
    assert found == reading | set(moved) | {"new/index.html"}


def _record() -> BuildRecord:
    record = BuildRecord(b"setup", {"template:base.html": b"d"})
    record.pages["index.html"] = PageRecord(b"c", ("template:base.html",), b"d")
    record.pages["q/index.html"] = PageRecord(b"c2", ("template:base.html", "Q:q"), b"e", b"i")
    record.pages["card.png"] = PageRecord(b"c3", (), b"f")
    record.statics["static/style.css"] = b"s"
    record.files["index.html"] = (10, 20)
    return record


def _saved(tmp_path: Path) -> Path:
    record = _record()
    path = tmp_path / ".output.explainer-state"
    save_record(record, path)
    again = read_record(path)
    assert again == record
    assert again is not None and list(again.pages) == list(record.pages)  # in their order
    return path


def test_a_record_with_its_pages_pickled_one_by_one_reads_as_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As an earlier generator saved them: that record's pages are not taken for this one's."""
    path = tmp_path / ".output.explainer-state"
    with monkeypatch.context() as patched:
        patched.setattr(BuildRecord, "__getstate__", lambda self: dict(self.__dict__))
        save_record(_record(), path)
    assert read_record(path) is None


@pytest.mark.parametrize("cut", [0, 1, 10, 0.5, -1])
def test_record_cut_short_reads_as_none(tmp_path: Path, cut: float) -> None:
    path = _saved(tmp_path)
    whole = path.read_bytes()
    path.write_bytes(whole[: int(len(whole) * cut) if isinstance(cut, float) else cut])
    assert read_record(path) is None


@pytest.mark.parametrize("bytes_", [b"\x80garbage", pickle.dumps({"files": {}}), b"\0" * 64])
def test_record_of_other_bytes_reads_as_none(tmp_path: Path, bytes_: bytes) -> None:
    path = _saved(tmp_path)
    path.write_bytes(bytes_)
    assert read_record(path) is None
