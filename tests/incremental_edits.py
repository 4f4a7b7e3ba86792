"""Edits an editor might make to a copy of the real case, each keeping the content valid.

Used by test_incremental.py to drive incremental builds. Most edits are textual: they find a
key's lines in the YAML and replace only those, as an editor would, so the loader's path that
re-reads just the changed items is exercised. A few rewrite a whole file from its data. Each
edit takes a seeded `random.Random` and returns a one-line description, so a failing sequence
can be read back and reproduced.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import Any

import yaml

from generator.models import EVENT_KINDS

CASE = "microsoft-ireland"

WORDS = (
    "plainly",
    "reportedly",
    "again",
    "harbour",
    "ledger",
    "Émile",
    "“quoted”",
    "50%",
    "&",
    "*stressed*",
)


@dataclass(frozen=True)
class Site:
    """A writable copy of the real content and templates, and the folders builds go into."""

    content: Path
    templates: Path
    output: Path
    clean: Path

    @property
    def case(self) -> Path:
        return self.content / "cases" / CASE

    def collection(self, name: str) -> Path:
        return self.case / f"{name}.yaml"


Edit = Callable[[Random, Site], str]


# --- reading and rewriting YAML by its lines -------------------------------------------------


def items(path: Path) -> list[dict[str, Any]]:
    """The items of a collection file, as plain data."""
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


def ids(path: Path) -> list[str]:
    return [str(item["id"]) for item in items(path)]


def pick_item(rng: Random, path: Path, having: str | None = None) -> dict[str, Any]:
    """A random item of the collection, optionally one that has the field `having`."""
    candidates = [item for item in items(path) if having is None or having in item]
    assert candidates, f"no item of {path.name} has `{having}`"
    return rng.choice(candidates)


def yaml_string(text: str) -> str:
    """`text` as a YAML scalar: a JSON string is a valid double-quoted YAML string."""
    return json.dumps(text, ensure_ascii=False)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _item_span(lines: list[str], item_id: str) -> tuple[int, int]:
    """The lines of the list item `- id: item_id`, without the blank lines after it."""
    pattern = re.compile(rf"- id: ['\"]?{re.escape(item_id)}['\"]?\s*")
    start = next((i for i, line in enumerate(lines) if pattern.fullmatch(line)), None)
    assert start is not None, f"no line `- id: {item_id}`"
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end].startswith(" ")):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return start, end


def _belongs_to_value(line: str, indent: int) -> bool:
    """Whether `line` continues the value of a key at `indent` (blank, deeper, or a list item
    at the key's own indent, as yaml.safe_dump writes them)."""
    return not line.strip() or _indent(line) > indent or line[indent:].startswith("- ")


def _field_span(lines: list[str], start: int, end: int, key: str, indent: int) -> tuple[int, int]:
    """The lines of `key:` at `indent` within lines[start:end], or (end, end) if it is absent."""
    prefix = " " * indent + key + ":"
    for i in range(start, end):
        if lines[i].startswith(prefix) and lines[i][len(prefix) :][:1] in (" ", "\n", ""):
            j = i + 1
            while j < end and (_belongs_to_value(lines[j], indent)):
                j += 1
            while j > i + 1 and not lines[j - 1].strip():
                j -= 1
            return i, j
    return end, end


def set_field(path: Path, item_id: str | None, key: str, value: str | None) -> None:
    """Set `key` of the item `item_id` (or of the file's top level) to the YAML text `value`.

    Only the key's own lines change; `value=None` removes the key.
    """
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if item_id is None:
        start, end, indent = 0, len(lines), 0
    else:
        start, end = _item_span(lines, item_id)
        start, indent = start + 1, 2
    first, last = _field_span(lines, start, end, key, indent)
    if first == last and first > 0 and not lines[first - 1].endswith("\n"):
        lines[first - 1] += "\n"
    lines[first:last] = [] if value is None else [f"{' ' * indent}{key}: {value}\n"]
    path.write_text("".join(lines), encoding="utf-8")


def remove_item(path: Path, item_id: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start, end = _item_span(lines, item_id)
    while end < len(lines) and not lines[end].strip():
        end += 1
    del lines[start:end]
    path.write_text("".join(lines), encoding="utf-8")


def insert_item(rng: Random, path: Path, block: str) -> None:
    """Insert a list item's text before a random item of the file, or at its end."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith("- id:")]
    at = rng.choice([*starts, len(lines)])
    if at == len(lines) and lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    lines[at:at] = [block.rstrip("\n") + "\n\n"]
    path.write_text("".join(lines), encoding="utf-8")


# --- values ----------------------------------------------------------------------------------


def reword(rng: Random, text: str) -> str:
    """`text` with one word inserted, replaced or deleted; never the same text."""
    while True:
        words = text.split(" ")
        at = rng.randrange(len(words))
        operation = rng.choice(["insert", "replace", "delete"] if len(words) > 4 else ["insert"])
        if operation == "insert":
            words.insert(at, rng.choice(WORDS))
        elif operation == "replace":
            words[at] = rng.choice(WORDS)
        else:
            del words[at]
        changed = " ".join(words).strip()
        if changed and changed != text.strip():
            return changed


def random_date(rng: Random) -> str:
    """A date as YAML text, in any of the forms an editor may write."""
    year, month, day = rng.randint(1990, 2020), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice(
        [
            f"{year}-{month:02d}-{day:02d}",
            f"{year}-{month:02d}",
            f"{year}",
            f"{{date: {year}-{month:02d}, approximate: true}}",
        ]
    )


# --- the edits -------------------------------------------------------------------------------


def _reword_field(collection: str, key: str) -> Edit:
    def edit(rng: Random, site: Site) -> str:
        path = site.collection(collection)
        item = pick_item(rng, path, having=key)
        set_field(path, item["id"], key, yaml_string(reword(rng, str(item[key]))))
        return f"reworded {collection}/{item['id']}.{key}"

    return edit


def _reword_top(file: str, key: str) -> Edit:
    def edit(rng: Random, site: Site) -> str:
        path = site.content / file if file == "site.yaml" else site.case / file
        value = yaml.safe_load(path.read_text(encoding="utf-8"))[key]
        set_field(path, None, key, yaml_string(reword(rng, str(value))))
        return f"reworded {file}:{key}"

    return edit


def redate_quote(rng: Random, site: Site) -> str:
    path = site.collection("quotes")
    quote, date = pick_item(rng, path), random_date(rng)
    set_field(path, quote["id"], "said_on", date)
    return f"quotes/{quote['id']}.said_on = {date}"


def redate_event(rng: Random, site: Site) -> str:
    path = site.collection("events")
    event, date = pick_item(rng, path), random_date(rng)
    set_field(path, event["id"], "date", date)
    return f"events/{event['id']}.date = {date}"


def redate_event_rewriting_the_file(rng: Random, site: Site) -> str:
    """A data-level edit: the whole file comes back from yaml.safe_dump, comments gone."""
    path = site.collection("events")
    data = items(path)
    event = rng.choice(data)
    event["date"] = f"{rng.randint(1990, 2020)}-{rng.randint(1, 12):02d}"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return f"events/{event['id']}.date = {event['date']} (file rewritten by yaml.safe_dump)"


def change_speaker(rng: Random, site: Site) -> str:
    path = site.collection("quotes")
    quote = pick_item(rng, path)
    speaker = rng.choice([p for p in ids(site.collection("parties")) if p != quote["speaker"]])
    set_field(path, quote["id"], "speaker", speaker)
    return f"quotes/{quote['id']}.speaker = {speaker}"


def change_verbatim_in(rng: Random, site: Site) -> str:
    """Name another of a quote's sources as the one that prints its words."""
    path = site.collection("quotes")
    quote = rng.choice([q for q in items(path) if len(set(q["sources"])) > 1])
    source = rng.choice([s for s in quote["sources"] if s != quote["verbatim_in"]])
    set_field(path, quote["id"], "verbatim_in", source)
    return f"quotes/{quote['id']}.verbatim_in = {source}"


def toggle_key(rng: Random, site: Site) -> str:
    path = site.collection("quotes")
    quote = pick_item(rng, path)
    key = not quote.get("key", False)
    set_field(path, quote["id"], "key", "true" if key else "false")
    return f"quotes/{quote['id']}.key = {key}"


def change_event_kind(rng: Random, site: Site) -> str:
    path = site.collection("events")
    event = pick_item(rng, path)
    kind = rng.choice([k for k in EVENT_KINDS if k != event["kind"]])
    set_field(path, event["id"], "kind", kind)
    return f"events/{event['id']}.kind = {kind}"


def flip_case_status(rng: Random, site: Site) -> str:
    path = site.case / "case.yaml"
    status = yaml.safe_load(path.read_text(encoding="utf-8"))["status"]
    flipped = "ongoing" if status == "resolved" else "resolved"
    set_field(path, None, "status", flipped)
    return f"case.yaml:status = {flipped}"


def add_quote(rng: Random, site: Site) -> str:
    quote_id = f"added-quote-{rng.randrange(10**6)}"
    while quote_id in ids(site.collection("quotes")):
        quote_id += "-x"
    speaker = rng.choice(ids(site.collection("parties")))
    source = rng.choice(ids(site.collection("sources")))
    block = (
        f"- id: {quote_id}\n"
        f"  text: {yaml_string(reword(rng, 'Words nobody said before this test.'))}\n"
        f"  speaker: {speaker}\n"
        f"  said_on: {random_date(rng)}\n"
        f"  venue: A test venue\n"
        f"  key: {rng.choice(['true', 'false'])}\n"
        f"  sources: [{source}]\n"
        f"  verbatim_in: {source}\n"
    )
    insert_item(rng, site.collection("quotes"), block)
    return f"added quote {quote_id} by {speaker}"


def remove_quote(rng: Random, site: Site) -> str:
    """Remove a quote, and every event's reference to it, so the content stays valid."""
    quotes = ids(site.collection("quotes"))
    assert len(quotes) > 3, "the edits removed almost every quote"
    quote_id = rng.choice(quotes)
    events = site.collection("events")
    for event in items(events):
        if quote_id in event.get("quotes", []):
            rest = [q for q in event["quotes"] if q != quote_id]
            set_field(events, event["id"], "quotes", f"[{', '.join(rest)}]" if rest else None)
    remove_item(site.collection("quotes"), quote_id)
    return f"removed quote {quote_id}"


def _period_span(rng: Random) -> tuple[str, str]:
    """A period's start and end as YAML text, the end on or after the start, over the years
    of the real case's events so that the period holds some of them."""
    year, month = rng.randint(2013, 2017), rng.randint(1, 12)
    months = year * 12 + month - 1 + rng.randint(0, 30)
    end_year, end_month = divmod(months, 12)
    start = rng.choice([f"{year}-{month:02d}", f"{year}-{month:02d}-{rng.randint(1, 28):02d}"])
    end = rng.choice([f"{end_year}-{end_month + 1:02d}", f"{end_year}"])
    return start, end


def add_period(rng: Random, site: Site) -> str:
    path = site.collection("periods")
    if not path.exists():
        path.write_text("", encoding="utf-8")
    period_id = f"added-period-{rng.randrange(10**6)}"
    while period_id in ids(path):
        period_id += "-x"
    start, end = _period_span(rng)
    block = (
        f"- id: {period_id}\n"
        f"  title: {yaml_string(reword(rng, 'A span of the case'))}\n"
        f"  start: {start}\n"
        f"  end: {end}\n"
    )
    if rng.random() < 0.5:
        source = rng.choice(ids(site.collection("sources")))
        block += f"  body: {yaml_string(reword(rng, 'What the span was, in *brief*.'))}\n"
        block += f"  sources: [{source}]\n"
    insert_item(rng, path, block)
    return f"added period {period_id}, {start} to {end}"


def edit_period(rng: Random, site: Site) -> str:
    """Add a period, or change one: its dates, its title, or remove it."""
    path = site.collection("periods")
    existing = ids(path) if path.exists() else []
    operation = rng.choice(["add", "redate", "retitle", "remove"]) if existing else "add"
    if operation == "add":
        return add_period(rng, site)
    period_id = rng.choice(existing)
    if operation == "redate":
        start, end = _period_span(rng)
        set_field(path, period_id, "start", start)
        set_field(path, period_id, "end", end)
        return f"periods/{period_id} = {start} to {end}"
    if operation == "retitle":
        title = reword(rng, next(str(i["title"]) for i in items(path) if i["id"] == period_id))
        set_field(path, period_id, "title", yaml_string(title))
        return f"reworded periods/{period_id}.title"
    remove_item(path, period_id)
    return f"removed period {period_id}"


def tag_event(rng: Random, site: Site) -> str:
    path = site.collection("events")
    event = pick_item(rng, path)
    tags = rng.sample(["court-steps", "congress", "press", "filings"], rng.randint(0, 2))
    set_field(path, event["id"], "tags", f"[{', '.join(tags)}]" if tags else None)
    return f"events/{event['id']}.tags = {tags}"


def same_size_edit_with_old_mtime(rng: Random, site: Site) -> str:
    """One letter's case flipped, the file's size and modification time kept.

    As when a copy tool restores modification times: only the bytes (and the inode's change
    time, which no tool can set) say that the file changed.
    """
    path = site.collection("quotes")
    quote = pick_item(rng, path)
    stat = path.stat()
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start, end = _item_span(lines, quote["id"])
    at, _ = _field_span(lines, start + 1, end, "venue", 2)
    letter = re.search(r"[A-Za-z]", lines[at][len("  venue: ") :])
    assert letter is not None, lines[at]
    column = len("  venue: ") + letter.start()
    lines[at] = lines[at][:column] + lines[at][column].swapcase() + lines[at][column + 1 :]
    path.write_text("".join(lines), encoding="utf-8")
    assert path.stat().st_size == stat.st_size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return f"flipped a letter of quotes/{quote['id']}.venue, same size and mtime"


def comment_at_top(rng: Random, site: Site) -> str:
    """Blank lines and a comment: every position below moves, no value changes."""
    name = rng.choice(["quotes", "events", "parties", "rulings", "sources", "polls"])
    path = site.collection(name)
    path.write_text(
        f"# {rng.choice(WORDS)}\n\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8"
    )
    return f"comment and blank lines at the top of {name}.yaml"


def touch(rng: Random, site: Site) -> str:
    """A newer modification time, the same bytes."""
    path = rng.choice(sorted(site.content.rglob("*.yaml")))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    return f"touched {path.relative_to(site.content)}"


def _edit_template(name: str, anchor: str) -> Edit:
    def edit(rng: Random, site: Site) -> str:
        path = site.templates / name
        text = path.read_text(encoding="utf-8")
        assert anchor in text, f"{name} no longer contains {anchor!r}"
        word = rng.choice(WORDS)
        path.write_text(text.replace(anchor, f"{anchor} {word}", 1), encoding="utf-8")
        return f"template {name}: added {word!r} after {anchor!r}"

    return edit


def edit_stylesheet(rng: Random, site: Site) -> str:
    path = site.templates / "static" / "style.css"
    word = rng.choice(WORDS)
    path.write_text(path.read_text(encoding="utf-8") + f"/* {word} */\n", encoding="utf-8")
    return f"appended a comment to static/style.css: {word!r}"


def add_static_file(rng: Random, site: Site) -> str:
    path = site.templates / "static" / f"note-{rng.randrange(10**6)}.txt"
    path.write_text(f"{rng.choice(WORDS)}\n", encoding="utf-8")
    return f"added static/{path.name}"


CONTENT_EDITS: dict[str, Edit] = {
    "quote text": _reword_field("quotes", "text"),
    "quote context": _reword_field("quotes", "context"),
    "quote speaker role": _reword_field("quotes", "speaker_role"),
    "event body": _reword_field("events", "body"),
    "event title": _reword_field("events", "title"),
    "ruling holding": _reword_field("rulings", "holding"),
    "glossary term": _reword_field("glossary", "term"),
    "glossary definition": _reword_field("glossary", "definition"),
    "party name": _reword_field("parties", "name"),
    "party summary": _reword_field("parties", "summary"),
    "source title": _reword_field("sources", "title"),
    "case summary": _reword_top("case.yaml", "summary"),
    "case title": _reword_top("case.yaml", "title"),
    "case status": flip_case_status,
    "site title": _reword_top("site.yaml", "title"),
    "site description": _reword_top("site.yaml", "description"),
    "quote date": redate_quote,
    "event date": redate_event,
    "event date, file rewritten": redate_event_rewriting_the_file,
    "quote speaker": change_speaker,
    "quote key": toggle_key,
    "quote verbatim_in": change_verbatim_in,
    "event kind": change_event_kind,
    "new quote": add_quote,
    "removed quote": remove_quote,
    "same size and mtime": same_size_edit_with_old_mtime,
    "period": edit_period,
    "event tags": tag_event,
}
MORE_WORDING_EDITS: dict[str, Edit] = {
    "quote venue": _reword_field("quotes", "venue"),
    "quote note": _reword_field("quotes", "note"),
    "ruling outcome": _reword_field("rulings", "outcome"),
    "ruling plain outcome": _reword_field("rulings", "outcome_plain"),
    "source note": _reword_field("sources", "note"),
}
"""More fields whose edits the preview may apply without planning again; random edits only."""
NEUTRAL_EDITS: dict[str, Edit] = {
    "comment at the top": comment_at_top,
    "touched file": touch,
}
"""Edits after which no output file may change."""
TEMPLATE_EDITS: dict[str, Edit] = {
    "quote template": _edit_template("quote.html", '{{ ui["quote.back"] }}'),
    "base template": _edit_template(
        "base.html",
        '{{ ui["footer.published_by"]|fill(publisher=site.publisher|in_lang(original)) }}',
    ),
    "partial template": _edit_template(
        "partials/_citations.html", '"visually-hidden">{{ ui["citation.source"] }}'
    ),
    "quote filters template": _edit_template(
        "partials/_quote_filters.html", '{{ ui["quotes.by_year"] }}'
    ),
    "stylesheet": edit_stylesheet,
    "new static file": add_static_file,
}
ALL_EDITS: dict[str, Edit] = {
    **CONTENT_EDITS,
    **MORE_WORDING_EDITS,
    **NEUTRAL_EDITS,
    **TEMPLATE_EDITS,
}


# --- edits that break the content ------------------------------------------------------------


def break_yaml(site: Site) -> str:
    path = site.collection("quotes")
    path.write_text(path.read_text(encoding="utf-8") + "- id: [unclosed\n", encoding="utf-8")
    return "YAML syntax error at the end of quotes.yaml"


def unknown_speaker(site: Site) -> str:
    quote_id = ids(site.collection("quotes"))[0]
    set_field(site.collection("quotes"), quote_id, "speaker", "nobody-by-that-name")
    return f"quotes/{quote_id}.speaker names no party"


def duplicate_id(site: Site) -> str:
    first, second = ids(site.collection("quotes"))[:2]
    path = site.collection("quotes")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"- id: {second}\n", f"- id: {first}\n", 1), encoding="utf-8")
    return f"quote {second} renamed to the existing id {first}"


def impossible_date(site: Site) -> str:
    event_id = ids(site.collection("events"))[-1]
    set_field(site.collection("events"), event_id, "date", "2014-02-30")
    return f"events/{event_id}.date = 2014-02-30"


def empty_quote_text(site: Site) -> str:
    """An edit of wording alone, which the preview may apply without planning again."""
    quote_id = ids(site.collection("quotes"))[2]
    set_field(site.collection("quotes"), quote_id, "text", '""')
    return f"quotes/{quote_id}.text = empty"


def missing_title(site: Site) -> str:
    event_id = ids(site.collection("events"))[3]
    set_field(site.collection("events"), event_id, "title", None)
    return f"events/{event_id} lost its title"


BREAKAGES: dict[str, Callable[[Site], str]] = {
    "invalid YAML": break_yaml,
    "unknown speaker": unknown_speaker,
    "duplicate id": duplicate_id,
    "impossible date": impossible_date,
    "empty quote text": empty_quote_text,
    "missing title": missing_title,
}
