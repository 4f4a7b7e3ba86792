"""Stage 1, load: values, positions and the mistakes `load_content` reports, word for word."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.errors import ContentErrors, Location
from generator.load.content import MAX_DEPTH, RawContent, RawItem, load_content
from generator.validate.content import validate_content
from tests.conftest import minimal_site, time_limit

MakeTree = Callable[[dict[str, str | bytes]], Path]

QUOTES = """\
- id: lynch
  text: We will appeal.
  sources:
    - report
    - blog
- id: smith
  text: Second quote.
"""

POLLS = """\
- id: first
  title: A poll
  questions:
    - id: q1
      text: Should it?
      results:
        - answer: Agree
          percent: 61
        - {answer: Disagree, percent: 39.5}
"""

STRAY = (
    "this file is not part of any case and is not read"
    " — move it into content/cases/<case>/ or delete it"
)


def load(content_tree: MakeTree, files: dict[str, str | bytes]) -> RawContent:
    return load_content(content_tree(files))


def load_errors(content_tree: MakeTree, files: dict[str, str | bytes]) -> list[str]:
    """Load `files`, expect ContentErrors, return each error as printed, paths from `content/`."""
    root = content_tree(files)
    with pytest.raises(ContentErrors) as exc:
        load_content(root)
    prefix = str(root.parent) + "/"
    return [str(error).replace(prefix, "") for error in exc.value.errors]


def at(location: Location) -> str:
    """Show a location from the content folder on, e.g. `content/site.yaml:1:3`."""
    return "content/" + str(location).split("/content/", 1)[1]


def the_item(content: RawContent, collection: str, index: int = 0) -> RawItem:
    return content.cases[0].collections[collection][index]


# Positions


def test_positions_of_key_value_and_list_item_in_collection_file(content_tree: MakeTree) -> None:
    content = load(content_tree, minimal_site(**{"quotes.yaml": QUOTES}))
    first, second = content.cases[0].collections["quotes"]
    assert first.path == (0,)
    assert second.path == (1,)
    assert at(first.locate(())) == "content/cases/demo/quotes.yaml:1:3"
    assert at(first.locate_key(("text",))) == "content/cases/demo/quotes.yaml:2:3"
    assert at(first.locate(("text",))) == "content/cases/demo/quotes.yaml:2:9"
    assert at(first.locate_key(("sources",))) == "content/cases/demo/quotes.yaml:3:3"
    assert at(first.locate(("sources",))) == "content/cases/demo/quotes.yaml:4:5"
    assert at(first.locate(("sources", 0))) == "content/cases/demo/quotes.yaml:4:7"
    assert at(first.locate(("sources", 1))) == "content/cases/demo/quotes.yaml:5:7"
    assert at(second.locate(())) == "content/cases/demo/quotes.yaml:6:3"
    assert at(second.locate(("text",))) == "content/cases/demo/quotes.yaml:7:9"


def test_locate_falls_back_to_nearest_ancestor_when_path_is_absent(content_tree: MakeTree) -> None:
    content = load(content_tree, minimal_site(**{"quotes.yaml": QUOTES}))
    item = the_item(content, "quotes", 1)
    assert at(item.locate(("speaker",))) == "content/cases/demo/quotes.yaml:6:3"
    assert at(item.locate_key(("speaker",))) == "content/cases/demo/quotes.yaml:6:3"


def test_positions_inside_folder_collection_item(content_tree: MakeTree) -> None:
    lynch = "# one quote per file\nid: lynch\ntext: >-\n  We will appeal.\nsources: [report]\n"
    content = load(content_tree, minimal_site(**{"cases/demo/quotes/lynch.yaml": lynch}))
    item = the_item(content, "quotes")
    assert item.data == {"id": "lynch", "text": "We will appeal.", "sources": ["report"]}
    assert item.path == ()
    assert item.document.file.endswith("/content/cases/demo/quotes/lynch.yaml")
    assert at(item.locate(())) == "content/cases/demo/quotes/lynch.yaml:2:1"
    assert at(item.locate_key(("id",))) == "content/cases/demo/quotes/lynch.yaml:2:1"
    assert at(item.locate(("id",))) == "content/cases/demo/quotes/lynch.yaml:2:5"
    assert at(item.locate(("text",))) == "content/cases/demo/quotes/lynch.yaml:3:7"
    assert at(item.locate_key(("sources",))) == "content/cases/demo/quotes/lynch.yaml:5:1"
    assert at(item.locate(("sources", 0))) == "content/cases/demo/quotes/lynch.yaml:5:11"


def test_folder_collection_items_are_read_in_file_name_order(content_tree: MakeTree) -> None:
    content = load(
        content_tree,
        minimal_site(
            **{"cases/demo/quotes/b.yaml": "id: b\n", "cases/demo/quotes/a.yml": "id: a\n"}
        ),
    )
    assert [item.data["id"] for item in content.cases[0].collections["quotes"]] == ["a", "b"]


def test_positions_nested_in_poll_questions_results(content_tree: MakeTree) -> None:
    poll = the_item(load(content_tree, minimal_site(**{"polls.yaml": POLLS})), "polls")
    file = "content/cases/demo/polls.yaml"
    assert at(poll.locate_key(("questions",))) == f"{file}:3:3"
    assert at(poll.locate(("questions",))) == f"{file}:4:5"
    assert at(poll.locate(("questions", 0))) == f"{file}:4:7"
    assert at(poll.locate_key(("questions", 0, "results"))) == f"{file}:6:7"
    assert at(poll.locate(("questions", 0, "results", 0))) == f"{file}:7:11"
    assert at(poll.locate_key(("questions", 0, "results", 0, "percent"))) == f"{file}:8:11"
    assert at(poll.locate(("questions", 0, "results", 0, "percent"))) == f"{file}:8:20"
    assert at(poll.locate(("questions", 0, "results", 1))) == f"{file}:9:11"
    assert at(poll.locate_key(("questions", 0, "results", 1, "percent"))) == f"{file}:9:30"
    assert at(poll.locate(("questions", 0, "results", 1, "percent"))) == f"{file}:9:39"
    assert poll.data["questions"][0]["results"] == [
        {"answer": "Agree", "percent": 61},
        {"answer": "Disagree", "percent": 39.5},
    ]


def test_positions_ignore_utf8_byte_order_mark(content_tree: MakeTree) -> None:
    body = "\ufeff- id: a\n  text: b\n".encode()
    item = the_item(load(content_tree, minimal_site(**{"quotes.yaml": body})), "quotes")
    assert item.data == {"id": "a", "text": "b"}
    assert at(item.locate_key(("id",))) == "content/cases/demo/quotes.yaml:1:3"
    assert at(item.locate(("text",))) == "content/cases/demo/quotes.yaml:2:9"


# Values


SCALARS = """\
- id: a
  key: no
  octal: 010
  exponent: 1e3
  signed_exponent: 1.0e+3
  time: 12:30
  quoted: 'no'
  nothing: ~
  day: 2014-07-31
  month: 2014-07
  year: 2014
