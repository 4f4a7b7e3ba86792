"""Stage 1, load: YAML gives plain data only, and a tag that would run code runs nothing.

Every value `load_content` (and, below it, `yaml_events.parse`) hands on is a dict with
string keys, a list, a string, an int, a float, a bool or None; dates stay the strings the
editor wrote. Tags that PyYAML's unsafe loaders turn into Python calls (`!!python/object/apply`,
`!!python/object/new`, `!!python/name`, ...), other tags outside YAML's plain types, local tags
such as `!foo`, and the same tags reached through `%TAG` directives or verbatim `!<...>` are
located errors. Each test names a marker file that any of these tags would create if it ran,
and checks the file never appears.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.errors import ContentErrors
from generator.load.content import RawContent, load_content
from generator.load.yaml_events import parse
from tests.conftest import REAL_CONTENT, minimal_site
from tests.strategies import case_data, same_data, yaml_files

MakeTree = Callable[[dict[str, str | bytes]], Path]
PLAIN = (str, int, float, bool, type(None))


def walk(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every value inside `value` (keys included), with its path."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, "<key>"), key
            yield from walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, (*path, index))


def not_plain(value: Any) -> list[str]:
    """Paths of values that are not plain data (and of mapping keys that are not strings)."""
    found = []
    for path, item in walk(value):
        if path and path[-1] == "<key>":
            if type(item) is not str:
                found.append(f"{path}: key {item!r} is a {type(item).__name__}")
        elif not (type(item) in PLAIN or type(item) in (dict, list)):
            found.append(f"{path}: {item!r} is a {type(item).__name__}")
    return found


def raw_values(raw: RawContent) -> Iterator[Any]:
    if raw.site is not None:
        yield raw.site.data
    for case in raw.cases:
        if case.case is not None:
            yield case.case.data
        for items in case.collections.values():
            yield from (item.data for item in items)


def dangerous_payloads(marker: Path) -> list[str]:
    """YAML values that would create `marker` if a loader ran them."""
    return [
        f'!!python/object/apply:os.system ["touch {marker}"]',
        f"!!python/object/apply:os.system\n    args: ['touch {marker}']",
        f"!!python/object/apply:subprocess.check_call [[touch, {marker}]]",
        f"!!python/object/apply:builtins.open [{marker}, w]",
        f'!!python/object/new:os.system ["touch {marker}"]',
        f"!!python/object/new:builtins.open [{marker}, w]",
        "!!python/name:os.system",
        "!!python/module:os",
        "!!python/object:pathlib.PosixPath {}",
        "!!python/tuple [1, 2]",
        "!!python/bytes aGVsbG8=",
        "!!binary aGVsbG8=",
        "!!set {a: null}",
        "!!omap [a: 1]",
        "!!pairs [a: 1]",
        "!foo text",
        "!foo {a: 1}",
        "!foo [a]",
        "!<tag:yaml.org,2002:python/object/apply:os.system> " + f'["touch {marker}"]',
        "!<!local> text",
    ]


WHERE = {
    "a value": "- id: x\n  text: {payload}\n",
    "a list item": "- {payload}\n",
    "a nested value": "- id: x\n  sources:\n    - {payload}\n",
    "the whole document": "{payload}\n",
    "a flow mapping": "- {{id: x, text: {payload} }}\n",
}


@pytest.mark.parametrize("where", list(WHERE))
def test_tags_that_would_run_code_are_located_errors_and_run_nothing(
    where: str, content_tree: MakeTree, tmp_path: Path
) -> None:
    marker = tmp_path / "executed"
    for payload in dangerous_payloads(marker):
        if "\n" in payload and where not in ("a value",):
            continue  # a block mapping as the tag's argument only fits after a key
        body = WHERE[where].format(payload=payload)
        root = content_tree(minimal_site(**{"quotes.yaml": body}))
        with pytest.raises(ContentErrors) as exc:
            load_content(root)
        errors = [e for e in exc.value.errors if e.location.file.endswith("quotes.yaml")]
        assert errors, (payload, exc.value.errors)
        assert all(e.location.line >= 1 and e.location.column >= 1 for e in errors), errors
        assert any("tag" in e.message for e in errors), (payload, errors)
        assert not marker.exists(), payload


def test_tag_spelled_through_a_tag_directive_is_refused(
    content_tree: MakeTree, tmp_path: Path
) -> None:
    """`%TAG !py! tag:yaml.org,2002:python/` makes `!py!object/apply:` a Python tag too."""
    marker = tmp_path / "executed"
    body = (
        "%TAG !py! tag:yaml.org,2002:python/\n---\n"
        f'- id: x\n  text: !py!object/apply:os.system ["touch {marker}"]\n'
    )
    root = content_tree(minimal_site(**{"quotes.yaml": body}))
    with pytest.raises(ContentErrors) as exc:
        load_content(root)
    (error,) = exc.value.errors
    assert (error.location.line, error.location.column) == (4, 9)
    assert error.message == (
        "unsupported YAML tag `tag:yaml.org,2002:python/object/apply:os.system`"
    )
    assert not marker.exists()


def test_tag_in_site_yaml_and_in_a_folder_item_is_refused(
    content_tree: MakeTree, tmp_path: Path
) -> None:
    marker = tmp_path / "executed"
    payload = f'!!python/object/apply:os.system ["touch {marker}"]'
    files = minimal_site()
    files["site.yaml"] = f"title: {payload}\n" + str(files["site.yaml"]).split("\n", 1)[1]
    files["cases/demo/quotes/one.yaml"] = f"id: one\ntext: {payload}\n"
    with pytest.raises(ContentErrors) as exc:
        load_content(content_tree(files))
    located = sorted(
        (Path(e.location.file).name, e.location.line, e.location.column) for e in exc.value.errors
    )
    assert located == [("one.yaml", 2, 7), ("site.yaml", 1, 8)]
    assert not marker.exists()


PLAIN_TAGGED = """\
- id: x
  text: !!str 2014-07-31
  a: !!int "3"
  b: !!float "1.5"
  c: !!bool "yes"
  d: !!null ""
  e: !!timestamp 2014-07-31
  f: !!str
  g: ! 12
  h: !!seq [1, !!map {k: v}]
  i: 2014-07-31
  j: 2014-07-31 10:00:00
  k: 0x1F
  l: .inf
  m: ~
  1: one
  null: two
  true: three
