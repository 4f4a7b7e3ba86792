"""Share cards in a right-to-left language: shaped by Raqm (letters joined, ligatures
formed, runs ordered), lines ending at the right of a mirrored card, and, without Raqm, the
way of other cards."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFont, features

from generator.plan.card_text import (
    CARD_HEIGHT,
    CARD_WIDTH,
    ELLIPSIS,
    CardPicture,
    CardText,
    event_card_text,
    quote_card_text,
)
from generator.render import cards
from generator.render.cards import (
    ACCENT,
    ACCENT_RULE,
    BACKGROUND_COLOUR,
    BYLINE_BOX,
    FOOTER_LINE_BOX,
    HEADLINE_BOX,
    KICKER_BOX,
    PICTURE_BOX,
    CardLayout,
    card_fingerprint,
    draw_card,
    layout_card,
)

pytestmark = pytest.mark.skipif(not features.check("raqm"), reason="Pillow without Raqm")

PEACE = "السلام عليكم"
"""Two words whose letters join (and a lam-alef)."""
TITLE = "الدائرة الثانية تحكم لصالح مايكروسوفت"
EVENT = event_card_text(TITLE, "14 يوليو 2016", "مايكروسوفت أيرلندا", "Case Explainers", None, "ar")


def _mirrored(box: cards.Box) -> cards.Box:
    return cards.Box(CARD_WIDTH - box.right, box.top, CARD_WIDTH - box.left, box.bottom)


def _pixels(png: bytes) -> Image.Image:
    with Image.open(io.BytesIO(png)) as image:
        return image.convert("RGB")


def _ink(image: Image.Image, box: cards.Box) -> tuple[int, int, int, int]:
    """The bounding box, in card coordinates, of what is drawn in `box` (not background)."""
    region = image.crop(box)
    background = Image.new("RGB", region.size, BACKGROUND_COLOUR)
    from PIL import ImageChops

    found = ImageChops.difference(region, background).getbbox()
    assert found is not None, "nothing drawn"
    left, top, right, bottom = found
    return (box.left + left, box.top + top, box.left + right, box.top + bottom)


def _raqm(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    path = cards.SHAPED_BOLD_FONT if bold else cards.SHAPED_REGULAR_FONT
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)


def _isolated(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    """The same font laid out a glyph at a time: each letter in its isolated form."""
    path = cards.SHAPED_BOLD_FONT if bold else cards.SHAPED_REGULAR_FONT
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


def test_arabic_headline_is_drawn_as_raqm_shapes_and_orders_it() -> None:
    text = dataclasses.replace(EVENT, headline=PEACE + " " + TITLE)
    layout = layout_card(text)
    assert layout.headline and all(line.direction == "rtl" for line in layout.headline)
    drawn = _pixels(draw_card(text)).crop(HEADLINE_BOX)
    expected = Image.new("P", (CARD_WIDTH, CARD_HEIGHT), 15)
    pen = ImageDraw.Draw(expected)
    pen.fontmode = "L"  # blend the palette indices, as the card does
    for line in layout.headline:
        font = _raqm(line.bold, line.size)
        pen.text((line.x, line.y), line.text, fill=1, font=font, direction="rtl", language="ar")
    expected.putpalette(cards._PALETTE)
    assert drawn.tobytes() == expected.convert("RGB").crop(HEADLINE_BOX).tobytes()


def test_arabic_letters_are_joined_and_lam_alef_is_one_ligature() -> None:
    line = layout_card(dataclasses.replace(EVENT, headline=PEACE)).headline[0]
    isolated = _isolated(line.bold, line.size)
    # joined letters take their narrower initial and medial forms
    assert line.width < isolated.getlength(line.text) - 20
    # lam-alef is one glyph, narrower than the lam alone
    raqm = _raqm(True, 60)
    assert raqm.getlength("لا", direction="rtl", language="ar") < raqm.getlength("ل")
    assert raqm.getlength("لا", direction="rtl", language="ar") < isolated.getlength("لا")


def test_line_breaks_are_measured_by_the_engine_that_draws_them() -> None:
    text = dataclasses.replace(EVENT, headline=" ".join([TITLE] * 6))
    layout = layout_card(text)
    assert len(layout.headline) > 1
    for line in layout.headline:
        font = _raqm(line.bold, line.size)
        width = font.getlength(line.text, direction="rtl", language="ar")
        assert line.width == int(-(-width // 1)) <= HEADLINE_BOX.width
    words = [line.text.split(" ") for line in layout.headline]
    for line, following in zip(layout.headline, words[1:], strict=False):
        font = _raqm(line.bold, line.size)
        longer = line.text + " " + following[0]
        assert font.getlength(longer, direction="rtl", language="ar") > HEADLINE_BOX.width


def test_arabic_card_is_mirrored_its_lines_ending_at_the_right() -> None:
    layout = layout_card(EVENT)
    byline, case_title, site_name = layout.footer
    for line in (*layout.headline, byline, case_title):
        assert line.direction == "rtl"
    assert site_name.direction == "ltr"  # "Case Explainers"
    for line in layout.headline:
        assert line.box.right == HEADLINE_BOX.right
    assert byline.box.right == BYLINE_BOX.right
    assert case_title.box.right == FOOTER_LINE_BOX.right
    assert site_name.x == FOOTER_LINE_BOX.left
    image = _pixels(draw_card(EVENT))
    left, _, right, _ = _ink(image, HEADLINE_BOX)
    assert HEADLINE_BOX.right - right < 8 and left - HEADLINE_BOX.left > 100
    rule = _mirrored(ACCENT_RULE)
    assert image.getpixel((rule.left + 2, rule.top + 2)) == ACCENT
    assert image.getpixel((ACCENT_RULE.left + 2, ACCENT_RULE.top + 2)) == BACKGROUND_COLOUR


def test_quote_date_stands_left_of_the_mirrored_accent_rule() -> None:
    text = quote_card_text("نص", "متحدث", None, "24 يناير 2017", "قضية", "موقع", "ar")
    (kicker,) = layout_card(text).kicker
    assert kicker.box.right == _mirrored(KICKER_BOX).right < _mirrored(ACCENT_RULE).left


def test_english_words_on_an_arabic_card_read_left_to_right_in_the_serif() -> None:
    text = quote_card_text(
        "It is overdue for a congressional revision.",
        "Susan L. Carney",
        "Circuit Judge",
        "24 يناير 2017",
        "مايكروسوفت أيرلندا",
        "Case Explainers",
        "ar",
    )
    layout = layout_card(text)
    assert all(line.direction == "ltr" and line.serif for line in layout.headline)
    assert all(line.box.right == HEADLINE_BOX.right for line in layout.headline)
    assert layout.kicker[0].direction == "rtl"
    assert layout.footer[0].direction == "ltr"  # "— Susan L. Carney, …": its ellipsis at its end
    arabic = layout_card(dataclasses.replace(text, headline="«ليس بعد»"))
    assert not any(line.serif for line in arabic.headline)  # DejaVu Serif has no Arabic


def _within_mirrored_bounds(layout: CardLayout) -> None:
    for line in layout.headline:
        assert HEADLINE_BOX.contains(line.box), line
    for line in layout.footer:
        assert BYLINE_BOX.contains(line.box) or FOOTER_LINE_BOX.contains(line.box), line


def test_long_arabic_text_is_cut_within_the_mirrored_boxes() -> None:
    long = dataclasses.replace(
        EVENT, headline=" ".join([TITLE] * 40), byline=" ".join([TITLE] * 5), case_title=TITLE * 9
    )
    layout = layout_card(long)
    assert layout.truncated and layout.headline[-1].text.endswith(ELLIPSIS)
    _within_mirrored_bounds(layout)
    unbroken = layout_card(dataclasses.replace(EVENT, headline="مايكروسوفت" * 30))
    assert len(unbroken.headline) > 1
    _within_mirrored_bounds(unbroken)


def test_arabic_picture_stands_on_the_left_its_headline_beside_it() -> None:
    picture = CardPicture("p.png", "المصدر", "")
    text = dataclasses.replace(EVENT, picture=picture)
    box = _mirrored(cards.PICTURE_HEADLINE_BOX)
    assert all(box.contains(line.box) for line in layout_card(text).headline)
    red = io.BytesIO()
    Image.new("RGB", (880, 600), (200, 0, 0)).save(red, "PNG")
    image = _pixels(draw_card(text, red.getvalue()))
    assert image.getpixel((40, 200)) == (200, 0, 0)
    assert image.getpixel((PICTURE_BOX.left + 200, 200)) == BACKGROUND_COLOUR


def test_fingerprint_of_a_shaped_card_covers_its_fonts_and_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    english = CardText("Microsoft Ireland", "2016", "", "")
    before, english_before = card_fingerprint(EVENT), card_fingerprint(english)
    assert card_fingerprint(dataclasses.replace(EVENT, language="fa")) != before
    cards._shaped_setup_digest.cache_clear()
    monkeypatch.setattr(cards, "SHAPED_FONTS", (cards.SHAPED_REGULAR_FONT,))
    try:
        assert card_fingerprint(EVENT) != before
        assert card_fingerprint(english) == english_before  # the English cards stay cached
    finally:
        cards._shaped_setup_digest.cache_clear()


@pytest.fixture
def without_raqm(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Pillow as if built without Raqm."""
    check = features.check
    monkeypatch.setattr(features, "check", lambda name: False if name == "raqm" else check(name))
    cards.shapes_text.cache_clear()
    yield
    cards.shapes_text.cache_clear()


@pytest.mark.usefixtures("without_raqm")
def test_without_raqm_arabic_is_laid_out_as_other_cards() -> None:
    assert not cards.shapes_text()
    layout = layout_card(EVENT)
    assert all(line.direction == "" and line.x == HEADLINE_BOX.left for line in layout.headline)


arabic_fields = st.lists(
    st.text(
        alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإةىلا٠١٢َُِّْ«»،؟.\u200c\u200d\u200fAz1-", max_size=40
    ),
    max_size=40,
).map(" ".join)


@settings(max_examples=25, deadline=None)
@given(arabic_fields, arabic_fields, arabic_fields, arabic_fields, st.booleans())
def test_arabic_layout_never_overflows_and_draws(
    headline: str, byline: str, case_title: str, kicker: str, quoted: bool
) -> None:
    text = CardText(headline, byline, case_title, "Case Explainers", kicker, quoted, language="ar")
    layout = layout_card(text)
    _within_mirrored_bounds(layout)
    for line in layout.kicker:
        assert _mirrored(KICKER_BOX).contains(line.box), line
    assert draw_card(text).startswith(b"\x89PNG")