"""


def test_written_keeps_text_of_non_string_scalars(content_tree: MakeTree) -> None:
    item = the_item(load(content_tree, minimal_site(**{"quotes.yaml": SCALARS})), "quotes")
    assert (item.data["key"], item.written(("key",))) == (False, "no")
    assert (item.data["octal"], item.written(("octal",))) == (8, "010")
    assert (item.data["signed_exponent"], item.written(("signed_exponent",))) == (1000.0, "1.0e+3")
    assert (item.data["time"], item.written(("time",))) == (750, "12:30")
    assert (item.data["nothing"], item.written(("nothing",))) == (None, "~")
    assert (item.data["year"], item.written(("year",))) == (2014, "2014")


def test_written_is_none_for_strings(content_tree: MakeTree) -> None:
    item = the_item(load(content_tree, minimal_site(**{"quotes.yaml": SCALARS})), "quotes")
    assert (item.data["quoted"], item.written(("quoted",))) == ("no", None)
    assert (item.data["id"], item.written(("id",))) == ("a", None)
    # YAML 1.1 (PyYAML) needs a dot and a signed exponent for a float: `1e3` is a string.
    assert (item.data["exponent"], item.written(("exponent",))) == ("1e3", None)


def test_dates_stay_the_strings_written(content_tree: MakeTree) -> None:
    item = the_item(load(content_tree, minimal_site(**{"quotes.yaml": SCALARS})), "quotes")
    assert item.data["day"] == "2014-07-31"
    assert type(item.data["day"]) is str
    assert item.written(("day",)) == "2014-07-31"
    assert item.data["month"] == "2014-07"
    assert type(item.data["month"]) is str


def test_small_aliases_expand(content_tree: MakeTree) -> None:
    body = "- id: a\n  sources: &both [report, blog]\n- id: b\n  sources: *both\n"
    content = load(content_tree, minimal_site(**{"quotes.yaml": body}))
    assert [item.data["sources"] for item in content.cases[0].collections["quotes"]] == [
        ["report", "blog"],
        ["report", "blog"],
    ]


def test_empty_collection_file_gives_no_items(content_tree: MakeTree) -> None:
    content = load(content_tree, minimal_site(**{"quotes.yaml": "", "events.yaml": "# none yet\n"}))
    assert content.cases[0].collections["quotes"] == []
    assert content.cases[0].collections["events"] == []


def test_absent_collection_gives_no_items(content_tree: MakeTree) -> None:
    content = load(content_tree, minimal_site())
    collections = content.cases[0].collections
    assert sorted(collections) == [
        "events",
        "glossary",
        "media",
        "parties",
        "periods",
        "polls",
        "quotes",
        "rulings",
        "sources",
    ]
    assert collections["quotes"] == []
    assert [item.data["id"] for item in collections["sources"]] == ["report"]


def test_yml_suffix_reads_like_yaml(content_tree: MakeTree) -> None:
    content = load(
        content_tree,
        minimal_site(**{"quotes.yml": "- id: a\n", "cases/demo/events/b.yml": "id: b\n"}),
    )
    quote = the_item(content, "quotes")
    event = the_item(content, "events")
    assert quote.data == {"id": "a"}
    assert quote.document.file.endswith("/cases/demo/quotes.yml")
    assert event.data == {"id": "b"}
    assert event.document.file.endswith("/cases/demo/events/b.yml")


def test_hidden_files_in_collection_folder_are_ignored(content_tree: MakeTree) -> None:
    content = load(
        content_tree,
        minimal_site(
            **{
                "cases/demo/quotes/.foo.yaml": "[not: valid\n",
                "cases/demo/quotes/_draft.yaml": "[not: valid\n",
                "cases/demo/quotes/notes.txt": "not yaml at all: [",
                "cases/demo/quotes/a.yaml": "id: a\n",
            }
        ),
    )
    assert [item.data for item in content.cases[0].collections["quotes"]] == [{"id": "a"}]
    assert not any(".foo" in file or "_draft" in file for file in content.files)


def test_site_case_and_files_are_returned(content_tree: MakeTree) -> None:
    root = content_tree(minimal_site())
    content = load_content(root)
    assert content.root == str(root)
    assert content.site is not None
    assert content.site.data["title"] == "Test Explainers"
    assert [case.slug for case in content.cases] == ["demo"]
    assert content.cases[0].case is not None
    assert content.cases[0].case.data["sources"] == ["report"]
    assert content.files == [
        str(root / "site.yaml"),
        str(root / "cases/demo/case.yaml"),
        str(root / "cases/demo/sources.yaml"),
    ]


def test_nesting_at_max_depth_loads(content_tree: MakeTree) -> None:
    body = "- " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"
    item = the_item(load(content_tree, minimal_site(**{"quotes.yaml": body})), "quotes")
    depth = 0
    value = item.data
    while value:
        value = value[0]
        depth += 1
    assert depth == MAX_DEPTH - 1


# Errors, word for word


def test_duplicate_key_points_at_second_key_and_names_first_line(content_tree: MakeTree) -> None:
    body = "- id: a\n  text: x\n  id: b\n"
    assert load_errors(content_tree, minimal_site(**{"quotes.yaml": body})) == [
        "content/cases/demo/quotes.yaml:3:3: duplicate key `id` (first at line 1)"
        " — keep one of them"
    ]


def test_tab_indentation_is_error(content_tree: MakeTree) -> None:
    body = "- id: a\n  \ttext: x\n"
    assert load_errors(content_tree, minimal_site(**{"quotes.yaml": body})) == [
        "content/cases/demo/quotes.yaml:2:3: tab used for indentation — YAML allows only spaces"
        " — replace the tab with spaces"
    ]


def test_tab_inside_block_scalar_is_content(content_tree: MakeTree) -> None:
    body = "- id: a\n  text: |\n    line\n    \tindented code\n"
    item = the_item(load(content_tree, minimal_site(**{"quotes.yaml": body})), "quotes")
    assert item.data["text"] == "line\n\tindented code\n"


def test_invalid_utf8_points_at_bad_byte(content_tree: MakeTree) -> None:
    body = b"- id: a\n  text: caf\xe9\n"
    assert load_errors(content_tree, minimal_site(**{"quotes.yaml": body})) == [
        "content/cases/demo/quotes.yaml:2:12: this file is not valid UTF-8 (byte 0xe9)"
        " — save it as UTF-8 in your editor"
    ]


def test_invalid_utf8_column_counts_characters(content_tree: MakeTree) -> None:
    body = "- id: a\n  text: café".encode() + b"\xff\n"
    assert load_errors(content_tree, minimal_site(**{"quotes.yaml": body})) == [
        "content/cases/demo/quotes.yaml:2:13: this file is not valid UTF-8 (byte 0xff)"
        " — save it as UTF-8 in your editor"
    ]


def test_yaml_syntax_error_has_position_and_problem(content_tree: MakeTree) -> None:
    body = "- id: a\n text: x\n"
    assert load_errors(content_tree, minimal_site(**{"quotes.yaml": body})) == [
        "content/cases/demo/quotes.yaml:2:2: invalid YAML: this line does not line up with the"
        " lines above — indent it exactly as the fields or the `- ` items it belongs with"
    ]


BILLION_LAUGHS = "".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n',
        *(
            f"{name}: &{name} [{','.join([f'*{previous}'] * 9)}]\n"
            for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)


def test_alias_bomb_is_error_without_expanding_it(content_tree: MakeTree) -> None:
    files = minimal_site(**{"quotes.yaml": BILLION_LAUGHS})
    with time_limit(60):  # expanded, its 9**9 strings would take hours and all memory
        errors = load_errors(content_tree, files)
    assert errors == [
        "content/cases/demo/quotes.yaml:1:20: aliases (`*name`) expand this file out of"
        " proportion — write the values out instead of repeating aliases"
    ]


def test_python_object_tag_is_error(content_tree: MakeTree) -> None:
    body = "- id: a\n  text: !!python/object/apply:os.system ['true']\n"
    assert load_errors(content_tree, minimal_site(**{"quotes.yaml": body})) == [
        "content/cases/demo/quotes.yaml:2:9: unsupported YAML tag"
        " `!!python/object/apply:os.system` — remove the tag: tags that make Python objects"
        " are never read, as they could run code"
    ]


def test_python_object_tag_on_mapping_is_error(content_tree: MakeTree) -> None:
    body = "- !!python/object:os.system {}\n"
    assert load_errors(content_tree, minimal_site(**{"quotes.yaml": body})) == [
        "content/cases/demo/quotes.yaml:1:3: unsupported YAML tag"
        " `!!python/object:os.system` — remove the tag: tags that make Python objects"
        " are never read, as they could run code"
    ]


def test_custom_tag_is_error(content_tree: MakeTree) -> None:
    body = "- id: !custom a\n"
    assert load_errors(content_tree, minimal_site(**{"quotes.yaml": body})) == [
        "content/cases/demo/quotes.yaml:1:7: unsupported YAML tag `!custom`"
        " — remove the tag: only text, numbers, dates, true or false, lists and mappings are read"
    ]


def test_merge_key_is_error(content_tree: MakeTree) -> None:
    body = "- &base {id: a}\n- <<: *base\n  text: b\n"
    assert load_errors(content_tree, minimal_site(**{"quotes.yaml": body})) == [
        "content/cases/demo/quotes.yaml:2:3: merge keys (`<<`) are not supported"
        " — write the fields out"
    ]


def test_collection_file_holding_mapping_is_error(content_tree: MakeTree) -> None:
    body = "id: a\ntext: b\n"
    assert load_errors(content_tree, minimal_site(**{"quotes.yaml": body})) == [
        "content/cases/demo/quotes.yaml:1:1: quotes.yaml should hold a list of quotes"
        " (lines starting with `- `), not a mapping"
    ]


def test_folder_item_holding_list_is_error(content_tree: MakeTree) -> None:
    files = minimal_site(**{"cases/demo/quotes/b.yaml": "- id: b\n"})
    assert load_errors(content_tree, files) == [
        "content/cases/demo/quotes/b.yaml:1:1: a file in quotes/ should hold one item as"
        " `field: value` lines, but holds a list"
    ]


def test_collection_as_file_and_folder_is_error(content_tree: MakeTree) -> None:
    files = minimal_site(**{"quotes.yaml": "- id: a\n", "cases/demo/quotes/b.yaml": "id: b\n"})
    assert (
        "content/cases/demo/quotes.yaml: `quotes` is both a file and a folder"
        " — keep either quotes.yaml or the folder quotes/, not both"
    ) in load_errors(content_tree, files)


def test_collection_as_file_and_folder_reports_one_error(content_tree: MakeTree) -> None:
    files = minimal_site(**{"quotes.yaml": "- id: a\n", "cases/demo/quotes/b.yaml": "id: b\n"})
    assert load_errors(content_tree, files) == [
        "content/cases/demo/quotes.yaml: `quotes` is both a file and a folder"
        " — keep either quotes.yaml or the folder quotes/, not both"
    ]


def test_missing_site_yaml_is_error(content_tree: MakeTree) -> None:
    files = minimal_site()
    del files["site.yaml"]
    assert load_errors(content_tree, files) == [
        "content/site.yaml: site.yaml is missing — every site needs one"
    ]


def test_missing_case_yaml_is_error(content_tree: MakeTree) -> None:
    files = minimal_site()
    del files["cases/demo/case.yaml"]
    assert load_errors(content_tree, files) == [
        "content/cases/demo/case.yaml: case.yaml is missing — every case folder needs one"
    ]


def test_missing_content_folder_is_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(ContentErrors) as exc:
        load_content(missing)
    assert [str(error) for error in exc.value.errors] == [
        f"{missing}: content folder not found — pass --content DIR"
    ]


def test_yaml_file_outside_any_case_is_error(content_tree: MakeTree) -> None:
    files = minimal_site(
        **{
            "notes/todo.yaml": "a: 1\n",
            "cases/stray.yml": "a: 1\n",
            "_drafts/later.yaml": "a: 1\n",
            "readme.txt": "not yaml",
        }
    )
    assert load_errors(content_tree, files) == [
        f"content/cases/stray.yml: {STRAY}",
        f"content/notes/todo.yaml: {STRAY}",
    ]


def test_unknown_file_in_case_folder_is_not_called_outside_any_case(
    content_tree: MakeTree,
) -> None:
    errors = load_errors(content_tree, minimal_site(**{"notes.yaml": "a: 1\n", "quote.yaml": ""}))
    assert errors == [
        "content/cases/demo/notes.yaml: `notes.yaml` is not read: a case folder holds case.yaml"
        " and parties.yaml, rulings.yaml, events.yaml, periods.yaml, quotes.yaml, polls.yaml,"
        " sources.yaml, glossary.yaml, media.yaml"
        " — rename or delete it",
        "content/cases/demo/quote.yaml: `quote.yaml` is not read: a case folder holds case.yaml"
        " and parties.yaml, rulings.yaml, events.yaml, periods.yaml, quotes.yaml, polls.yaml,"
        " sources.yaml, glossary.yaml, media.yaml"
        " — did you mean `quotes.yaml`?",
    ]


def test_nesting_deeper_than_max_depth_is_error(content_tree: MakeTree) -> None:
    body = "- " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n"
    assert load_errors(content_tree, minimal_site(**{"quotes.yaml": body})) == [
        f"content/cases/demo/quotes.yaml:1:{MAX_DEPTH + 3}:"
        f" nested more than {MAX_DEPTH} levels deep"
    ]


def test_errors_of_several_files_are_reported_together(content_tree: MakeTree) -> None:
    files = minimal_site(
        **{"quotes.yaml": "- id: a\n  id: b\n", "events.yaml": "- id: a\n\tkind: x\n"}
    )
    assert load_errors(content_tree, files) == [
        "content/cases/demo/events.yaml:2:1: tab used for indentation — YAML allows only spaces"
        " — replace the tab with spaces",
        "content/cases/demo/quotes.yaml:2:3: duplicate key `id` (first at line 1)"
        " — keep one of them",
    ]


def test_link_inside_the_content_folder_is_read(content_tree: MakeTree) -> None:
    root = content_tree(minimal_site(**{"cases/demo/_shared/quotes.yaml": QUOTES}))
    (root / "cases/demo/quotes.yaml").symlink_to("_shared/quotes.yaml")
    assert the_item(load_content(root), "quotes").data["id"] == "lynch"


def test_list_of_items_too_short_to_read_one_by_one_reads_whole_the_same(
    content_tree: MakeTree,
) -> None:
    body = "- a\n- [b]\n-\n" * 50
    root = content_tree(minimal_site(**{"quotes.yaml": body}))
    with pytest.raises(ContentErrors) as exc:
        validate_content(load_content(root))
    assert [(e.location.line, e.location.column) for e in exc.value.errors[:3]] == [
        (1, 3),
        (2, 3),
        (3, 2),
    ]
    assert len(exc.value.errors) == 150
