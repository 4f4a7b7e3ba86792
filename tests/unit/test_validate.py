"""Stage 2, validate: what a valid site becomes, and the checks no bad input reaches alone."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Annotated

import pytest
from pydantic import BaseModel, BeforeValidator, ValidationError

from generator.errors import ContentErrors
from generator.load.content import load_content
from generator.validate.content import validate_content, validate_item
from generator.validate.pydantic_errors import is_internal as _is_internal
from tests.conftest import REPO, minimal_site, write_tree

PARTIES = """\
- id: ann
  name: Ann Example
  kind: person
  role: Spokesperson
"""


def test_base_url_given_replaces_the_sites(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "content", minimal_site())
    site = validate_content(load_content(root), base_url="https://example.com/x/").site
    assert str(site.base_url) == "https://example.com/x/"
    assert str(validate_content(load_content(root)).site.base_url) == (
        "https://example.org/explainers/"
    )


def test_one_item_validates_on_its_own(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "content", minimal_site(**{"parties.yaml": PARTIES}))
    (item,) = load_content(root).cases[0].collections["parties"]
    assert validate_item(item, "parties").id == "ann"  # type: ignore[attr-defined]


def test_one_item_with_a_mistake_raises_its_errors(tmp_path: Path) -> None:
    parties = PARTIES.replace("kind: person", "kind: persn")
    root = write_tree(tmp_path / "content", minimal_site(**{"parties.yaml": parties}))
    (item,) = load_content(root).cases[0].collections["parties"]
    with pytest.raises(ContentErrors) as caught:
        validate_item(item, "parties")
    assert [str(e).removeprefix(f"{root}/") for e in caught.value.errors] == [
        "cases/demo/parties.yaml:3:9: `persn` is not a valid kind — did you mean `person`?"
    ]


GOLDEN = REPO / "tests" / "golden" / "small" / "content"
CASE = "cases/cafe-munchen/"


def golden_with(tmp_path: Path, file: str, old: str, new: str) -> Path:
    """The golden site with `old` (found once) replaced by `new` in `file` (of its case, or
    `site.yaml`)."""
    root = tmp_path / "content"
    shutil.copytree(GOLDEN, root)
    path = root / (file if file == "site.yaml" else CASE + file)
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return root


def golden_errors(tmp_path: Path, file: str, old: str, new: str) -> list[str]:
    """The errors of the golden site after replacing `old` by `new` in `file`."""
    root = golden_with(tmp_path, file, old, new)
    with pytest.raises(ContentErrors) as caught:
        validate_content(load_content(root))
    return [
        str(e).replace(f"{root}/{CASE}", "").replace(f"{root}/", "") for e in caught.value.errors
    ]


@pytest.mark.parametrize(
    ("file", "old", "new", "where", "message"),
    [
        (
            "parties.yaml",
            "member_of: cafe-nandu",
            "member_of: cafe-nadnu",
            "18:14",
            "unknown party `cafe-nadnu` in `member_of` — did you mean `cafe-nandu`?",
        ),
        (
            "parties.yaml",
            "  role: Pollster\n",
            "  role: Pollster\n  sources: [gazete-2020]\n",
            "34:13",
            "unknown source `gazete-2020` in `sources` — did you mean `gazette-2020`?",
        ),
        (
            "rulings.yaml",
            "judges: judge-jurgen",
            "judges: [judge-jurgen, nobody]",
            "5:26",
            "unknown party `nobody` in `judges` — add it to parties.yaml or fix the id",
        ),
        (
            "rulings.yaml",
            "favours: cafe-nandu",
            "favours: nobody",
            "10:12",
            "unknown party `nobody` in `favours` — add it to parties.yaml or fix the id",
        ),
        (
            "rulings.yaml",
            "  sources: [gazette-2020]",
            "  sources: [gazette-2002]",
            "12:13",
            "unknown source `gazette-2002` in `sources` — did you mean `gazette-2020`?",
        ),
        (
            "events.yaml",
            "parties: [vg, zoe-oconnor]",
            "parties: [vg, zoe]",
            "13:17",
            "unknown party `zoe` in `parties` — add it to parties.yaml or fix the id",
        ),
        (
            "events.yaml",
            "quotes: [coffee]",
            "quotes: [cofee]",
            "14:12",
            "unknown quote `cofee` in `quotes` — did you mean `coffee`?",
        ),
        (
            "events.yaml",
            "sources: [gazette-2020, blog-2021]",
            "sources: [gazette-2020, blog-2012]",
            "15:27",
            "unknown source `blog-2012` in `sources` — did you mean `blog-2021`?",
        ),
        (
            "quotes/licence.yaml",
            "sources: [gazette-2020]",
            "sources: [gazette]",
            "7:11",
            "unknown source `gazette` in `sources` — did you mean `gazette-2020`?",
        ),
        (
            "polls.yaml",
            "pollster: umfrage-institut",
            "pollster: umfrage",
            "3:13",
            "unknown party `umfrage` in `pollster` — did you mean `umfrage-institut`?",
        ),
        (
            "polls.yaml",
            "  population:",
            "  commissioned_by: stadt\n  population:",
            "5:20",
            "unknown party `stadt` in `commissioned_by` — add it to parties.yaml or fix the id",
        ),
        (
            "polls.yaml",
            "    - id: formula\n",
            "    - id: formula\n      sources: [blog-2012]\n",
            "16:17",
            "unknown source `blog-2012` in `sources` — did you mean `blog-2021`?",
        ),
        (
            "polls.yaml",
            "  sources: [gazette-2020]",
            "  sources: [gazette-2002]",
            "20:13",
            "unknown source `gazette-2002` in `sources` — did you mean `gazette-2020`?",
        ),
        (
            "case.yaml",
            "    sources: [gazette-2020]\n",
            "    sources: [gazette-2002]\n",
            "12:15",
            "unknown source `gazette-2002` in `sources` — did you mean `gazette-2020`?",
        ),
        (
            "case.yaml",
            "sources: [gazette-2020, blog-2021]",
            "sources: [gazette-2020, blog-2012]",
            "24:29",
            "unknown source `blog-2012` in `sources` — did you mean `blog-2021`?",
        ),
    ],
    ids=[
        "party-member_of",
        "party-sources",
        "ruling-judges",
        "ruling-favours",
        "ruling-sources",
        "event-parties",
        "event-quotes",
        "event-sources",
        "quote-sources",
        "poll-pollster",
        "poll-commissioned_by",
        "poll-question-sources",
        "poll-sources",
        "case-key_fact-sources",
        "case-conflict-sources",
    ],
)
def test_every_reference_field_is_checked(
    tmp_path: Path, file: str, old: str, new: str, where: str, message: str
) -> None:
    assert golden_errors(tmp_path, file, old, new) == [f"{file}:{where}: {message}"]


RULING = """\
- id: first-instance
  title: Licence upheld again
  court: vg
  stage: district
  date: 2020-12
  outcome: Licence upheld
  holding: Again.
  sources: [gazette-2020]
