"""Share cards: the 1200×630 PNG a page offers to social networks (og:image).

`CardText` (what `plan.card_text` says a card shows) → `layout_card` → `draw_card`
→ PNG bytes. Layout is arithmetic on font measurements, kept apart from drawing so that tests
check every line's box without decoding pixels.

- **Any length fits.** The headline takes the largest size in `HEADLINE_SIZES` at which it
  wraps into its box; at the smallest it is cut at a word boundary with an ellipsis. A word
  wider than a line (a URL) is broken between characters. The footer lines are single lines,
  cut the same way.
- **Same input, same bytes.** The PNG is written here (IHDR, PLTE, IDAT, IEND, nothing
  else) at a fixed zlib level, so the bytes depend only on the text, the fonts, Pillow's
  FreeType and zlib. `card_fingerprint` covers all of these, for caching cards between
  builds.
- **Cheap.** A card is drawn straight in the 16 indices of its palette, written as a 4-bit
  PNG (half the bytes of 8-bit to compress). Indices 1–15 are even steps from `INK` to
  `PAPER`, so blending two indices, as anti-aliasing does, gives the index of the blended
  colour, rounded to the nearest step; index 0, which blending between ink and paper never
  produces, is the accent. Each glyph is rasterised once per font size and pasted from then
  on, pixel for pixel what Pillow draws for a whole line but about five times faster; word
  widths are sums of the glyphs' advances, so what is measured is exactly what is drawn.
- **Fonts** are DejaVu Sans and DejaVu Sans Bold, subset, in `generator/render/fonts/` with their
  licence, and DejaVu Serif for a quote's words: the face the site's pages show a quote's
  words in (`templates/static/fonts/`), so that the card looks like the page it shares.
  Characters they lack are drawn as a box; control and format characters are dropped.
- **Right to left, and scripts that join.** A card in a language written right to left (or
  in a script whose letters change shape with their neighbours, `needs_shaping`) is laid out
  and drawn by Pillow's Raqm engine, which shapes with HarfBuzz and orders with FriBiDi, in
  DejaVu Sans with its OpenType layout tables (`SHAPED_FONTS`). Lines are measured by the
  same engine that draws them, so that wrapping is exact, and the card is mirrored: lines
  end at the right, the accent rule and a quote's date stand at the top right, a picture
  on the left, the site's name at the bottom left. Without Raqm (`shapes_text`), the plan
  gives such pages the default language's cards. The glyph cache above stays the way of
  every other card.
- **A quote's date** stands above its words, beside the accent rule, as on its page.
- **A picture** (`CardText.picture`: an event's, a ruling's, a party's) fills the right of
  the card above the footer band, cropped to fill it, the headline narrowed beside it, its
  credit in small type on a dark strip along its foot. Such a card is drawn in RGB and
  encoded by Pillow (no metadata, fixed settings), from the processed file's bytes, which
  the caller reads: the same text and file give the same bytes.

Pillow is imported on first use, not with this module, so that `explainer --version` stays
quick.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import struct
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from generator.plan.card_text import CARD_HEIGHT, CARD_WIDTH, ELLIPSIS, CardText
from generator.strings import DEFAULT_LANGUAGE, is_right_to_left, ui_strings

if TYPE_CHECKING:
    from PIL._imaging import ImagingCore, ImagingDraw
    from PIL.Image import Image
    from PIL.ImageFont import FreeTypeFont

DRAWING_VERSION = 2
"""Raise on any change to the layout or drawing, so that cached cards are drawn again."""

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR_FONT = FONTS / "DejaVuSans.ttf"
BOLD_FONT = FONTS / "DejaVuSans-Bold.ttf"
SERIF_FONT = FONTS / "DejaVuSerif.ttf"
"""A quotation's face (`CardText.quoted`), regular at every size, as the pages set it."""
SHAPED_REGULAR_FONT = FONTS / "DejaVuSans-Shaped.ttf"
SHAPED_BOLD_FONT = FONTS / "DejaVuSans-Bold-Shaped.ttf"
SHAPED_FONTS = (SHAPED_REGULAR_FONT, SHAPED_BOLD_FONT)
"""DejaVu Sans with Arabic and Hebrew and the tables that join and place their letters, for
cards laid out by Raqm. DejaVu Serif has no Arabic: a quote's words are set in the regular."""
SHAPED_DRAWING_VERSION = 1
"""Raise on any change to how shaped cards are laid out or drawn (other cards keep theirs)."""

