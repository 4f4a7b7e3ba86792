"""Share cards: PNG form, determinism, layout within bounds at any length, contrast, fonts."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import random
import struct
import subprocess
import sys
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from generator.plan.card_text import (
    ALT_TEXT_LIMIT,
    CARD_HEIGHT,
    CARD_WIDTH,
    ELLIPSIS,
    CardText,
    alt_text,
    case_card_text,
    event_card_text,
    quote_card_text,
    site_card_text,
)
from generator.render import cards
from generator.render.cards import (
    BYLINE_BOX,
    FOOTER_LINE_BOX,
    HEADLINE_BOX,
    HEADLINE_SIZES,
    KICKER_BOX,
    CardLayout,
    card_fingerprint,
    draw_card,
    layout_card,
)
from tests.conftest import REPO

QUOTE = quote_card_text(
    "The warrant is a hybrid: part search warrant and part subpoena.",
    "James C. Francis IV",
    "Magistrate Judge, S.D.N.Y.",
    "25 April 2014",
    "Microsoft Ireland",
    "Case Explainers",
)
LONG_WORDS = "court held that a warrant reaches data stored abroad when the provider controls it"


def _assert_within_bounds(layout: CardLayout) -> None:
    for line in layout.headline:
        assert HEADLINE_BOX.contains(line.box), (line, HEADLINE_BOX)
    for line in layout.footer:
        assert BYLINE_BOX.contains(line.box) or FOOTER_LINE_BOX.contains(line.box), line
    assert len(layout.kicker) <= 1
    for line in layout.kicker:
        assert KICKER_BOX.contains(line.box), (line, KICKER_BOX)
    for upper, lower in zip(layout.headline, layout.headline[1:], strict=False):
        assert upper.y < lower.y
    footer_line = sorted(line.box for line in layout.footer if line.y >= FOOTER_LINE_BOX.top)
    for left, right in zip(footer_line, footer_line[1:], strict=False):
        assert left.right <= right.left, "the case title runs into the site name"


# --- the PNG -------------------------------------------------------------------------------


def test_card_is_a_png_of_card_size() -> None:
    data = draw_card(QUOTE)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (CARD_WIDTH, CARD_HEIGHT) == (1200, 630)
    assert zlib.crc32(data[12:29]) == struct.unpack(">I", data[29:33])[0]
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        assert image.size == (1200, 630)
        assert image.format == "PNG"


def test_card_has_only_the_chunks_it_needs() -> None:
    data = draw_card(QUOTE)
    kinds = []
    offset = 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        kinds.append(kind)
        offset += 12 + length
    assert kinds == [b"IHDR", b"PLTE", b"IDAT", b"IEND"]
    assert offset == len(data)


def test_same_text_gives_same_bytes_within_and_across_processes() -> None:
    first = draw_card(QUOTE)
    assert draw_card(dataclasses.replace(QUOTE)) == first
    script = (
        "import hashlib, sys; from generator.plan.card_text import CardText; "
        "from generator.render.cards import draw_card; "
        "text = CardText(*sys.argv[1:6], quoted=True); "
        "print(hashlib.sha256(draw_card(text)).hexdigest())"
    )
    fields = [QUOTE.headline, QUOTE.byline, QUOTE.case_title, QUOTE.site_name, QUOTE.kicker]
    done = subprocess.run(
        [sys.executable, "-c", script, *fields],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout.strip() == hashlib.sha256(first).hexdigest()


@pytest.mark.parametrize("field", ["headline", "byline", "case_title", "site_name", "kicker"])
def test_changing_any_field_changes_the_bytes(field: str) -> None:
    changed = dataclasses.replace(QUOTE, **{field: getattr(QUOTE, field) + " Again"})
    assert draw_card(changed) != draw_card(QUOTE)


def test_quoted_headline_is_drawn_in_the_serif_the_pages_give_quotes() -> None:
    layout = layout_card(QUOTE)
    assert all(line.serif and not line.bold for line in layout.headline)
    plain = layout_card(dataclasses.replace(QUOTE, quoted=False))
    assert not any(line.serif for line in plain.headline)
    assert draw_card(dataclasses.replace(QUOTE, quoted=False)) != draw_card(QUOTE)
    web_font = REPO / "templates/static/fonts/dejavu-serif-latin.woff2"
    assert web_font.is_file() and (web_font.parent / "LICENSE.txt").is_file()
    assert cards.SERIF_FONT.name == "DejaVuSerif.ttf"


def test_quote_date_is_drawn_once_above_the_words_beside_the_accent_rule() -> None:
    layout = layout_card(QUOTE)
    (kicker,) = layout.kicker
    assert kicker.text == "25 April 2014"
    assert kicker.box.bottom <= layout.headline[0].box.top
    assert kicker.x > cards.ACCENT_RULE.right
    assert kicker.y < cards.ACCENT_RULE.top < cards.ACCENT_RULE.bottom < kicker.box.bottom
    assert layout_card(dataclasses.replace(QUOTE, kicker="")).kicker == ()
    long_date = layout_card(dataclasses.replace(QUOTE, kicker="x " * 200))
    _assert_within_bounds(long_date)
    assert long_date.kicker[0].text.endswith(ELLIPSIS)


# --- layout at any length ------------------------------------------------------------------


def test_long_quote_takes_the_smallest_size_and_is_cut_at_a_word_with_an_ellipsis() -> None:
    words = (LONG_WORDS.split() * 30)[:400]
    text = quote_card_text(" ".join(words), "Ada Adler", None, "2014", "Case", "Site")
    layout = layout_card(text)
    _assert_within_bounds(layout)
    assert layout.truncated
    assert layout.headline_size == HEADLINE_SIZES[-1]
    last = layout.headline[-1].text
    assert last.endswith(ELLIPSIS + "”")
    assert last[: -len(ELLIPSIS + "”")].split(" ")[-1] in words
    shown = " ".join(line.text for line in layout.headline)[1 : -len(ELLIPSIS + "”")].split()
    assert shown == words[: len(shown)]


def test_short_quote_takes_the_largest_size_uncut() -> None:
    text = quote_card_text("We will appeal.", "Brad Smith", None, "2014", "Case", "Site")
    layout = layout_card(text)
    assert layout.headline_size == HEADLINE_SIZES[0]
    assert not layout.truncated
    assert [line.text for line in layout.headline] == ["“We will appeal.”"]


def test_lines_are_filled_greedily_and_never_overflow() -> None:
    from PIL import ImageFont

    rng = random.Random(5)
    vocabulary = LONG_WORDS.split() + ["jurisdiction", "a", "I", "of", "extraterritoriality"]
    for _ in range(150):
        words = [rng.choice(vocabulary) for _ in range(rng.randint(1, 70))]
        layout = layout_card(CardText(" ".join(words), "", "", ""))
        _assert_within_bounds(layout)
        if layout.truncated:
            continue
        first = layout.headline[0]
        path = cards.BOLD_FONT if first.bold else cards.REGULAR_FONT
        font = ImageFont.truetype(str(path), first.size, layout_engine=ImageFont.Layout.BASIC)
        for line, following in zip(layout.headline, layout.headline[1:], strict=False):
            longer = f"{line.text} {following.text.split(' ')[0]}"
            assert font.getlength(longer) > HEADLINE_BOX.width - 1, "a word was moved down early"


def test_unbroken_word_is_broken_into_lines_within_the_box() -> None:
    word = "".join(chr(ord("a") + i % 26) for i in range(300))
    layout = layout_card(event_card_text(word, "27 February 2018", "Case", "Site"))
    _assert_within_bounds(layout)
    assert len(layout.headline) > 1
    assert "".join(line.text for line in layout.headline) == word


def test_url_in_a_long_footer_is_cut_within_the_footer() -> None:
    url = "https://example.org/" + "x" * 200
    text = CardText(headline="Title", byline=url, case_title=url, site_name=url)
    layout = layout_card(text)
    _assert_within_bounds(layout)
    assert len(layout.footer) == 3
    assert all(line.text.endswith(ELLIPSIS) for line in layout.footer)


def test_empty_and_blank_text_draws_a_card_without_lines() -> None:
    text = CardText(headline="", byline="   ", case_title="\n\t", site_name="\u200b")
    layout = layout_card(text)
    assert layout.headline == () and layout.footer == ()
    assert draw_card(text)[:8] == b"\x89PNG\r\n\x1a\n"


def test_control_and_format_characters_are_dropped() -> None:
    layout = layout_card(CardText("a\x00b\u200bc\x1bd\ud800", "", "", ""))
    assert [line.text for line in layout.headline] == ["abcd"]


def test_decomposed_accents_are_composed() -> None:
    layout = layout_card(CardText("Zu\u0308rich", "", "", ""))
    assert [line.text for line in layout.headline] == ["Zürich"]


def test_font_covers_greek_cyrillic_and_accented_latin() -> None:
    def card(headline: str) -> bytes:
        return draw_card(CardText(headline, "", "", ""))

    # Characters the fonts lack are all drawn as the same box, without failing:
    missing = card("中")
    assert card("丁") == missing == card("\U0001f600")
    for covered in ["Ж", "я", "λ", "Ω", "ά", "ő", "ł", "ș", "é", "“"]:
        assert card(covered) != missing, covered


@pytest.mark.parametrize("quoted", [False, True])
@pytest.mark.parametrize(
    "headline",
    [QUOTE.headline, "Η προστασία των δεδομένων — Суд постановил: “AV To Wa Ty”", "x" * 90],
)
def test_headline_is_drawn_as_pillow_draws_the_lines(headline: str, quoted: bool) -> None:
    from PIL import ImageDraw, ImageFont

    text = CardText(headline, "", "", "", quoted=quoted)
    with Image.open(io.BytesIO(draw_card(text))) as image:
        drawn = image.crop(HEADLINE_BOX).tobytes()
    expected = Image.new("P", (CARD_WIDTH, CARD_HEIGHT), 15)
    pen = ImageDraw.Draw(expected)
    pen.fontmode = "L"  # blend the palette indices, as the card does
    for line in layout_card(text).headline:
        path = cards.SERIF_FONT if quoted else cards.BOLD_FONT if line.bold else cards.REGULAR_FONT
        font = ImageFont.truetype(str(path), line.size, layout_engine=ImageFont.Layout.BASIC)
        pen.text((line.x, line.y), line.text, fill=1, font=font)
    assert drawn == expected.crop(HEADLINE_BOX).tobytes()


text_fields = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=600
) | st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzÆØΩЖ/:.-", min_size=0, max_size=400),
    max_size=30,
).map(" ".join)


@settings(max_examples=30, deadline=None)
@given(text_fields, text_fields, text_fields, text_fields, text_fields, st.booleans())
def test_layout_never_overflows(
    headline: str, byline: str, case_title: str, site: str, kicker: str, quoted: bool
) -> None:
    text = CardText(headline, byline, case_title, site, kicker, quoted)
    _assert_within_bounds(layout_card(text))


# --- colours, fingerprint, alt text, import ------------------------------------------------


def _luminance(colour: tuple[int, int, int]) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    lighter, darker = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_every_text_colour_reaches_wcag_contrast_on_its_background() -> None:
    assert len(cards.TEXT_ON_BACKGROUND) == 5
    for text, background in cards.TEXT_ON_BACKGROUND:
        assert _contrast(text, background) >= 4.5, (text, background)


def test_card_is_drawn_in_the_colours_the_constants_name() -> None:
    with Image.open(io.BytesIO(draw_card(QUOTE))) as image:
        rgb = image.convert("RGB")
    layout = layout_card(QUOTE)

    def darkest(box: tuple[int, int, int, int]) -> tuple[int, int, int]:
        colours = rgb.crop(box).getcolors(4096)
        assert colours
        return min((colour for _, colour in colours), key=_luminance)

    assert rgb.getpixel((5, 5)) == cards.BACKGROUND_COLOUR
    assert rgb.getpixel((5, CARD_HEIGHT - 5)) == cards.FOOTER_BACKGROUND_COLOUR
    assert rgb.getpixel((cards.ACCENT_RULE.left + 1, cards.ACCENT_RULE.top + 1)) == cards.ACCENT
    assert darkest(layout.headline[0].box) == cards.HEADLINE_COLOUR
    assert darkest(layout.kicker[0].box) == cards.KICKER_COLOUR
    byline, case_title, site_name = layout.footer
    assert darkest(byline.box) == cards.BYLINE_COLOUR
    assert darkest(case_title.box) == cards.CASE_TITLE_COLOUR
    assert darkest(site_name.box) == cards.SITE_NAME_COLOUR


@pytest.mark.parametrize("field", ["headline", "byline", "case_title", "site_name", "kicker"])
def test_fingerprint_changes_with_any_field(field: str) -> None:
    changed = dataclasses.replace(QUOTE, **{field: getattr(QUOTE, field) + "x"})
    assert card_fingerprint(changed) != card_fingerprint(QUOTE)
    assert card_fingerprint(dataclasses.replace(QUOTE)) == card_fingerprint(QUOTE)


def test_fingerprint_changes_with_the_face_of_the_headline() -> None:
    assert card_fingerprint(dataclasses.replace(QUOTE, quoted=False)) != card_fingerprint(QUOTE)


def test_fingerprint_covers_the_serif_font(monkeypatch: pytest.MonkeyPatch) -> None:
    before = card_fingerprint(QUOTE)
    cards._setup_digest.cache_clear()
    monkeypatch.setattr(cards, "SERIF_FONT", cards.REGULAR_FONT)
    try:
        assert card_fingerprint(QUOTE) != before
    finally:
        cards._setup_digest.cache_clear()


def test_fingerprint_does_not_confuse_text_moved_between_fields() -> None:
    assert card_fingerprint(CardText("ab", "c", "", "")) != card_fingerprint(
        CardText("a", "bc", "", "")
    )


def test_fingerprint_covers_the_drawing_version(monkeypatch: pytest.MonkeyPatch) -> None:
    before = card_fingerprint(QUOTE)
    cards._setup_digest.cache_clear()
    monkeypatch.setattr(cards, "DRAWING_VERSION", cards.DRAWING_VERSION + 1)
    try:
        assert card_fingerprint(QUOTE) != before
    finally:
        cards._setup_digest.cache_clear()


def test_quote_card_text_quotes_the_words_and_names_the_speaker() -> None:
    assert QUOTE.headline == "“The warrant is a hybrid: part search warrant and part subpoena.”"
    assert QUOTE.byline == "— James C. Francis IV, Magistrate Judge, S.D.N.Y."
    assert QUOTE.kicker == "25 April 2014" and QUOTE.quoted
    assert quote_card_text("Yes.", "Ada", None, "2014", "C", "S").byline == "— Ada"


def test_alt_text_says_what_the_card_shows() -> None:
    assert alt_text(QUOTE) == (
        "“The warrant is a hybrid: part search warrant and part subpoena.” — James C. "
        "Francis IV, Magistrate Judge, S.D.N.Y. 25 April 2014. Microsoft Ireland. Case Explainers"
    )
    event = event_card_text("Argument heard", "27 February 2018", "Microsoft Ireland", "Site")
    assert alt_text(event) == "Argument heard. 27 February 2018. Microsoft Ireland. Site"


def test_case_card_text_says_the_status_and_the_last_update_over_the_official_name() -> None:
    text = case_card_text("Microsoft Ireland", "resolved", "27 November 2026", "In re W.", "Site")
    assert text == CardText(
        "Microsoft Ireland", "Resolved, last updated 27 November 2026", "In re W.", "Site"
    )
    assert alt_text(text) == (
        "Microsoft Ireland. Resolved, last updated 27 November 2026. In re W. Site"
    )
    assert case_card_text("A case", "ongoing", None, None, "Site") == CardText(
        "A case", "Ongoing", "", "Site"
    )


def test_site_card_text_leads_with_the_description_and_names_the_address_once() -> None:
    text = site_card_text("Case Explainers", "Cases explained.", "https://example.org/x/")
    assert text == CardText("Cases explained.", "Case Explainers", "example.org/x", "")
    assert alt_text(text) == "Cases explained. Case Explainers. example.org/x"
    layout = layout_card(text)
    _assert_within_bounds(layout)
    assert [line.text for line in layout.footer] == ["Case Explainers", "example.org/x"]


def test_alt_text_of_a_long_quote_is_cut_at_a_word() -> None:
    text = quote_card_text(" ".join([LONG_WORDS] * 20), "Ada", None, "2014", "Case", "Site")
    described = alt_text(text)
    assert len(described) <= ALT_TEXT_LIMIT
    assert described.endswith(ELLIPSIS)
    assert described[:-1].split(" ")[-1] in LONG_WORDS.split() + ["“court"]


def test_importing_the_module_does_not_import_pillow() -> None:
    script = "import sys, generator.render.cards; print('PIL' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout.strip() == "False"