"""


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "events.yaml",
            "- id: hearing\n",
            "- id: ruling\n",
            "events.yaml:16:7: duplicate event id `ruling`: events.yaml:8:7 has the same id",
        ),
        (
            "rulings.yaml",
            "  sources: [gazette-2020]\n",
            "  sources: [gazette-2020]\n" + RULING,
            "rulings.yaml:13:7: duplicate ruling id `first-instance`: rulings.yaml:1:7 has the"
            " same id",
        ),
        (
            "polls.yaml",
            "  population:",
            "  population: P\n- id: cafe-poll\n  title: T\n  population:",
            "polls.yaml:6:7: duplicate poll id `cafe-poll`: polls.yaml:1:7 has the same id",
        ),
        (
            "quotes/licence.yaml",
            "id: licence",
            "id: Coffee",
            "quotes/licence.yaml:1:5: duplicate quote id `Coffee`: quotes/coffee.yaml:1:5 has an"
            " id that differs only by case (`coffee`)",
        ),
    ],
    ids=["event", "ruling", "poll", "quote-by-case"],
)
def test_duplicate_id_names_its_collection(
    tmp_path: Path, file: str, old: str, new: str, expected: str
) -> None:
    found = golden_errors(tmp_path, file, old, new)
    assert f"{expected} — give each item its own id" in found


def test_duplicate_conflict_id_is_refused(tmp_path: Path) -> None:
    conflict = "  - id: hearing-month\n    title: T\n    text: X\n    sources: [gazette-2020]\n"
    assert golden_errors(tmp_path, "case.yaml", "conflicts:\n", "conflicts:\n" + conflict) == [
        "case.yaml:25:9: duplicate conflict id `hearing-month`"
    ]


def test_duplicate_id_after_an_item_that_is_not_a_mapping_is_found(tmp_path: Path) -> None:
    party = "- just a word\n- id: zoe-oconnor\n  name: Z\n  kind: person\n  role: R\n"
    assert golden_errors(tmp_path, "parties.yaml", "- id: vg\n", party + "- id: vg\n") == [
        "parties.yaml:19:3: expected a mapping of fields for a party, found the value"
        " `just a word` — write `field: value` lines",
        "parties.yaml:20:7: duplicate party id `zoe-oconnor`: parties.yaml:12:7 has the same id"
        " — give each item its own id",
    ]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "events.yaml",
            "- id: hearing\n",
            "- id: party\n",
            "events.yaml:8:7: `party` cannot be an event id: the timeline's filters and pages use"
            " that address",
        ),
        (
            "events.yaml",
            "- id: hearing\n",
            "- id: page\n",
            "events.yaml:8:7: `page` cannot be an event id: the timeline's filters and pages use"
            " that address",
        ),
    ],
    ids=["party", "page"],
)
def test_reserved_event_id_is_refused(
    tmp_path: Path, file: str, old: str, new: str, expected: str
) -> None:
    assert golden_errors(tmp_path, file, old, new) == [f"{expected} — choose another id"]


def test_number_in_a_field_with_another_mistake_is_reported_once(tmp_path: Path) -> None:
    """`010` where a list belongs: the list error says it all, not a second "octal" error."""
    assert golden_errors(tmp_path, "rulings.yaml", "judges: judge-jurgen", "judges: 010") == [
        "rulings.yaml:5:11: `judges` should be a list, not the value `010`"
        " — write each entry on a line starting with `- `"
    ]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "rulings.yaml",
            "  sources: [gazette-2020]",
            "  sources: yes",
            "rulings.yaml:12:12: `sources` should be a list, not the value `yes`"
            " — write each entry on a line starting with `- `",
        ),
        (
            "rulings.yaml",
            "  sources: [gazette-2020]",
            "  sources: ~",
            "rulings.yaml:12:12: `sources` should be a list, not nothing"
            " — write each entry on a line starting with `- `",
        ),
        (
            "polls.yaml",
            "fieldwork: {start: 2020-05-01, end: 2020-05-03}",
            "fieldwork: 0x10",
            "polls.yaml:4:14: `fieldwork` should be a mapping of fields, not the value `0x10`",
        ),
    ],
    ids=["yes-for-a-list", "null-for-a-list", "hexadecimal-for-a-mapping"],
)
def test_value_of_the_wrong_shape_is_shown_as_written(
    tmp_path: Path, file: str, old: str, new: str, expected: str
) -> None:
    assert golden_errors(tmp_path, file, old, new) == [expected]


def test_surprising_number_is_reported_beside_a_mistake_in_an_earlier_field(
    tmp_path: Path,
) -> None:
    old = "speaker_role: Presiding judge"
    assert golden_errors(tmp_path, "quotes/licence.yaml", old, "speaker_role: 12\nkey: 0b1") == [
        "quotes/licence.yaml:4:15: `speaker_role` should be text, but YAML reads `12` as a"
        ' number — put it in quotes: "12"',
        "quotes/licence.yaml:5:6: `key`: YAML reads `0b1` as the binary number 1 — write the"
        " number in decimal digits, or put the value in quotes",
    ]


def test_validated_content_cannot_be_changed(tmp_path: Path) -> None:
    content = validate_content(load_content(GOLDEN))
    case = content.cases[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        content.site = content.site  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        case.slug = "other"  # type: ignore[misc]
    assert isinstance(content.cases, tuple)


def test_valid_case_keeps_each_collection_in_the_order_written() -> None:
    case = validate_content(load_content(GOLDEN)).cases[0]
    ids = {
        name: tuple(item.id for item in getattr(case, name))
        for name in ("parties", "rulings", "events", "quotes", "polls", "sources")
    }
    assert ids == {
        "parties": (
            "stadt-munchen",
            "cafe-nandu",
            "zoe-oconnor",
            "vg",
            "judge-jurgen",
            "umfrage-institut",
        ),
        "rulings": ("first-instance",),
        "events": ("licence-granted", "hearing", "ruling"),
        "quotes": ("coffee", "licence"),
        "polls": ("cafe-poll",),
        "sources": ("gazette-2020", "blog-2021"),
    }
    assert all(isinstance(getattr(case, name), tuple) for name in ids)


FIELDWORK = "fieldwork: {start: 2020-05-01, end: 2020-05-03}"


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "case.yaml",
            "tags: [licensing, fiction]",
            "tags: [Licensing, fiction]",
            "case.yaml:13:8: `Licensing` is not a valid id"
            " — use lowercase letters, digits and hyphens, e.g. `licensing`",
        ),
        (
            "site.yaml",
            "language: en",
            "language: EN",
            "site.yaml:3:11: `EN` is not a valid language — language of the content (BCP 47)",
        ),
        (
            "case.yaml",
            "tags: [licensing, fiction]",
            "tags: ['', fiction]",
            "case.yaml:13:8: `tags` is empty",
        ),
        (
            "polls.yaml",
            FIELDWORK,
            "fieldwork: {start: 2020-05-01}",
            "polls.yaml:4:14: missing field `end`"
            " — last day of interviews (the same as start for one day)",
        ),
        (
            "polls.yaml",
            FIELDWORK,
            "fieldwork: {start: 2020-05-01, end: 2020-05-03, ende: 2020-05-04}",
            "polls.yaml:4:51: unknown field `ende` — did you mean `end`?",
        ),
        (
            "polls.yaml",
            "          percent: 61",
            "          percent: yes",
            "polls.yaml:12:20: `percent` should be a number, but YAML reads `yes` as true"
            " — write the number",
        ),
        (
            "polls.yaml",
            "          percent: 61",
            "          percent: -1",
            "polls.yaml:12:20: `percent` should be at least 0, not `-1`",
        ),
        (
            "polls.yaml",
            "  sample_size: 500",
            "  sample_size: 1.5",
            "polls.yaml:6:16: `sample_size` should be a number, not `1.5`",
        ),
        (
            "polls.yaml",
            "  sample_size: 500",
            "  sample_size: [500]",
            "polls.yaml:6:16: `sample_size` should be a number, not a list",
        ),
        (
            "polls.yaml",
            "  sample_size: 500",
            "  sample_size: 500\n  margin_of_error: lots",
            "polls.yaml:7:20: `margin_of_error` should be a number, not `lots`",
        ),
        (
            "polls.yaml",
            "  sample_size: 500",
            "  sample_size: 500\n  margin_of_error: {value: 3}",
            "polls.yaml:7:20: `margin_of_error` should be a number, not a mapping",
        ),
        (
            "quotes/coffee.yaml",
            "key: true",
            "key: 2",
            "quotes/coffee.yaml:7:6: `key` should be true or false, not `2`",
        ),
        (
            "quotes/coffee.yaml",
            "key: true",
            "key: [yes]",
            "quotes/coffee.yaml:7:6: `key` should be true or false, not a list",
        ),
    ],
    ids=[
        "slug-of-a-reference",
        "pattern-of-a-setting",
        "empty-item-of-a-list",
        "missing-nested-field",
        "unknown-nested-field",
        "yes-for-a-nested-number",
        "below-a-bound",
        "fraction-for-a-count",
        "list-for-a-count",
        "word-for-a-fraction",
        "mapping-for-a-fraction",
        "number-for-true-or-false",
        "list-for-true-or-false",
    ],
)
def test_field_mistake_is_worded_for_its_kind(
    tmp_path: Path, file: str, old: str, new: str, expected: str
) -> None:
    assert golden_errors(tmp_path, file, old, new) == [expected]


def test_item_of_a_list_without_a_hint_has_an_empty_hint(tmp_path: Path) -> None:
    root = golden_with(tmp_path, "case.yaml", "tags: [licensing, fiction]", "tags: ['']")
    with pytest.raises(ContentErrors) as caught:
        validate_content(load_content(root))
    assert [(e.message, e.hint) for e in caught.value.errors] == [("`tags` is empty", "")]


def test_true_or_false_in_a_nested_date_of_a_poll_is_not_taken_for_a_number(
    tmp_path: Path,
) -> None:
    new = "fieldwork: {start: {date: 2020-05-01, approximate: yes}, end: 2020-05-03}"
    root = golden_with(tmp_path, "polls.yaml", FIELDWORK, new)
    (case,) = validate_content(load_content(root)).cases
    assert case.polls[0].fieldwork.start.approximate is True  # type: ignore[union-attr]


def test_true_or_false_field_beside_a_surprising_number_is_not_taken_for_a_number(
    tmp_path: Path,
) -> None:
    """A document with `010` in it has all its numbers and booleans looked at; `key: true`
    is no number field."""
    old = "venue: Outside the courthouse"
    assert golden_errors(tmp_path, "quotes/coffee.yaml", old, "venue: 010") == [
        "quotes/coffee.yaml:5:8: `venue` should be text, but YAML reads `010` as a number"
        ' — put it in quotes: "010"'
    ]


def test_union_branch_names_pydantic_adds_are_left_out_of_a_location() -> None:
    """No field of the models is a union today; should one be, its errors still read cleanly."""

    class Either(BaseModel):
        value: int | list[str]
        other: Annotated[str, BeforeValidator(lambda value: value)] | int
        third: str | None | list[str]

    with pytest.raises(ValidationError) as caught:
        Either.model_validate({"value": "x", "other": [1], "third": 3})
    locations = [detail["loc"] for detail in caught.value.errors()]
    assert {tuple(p for p in loc if not _is_internal(p)) for loc in locations} == {
        ("value",),
        ("other",),
        ("third",),
    }
    assert {len(loc) for loc in locations} == {2}