COMPLEX_SCRIPT_LANGUAGES = frozenset(
    {"bn", "gu", "hi", "km", "kn", "lo", "ml", "mr", "my", "ne", "pa", "si", "ta", "te", "th"}
)
"""Languages written left to right in scripts whose letters change shape with their
neighbours (Indic, Thai, Lao, Khmer, Burmese): laid out by Raqm, as right-to-left ones are."""

HEADLINE_SIZES = (66, 60, 54, 48, 43, 39, 35, 32, 29, 26)
"""Headline font sizes in pixels, tried largest first."""
HEADLINE_LINE_SPACING = 1.22
HEADLINE_BOLD_FROM = 39
"""Headlines of this size and above are bold; smaller ones, long text, read better regular."""
BYLINE_SIZES = (30, 27, 24)
KICKER_SIZE = 26
FOOTER_SIZE = 23


class Box(NamedTuple):
    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    def contains(self, other: Box) -> bool:
        return (
            self.left <= other.left
            and self.top <= other.top
            and other.right <= self.right
            and other.bottom <= self.bottom
        )


MARGIN = 80
ACCENT_RULE = Box(MARGIN, 64, MARGIN + 96, 70)
KICKER_BOX = Box(ACCENT_RULE.right + 24, 44, CARD_WIDTH - MARGIN, 90)
"""The kicker's line (a quote's date), centred on the accent rule."""
HEADLINE_BOX = Box(MARGIN, 102, CARD_WIDTH - MARGIN, 452)
PICTURE_BOX = Box(760, 0, CARD_WIDTH, 484)
"""Where a card's picture goes: the right of the card, down to the footer band."""
PICTURE_HEADLINE_BOX = Box(MARGIN, 102, PICTURE_BOX.left - 48, 452)
CREDIT_BAND = Box(PICTURE_BOX.left, PICTURE_BOX.bottom - 34, CARD_WIDTH, PICTURE_BOX.bottom)
CREDIT_SIZE = 17
PICTURE_CENTRE = (0.5, 0.4)
"""Where a picture is cropped around: a little above its middle, where a face usually is."""
FOOTER_BAND = Box(0, 484, CARD_WIDTH, CARD_HEIGHT)
BYLINE_BOX = Box(MARGIN, 508, CARD_WIDTH - MARGIN, 548)
FOOTER_LINE_BOX = Box(MARGIN, 566, CARD_WIDTH - MARGIN, 600)
SITE_NAME_SHARE = 0.4
"""At most this share of the footer line goes to the site name; the case title has the rest."""
FOOTER_GAP = 32

# --- colours -------------------------------------------------------------------------------

RGB = tuple[int, int, int]

INK: RGB = (17, 24, 39)
"""The dark end of the palette ramp (index 1)."""
PAPER: RGB = (250, 249, 246)
"""The light end of the palette ramp (index 15)."""
ACCENT: RGB = (178, 34, 52)
"""The accent rule, at palette index 0 (never text)."""

_ACCENT_INDEX = 0
_INK_INDEX = 1
_MUTED_INDEX = 5
_BAND_INDEX = 14
_PAPER_INDEX = 15


def _ramp(index: int) -> RGB:
    """The colour of a palette index from `_INK_INDEX` to `_PAPER_INDEX`."""
    share = (index - _INK_INDEX) / (_PAPER_INDEX - _INK_INDEX)
    r, g, b = (round(dark + (light - dark) * share) for dark, light in zip(INK, PAPER, strict=True))
    return (r, g, b)


BACKGROUND_COLOUR = _ramp(_PAPER_INDEX)
FOOTER_BACKGROUND_COLOUR = _ramp(_BAND_INDEX)
HEADLINE_COLOUR = _ramp(_INK_INDEX)
BYLINE_COLOUR = _ramp(_INK_INDEX)
SITE_NAME_COLOUR = _ramp(_INK_INDEX)
CASE_TITLE_COLOUR = _ramp(_MUTED_INDEX)
KICKER_COLOUR = _ramp(_INK_INDEX)
TEXT_ON_BACKGROUND: tuple[tuple[RGB, RGB], ...] = (
    (HEADLINE_COLOUR, BACKGROUND_COLOUR),
    (KICKER_COLOUR, BACKGROUND_COLOUR),
    (BYLINE_COLOUR, FOOTER_BACKGROUND_COLOUR),
    (SITE_NAME_COLOUR, FOOTER_BACKGROUND_COLOUR),
    (CASE_TITLE_COLOUR, FOOTER_BACKGROUND_COLOUR),
)
"""Every (text, background) pair a card draws; each must reach WCAG contrast 4.5:1."""

