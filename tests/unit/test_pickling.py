"""Dataclasses pickled as their constructor's arguments come back equal, and of their kind."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass, field

import pytest

from generator.plan.embeds import Embed
from generator.plan.languages import TextLanguage
from generator.plan.pickling import pickled_as_arguments
from generator.plan.quote_lists import QuoteFilter
from generator.plan.share import ShareLinks
from generator.plan.share_cards import CardImage
from generator.plan.site_pages import SearchLink


@pickled_as_arguments
@dataclass(frozen=True, slots=True)
class _One:
    value: str


ITEMS = [
    SearchLink("Title", "q/1/", "detail", None, None),
    Embed("q/1/", "Title", 300, "https://example.org/", "Site", "q/1/oembed.json", True),
    CardImage("https://example.org/q/1/card.png", "Alt"),
    ShareLinks(("a", "b"), ("https://example.org/", "q/1/"), "E-mail"),
    QuoteFilter("2014", "quotes/2014/", 3),
    _One("alone"),
]


@pytest.mark.parametrize("item", ITEMS, ids=lambda item: type(item).__name__)
def test_an_item_comes_back_equal_without_asking_for_its_fields(
    item: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)

    def fields(*_: object) -> None:
        raise AssertionError("restored field by field")

    monkeypatch.setattr(dataclasses, "fields", fields)
    again = pickle.loads(data)
    assert type(again) is type(item)
    assert again == item
    assert hasattr(again, "__dict__") == hasattr(item, "__dict__")


def test_shared_values_stay_shared() -> None:
    language = TextLanguage("de", "ltr")
    links = [SearchLink("A", "a/", None, language), SearchLink("B", "b/", None, language)]
    again = pickle.loads(pickle.dumps(links, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == links
    assert again[0].language is again[1].language


def test_a_class_not_made_from_its_fields_alone_is_refused() -> None:
    @dataclass(frozen=True, slots=True)
    class Derived:
        value: str
        length: int = field(init=False, default=0)

    @dataclass(frozen=True)
    class Checked:
        value: str

        def __post_init__(self) -> None:
            pass

    for cls in (Derived, Checked):
        with pytest.raises(TypeError, match="not made from its fields"):
            pickled_as_arguments(cls)
