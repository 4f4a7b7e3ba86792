"""The id of each imported item.

Each row's item gets its id from the `id` column, else from its date and a slug of its title,
or the id of an existing item with the same date and title, so that importing again updates
items instead of adding them twice.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from generator.commands.spreadsheet.problems import Problem
from generator.commands.spreadsheet.rows import PERIODS, Imported
from generator.load.content import RawItem

_ID_LENGTH = 60
"""The longest slug made from a title; with a date in front, ids stay within 80 characters."""
_QUOTE_WORDS = 6
"""How many of a quote's first words its id is made of."""


def slugify(text: str, limit: int = _ID_LENGTH) -> str:
    """A lowercase slug of `text`, cut at a word to at most `limit` characters."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = ""
    for word in re.findall(r"[a-z0-9]+", plain):
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > limit:
            break
        slug = longer
    return slug


def _date_part(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("date", "")
    return str(value) if value is not None else ""


def _natural_key(collection: str, data: Any) -> tuple[str, ...] | None:
    """What tells an item apart when it has no id: its date and title, a quote's date and
    words, a party's name, a source's title and address."""
    if not isinstance(data, dict):
        return None
    fields = {
        "events": ("date", "title"),
        PERIODS: ("start", "title"),
        "quotes": ("said_on", "text"),
        "parties": ("name",),
        "sources": ("title", "url"),
    }.get(collection, ())
    values = tuple(
        _date_part(data.get(f))
        if f in ("date", "start", "said_on")
        else " ".join(str(data.get(f) or "").split())
        for f in fields
    )
    return values if fields and all(values) else None


def _derived_id(collection: str, data: dict[str, Any]) -> str | None:
    """The id made from a row: `<date>-<slug of the title>` for an event (a quote: of its
    first words), the slug of the title or name for the others."""
    if collection == "events":
        date, words = _date_part(data.get("date")), slugify(str(data.get("title") or ""))
    elif collection == "quotes":
        first = " ".join(str(data.get("text") or "").split()[:_QUOTE_WORDS])
        date, words = _date_part(data.get("said_on")), slugify(first)
    else:
        date = "-"
        words = slugify(str(data.get("name") or data.get("title") or ""))
    if not date or not words:
        return None
    return words if date == "-" else f"{date}-{words}"


def give_ids(
    imported: list[Imported], existing: dict[str, list[RawItem]], problems: list[Problem]
) -> None:
    """Give each row its id, and report ids that two rows share, on both rows."""
    by_key: dict[tuple[str, tuple[str, ...]], str] = {}
    for name, items in existing.items():
        for raw in items:
            key = _natural_key(name, raw.data)
            if key is not None and isinstance(raw.data.get("id"), str):
                by_key.setdefault((name, key), raw.data["id"])
    for item in imported:
        ident = item.data.get("id")
        if isinstance(ident, str):
            item.ident = ident
            continue
        key = _natural_key(item.collection, item.data)
        item.ident = by_key.get((item.collection, key)) if key is not None else None
        if item.ident is None:
            item.ident = _derived_id(item.collection, item.data)
        item.derived = True
        if item.ident is not None:
            item.data["id"] = item.ident
    rows: dict[tuple[str, str], list[Imported]] = {}
    for item in imported:
        if item.ident is not None:
            rows.setdefault((item.collection, item.ident.casefold()), []).append(item)
    for same in rows.values():
        if len(same) < 2:
            continue
        for item in same:
            others = ", ".join(str(o.row.number) for o in same if o is not item)
            place = item.cells["id"].place if "id" in item.cells else item.row.place
            how = "made from its date and title" if item.derived else "in its `id` cell"
            problems.append(
                Problem(
                    place,
                    f"duplicate id `{item.ident}` ({how}): row {others} has it too",
                    "give each row its own id in an `id` column"
                    if item.derived
                    else "give each row its own id",
                )
            )