_PALETTE = bytes(ACCENT) + b"".join(
    bytes(_ramp(index)) for index in range(_INK_INDEX, _PAPER_INDEX + 1)
)

# --- text ----------------------------------------------------------------------------------


_BREAKABLE_SPACES = re.compile(r"[^\S\u00a0\u2007\u202f]+")
"""Whitespace that may end a line: any but the no-break spaces."""
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
_CLOSING_QUOTES = '”’»"'


_SHAPING_MARKS = frozenset("\u200c\u200d\u200e\u200f\u061c")
"""Format characters a shaped card keeps: the zero-width (non-)joiners, which decide how
letters join, and the marks of direction (left-to-right, right-to-left, Arabic letter)."""


def _words(text: str, kept: frozenset[str] = frozenset()) -> list[str]:
    """The words of `text`, composed (NFC), without control, format or surrogate characters
    (but those `kept`)."""
    words = []
    for word in _BREAKABLE_SPACES.split(unicodedata.normalize("NFC", text)):
        if not word.isprintable():
            word = "".join(
                c for c in word if c in kept or unicodedata.category(c) not in _DROPPED_CATEGORIES
            )
        if word:
            words.append(word)
    return words


# --- fonts ---------------------------------------------------------------------------------


class _Glyph(NamedTuple):
    mask: ImagingCore | None
    """Coverage 0–255 of the glyph's ink; None for a glyph without ink (a space)."""
    left: int
    top: int
    """Offset of the mask from the pen position at the top of the line."""
    advance: float


class _Widths:
    """The widths of words a face has measured, remembered: words recur from card to card."""

    WIDTHS_KEPT = 50_000
    _widths: dict[str, float]

    def measure(self, text: str) -> float:
        raise NotImplementedError

    def width(self, word: str) -> float:
        """`measure`, remembered."""
        width = self._widths.get(word)
        if width is None:
            if len(self._widths) >= self.WIDTHS_KEPT:
                self._widths.clear()
            width = self._widths[word] = self.measure(word)
        return width


class _Face(_Widths):
    """One font at one size: its glyphs, rasterised once, and the widths of words measured."""

    GLYPHS_KEPT = 4096

    def __init__(self, font: FreeTypeFont) -> None:
        self.font = font
        self.size = int(font.size)
        ascent, descent = font.getmetrics()
        self.height = ascent + descent
        self._glyphs: dict[str, _Glyph] = {}
        self._advances: dict[str, float] = {}
        """The glyphs' advances again, for `measure` to sum at C speed."""
        self._widths: dict[str, float] = {}
        self.space = self.glyph(" ").advance

    def glyph(self, char: str) -> _Glyph:
        glyph = self._glyphs.get(char)
        if glyph is None:
            from PIL import Image, ImageDraw

            if len(self._glyphs) >= self.GLYPHS_KEPT:
                self._glyphs.clear()
                self._advances.clear()
            left, top, right, bottom = (int(edge) for edge in self.font.getbbox(char))
            mask = None
            if right > left and bottom > top:
                image = Image.new("L", (right - left, bottom - top), 0)
                ImageDraw.Draw(image).text((-left, -top), char, fill=255, font=self.font)
                mask = image.im
            glyph = self._glyphs[char] = _Glyph(mask, left, top, self.font.getlength(char))
            self._advances[char] = glyph.advance
        return glyph

    def measure(self, text: str) -> float:
        """The advance width of `text`, as `draw` places it."""
        try:
            return sum(map(self._advances.__getitem__, text))
        except KeyError:
            return sum(self.glyph(char).advance for char in text)

    def draw(self, target: ImagingDraw, x: int, y: int, text: str, ink: int) -> None:
        """Draw `text` with the top of its line at `y`, as Pillow's basic layout would.

        `target` is the core of an `ImageDraw.Draw`: its `bitmap` method, which calls the
        same `draw_bitmap`, checks its arguments each time, which costs as much as pasting.
        """
        paste = target.draw_bitmap
        glyphs = self._glyphs
        pen = 0.0
        for char in text:
            glyph = glyphs.get(char) or self.glyph(char)
            if glyph.mask is not None:
                paste((x + round(pen) + glyph.left, y + glyph.top), glyph.mask, ink)
            pen += glyph.advance


