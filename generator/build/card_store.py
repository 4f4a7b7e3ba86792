"""Share cards kept between builds, one PNG file per card, named by its fingerprint.

Drawing a card costs milliseconds; at 10,000 quotes a site has 15,000 of them. A build
that renders a page again, because the record is gone, `--full` was asked or the preview
just started, reads an unchanged card from here instead of drawing it. The folder lives
beside the output (`record.cards_path`) and is never published. Files are written under a
temporary name and renamed, so a killed build or two processes drawing the same card leave
whole files only; a file that does not read back as a PNG is drawn again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from generator.build.kept_files import write_whole
from generator.plan.card_text import CardText
from generator.render.cards import card_fingerprint, draw_card

SUFFIX = ".png"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


Pictures = Mapping[str, Callable[[], bytes]]
"""The files the build publishes of the cases' pictures, by path in the output, and how to
read each (`image_store.ProcessedMedia.outputs`)."""


def card_bytes(text: CardText, folder: Path | None, pictures: Pictures | None = None) -> bytes:
    """The card's PNG bytes: from `folder` when drawn before, else drawn (and kept there).
    A card with a picture is drawn from its file, read from `pictures` only then."""
    if folder is None:
        return _draw(text, pictures)
    path = folder / (card_fingerprint(text) + SUFFIX)
    try:
        kept = path.read_bytes()
    except OSError:
        kept = b""
    if kept.startswith(_PNG_SIGNATURE) and kept.endswith(b"IEND\xaeB`\x82"):
        return kept
    drawn = _draw(text, pictures)
    _keep(path, drawn)
    return drawn


def _draw(text: CardText, pictures: Pictures | None) -> bytes:
    if text.picture is None:
        return draw_card(text)
    read = pictures.get(text.picture.file) if pictures is not None else None
    return draw_card(text, read() if read is not None else None)


def _keep(path: Path, content: bytes) -> None:
    """Store a card; a cache that cannot be written only costs drawing it again next time."""
    write_whole(path, content)


def forget_others(folder: Path, texts: Iterable[CardText], shown: int) -> int:
    """Remove the cards of `folder` that none of `texts` shows (and stray partial files), so
    that the cache holds one site's cards, not every version ever drawn; `shown` is how many
    cards the site shows. Return how many were removed.

    Only once the folder holds more files than that and `spare_cards`: finding which
    cards the site shows means making the text of each (0.2 s at 10,000 quotes), which an
    edit of one quote would otherwise pay to remove one card, so it is paid once in about
    as many edits as the site has tenths of its cards.
    """
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    if len(names) <= shown + spare_cards(shown):
        return 0
    wanted = {card_fingerprint(text) + SUFFIX for text in texts}
    removed = 0
    for name in names:
        if name in wanted:
            continue
        try:
            os.unlink(folder / name)
            removed += 1
        except OSError:
            pass
    return removed


def spare_cards(shown: int) -> int:
    """How many cards no page shows may stay in the folder of a site showing `shown`."""
    return shown // 10 + 16
