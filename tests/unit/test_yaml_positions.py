"""`Positions.walk`, which takes a document's first step from a table made once, finds every
node where the plain `walk` (which counts the nodes before it) does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.load.yaml_positions import PathKey, Positions, size, walk

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2, 3), st.sampled_from(["a", "b"]))
KEYS = st.one_of(st.sampled_from(["a", "b", "c", "id"]), st.integers(0, 2), st.booleans())
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=25,
)


def _paths(value: Any, before: PathKey = ()) -> Iterator[PathKey]:
    """Every path into `value`, and beside them steps that lead nowhere."""
    yield before
    yield (*before, "missing")
    yield (*before, -1)
    if isinstance(value, list):
        yield (*before, len(value))
        for index, child in enumerate(value):
            yield from _paths(child, (*before, index))
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*before, key))


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_walk_from_the_table_finds_what_counting_finds(value: Any) -> None:
    positions = Positions(value, [0] * size(value))
    for path in _paths(value):
        assert positions.walk(path) == walk(value, path), path


def test_a_translation_file_s_entries_are_found_at_their_keys() -> None:
    value = {f"event-{n}": {"title": "t", "body": ["x", "y"]} for n in range(3)}
    positions = Positions(value, list(range(size(value))))
    # Each entry: its key, its mapping, then `title`, "t", `body`, its list and two items.
    assert positions.walk(("event-2",)) == (1 + 2 * 8 + 1, True, 1 + 2 * 8)
    assert positions.walk(("event-1", "body", 1)) == (1 + 8 + 1 + 6, True, None)
    assert positions.walk(("event-1", "title")) == (1 + 8 + 3, True, 1 + 8 + 2)