@functools.cache
def _face(bold: bool, size: int, serif: bool = False) -> _Face:
    from PIL import ImageFont

    path = SERIF_FONT if serif else BOLD_FONT if bold else REGULAR_FONT
    return _Face(ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC))


class _ShapedFace(_Widths):
    """One font at one size, laid out by Raqm in one direction and language: whole runs of
    text shaped (letters joined, ligatures formed) and put in visual order, measured by the
    same call that draws them."""

    def __init__(self, font: FreeTypeFont, direction: str, language: str) -> None:
        self.font = font
        self.size = int(font.size)
        ascent, descent = font.getmetrics()
        self.height = ascent + descent
        self.direction = direction
        self.language = language
        self._widths: dict[str, float] = {}
        self.space = self.measure(" ")

    def measure(self, text: str) -> float:
        """The advance width of `text` shaped, as `draw` places it."""
        return self.font.getlength(text, direction=self.direction, language=self.language)

    def draw(self, target: ImagingDraw, x: int, y: int, text: str, ink: int) -> None:
        """Draw `text` shaped, the left of its advance at `x` and the top of its line at `y`."""
        mask, (left, top) = self.font.getmask2(
            text, "L", direction=self.direction, language=self.language, anchor="la"
        )
        target.draw_bitmap((x + left, y + top), mask, ink)


@functools.cache
def _shaped_face(
    bold: bool, size: int, direction: str, language: str, serif: bool = False
) -> _ShapedFace:
    from PIL import ImageFont

    path = SERIF_FONT if serif else SHAPED_BOLD_FONT if bold else SHAPED_REGULAR_FONT
    font = ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)
    return _ShapedFace(font, direction, language)


AnyFace = _Face | _ShapedFace


@functools.cache
def shapes_text() -> bool:
    """Whether Pillow has Raqm, to shape and order text; asked once."""
    from PIL import features

    return bool(features.check("raqm"))


def needs_shaping(language: str) -> bool:
    """Whether a card in `language` is laid out by Raqm: written right to left, or in a
    script whose letters change shape with their neighbours."""
    return is_right_to_left(language) or language.split("-")[0].lower() in COMPLEX_SCRIPT_LANGUAGES


def _mirrored(box: Box) -> Box:
    return Box(CARD_WIDTH - box.right, box.top, CARD_WIDTH - box.left, box.bottom)


@dataclass(frozen=True)
class _Writing:
    """How a card's words are set: glyph by glyph from the cache, left to right (`shaped`
    False), or by Raqm in `language`, the card mirrored for a language written right to
    left."""

    language: str
    shaped: bool
    rtl: bool

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"

    @property
    def kept(self) -> frozenset[str]:
        return _SHAPING_MARKS if self.shaped else frozenset()

    def face(self, bold: bool, size: int, serif: bool = False, direction: str = "") -> AnyFace:
        if not self.shaped:
            return _face(bold, size, serif)
        direction = direction or self.direction
        return _shaped_face(bold and not serif, size, direction, self.language, serif)

    def direction_of(self, text: str) -> str:
        """The base direction `text` is shaped in: its first strong character's, as
        `dir="auto"` has it (English words on an Arabic card read left to right, their
        ellipsis at their end); "" for a card drawn glyph by glyph."""
        return _direction_of(text, self.direction) if self.shaped else ""

    def box(self, box: Box) -> Box:
        """`box`, mirrored on a right-to-left card."""
        return _mirrored(box) if self.rtl else box

    def start(self, box: Box, width: int) -> int:
        """Where a line `width` wide starts in `box`: at its left, or ending at its right."""
        return box.right - width if self.rtl else box.left


_LEFT_TO_RIGHT = _Writing(DEFAULT_LANGUAGE, shaped=False, rtl=False)


def _writing(language: str) -> _Writing:
    if not needs_shaping(language) or not shapes_text():
        return _LEFT_TO_RIGHT
    return _Writing(language, shaped=True, rtl=is_right_to_left(language))


def _serif_covers(text: str) -> bool:
    """Whether DejaVu Serif has `text`'s letters: Latin, Greek, Cyrillic, punctuation."""
    return all(ord(char) < 0x0590 or 0x2000 <= ord(char) <= 0x206F for char in text)