"""


def test_plain_tags_give_plain_values_and_dates_stay_strings(content_tree: MakeTree) -> None:
    root = content_tree(minimal_site(**{"quotes.yaml": PLAIN_TAGGED}))
    (item,) = load_content(root).cases[0].collections["quotes"]
    assert item.data == {
        "id": "x",
        "text": "2014-07-31",
        "a": 3,
        "b": 1.5,
        "c": True,
        "d": None,
        "e": "2014-07-31",
        "f": "",
        "g": 12,  # as PyYAML reads it (the YAML spec would make it a string)
        "h": [1, {"k": "v"}],
        "i": "2014-07-31",
        "j": "2014-07-31 10:00:00",
        "k": 31,
        "l": float("inf"),
        "m": None,
        "1": "one",
        "null": "two",
        "true": "three",
    }
    assert not_plain(item.data) == []


def test_real_content_loads_as_plain_data() -> None:
    raw = load_content(REAL_CONTENT)
    values = list(raw_values(raw))
    assert len(values) > 50
    for value in values:
        assert not_plain(value) == []


def test_not_plain_finds_what_is_not_plain_data() -> None:
    """The walk can fail: a date, a tuple, bytes and a non-string key are all reported."""
    import datetime as dt

    value = {"a": [dt.date(2014, 7, 31), (1,)], "b": {1: b"x"}}
    assert len(not_plain(value)) == 4


@settings(max_examples=30, deadline=None, database=None, derandomize=True)
@given(st.data())
def test_any_valid_document_parses_as_the_plain_data_written(data: st.DataObject) -> None:
    """Whatever style a document is written in, `parse` gives back exactly its plain data."""
    case = data.draw(case_data(max_items=1), label="case")
    written = data.draw(st.sampled_from([case.case, *case.collections.values()]), label="doc")
    text = data.draw(yaml_files(written), label="file").decode("utf-8").removeprefix("\ufeff")
    parsed = parse(text).data
    assert not_plain(parsed) == []
    assert same_data(parsed, written)
