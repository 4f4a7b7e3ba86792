"""The build record's index of readers: kept up to date, it equals one made afresh."""

from __future__ import annotations

import random

import pytest

from generator.record import PageRecord, invert_reads, update_readers

KEYS = [f"QuoteView:c/quotes/q{n}/" for n in range(12)] + ["template:base.html"]


def _pages(rng: random.Random, paths: list[str]) -> dict[str, PageRecord]:
    return {
        path: PageRecord(b"c", frozenset(rng.sample(KEYS, rng.randint(0, 5))), b"d")
        for path in paths
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
