"""The share-card cache: a card is drawn once, read back after, and pruned to one site's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from generator.build.card_store import card_bytes, forget_others, spare_cards
from generator.plan.card_text import CardText
from generator.render.cards import card_fingerprint, draw_card

COFFEE = CardText("“We sell coffee.”", "— Anna Huber, owner", "Café München", "Explainers")
LICENCE = CardText("The licence is granted", "3 March 2021", "Café München", "Explainers")


def test_a_card_is_drawn_once_then_read_from_the_folder(
    tmp_path: Path, drawn_cards: list[CardText]
) -> None:
    first = card_bytes(COFFEE, tmp_path / "cards")
    again = card_bytes(COFFEE, tmp_path / "cards")

    assert drawn_cards == [COFFEE]
    assert again == first == draw_card(COFFEE)
    assert [p.name for p in (tmp_path / "cards").iterdir()] == [card_fingerprint(COFFEE) + ".png"]


def test_another_text_is_another_card(tmp_path: Path, drawn_cards: list[CardText]) -> None:
    card_bytes(COFFEE, tmp_path)
    other = card_bytes(LICENCE, tmp_path)

    assert drawn_cards == [COFFEE, LICENCE]
    assert other == draw_card(LICENCE) != draw_card(COFFEE)


def test_a_damaged_file_is_drawn_again_and_replaced(
    tmp_path: Path, drawn_cards: list[CardText]
) -> None:
    kept = tmp_path / (card_fingerprint(COFFEE) + ".png")
    whole = draw_card(COFFEE)
    kept.write_bytes(whole[: len(whole) // 2])  # a build killed while writing, say

    assert card_bytes(COFFEE, tmp_path) == whole
    assert drawn_cards == [COFFEE]
    assert kept.read_bytes() == whole


def test_no_folder_draws_every_time(drawn_cards: list[CardText]) -> None:
    assert card_bytes(COFFEE, None) == card_bytes(COFFEE, None)
    assert drawn_cards == [COFFEE, COFFEE]


def test_a_folder_that_cannot_be_written_costs_only_drawing_again(
    tmp_path: Path, drawn_cards: list[CardText]
) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")

    assert card_bytes(COFFEE, blocked / "cards") == draw_card(COFFEE)
    assert card_bytes(COFFEE, blocked / "cards") == draw_card(COFFEE)
    assert drawn_cards == [COFFEE, COFFEE]


def test_forgetting_keeps_the_cards_shown_and_removes_the_rest(tmp_path: Path) -> None:
    card_bytes(COFFEE, tmp_path)
    card_bytes(LICENCE, tmp_path)
    strays = spare_cards(1)  # with the two cards, one file more than may stay
    for number in range(strays):
        (tmp_path / f".{number}.part").write_bytes(b"left by a killed build")

    removed = forget_others(tmp_path, [LICENCE], shown=1)

    assert removed == strays + 1
    assert [p.name for p in tmp_path.iterdir()] == [card_fingerprint(LICENCE) + ".png"]


def _unread() -> Iterator[CardText]:
    raise AssertionError("made the texts of the cards shown")
    yield COFFEE


def test_forgetting_leaves_up_to_the_spare_cards_without_making_the_texts(tmp_path: Path) -> None:
    card_bytes(COFFEE, tmp_path)
    card_bytes(LICENCE, tmp_path)
    for number in range(spare_cards(1) - 1):  # with the two cards, as many as may stay
        (tmp_path / f".{number}.part").write_bytes(b"left by a killed build")

    assert forget_others(tmp_path, _unread(), shown=1) == 0
    assert len(list(tmp_path.iterdir())) == 1 + spare_cards(1)


def test_the_spare_cards_are_a_tenth_of_those_shown_and_a_few() -> None:
    assert [spare_cards(shown) for shown in (0, 56, 15_000)] == [16, 21, 1516]


def test_forgetting_in_a_missing_folder_removes_nothing(tmp_path: Path) -> None:
    assert forget_others(tmp_path / "never-made", [COFFEE], shown=0) == 0