def _direction_of(text: str, default: str) -> str:
    """The direction of `text`'s first strong character (as `dir="auto"`), else `default`."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return default


# --- layout --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacedLine:
    """One line of text, drawn with its top left corner at (x, y)."""

    text: str
    x: int
    y: int
    width: int
    """Advance width in pixels, rounded up."""
    height: int
    """Ascent plus descent of the font."""
    size: int
    bold: bool
    ink: int
    """The palette index drawn."""
    serif: bool = False
    direction: str = ""
    """How the line is drawn: "" glyph by glyph from the cache; "rtl" or "ltr", shaped by
    Raqm with that base direction."""

    @property
    def box(self) -> Box:
        return Box(self.x, self.y, self.x + self.width, self.y + self.height)


@dataclass(frozen=True)
class CardLayout:
    headline: tuple[PlacedLine, ...]
    footer: tuple[PlacedLine, ...]
    headline_size: int
    truncated: bool
    """Whether the headline was cut to fit."""
    kicker: tuple[PlacedLine, ...] = ()


def _break_word(word: str, face: _Face, width: float) -> list[str]:
    """Cut a word wider than `width` into pieces that fit, each at least one character."""
    pieces = []
    start, piece_width = 0, 0.0
    for end, char in enumerate(word):
        advance = face.glyph(char).advance
        if end > start and piece_width + advance > width:
            pieces.append(word[start:end])
            start, piece_width = end, 0.0
        piece_width += advance
    pieces.append(word[start:])
    return pieces


def _wrap(words: list[str], face: AnyFace, width: float, max_lines: int) -> tuple[list[str], bool]:
    """Fill lines greedily: the first `max_lines` lines, and whether text was left over."""
    if isinstance(face, _ShapedFace):
        return _wrap_shaped(words, face, width, max_lines)
    lines: list[list[str]] = []
    line: list[str] = []
    line_width = 0.0
    for word in words:
        word_width = face.width(word)
        pieces = [word] if word_width <= width else _break_word(word, face, width)
        for piece in pieces:
            piece_width = word_width if len(pieces) == 1 else face.width(piece)
            if line and line_width + face.space + piece_width <= width:
                line.append(piece)
                line_width += face.space + piece_width
                continue
            if line:
                lines.append(line)
                if len(lines) == max_lines:
                    return [" ".join(words) for words in lines], True
            line, line_width = [piece], piece_width
    if line:
        lines.append(line)
    return [" ".join(words) for words in lines], False


def _wrap_shaped(
    words: list[str], face: _ShapedFace, width: float, max_lines: int
) -> tuple[list[str], bool]:
    """`_wrap` for shaped text: each candidate line measured whole, as it is drawn."""
    lines: list[str] = []
    line = ""
    for word in words:
        pieces = [word] if face.width(word) <= width else _break_shaped(word, face, width)
        for piece in pieces:
            if line:
                longer = line + " " + piece
                if face.measure(longer) <= width:
                    line = longer
                    continue
                lines.append(line)
                if len(lines) == max_lines:
                    return lines, True
            line = piece
    if line:
        lines.append(line)
    return lines, False


def _break_shaped(word: str, face: _ShapedFace, width: float) -> list[str]:
    """Cut a word wider than `width` into pieces that fit, between characters that are not
    combining marks (a vowel sign stays on its letter)."""
    pieces = []
    start = last = 0
    ends = [i for i in range(1, len(word)) if not unicodedata.combining(word[i])]
    for end in (*ends, len(word)):
        if last > start and face.measure(word[start:end]) > width:
            pieces.append(word[start:last])
            start = last
        last = end
    pieces.append(word[start:])
    return pieces


def _with_ellipsis(line: str, face: AnyFace, width: float, closer: str) -> str:
    """`line` cut at a word boundary so that it fits `width` with an ellipsis after it."""
    suffix = ELLIPSIS + closer
    words = line.split(" ")
    while len(words) > 1 and face.measure(" ".join(words) + suffix) > width:
        words.pop()
    kept = " ".join(words).rstrip(" ,;:—–-") or " ".join(words)
    while len(kept) > 1 and face.measure(kept + suffix) > width:
        kept = kept[:-1]
    return kept + suffix


def _fit_line(
    text: str, faces: list[AnyFace], width: float, kept: frozenset[str] = frozenset()
) -> tuple[str, AnyFace]:
    """One line of `text` at the largest face it fits, else cut at the smallest."""
    words = _words(text, kept)
    joined = " ".join(words)
    for face in faces:
        if face.measure(joined) <= width:
            return joined, face
    face = faces[-1]
    first, _ = _wrap(words, face, width, 1)
    return _with_ellipsis(first[0] if first else "", face, width, ""), face


def _line_count(box: Box, face: AnyFace, pitch: int) -> int:
    return max(1, 1 + (box.height - face.height) // pitch)


def _layout_headline(
    headline: str, quoted: bool, box: Box = HEADLINE_BOX, writing: _Writing = _LEFT_TO_RIGHT
) -> tuple[list[PlacedLine], int, bool]:
    """The headline at the largest size it fits, a quote's words in the serif, regular."""
    words = _words(headline, writing.kept)
    direction = writing.direction_of(headline)
    serif = quoted
    if writing.shaped:  # DejaVu Serif has no Arabic: a quote in Arabic is set in the sans
        serif = quoted and _serif_covers(headline)
    for size in HEADLINE_SIZES:
        bold = not quoted and size >= HEADLINE_BOLD_FROM
        face = writing.face(bold, size, serif, direction)
        pitch = round(size * HEADLINE_LINE_SPACING)
        lines, cut = _wrap(words, face, box.width, _line_count(box, face, pitch))
        if not cut:
            break
    if cut:
        closer = words[-1][-1] if words[-1][-1] in _CLOSING_QUOTES else ""
        lines[-1] = _with_ellipsis(lines[-1], face, box.width, closer)
    block = (len(lines) - 1) * pitch + face.height if lines else 0
    top = box.top + (box.height - block) // 2
    placed = [
        _placed(line, face, box, top + number * pitch, bold, _INK_INDEX, writing, serif)
        for number, line in enumerate(lines)
    ]
    return placed, size, cut


