"""Hypothesis strategies: valid content sites drawn from the models, written as editors might.

`sites()` draws a whole content folder: site.yaml and one or two cases, each with parties,
rulings, events, quotes, polls and sources whose cross-references resolve (courts and judges of
the right kind, poll fieldwork in order, unique ids that are not reserved). Text fields take
any Unicode but surrogates, mixed with pieces that mean something to YAML, Markdown, HTML,
Jinja or a spreadsheet (`#`, `: `, `- `, `&a`, `*a`, `!!str`, `|`, `{{ x }}`, `=SUM()`, emoji,
right-to-left text, tabs, CR, U+2028), but never a control character (`UNSHOWABLE`). Dates
take every form the models allow: `2014-07-31`, `2014-07`, `2014` as a string or a number,
and `{date: ..., approximate: ...}`.

Each file is written either by `yaml.safe_dump` (block or flow style, Unicode raw or escaped)
or by a small hand formatter in the block style editors use (plain, single- or double-quoted
scalars, literal and folded blocks, indentless lists, flow lists of ids, comments), sometimes
with CRLF line ends or a byte order mark; a collection is sometimes a folder of one-item files.
Every file is checked to read back, with PyYAML, as exactly the data drawn: a failure there is
a bug in this module, not in the generator.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from hypothesis import strategies as st

from generator.models import EVENT_KINDS

COLLECTIONS = ("parties", "rulings", "events", "periods", "quotes", "polls", "sources")
STAGES = ("magistrate", "district", "appeals", "appeals-en-banc", "supreme", "other")
PARTY_KINDS = ("person", "organization", "court", "government")
RESERVED_EVENT_IDS = frozenset({"kind", "party", "key", "page"})
RESERVED_QUOTE_IDS = frozenset({"page"})
RESERVED_CASE_SLUGS = frozenset({"static"})
UPDATE_KINDS = ("update", "correction")
LANGUAGES = ("en", "de", "en-GB", "ast", "zh-Hant-TW")

PYDANTIC_WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""What pydantic's `str_strip_whitespace` strips (Unicode White_Space). Unlike `str.strip()`,
it keeps U+001C to U+001F, which Python counts as whitespace."""

SPECIAL_PIECES = (
    "#",
    " # not a comment",
    ": ",
    "key: value",
    "- ",
    "-",
    "* ",
    "*a",
    "&a ",
    "&",
    "!",
    "!!str ",
    "!!python/object/apply:os.system",
    "%",
    "%YAML 1.2",
    "@",
    "`",
    "```",
    "'",
    "''",
    '"',
    "\\",
    "\\n",
    "|",
    "|-",
    ">",
    ">-",
    "{",
    "}",
    "[",
    "]",
    ", ",
    "?",
    "? ",
    "~",
    "null",
    "Null",
    "true",
    "yes",
    "no",
    "off",
    "y",
    "0",
    "07",
    "0x1F",
    "0o17",
    "1_000",
    "1e3",
    "1.5",
    ".inf",
    "-.inf",
    ".nan",
    "12:30",
    "1:20:30",
    "2014-07-31",
    "2014-07",
    "2014",
    "2014-07-31 10:00:00",
    "---",
    "...",
    "<<",
    "=",
    "+",
    "=SUM(A1:A2)",
    "\n",
    "\n\n",
    "\n- ",
    "\n# ",
    "\n  indented",
    "  ",
    "\t",
    "\r\n",
    "\r",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\xa0",
    "\u200b",
    "\u200f",
    "\u202e",
    "\x00",
    "\x07",
    "\x1f",
    "\x7f",
    "é",
    "Émile Zoë",
    "ß",
    "İ",
    "ﬁ",
    "😀",
    "👩🏽‍⚖️",
    "🇮🇪",
    "مرحبا بالعالم",
    "שלום עולם",
    "中文",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "<script>alert(1)</script>",
    "</p>",
    "&amp;",
    "&lt;",
    "{{ x }}",
    "{% raw %}",
    "{#",
    "[link](javascript:alert(1))",
    "[a](https://example.org/)",
    "<b>",
    "**bold**",
    "_em_",
    "> quoted",
    "1. ",
    "    code",
    "$1",
    "%s",
    "{0}",
    "\\u0000",
)

UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters the models refuse in text (control characters but tab and line breaks, lone
surrogates, U+FFFE and U+FFFF): no page, feed or data file can carry them. Valid sites never
hold them; the corruption test drops them into files."""

_ANY_CHARACTER = st.characters(
    exclude_categories=["Cs"],
    exclude_characters="".join(
        chr(c) for c in range(0x10000) if UNSHOWABLE.match(chr(c)) and not 0xD800 <= c <= 0xDFFF
    ),
)
_PIECE = st.one_of(
    st.sampled_from([p for p in SPECIAL_PIECES if not UNSHOWABLE.search(p)]),
    st.text(_ANY_CHARACTER, min_size=1, max_size=6),
    st.text("abcdefghij XYZ.,", min_size=1, max_size=12),
)


def clean(text: str) -> str:
    """The text as the models keep it: stripped of surrounding (Unicode) whitespace."""
    return text.strip(PYDANTIC_WHITESPACE)


def texts(min_size: int = 1, max_pieces: int = 4) -> st.SearchStrategy[str]:
    """Any text an editor might type (surrogates aside); with `min_size`, not blank."""
    drawn = st.lists(_PIECE, min_size=min_size, max_size=max_pieces).map("".join)
    return drawn.filter(lambda text: clean(text) != "") if min_size else drawn


TEXT = texts()
OPTIONAL_TEXT = st.one_of(st.none(), texts(min_size=0))

SLUG_WORDS = (
    "a",
    "b",
    "x1",
    "0",
    "07",
    "31",
    "123",
    "2014",
    "1e3",
    "0x1f",
    "null",
    "true",
    "yes",
    "no",
    "on",
    "y",
    "page",
    "kind",
    "party",
    "static",
    "court",
    "smith",
)
"""Words of ids, among them ones YAML reads as numbers, booleans, null or dates when plain."""
slugs = st.lists(st.sampled_from(SLUG_WORDS), min_size=1, max_size=3).map("-".join)
URL_TAILS = st.text("ABCxyz0189/_.~-", max_size=12)


# --- dates ------------------------------------------------------------------------------------


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
"""Spelled out here rather than taken from `generator.dates`: the oracle of how dates show."""


@dataclass(frozen=True)
class DateValue:
    """A partial date as this test module understands it, independently of the generator."""

    year: int
    month: int | None
    day: int | None
    approximate: bool

    @classmethod
    def read(cls, written: Any) -> DateValue:
        """The date an editor wrote in any of the forms the models allow."""
        approximate = False
        if isinstance(written, dict):
            approximate = written.get("approximate", False)
            written = written["date"]
        found = _DATE.match(str(written))
        assert found is not None, written
        month = int(found[2]) if found[2] else None
        day = int(found[3]) if found[3] else None
        return cls(int(found[1]), month, day, approximate)

    @property
    def iso(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    @property
    def display(self) -> str:
        if self.day is not None and self.month is not None:
            text = f"{self.day} {MONTH_NAMES[self.month - 1]} {self.year}"
        elif self.month is not None:
            text = f"{MONTH_NAMES[self.month - 1]} {self.year}"
        else:
            text = str(self.year)
        return f"c. {text}" if self.approximate else text

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)


@st.composite
def dates(draw: st.DrawFn) -> Any:
    """A date as an editor writes it: `2014-07-31`, `2014-07`, `2014`, 2014 or a mapping."""
    day = draw(st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))
    precision = draw(st.sampled_from(["day", "month", "year"]))
    text = {
        "day": f"{day.year:04d}-{day.month:02d}-{day.day:02d}",
        "month": f"{day.year:04d}-{day.month:02d}",
        "year": f"{day.year:04d}",
    }[precision]
    value: Any = text
    if precision == "year" and day.year >= 1000 and draw(st.booleans()):
        value = day.year  # the schema allows a bare number of four digits
    form = draw(st.sampled_from(["plain", "plain", "mapping", "mapping-without-flag"]))
    if form == "mapping":
        return {"date": value, "approximate": draw(st.booleans())}
    if form == "mapping-without-flag":
        return {"date": value}
    return value


DATES = dates()


def _ordered_dates(first: Any, second: Any) -> tuple[Any, Any]:
    if DateValue.read(second).sort_key < DateValue.read(first).sort_key:
        return second, first
    return first, second


# --- items ------------------------------------------------------------------------------------


def _optional(
    draw: st.DrawFn, item: dict[str, Any], key: str, strategy: Any, nullable: bool = True
) -> None:
    """Leave an optional field out, give it a value, or (if it may be null) write null."""
    choices = ["absent", "absent", "value", "value"] + (["null"] if nullable else [])
    choice = draw(st.sampled_from(choices))
    if choice == "null":
        item[key] = None
    elif choice == "value":
        value = draw(strategy)
        if value is not None:
            item[key] = value


def _subset(draw: st.DrawFn, ids: list[str], min_size: int = 0, max_size: int = 3) -> list[str]:
    if not ids:
        return []
    return draw(st.lists(st.sampled_from(ids), min_size=min_size, max_size=max_size, unique=True))


def _unique_ids(draw: st.DrawFn, count: int, reserved: frozenset[str] = frozenset()) -> list[str]:
    """Distinct ids (fewer than `count` when a drawn one is reserved)."""
    drawn = draw(st.lists(slugs, min_size=count, max_size=count, unique=True))
    return [ident for ident in drawn if ident not in reserved]


@dataclass
class CaseData:
    """What an editor wrote for one case: case.yaml's mapping and each collection's items."""

    case: dict[str, Any]
    collections: dict[str, list[dict[str, Any]]]


@st.composite
def case_data(draw: st.DrawFn, max_items: int = 3) -> CaseData:
    """One valid case whose every reference resolves."""
    small = st.integers(0, max_items)
    source_ids = _unique_ids(draw, draw(st.integers(1, max_items + 1)))
    sources = []
    for ident in source_ids:
        item: dict[str, Any] = {"id": ident, "title": draw(TEXT), "publisher": draw(TEXT)}
        _optional(draw, item, "author", OPTIONAL_TEXT)
        item["url"] = draw(
            st.sampled_from(["https://example.org/a", "http://example.com/x?y=1&z=%20"])
        ) + draw(URL_TAILS)
        _optional(draw, item, "published", DATES)
        _optional(draw, item, "accessed", DATES)
        _optional(draw, item, "note", OPTIONAL_TEXT)
        sources.append(item)

    def cite(min_size: int = 1) -> list[str]:
        return _subset(draw, source_ids, min_size=min_size)

    # At least one court and one person, so that rulings always have a court and judges.
    party_ids = _unique_ids(draw, 2 + draw(small))
    kinds = ["court", "person"] + [draw(st.sampled_from(PARTY_KINDS)) for _ in party_ids[2:]]
    parties = []
    for index, (ident, kind) in enumerate(zip(party_ids, kinds, strict=True)):
        item = {"id": ident, "name": draw(TEXT), "kind": kind, "role": draw(TEXT)}
        _optional(draw, item, "title", OPTIONAL_TEXT)
        _optional(draw, item, "side", OPTIONAL_TEXT)
        others = [p for p in party_ids[:index]]
        if others:
            _optional(draw, item, "member_of", st.sampled_from(others))
        _optional(draw, item, "summary", TEXT)
        if draw(st.booleans()):
            item["sources"] = cite(0)
        parties.append(item)
    courts = [i for i, k in zip(party_ids, kinds, strict=True) if k == "court"]
    people = [i for i, k in zip(party_ids, kinds, strict=True) if k == "person"]

    rulings = []
    for ident in _unique_ids(draw, draw(small)):
        item = {
            "id": ident,
            "title": draw(TEXT),
            "court": draw(st.sampled_from(courts)),
            "stage": draw(st.sampled_from(STAGES)),
        }
        judges = _subset(draw, people)
        if len(judges) == 1 and draw(st.booleans()):
            item["judges"] = judges[0]  # one judge may be written without a list
        elif judges or draw(st.booleans()):
            item["judges"] = judges
        item["date"] = draw(DATES)
        _optional(draw, item, "citation", OPTIONAL_TEXT)
        item["outcome"] = draw(TEXT)
        item["holding"] = draw(TEXT)
        _optional(draw, item, "favours", st.sampled_from(party_ids))
        _optional(draw, item, "next_step", OPTIONAL_TEXT)
        item["sources"] = cite()
        rulings.append(item)
    ruling_ids = [r["id"] for r in rulings]

    quotes = []
    for ident in _unique_ids(draw, draw(small), RESERVED_QUOTE_IDS):
        item = {"id": ident, "text": draw(TEXT), "speaker": draw(st.sampled_from(party_ids))}
        _optional(draw, item, "speaker_role", OPTIONAL_TEXT)
        item["said_on"] = draw(DATES)
        item["venue"] = draw(TEXT)
        _optional(draw, item, "context", TEXT)
        _optional(draw, item, "note", OPTIONAL_TEXT)
        _optional(draw, item, "key", st.booleans(), nullable=False)
        item["sources"] = cite()
        item["verbatim_in"] = draw(st.sampled_from(item["sources"]))
        quotes.append(item)
    quote_ids = [q["id"] for q in quotes]

    events = []
    for ident in _unique_ids(draw, draw(small), RESERVED_EVENT_IDS):
        item = {
            "id": ident,
            "date": draw(DATES),
            "title": draw(TEXT),
            "kind": draw(st.sampled_from(EVENT_KINDS)),
            "body": draw(TEXT),
        }
        if draw(st.booleans()):
            item["parties"] = _subset(draw, party_ids)
        if ruling_ids:
            _optional(draw, item, "ruling", st.sampled_from(ruling_ids))
        if quote_ids and draw(st.booleans()):
            item["quotes"] = _subset(draw, quote_ids)
        _optional(draw, item, "key", st.booleans(), nullable=False)
        if draw(st.booleans()):
            item["tags"] = _subset(draw, ["court-steps", "press", "congress-2"])
        item["sources"] = cite()
        events.append(item)

    periods = []
    for ident in _unique_ids(draw, draw(st.integers(0, min(2, max_items)))):
        start, end = _ordered_dates(draw(DATES), draw(DATES))
        item = {"id": ident, "title": draw(TEXT), "start": start, "end": end}
        _optional(draw, item, "body", OPTIONAL_TEXT)
        if draw(st.booleans()):
            item["sources"] = cite(0)
        periods.append(item)

    polls = []
    for ident in _unique_ids(draw, draw(st.integers(0, min(2, max_items)))):
        item = {
            "id": ident,
            "title": draw(TEXT),
            "pollster": draw(st.sampled_from(party_ids)),
        }
        _optional(draw, item, "commissioned_by", st.sampled_from(party_ids))
        if draw(st.booleans()):
            start, end = _ordered_dates(draw(DATES), draw(DATES))
            if draw(st.booleans()):
                end = start  # one day of interviews
            item["fieldwork"] = {"start": start, "end": end}
        _optional(draw, item, "published", DATES)
        _optional(draw, item, "population", OPTIONAL_TEXT)
        _optional(draw, item, "sample_size", st.integers(1, 10**12))
        _optional(
            draw,
            item,
            "margin_of_error",
            st.one_of(st.integers(1, 20), st.floats(0.01, 50, allow_nan=False)),
        )
        _optional(draw, item, "mode", OPTIONAL_TEXT)
        _optional(draw, item, "summary", TEXT)
        questions = []
        for question_id in _unique_ids(draw, draw(st.integers(1, 2))):
            question: dict[str, Any] = {"id": question_id, "text": draw(TEXT)}
            _optional(draw, question, "wording", OPTIONAL_TEXT)
            question["results"] = [
                {
                    "answer": draw(TEXT),
                    "percent": draw(
                        st.one_of(
                            st.integers(0, 100),
                            st.floats(0, 100, allow_nan=False, allow_infinity=False),
                        )
                    ),
                }
                for _ in range(draw(st.integers(1, 3)))
            ]
            if draw(st.booleans()):
                question["sources"] = cite(0)
            questions.append(question)
        item["questions"] = questions
        item["sources"] = cite()
        polls.append(item)

    case: dict[str, Any] = {"title": draw(TEXT)}
    _optional(draw, case, "official_name", OPTIONAL_TEXT)
    case["summary"] = draw(TEXT)
    case["status"] = draw(st.sampled_from(["ongoing", "resolved"]))
    if draw(st.booleans()):
        case["questions"] = draw(st.lists(TEXT, max_size=2))
    if draw(st.booleans()):
        facts = []
        for _ in range(draw(st.integers(0, 2))):
            fact: dict[str, Any] = {"label": draw(TEXT), "value": draw(TEXT)}
            if draw(st.booleans()):
                fact["sources"] = cite(0)
            facts.append(fact)
        case["key_facts"] = facts
    if draw(st.booleans()):
        case["tags"] = draw(st.lists(slugs, max_size=3))
    if draw(st.booleans()):
        updates = []
        for _ in range(draw(st.integers(0, 2))):
            update: dict[str, Any] = {"date": draw(DATES)}
            _optional(draw, update, "kind", st.sampled_from(UPDATE_KINDS), nullable=False)
            update["text"] = draw(TEXT)
            updates.append(update)
        case["updates"] = updates
    if draw(st.booleans()):
        conflicts = []
        for ident in _unique_ids(draw, draw(st.integers(0, 2))):
            conflicts.append(
                {"id": ident, "title": draw(TEXT), "text": draw(TEXT), "sources": cite()}
            )
        case["conflicts"] = conflicts
    if draw(st.booleans()):
        case["sources"] = cite(0)
    collections = {
        "parties": parties,
        "rulings": rulings,
        "events": events,
        "periods": periods,
        "quotes": quotes,
        "polls": polls,
        "sources": sources,
    }
    return CaseData(case, collections)


@st.composite
def site_settings(draw: st.DrawFn) -> dict[str, Any]:
    site: dict[str, Any] = {
        "title": draw(TEXT),
        "base_url": draw(
            st.sampled_from(
                ["https://example.org/explainers/", "http://localhost:8000/", "https://x.test/a/b/"]
            )
        ),
    }
    _optional(draw, site, "language", st.sampled_from(LANGUAGES), nullable=False)
    site["description"] = draw(TEXT)
    site["publisher"] = draw(TEXT)
    return site


# --- writing YAML -----------------------------------------------------------------------------


def _normalize(value: Any) -> Any:
    """PyYAML's value with timestamps as the text the generator keeps (it never makes dates)."""
    if isinstance(value, dict):
        return {k: _normalize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalize(v) for v in value]
    if isinstance(value, dt.datetime):
        return value  # never equal to the text that was meant: the style is refused
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def same_data(left: Any, right: Any) -> bool:
    """Equal values of equal types all the way down (so `1` is not `True` nor `1.0`)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return list(left) == list(right) and all(same_data(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(map(same_data, left, right))
    if isinstance(left, float) and left != left:
        return right != right
    return bool(left == right)


def reads_back(text: str, data: Any) -> bool:
    """Whether PyYAML reads `text` as exactly `data`."""
    try:
        loaded = yaml.load(text, Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, ValueError):
        return False
    return same_data(_normalize(loaded), data)


RAW_LINE_BREAKS = ("\x85", "\u2028", "\u2029")
"""Line breaks YAML knows but editors do not show. Written raw in a file they are a mistake
(the loader says so); a valid file holds them only as escapes (`"\\u2028"`)."""


def _printable(character: str) -> bool:
    """Characters YAML lets stand raw inside a scalar on one line."""
    code = ord(character)
    return (
        0x20 <= code <= 0x7E
        or (0xA0 <= code <= 0xD7FF and code not in (0x2028, 0x2029))
        or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
        or 0x10000 <= code <= 0x10FFFF
    )


def double_quoted(text: str, raw_unicode: bool = True) -> str:
    """A double-quoted YAML scalar for any text, escaping what may not stand raw."""
    out = ['"']
    for character in text:
        code = ord(character)
        if character in '"\\':
            out.append("\\" + character)
        elif 0x20 <= code <= 0x7E or (raw_unicode and code > 0x7E and _printable(character)):
            out.append(character)
        elif character == "\n":
            out.append("\\n")
        elif character == "\t":
            out.append("\\t")
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def _block(indicator: str, text: str, indent: int) -> list[str] | None:
    """A literal or folded block scalar, as (header, lines at `indent` + 2), or None."""
    if not text or not all(_printable(c) or c == "\n" or c == "\t" for c in text):
        return None
    pad = " " * (indent + 2)
    body = text.rstrip("\n")
    trailing = len(text) - len(body)
    chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
    if indicator == ">":
        if "\n" in text or "  " in text or text != text.strip(" "):
            return None
        words = body.split(" ")
        rows, row = [], ""
        for word in words:
            if row and len(row) + len(word) > 30:
                rows.append(row)
                row = word
            else:
                row = f"{row} {word}" if row else word
        rows.append(row)
    else:
        rows = body.split("\n")
    if body[:1] in (" ", "\t") or not body.strip():
        # It would need an indentation indicator, whose meaning depends on where the block
        # sits (a mapping value or a list item): leave such text to the quoted styles.
        return None
    lines = [f"{indicator}{chomp}"]
    lines.extend(pad + row if row else "" for row in rows)
    lines.extend("" for _ in range(trailing - 1))
    return lines


def _scalar_candidates(value: Any, style: str, indent: int) -> list[list[str]]:
    """Ways to write a scalar, each as its first line (after `key: `) and further lines."""
    if isinstance(value, bool):
        words = {True: ["true", "True", "yes", "on"], False: ["false", "False", "no", "off"]}
        index = {"plain": 0, "single": 1, "double": 2}.get(style, 3)
        return [[words[value][index]], [words[value][0]]]
    if value is None:
        return [[{"plain": "null", "single": "~"}.get(style, "")], ["null"]]
    if isinstance(value, (int, float)):
        return [[yaml.safe_dump(value).removesuffix("\n...\n").strip()]]
    assert isinstance(value, str)
    candidates: list[list[str] | None] = []
    if style == "plain":
        candidates.append([value] if all(map(_printable, value)) else None)
    elif style == "single":
        single = all(_printable(c) for c in value)
        candidates.append(["'" + value.replace("'", "''") + "'"] if single else None)
    elif style == "literal":
        candidates.append(_block("|", value, indent))
    elif style == "folded":
        candidates.append(_block(">", value, indent))
    elif style == "escaped":
        candidates.append([double_quoted(value, raw_unicode=False)])
    candidates.append([double_quoted(value)])
    return [c for c in candidates if c is not None]


SCALAR_STYLES = ("plain", "single", "double", "literal", "folded", "escaped")
COMMENTS = ("note", "é ✓ — 😀", "- x: y", "#", "&a *a !!python/name:os.system")


class HandWriter:
    """Writes plain data in the block style editors use, scalars in drawn styles.

    The styles and choices are drawn once per file, as short palettes used in turn, which
    keeps the number of draws (and so the time to make an example) small.
    """

    def __init__(self, draw: st.DrawFn) -> None:
        self.styles = draw(st.lists(st.sampled_from(SCALAR_STYLES), min_size=1, max_size=6))
        self.choices = draw(st.lists(st.integers(0, 9), min_size=1, max_size=6))
        self.turn = 0

    def style(self) -> str:
        self.turn += 1
        return self.styles[self.turn % len(self.styles)]

    def choice(self) -> int:
        self.turn += 1
        return self.choices[self.turn % len(self.choices)]

    def scalar(self, value: Any, indent: int) -> list[str]:
        """A scalar in a drawn style, if it reads back in that style (checked alone, at the
        left margin: a block scalar only moves with its key); else double-quoted."""
        style = self.style()
        here = _scalar_candidates(value, style, indent)
        alone = _scalar_candidates(value, style, 0)
        for candidate, at_margin in zip(here, alone, strict=True):
            if reads_back("k: " + "\n".join(at_margin) + "\n", {"k": value}):
                return candidate
        return here[-1]

    def mapping(self, data: dict[str, Any], indent: int) -> list[str]:
        pad = " " * indent
        lines: list[str] = []
        for key, value in data.items():
            if self.choice() == 0:
                lines.append(pad + "# " + COMMENTS[self.turn % len(COMMENTS)])
            if isinstance(value, dict):
                if not value:
                    lines.append(f"{pad}{key}: {{}}")
                else:
                    lines.append(f"{pad}{key}:")
                    lines.extend(self.mapping(value, indent + 2))
            elif isinstance(value, list):
                lines.extend(self._list_value(key, value, indent))
            else:
                first, *rest = self.scalar(value, indent)
                lines.append(f"{pad}{key}: {first}")
                lines.extend(rest)
        return lines

    def _list_value(self, key: str, value: list[Any], indent: int) -> list[str]:
        pad = " " * indent
        scalars = all(isinstance(v, (str, int, float, bool)) for v in value)
        if not value:
            return [f"{pad}{key}: []"]
        if (
            scalars
            and all(re.fullmatch(r"[a-z0-9-]+", str(v)) for v in value)
            and self.choice() < 5
        ):
            words = [
                v if reads_back(f"k: [{v}]\n", {"k": [v]}) else double_quoted(v) for v in value
            ]
            return [f"{pad}{key}: [{', '.join(words)}]"]
        # An indentless list (`key:` then `- item` at the key's own indent) is valid YAML too.
        inner = indent if self.choice() < 3 else indent + 2
        return [f"{pad}{key}:", *self.sequence(value, inner)]

    def sequence(self, items: list[Any], indent: int) -> list[str]:
        pad = " " * indent
        lines: list[str] = []
        for item in items:
            if isinstance(item, dict) and item:
                first, *rest = self.mapping(item, indent + 2)
                lines.append(pad + "- " + first[indent + 2 :])
                lines.extend(rest)
            elif isinstance(item, (dict, list)):
                lines.append(pad + ("- {}" if isinstance(item, dict) else "- []"))
            else:
                first, *rest = self.scalar(item, indent + 2)
                lines.append(f"{pad}- {first}")
                lines.extend(rest)
        return lines


def write_yaml(draw: st.DrawFn, data: Any) -> bytes:
    """Write `data` as a YAML file in a drawn style; it always reads back as `data`."""
    how = draw(st.sampled_from(["safe_dump", "safe_dump", "hand", "hand", "hand"]))
    if how == "safe_dump":
        text = yaml.safe_dump(
            data,
            allow_unicode=draw(st.booleans()),
            sort_keys=draw(st.booleans()),
            default_flow_style=draw(st.sampled_from([False, False, None, True])),
            width=draw(st.sampled_from([80, 20, 4096])),
            explicit_start=draw(st.booleans()),
            indent=draw(st.sampled_from([2, 4])),
        )
        if any(c in text for c in RAW_LINE_BREAKS) or not reads_back(text, data):
            # PyYAML wrote an odd line break raw (see RAW_LINE_BREAKS), or its output does not
            # read back as the data: write it by hand instead.
            how = "hand"
    if how == "hand":
        writer = HandWriter(draw)
        if isinstance(data, list):
            lines = writer.sequence(data, 0) if data else ["[]"]
        else:
            lines = writer.mapping(data, 0)
        header = draw(st.sampled_from(["", "", "# A comment first\n", "---\n"]))
        text = header + "\n".join(lines) + "\n"
    assert reads_back(text, data), f"the test's YAML writer is wrong:\n{text}"
    assert not any(c in text for c in RAW_LINE_BREAKS), text
    if draw(st.integers(0, 9)) == 0 and "\r" not in text:
        crlf = text.replace("\n", "\r\n")
        if reads_back(crlf, data):
            text = crlf
    encoded = text.encode("utf-8")
    if draw(st.integers(0, 9)) == 0:
        encoded = b"\xef\xbb\xbf" + encoded
    return encoded


@st.composite
def yaml_files(draw: st.DrawFn, data: Any) -> bytes:
    """A YAML file holding `data`, written in a drawn style (see `write_yaml`)."""
    return write_yaml(draw, data)


@dataclass
class GeneratedSite:
    """A drawn site: what was written (plain data) and the files that hold it."""

    site: dict[str, Any]
    cases: dict[str, CaseData]
    files: dict[str, bytes] = field(default_factory=dict)
    """Relative path under the content folder → bytes."""


@st.composite
def sites(draw: st.DrawFn, max_cases: int = 2, max_items: int = 3) -> GeneratedSite:
    """A whole valid content folder, written in drawn styles and layouts."""
    site = draw(site_settings())
    case_slugs = draw(
        st.lists(
            slugs.filter(lambda s: s not in RESERVED_CASE_SLUGS),
            min_size=1,
            max_size=max_cases,
            unique=True,
        )
    )
    cases = {slug: draw(case_data(max_items)) for slug in case_slugs}
    generated = GeneratedSite(site, cases)
    suffix = draw(st.sampled_from([".yaml", ".yaml", ".yml"]))
    generated.files[f"site{suffix}"] = write_yaml(draw, site)
    for slug, case in cases.items():
        base = f"cases/{slug}/"
        generated.files[f"{base}case{suffix}"] = write_yaml(draw, case.case)
        for name in COLLECTIONS:
            items = case.collections[name]
            layout = draw(
                st.sampled_from(["file", "file", "folder"] + (["absent"] if not items else []))
            )
            if layout == "absent":
                continue
            if layout == "folder":
                for index, item in enumerate(items):
                    generated.files[f"{base}{name}/{index:03d}-{item['id']}.yaml"] = write_yaml(
                        draw, item
                    )
                if not items:
                    generated.files[f"{base}{name}/_draft.yaml"] = b"- not: read\n"
            else:
                generated.files[f"{base}{name}{suffix}"] = (
                    write_yaml(draw, items) if items or draw(st.booleans()) else b"# none yet\n"
                )
    return generated
