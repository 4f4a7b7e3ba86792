"""Links to share a page by email or on social networks: plain links, made from the page's
text and address, so that nothing loads from those sites until a reader clicks."""

from __future__ import annotations

import string
from collections.abc import Iterator
from dataclasses import dataclass

from generator.plan.context import Link
from generator.plan.pickling import pickled_as_arguments


@pickled_as_arguments
@dataclass(frozen=True, slots=True)
class ShareLinks:
    """The links to share a page, made from its text and address when a template goes
    through them: a site of 10,000 quotes would otherwise hold 75,000 long addresses from
    planning to the end of the build (about 20 MiB, and as much again in each worker that
    touches them). The text and address are kept in pieces, mostly the item's own strings,
    for the same reason: joined, a quote's text would be held twice, at twice its size (its
    curly quotation marks make a copy two bytes a character)."""

    text: tuple[str, ...]
    url: tuple[str, str]
    email: str = "Email"
    """The email link's words, in the page's language (the networks' names stay)."""

    def __iter__(self) -> Iterator[Link]:
        return iter(share_links("".join(self.text), "".join(self.url), self.email))


def share_links(text: str, url: str, email: str = "Email") -> list[Link]:
    """Plain links to share a page: nothing loads from these sites until a reader clicks."""
    short = shorten(text, 40)
    encoded_url = _quote_plus(url)
    return [
        Link("email", email, f"mailto:?subject={_quote(short)}&body={_quote(url, _PERCENT_ALL)}"),
        Link(
            "bluesky",
            "Bluesky",
            f"https://bsky.app/intent/compose?text={_quote_plus(short)}+{encoded_url}",
        ),
        Link("x", "X", f"https://x.com/intent/post?text={_quote_plus(short)}&url={encoded_url}"),
        Link("facebook", "Facebook", f"https://www.facebook.com/sharer/sharer.php?u={encoded_url}"),
        Link(
            "linkedin",
            "LinkedIn",
            f"https://www.linkedin.com/sharing/share-offsite/?url={encoded_url}",
        ),
    ]


class _PercentTable(dict[int, str]):
    """A `str.translate` table that percent-encodes every character but `keep`, as UTF-8."""

    def __init__(self, keep: str, plus: bool = False) -> None:
        super().__init__({ord(" "): "+"} if plus else {})
        self.keep = frozenset(map(ord, string.ascii_letters + string.digits + "_.-~" + keep))

    def __missing__(self, code: int) -> str:
        if code in self.keep:
            encoded = chr(code)
        else:
            encoded = "".join(f"%{byte:02X}" for byte in chr(code).encode("utf-8"))
        self[code] = encoded
        return encoded


_PERCENT = _PercentTable("/")
_PERCENT_ALL = _PercentTable("")
_PERCENT_PLUS = _PercentTable("", plus=True)


def _quote(text: str, table: _PercentTable = _PERCENT) -> str:
    """`urllib.parse.quote(text)` (with no safe characters for `_PERCENT_ALL`), faster."""
    return text.translate(table)


def _quote_plus(text: str) -> str:
    """`urllib.parse.quote_plus(text)`, faster."""
    return text.translate(_PERCENT_PLUS)


def shorten(text: str, words: int = 8) -> str:
    """The first `words` words of `text`, and an ellipsis if there were more."""
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")