def _placed(
    text: str,
    face: AnyFace,
    box: Box,
    y: int,
    bold: bool,
    ink: int,
    writing: _Writing,
    serif: bool = False,
) -> PlacedLine:
    """A line at the start of `box` (its left, or its right on a right-to-left card)."""
    width = math.ceil(face.measure(text))
    x = writing.start(box, width)
    direction = face.direction if isinstance(face, _ShapedFace) else ""
    return PlacedLine(text, x, y, width, face.height, face.size, bold, ink, serif, direction)


def _layout_kicker(kicker: str, writing: _Writing = _LEFT_TO_RIGHT) -> list[PlacedLine]:
    """The kicker on one line, centred on the accent rule, cut if it is too long."""
    face = writing.face(True, KICKER_SIZE, direction=writing.direction_of(kicker))
    box = writing.box(KICKER_BOX)
    line, _ = _fit_line(kicker, [face], box.width, writing.kept)
    if not line:
        return []
    y = box.top + (box.height - face.height) // 2
    return [_placed(line, face, box, y, True, _INK_INDEX, writing)]


def _layout_footer(text: CardText, writing: _Writing = _LEFT_TO_RIGHT) -> list[PlacedLine]:
    """The byline, above the case's title at the start of the line and the site's name at
    its end."""
    placed = []
    kept = writing.kept
    direction = writing.direction_of(text.byline)
    byline_faces = [writing.face(True, size, direction=direction) for size in BYLINE_SIZES]
    byline, face = _fit_line(text.byline, byline_faces, BYLINE_BOX.width, kept)
    if byline:
        y = BYLINE_BOX.bottom - face.height
        placed.append(_placed(byline, face, BYLINE_BOX, y, True, _INK_INDEX, writing))
    box = FOOTER_LINE_BOX
    bold = writing.face(True, FOOTER_SIZE, direction=writing.direction_of(text.site_name))
    regular = writing.face(False, FOOTER_SIZE, direction=writing.direction_of(text.case_title))
    site_name, _ = _fit_line(text.site_name, [bold], box.width * SITE_NAME_SHARE, kept)
    site_width = math.ceil(bold.measure(site_name)) if site_name else 0
    title_room = box.width - (site_width + FOOTER_GAP if site_name else 0)
    case_title, _ = _fit_line(text.case_title, [regular], title_room, kept)
    y = box.bottom - bold.height
    if case_title:
        placed.append(_placed(case_title, regular, box, y, False, _MUTED_INDEX, writing))
    if site_name:
        end = Box(box.right - site_width, box.top, box.right, box.bottom)
        placed.append(_placed(site_name, bold, writing.box(end), y, True, _INK_INDEX, writing))
    return placed


