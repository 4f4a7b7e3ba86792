"""Stage 1, load: building values from parser events keeps PyYAML's composer's behaviour."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.errors import ContentErrors
from generator.load.content import RawItem, load_content
from tests.conftest import minimal_site

MakeTree = Callable[[dict[str, str | bytes]], Path]
FILE = "content/cases/demo/quotes.yaml"


def quotes_errors(content_tree: MakeTree, body: str) -> list[str]:
    root = content_tree(minimal_site(**{"quotes.yaml": body}))
    with pytest.raises(ContentErrors) as exc:
        load_content(root)
    prefix = str(root.parent) + "/"
    return [str(error).replace(prefix, "") for error in exc.value.errors]


def quotes(content_tree: MakeTree, body: str) -> list[RawItem]:
    root = content_tree(minimal_site(**{"quotes.yaml": body}))
    return load_content(root).cases[0].collections["quotes"]


def test_mapping_still_checks_its_later_keys_after_a_bad_value(content_tree: MakeTree) -> None:
    body = "- id: a\n  text: !!int x\n  id: b\n"
    assert quotes_errors(content_tree, body) == [
        f"{FILE}:2:9: `x` is not a number",
        f"{FILE}:3:3: duplicate key `id` (first at line 1) — keep one of them",
    ]


def test_alias_of_its_own_list_is_too_deep(content_tree: MakeTree) -> None:
    assert quotes_errors(content_tree, "- &r [*r]\n") == [
        f"{FILE}:1:3: nested more than 64 levels deep"
    ]


def test_alias_as_key_reads_the_anchored_word(content_tree: MakeTree) -> None:
    (item,) = quotes(content_tree, "- id: &k key\n  *k : 1\n")
    assert item.data == {"id": "key", "key": 1}
    assert str(item.locate_key(("key",))).endswith(f"{FILE}:1:7")


def test_alias_of_mapping_as_key_is_error(content_tree: MakeTree) -> None:
    assert quotes_errors(content_tree, "- id: &k {a: 1}\n  *k : 1\n") == [
        f"{FILE}:1:7: a key must be a plain word, not a list or mapping"
    ]


def test_alias_expands_with_positions_of_the_anchored_values(content_tree: MakeTree) -> None:
    first, second = quotes(content_tree, "- id: a\n  sources: &s [x, y]\n- id: b\n  sources: *s\n")
    assert second.data["sources"] == ["x", "y"]
    assert second.data["sources"] is not first.data["sources"]
    assert str(second.locate(("sources", 1))).endswith(f"{FILE}:2:19")


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (
            "- id: &a x\n  text: &a y\n",
            "2:9: invalid YAML: the anchor `&a` is defined twice (first at line 1)"
            " — give each anchor its own name",
        ),
        (
            "- id: *a\n",
            "1:7: invalid YAML: `*a` repeats an anchor `&a` that is not defined above it"
            " — define `&a` before it, or write the value out",
        ),
        (
            "- id: a\n---\n- id: b\n",
            "2:1: invalid YAML: a second document starts here; a content file holds one"
            " — remove the `---` line, or move what follows into a file of its own",
        ),
        (
            "- id: !!int x\n- [\n",
            "3:1: invalid YAML: a value is missing here"
            " — write the value, or remove the `,` or `-`",
        ),
    ],
)
def test_composer_mistakes_are_reported_as_before(
    content_tree: MakeTree, body: str, error: str
) -> None:
    assert quotes_errors(content_tree, body) == [f"{FILE}:{error}"]


def test_ampersands_in_prose_are_not_anchors(content_tree: MakeTree) -> None:
    (item,) = quotes(content_tree, "- id: a\n  text: R&D, Q & A and &amp;\n")
    assert item.data == {"id": "a", "text": "R&D, Q & A and &amp;"}
    assert str(item.locate(("text",))).endswith(f"{FILE}:2:9")


def test_written_and_locations_of_nested_values(content_tree: MakeTree) -> None:
    (item,) = quotes(content_tree, "- id: a\n  map: {k: [1, no, {z: ~}]}\n")
    assert item.written(("map", "k", 0)) == "1"
    assert item.written(("map", "k", 1)) == "no"
    assert item.written(("map", "k", 2, "z")) == "~"
    assert item.written(("map", "k", 2)) is None
    assert item.written(("map", "k", 5)) is None
    assert str(item.locate(("map", "k", 2, "z"))).endswith(f"{FILE}:2:24")
    assert str(item.locate_key(("map", "k", 2, "z"))).endswith(f"{FILE}:2:21")
    assert str(item.locate(("map", "k", 9))).endswith(f"{FILE}:2:12")
    assert str(item.locate_key(("map", "nope"))).endswith(f"{FILE}:2:8")