def layout_card(text: CardText) -> CardLayout:
    """Place every line of the card: sizes, wrapping, cuts, positions."""
    writing = _writing(text.language)
    box = writing.box(HEADLINE_BOX if text.picture is None else PICTURE_HEADLINE_BOX)
    headline, size, cut = _layout_headline(text.headline, text.quoted, box, writing)
    footer = tuple(_layout_footer(text, writing))
    kicker = tuple(_layout_kicker(text.kicker, writing))
    return CardLayout(tuple(headline), footer, size, cut, kicker)


# --- drawing -------------------------------------------------------------------------------

PNG_COMPRESS_LEVEL = 1
"""zlib level of the image data: 1 is about 3 times as fast as 6 for 1.4 times the bytes."""
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_FILTER_PIXELS = 2
"""Two pixels of index 0 left of every row pack into the byte 0, which in a PNG's image data
says "row not filtered": so the packed canvas is the image data as it is, without copying
each row behind a filter byte."""


def draw_card(text: CardText, picture: bytes | None = None) -> bytes:
    """Draw the card as PNG bytes, the same bytes for the same text (and picture). The
    picture's file is `picture`, the bytes of `text.picture.file`; without them a card is
    drawn with its text alone."""
    layout = layout_card(text)
    writing = _writing(text.language)
    canvas = _blank_card(writing.rtl).copy()
    from PIL import ImageDraw

    target = ImageDraw.Draw(canvas).draw
    for line in (*layout.kicker, *layout.headline, *layout.footer):
        face: AnyFace
        if line.direction:
            face = _shaped_face(line.bold, line.size, line.direction, writing.language, line.serif)
        else:
            face = _face(line.bold, line.size, line.serif)
        face.draw(target, line.x + _FILTER_PIXELS, line.y, line.text, line.ink)
    if text.picture is not None and picture is not None:
        credit = ui_strings(text.language)["card.credit"].format(credit=text.picture.credit)
        return _with_picture(canvas, picture, credit, writing)
    return _png(canvas.tobytes("raw", "P;4"))


def _with_picture(
    canvas: Image, picture: bytes, credit_line: str, writing: _Writing = _LEFT_TO_RIGHT
) -> bytes:
    """The drawn text with the picture on its right and its credit along its foot, as PNG."""
    import io

    from PIL import Image, ImageDraw, ImageOps

    card = canvas.crop((_FILTER_PIXELS, 0, _FILTER_PIXELS + CARD_WIDTH, CARD_HEIGHT))
    card.putpalette(_PALETTE)  # the text's indices, which `_png` otherwise writes itself
    card = card.convert("RGB")
    with Image.open(io.BytesIO(picture)) as source:
        source.load()
        if source.mode in ("RGBA", "LA", "P", "PA"):
            flat = Image.new("RGBA", source.size, (*BACKGROUND_COLOUR, 255))
            flat.alpha_composite(source.convert("RGBA"))
            image = flat.convert("RGB")
        else:
            image = source.convert("RGB")
    box, band = writing.box(PICTURE_BOX), writing.box(CREDIT_BAND)
    size = (box.width, box.height)
    fitted = ImageOps.fit(image, size, Image.Resampling.LANCZOS, centering=PICTURE_CENTRE)
    card.paste(fitted, (box.left, box.top))
    draw = ImageDraw.Draw(card)
    draw.rectangle(_corners(band), fill=INK)
    face = writing.face(False, CREDIT_SIZE, direction=writing.direction_of(credit_line))
    margin = 12
    line, _ = _fit_line(credit_line, [face], band.width - 2 * margin, writing.kept)
    y = band.top + (band.height - face.height) // 2
    if isinstance(face, _ShapedFace):
        inner = Box(band.left + margin, band.top, band.right - margin, band.bottom)
        x = writing.start(inner, math.ceil(face.measure(line)))
        draw.text(
            (x, y),
            line,
            fill=PAPER,
            font=face.font,
            direction=face.direction,
            language=face.language,
        )
    else:
        draw.text((band.left + margin, y), line, fill=PAPER, font=face.font)
    out = io.BytesIO()
    card.save(out, "PNG", compress_level=PICTURE_PNG_LEVEL)
    return out.getvalue()


PICTURE_PNG_LEVEL = 6
"""zlib level of a card with a picture: photographs compress poorly at level 1."""
PICTURE_DRAWING_VERSION = 1
"""Raise on any change to how a picture is drawn on a card (cards of text alone keep theirs)."""


def _corners(box: Box) -> tuple[int, int, int, int]:
    """`box` as the inclusive corners `ImageDraw.rectangle` takes."""
    return (box.left, box.top, box.right - 1, box.bottom - 1)


@functools.cache
def _blank_card(rtl: bool = False) -> Image:
    """Background, footer band and accent rule (at the right for `rtl`), with the filter
    pixels on the left."""
    from PIL import Image, ImageDraw

    canvas = Image.new("P", (_FILTER_PIXELS + CARD_WIDTH, CARD_HEIGHT), _PAPER_INDEX)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, _FILTER_PIXELS - 1, CARD_HEIGHT - 1), fill=0)
    draw.rectangle(_shifted(FOOTER_BAND), fill=_BAND_INDEX)
    draw.rectangle(_shifted(_mirrored(ACCENT_RULE) if rtl else ACCENT_RULE), fill=_ACCENT_INDEX)
    return canvas


def _shifted(box: Box) -> tuple[int, int, int, int]:
    """`box` on the canvas, as the inclusive corners `ImageDraw.rectangle` takes."""
    return (box.left + _FILTER_PIXELS, box.top, box.right + _FILTER_PIXELS - 1, box.bottom - 1)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(image_data: bytes) -> bytes:
    """A 4-bit indexed PNG with `_PALETTE` around rows already prefixed with their filter
    byte (0: none, as the PNG specification advises for indexed images)."""
    header = struct.pack(">IIBBBBB", CARD_WIDTH, CARD_HEIGHT, 4, 3, 0, 0, 0)
    return b"".join(
        (
            _PNG_SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"PLTE", _PALETTE),
            _chunk(b"IDAT", zlib.compress(image_data, PNG_COMPRESS_LEVEL)),
            _chunk(b"IEND", b""),
        )
    )


# --- fingerprint ---------------------------------------------------------------------------


@functools.cache
def _setup_digest() -> bytes:
    """What a card's bytes depend on besides its text."""
    from PIL import __version__ as pillow_version
    from PIL import features

    digest = hashlib.sha256()
    setup = [
        DRAWING_VERSION,
        pillow_version,
        features.version("freetype2"),
        zlib.ZLIB_RUNTIME_VERSION,
    ]
    digest.update(json.dumps(setup).encode())
    for path in (REGULAR_FONT, BOLD_FONT, SERIF_FONT):
        digest.update(path.read_bytes())
    return digest.digest()


@functools.cache
def _shaped_setup_digest() -> bytes:
    """What a shaped card's bytes depend on besides those of every card: the shaping fonts,
    Raqm, HarfBuzz and FriBiDi."""
    from PIL import features

    digest = hashlib.sha256(_setup_digest())
    setup = [SHAPED_DRAWING_VERSION] + [
        features.version(f) for f in ("raqm", "harfbuzz", "fribidi")
    ]
    digest.update(json.dumps(setup).encode())
    for path in SHAPED_FONTS:
        digest.update(path.read_bytes())
    return digest.digest()


def card_fingerprint(text: CardText) -> str:
    """A digest of the card's text, fonts, drawing version, Pillow, FreeType and zlib (and,
    for a shaped card, its language and the shaping libraries)."""
    writing = _writing(text.language)
    if writing.shaped:
        digest = hashlib.sha256(_shaped_setup_digest())
        digest.update(json.dumps(["shaped", text.language]).encode())
        return _fingerprint(text, digest)
    return _fingerprint(text, hashlib.sha256(_setup_digest()))


def _fingerprint(text: CardText, digest: hashlib._Hash) -> str:
    fields = [text.headline, text.byline, text.case_title, text.site_name, text.kicker]
    fields.append("quoted" if text.quoted else "")
    if text.picture is not None:  # its file is named by its content; its alt is not drawn
        fields += ["picture", text.picture.file, text.picture.credit]
        if text.language != DEFAULT_LANGUAGE:  # its credit line's words
            fields += ["language", text.language]
        fields.append(f"{PICTURE_DRAWING_VERSION} {PICTURE_PNG_LEVEL}")
    digest.update(json.dumps(fields).encode())
    return digest.hexdigest()
