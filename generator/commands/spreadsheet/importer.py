"""`explainer import`: a spreadsheet's rows into a case's YAML, checked before anything is written.

Input: a table (`tables`), a collection (events, quotes, parties or sources) and a case.
Output: the files written (none on `dry_run`) and, per item, whether it is new, changed or
unchanged. The header row picks the mapping: the TimelineJS template's columns (`timelinejs`;
an era row becomes a period, the title row the title and summary of a new case), else our own
columns, named as the model's fields (`columns`). Each row becomes an item: its id from the `id`
column, else from its date and a slug of its title, or the id of an existing item with the same
date and title, so that importing again updates items instead of adding them twice. A row's item
is validated as `explainer check` validates one item, its references checked against the case
and the other rows, with did-you-mean. Every problem is collected and raised at once as
`ImportProblems`, each at its cell; then nothing is written. Otherwise the files are written as
an editor would have (`yaml_writer`), all of them or none.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from generator.commands.scaffold import is_placeholder
from generator.commands.spreadsheet.columns import (
    BLANK,
    KINDS,
    CellMistakeError,
    cell_value,
    field_kind,
    own_columns,
)
from generator.commands.spreadsheet.problems import ImportProblems, Place, Problem, UsageError
from generator.commands.spreadsheet.tables import Cell, Row, Table, read_table
from generator.commands.spreadsheet.timelinejs import (
    TIMELINEJS_COLUMNS,
    is_timelinejs,
    read_timelinejs_row,
    skipped_columns,
)
from generator.commands.spreadsheet.yaml_writer import ItemWrite, edit_file, field_order, key_orders
from generator.errors import ContentError, Location, OutputError, did_you_mean
from generator.load.content import COLLECTIONS, RawCase, RawItem, load_content
from generator.load.document import Document, SourceMap
from generator.load.yaml_positions import PathKey, Positions
from generator.models import COLLECTION_MODELS, EVENT_KINDS, SLUG_PATTERN, Case, Model
from generator.validate.ids import (
    REFERENCES,
    RESERVED_CASE_SLUGS,
    References,
    check_reserved_ids,
    check_verbatim_in,
)
from generator.validate.items import check_item

Status = Literal["new", "changed", "unchanged"]
PERIODS = "periods"
"""The collection a TimelineJS era becomes."""
DEFAULT_EVENT_KIND = "context" if "context" in EVENT_KINDS else None
"""The kind of an imported event whose row names none (and `--kind` is not given)."""
_SLUG = re.compile(SLUG_PATTERN)
_ID_LENGTH = 60
"""The longest slug made from a title; with a date in front, ids stay within 80 characters."""
_QUOTE_WORDS = 6
"""How many of a quote's first words its id is made of."""
_DATE_CELLS = ("Year", "Month", "Day", "Display Date")
_TIMELINE_CELLS = {
    "date": _DATE_CELLS,
    "start": _DATE_CELLS,
    "end": ("End Year", "End Month", "End Day"),
    "title": ("Headline",),
    "body": ("Text",),
    "summary": ("Text",),
    "image": ("Media",),
    "tags": ("Group",),
}
"""The TimelineJS columns each field read from a TimelineJS row comes from: the first is
where messages about the field point."""
NEW_CASE_TITLE = "New case: replace this title"
NEW_CASE_SUMMARY = "Replace with what the case is about, in a few sentences of your own."


@dataclass(frozen=True)
class ItemOutcome:
    """What importing did (or would do) to one item."""

    collection: str
    ident: str
    status: Status
    path: Path


@dataclass
class ImportResult:
    """What an import wrote, or would write on a dry run."""

    outcomes: list[ItemOutcome]
    written: list[Path]
    case_created: bool
    notes: list[str] = field(default_factory=list)
    """Things passed over that the editor should know of (a skipped column, a title row)."""


@dataclass
class _Imported:
    """One row read as an item of `collection`."""

    row: Row
    collection: str
    data: dict[str, Any]
    blank: set[str]
    """Fields whose column is in the sheet and whose cell is empty: the item loses them."""
    cells: dict[str, Cell]
    """The cell each field came from, for messages."""
    defaults: dict[str, Any] = field(default_factory=dict)
    """Values for fields the row leaves out, unless the item it updates has them (`--source`,
    `--kind`)."""
    mistaken: set[str] = field(default_factory=set)
    """Fields whose cell could not be read (already reported)."""
    ident: str | None = None
    derived: bool = False
    """Whether the id was made from the row rather than read from an `id` column."""


@dataclass
class _Options:
    sources: tuple[str, ...]
    event_kind: str | None


def import_table(
    content_dir: Path,
    kind: str,
    path: Path,
    case: str,
    *,
    dry_run: bool = False,
    sources: Sequence[str] = (),
    event_kind: str | None = None,
) -> ImportResult:
    """Import the rows of the spreadsheet at `path` as `kind` items of `case`; raise
    `ImportProblems` with every problem found, before anything is written."""
    if kind not in KINDS:
        raise UsageError(f"cannot import `{kind}` — import one of: {', '.join(KINDS)}")
    table, problems = read_table(path)
    if not table.header:
        raise ImportProblems(problems)
    raw = load_content(content_dir)
    raw_case = next((c for c in raw.cases if c.slug == case), None)
    notes: list[str] = []
    if raw_case is None:
        _check_new_slug(case)
        similar = did_you_mean(case, [c.slug for c in raw.cases])
        if similar:
            notes.append(f"there is no case `{case}`, so it is made new — {similar}")
    case_dir = content_dir / "cases" / case
    existing = raw_case.collections if raw_case is not None else {}
    options = _Options(tuple(sources), event_kind or DEFAULT_EVENT_KIND)
    timeline = is_timelinejs(table.names)
    if not _check_header(table, kind, timeline, problems):
        raise ImportProblems(problems)
    media = existing.get("media", [])
    media_ids = _ids(media) if media and "media" in COLLECTION_MODELS else None
    imported: list[_Imported] = []
    for row in table.rows:
        if timeline:
            item = _timeline_row(row, kind, media_ids, options, problems)
        else:
            item = _own_row(row, kind, options, problems)
        if item is not None:
            imported.append(item)
    if timeline:
        filled = [{name: cell.text for name, cell in row.cells.items()} for row in table.rows]
        notes.extend(f"{s.message}: {s.hint}" for s in skipped_columns(filled, media_ids))
    titles = [item for item in imported if item.collection == "case"]
    imported = [item for item in imported if item.collection != "case"]
    case_plan = _case_plan(raw_case, titles, problems, notes)
    _check_source_option(table, options, existing, imported, problems)
    _give_ids(imported, existing, problems)
    plans = _check_items(imported, existing, raw_case, case, problems)
    if problems:
        raise ImportProblems(problems)
    files, outcomes = _files(case_dir, plans, existing, raw_case, case_plan)
    if not dry_run:
        _write_files(files)
    written = [] if dry_run else sorted(files)
    return ImportResult(outcomes, written, raw_case is None, notes)


def _check_new_slug(case: str) -> None:
    if not _SLUG.match(case) or case in RESERVED_CASE_SLUGS:
        raise UsageError(
            f"`{case}` is not a valid case slug — use lowercase letters, digits and single "
            "hyphens, e.g. `microsoft-ireland`"
        )


def _ids(items: list[RawItem]) -> set[str]:
    return {
        i.data["id"]
        for i in items
        if isinstance(i.data, dict) and isinstance(i.data.get("id"), str)
    }


def _check_header(table: Table, kind: str, timeline: bool, problems: list[Problem]) -> bool:
    """Report each header that names no column of the mapping, with a did-you-mean; return
    False when the header cannot be read at all (columns not separated by commas)."""
    own = own_columns(kind)
    known = [*TIMELINEJS_COLUMNS, *own] if timeline else own
    if timeline and kind != "events":
        problems.append(
            Problem(
                table.header[0].place,
                f"this is a TimelineJS sheet, which holds events, not {kind}",
                "import it with `explainer import events`",
            )
        )
    for cell in table.header:
        if cell.text in known:
            continue
        if len(table.header) == 1 and (";" in cell.text or "\t" in cell.text):
            problems.append(
                Problem(
                    cell.place,
                    "the columns are separated by semicolons or tabs, not commas",
                    'save the sheet again as "CSV UTF-8 (Comma delimited)"',
                )
            )
            return False
        if cell.text not in known:
            hint = did_you_mean(cell.text, known) or (
                f"{kind} columns are named as the fields of `explainer schema --kind {kind}`: "
                + ", ".join(own)
            )
            problems.append(Problem(cell.place, f"unknown column `{cell.text}`", hint))
    return True


def _own_row(row: Row, kind: str, options: _Options, problems: list[Problem]) -> _Imported:
    """A row of our own columns as an item of `kind`."""
    item = _Imported(row, kind, {}, set(), {})
    _read_own_cells(row, kind, item, problems, skip=())
    _apply_defaults(item, options)
    return item


def _read_own_cells(
    row: Row, kind: str, item: _Imported, problems: list[Problem], skip: Collection[str]
) -> None:
    fields = COLLECTION_MODELS[kind].model_fields
    for name, cell in row.cells.items():
        if name not in fields or name in skip:
            continue
        item.cells[name] = cell
        try:
            value = cell_value(kind, name, cell.text)
        except CellMistakeError as exc:
            problems.append(Problem(cell.place, exc.mistake.message, exc.mistake.hint))
            item.mistaken.add(name)
            continue
        if value is BLANK:
            item.blank.add(name)
        else:
            item.data[name] = value


def _apply_defaults(item: _Imported, options: _Options) -> None:
    """Give a row that names no sources the `--source` ones, and an event that names no kind
    the `--kind` one (or `context`), unless the item it updates has them."""
    if options.sources and "sources" not in item.data:
        item.defaults["sources"] = list(options.sources)
    if item.collection == "events" and "kind" not in item.data and options.event_kind:
        item.defaults["kind"] = options.event_kind


def _timeline_row(
    row: Row,
    kind: str,
    media_ids: Collection[str] | None,
    options: _Options,
    problems: list[Problem],
) -> _Imported | None:
    """A TimelineJS row as an event or a period, or (the title row) the case's title and
    summary, as an item of the collection `case`."""
    cells = {name: cell.text for name, cell in row.cells.items() if name in TIMELINEJS_COLUMNS}
    read = read_timelinejs_row(cells, media_ids)
    for problem in read.problems:
        cell = row.cells.get(problem.column)
        place = cell.place if cell is not None else row.place
        problems.append(Problem(place, problem.message, problem.hint))
    if read.kind == "title":
        columns = {"title": "Headline", "summary": "Text"}
        return _Imported(
            row,
            "case",
            {k: v for k, v in read.fields.items() if v not in ("", None)},
            set(),
            {f: row.cells[c] for f, c in columns.items() if c in row.cells},
            mistaken={f for f, c in columns.items() if c in {p.column for p in read.problems}},
        )
    collection = PERIODS if read.kind == "era" else kind
    if collection not in COLLECTION_MODELS:
        problems.append(
            Problem(
                _cell_place(row, "Type"),
                "an era row becomes a period, and this version of the generator has no periods",
                "delete the row, or update the generator",
            )
        )
        return None
    item = _Imported(row, collection, {}, set(), {})
    reported = {problem.column for problem in read.problems}
    for name in COLLECTION_MODELS[collection].model_fields:
        read_from = _TIMELINE_CELLS.get(name, ())
        if read_from and read_from[0] in row.cells:
            item.cells[name] = row.cells[read_from[0]]
        if not reported.isdisjoint(read_from):
            item.mistaken.add(name)  # the TimelineJS reading said what is wrong
    for name, value in read.fields.items():
        if value not in ("", None, []):
            item.data[name] = value
    _read_own_cells(row, collection, item, problems, skip=item.data)
    _apply_defaults(item, options)
    return item


def _cell_place(row: Row, column: str) -> Place:
    cell = row.cells.get(column)
    return cell.place if cell is not None else row.place


def _case_plan(
    raw_case: RawCase | None, titles: list[_Imported], problems: list[Problem], notes: list[str]
) -> _Plan | None:
    """What a TimelineJS title row makes of case.yaml: the title and summary of a new case,
    or of one whose case.yaml still holds the placeholders an import or `explainer new` left;
    None when case.yaml stays as it is."""
    for extra in titles[1:]:
        problems.append(
            Problem(
                _cell_place(extra.row, "Type"),
                f"a second title row (the first is row {titles[0].row.number})",
                "keep one row of Type `title`",
            )
        )
    before = raw_case.case if raw_case is not None else None
    old = before.data if before is not None and isinstance(before.data, dict) else None
    if raw_case is not None and not (old is not None and _unfinished(old)):
        if titles:
            notes.append(f"the title row was left out: the case `{raw_case.slug}` has its title")
        return None
    if raw_case is not None and not titles:
        return None
    fields = titles[0].data if titles else {}
    data = dict(old or {"title": NEW_CASE_TITLE, "summary": NEW_CASE_SUMMARY})
    data.update({k: v for k, v in fields.items() if k in ("title", "summary")})
    data.setdefault("status", "ongoing")
    if not titles:
        return _Plan(_Imported(Row(0, Place("")), "case", {}, set(), {}), data, "new", frozenset())
    item = titles[0]
    errors: list[ContentError] = []
    if check_item(_raw_item(item, data), Case, errors) is None:
        problems.extend(Problem(_place_of(e, item), e.message, e.hint) for e in errors)
    changed = frozenset(k for k in data if old is None or data[k] != old.get(k))
    return _Plan(item, data, "new" if old is None else "changed", changed)


def _unfinished(case: dict[str, Any]) -> bool:
    """Whether case.yaml still holds the placeholder title of a case just made."""
    title = case.get("title")
    return isinstance(title, str) and is_placeholder(title)


def _check_source_option(
    table: Table,
    options: _Options,
    existing: dict[str, list[RawItem]],
    imported: list[_Imported],
    problems: list[Problem],
) -> None:
    """Report, once, each `--source` id that names no source of the case (nor of the sheet)."""
    known = _ids(existing.get("sources", []))
    known |= {str(i.data.get("id")) for i in imported if i.collection == "sources"}
    for ident in options.sources:
        if ident not in known:
            hint = did_you_mean(ident, known) or "add it to the case's sources.yaml first"
            problems.append(
                Problem(Place(table.file), f"`--source {ident}` names no source of the case", hint)
            )


# --- Ids ---------------------------------------------------------------------------------


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


def _give_ids(
    imported: list[_Imported], existing: dict[str, list[RawItem]], problems: list[Problem]
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
    rows: dict[tuple[str, str], list[_Imported]] = {}
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


# --- Checking ----------------------------------------------------------------------------


@dataclass
class _Plan:
    """One imported item, checked: its merged values and its status."""

    item: _Imported
    data: dict[str, Any]
    status: Status
    changed: frozenset[str]


class _CellMap(SourceMap):
    """A source map whose places are the cells of one row: a field's cell, else the row."""

    def __init__(self, item: _Imported) -> None:
        super().__init__(item.row.place.file, Positions(None, [0]))
        self.item = item

    def locate(self, path: PathKey) -> Location:
        cell = self.item.cells.get(str(path[0])) if path else None
        place = cell.place if cell is not None else self.item.row.place
        return Location(f"\0{id(self.item)}", place.row, place.column)

    def locate_key(self, path: PathKey) -> Location:
        return self.locate(path)

    def written(self, path: PathKey) -> str | None:
        return None

    def written_near(self, path: PathKey) -> dict[int, str]:
        return {}


def _raw_item(item: _Imported, data: dict[str, Any]) -> RawItem:
    source_map = _CellMap(item)
    return RawItem(data, Document(source_map.file, data, source_map), ())


def _place_of(error: ContentError, item: _Imported) -> Place:
    """The cell (or row) a content error about `item` points at."""
    for cell in item.cells.values():
        if (cell.place.row, cell.place.column) == (error.location.line, error.location.column):
            return cell.place
    return item.row.place


def _check_items(
    imported: list[_Imported],
    existing: dict[str, list[RawItem]],
    raw_case: RawCase | None,
    case: str,
    problems: list[Problem],
) -> list[_Plan]:
    """Validate each row's item (merged into the item of its id, if the case has one) and
    its references; report every problem at its cell; return what to write."""
    by_id = {
        (name, raw.data["id"]): raw
        for name, items in existing.items()
        for raw in items
        if isinstance(raw.data, dict) and isinstance(raw.data.get("id"), str)
    }
    plans: list[_Plan] = []
    raw_items: dict[int, RawItem] = {}
    lacking: dict[tuple[str, str], list[_Imported]] = {}
    for item in imported:
        before = by_id.get((item.collection, item.ident)) if item.ident else None
        data = dict(before.data) if before is not None else {}
        for name in item.blank:
            data.pop(name, None)
        data.update(item.data)
        for name, value in item.defaults.items():
            data.setdefault(name, value)
        raw_items[id(item)] = _raw_item(item, data)
        errors: list[ContentError] = []
        _check_required(item, data, problems, lacking)
        model = COLLECTION_MODELS[item.collection]
        validated = check_item(raw_items[id(item)], model, errors)
        problems.extend(
            Problem(_place_of(e, item), e.message, e.hint)
            for e in errors
            if not e.message.startswith("missing field `")
        )
        if validated is None:
            continue
        status, changed = _status(before, validated, model, data)
        plans.append(_Plan(item, data, status, changed))
    _report_lacking(lacking, problems)
    _check_references(imported, raw_items, existing, raw_case, case, problems)
    return plans


def _check_required(
    item: _Imported,
    data: dict[str, Any],
    problems: list[Problem],
    lacking: dict[tuple[str, str], list[_Imported]],
) -> None:
    """Report each required field the row leaves out at its cell; collect in `lacking` the
    rows that need a column the sheet does not have."""
    model = COLLECTION_MODELS[item.collection]
    for name, info in model.model_fields.items():
        if not info.is_required() or name in data or name in item.mistaken:
            continue
        if name == "id" and item.derived:  # made from fields whose absence is reported
            continue
        if name in item.cells:
            problems.append(
                Problem(
                    item.cells[name].place,
                    f"`{name}` is required, and this cell is empty",
                    f"write {_described(model, name)}",
                )
            )
        else:
            lacking.setdefault((item.collection, name), []).append(item)


def _described(model: type[Model], name: str) -> str:
    """A field's description, to follow "write" in a hint: "a short headline"."""
    what = (model.model_fields[name].description or "").rstrip(".").split(". ")[0]
    return what[0].lower() + what[1:] if what else "it"


_LISTED_ROWS = 5


def _report_lacking(
    lacking: dict[tuple[str, str], list[_Imported]], problems: list[Problem]
) -> None:
    """Report each column the sheet lacks and some rows need: at the row when one does, else
    once at the header row, naming the rows."""
    for (collection, name), items in lacking.items():
        model = COLLECTION_MODELS[collection]
        hint = f"add a `{name}` column: {_described(model, name)}"
        if name == "sources":
            hint += "; or give the sources of every row with `--source ID`"
        if len(items) == 1:
            place = items[0].row.place
            problems.append(
                Problem(place, f"missing `{name}`: the sheet has no `{name}` column", hint)
            )
            continue
        numbers = [str(item.row.number) for item in items]
        shown = ", ".join(numbers[:_LISTED_ROWS]) + (", …" if len(numbers) > _LISTED_ROWS else "")
        header = items[0].row.place
        problems.append(
            Problem(
                Place(header.file, 1, 0, "", header.sheet),
                f"the sheet has no `{name}` column, which rows {shown} need",
                hint,
            )
        )


def _status(
    before: RawItem | None, validated: Model, model: type[Model], data: dict[str, Any]
) -> tuple[Status, frozenset[str]]:
    if before is None:
        return "new", frozenset(data)
    old = check_item(before, model, [])
    if old is None:
        keys = set(data) | set(before.data)
        return "changed", frozenset(k for k in keys if data.get(k) != before.data.get(k))
    changed = frozenset(
        name for name in model.model_fields if getattr(old, name) != getattr(validated, name)
    )
    return ("changed" if changed else "unchanged"), changed


def _check_references(
    imported: list[_Imported],
    raw_items: dict[int, RawItem],
    existing: dict[str, list[RawItem]],
    raw_case: RawCase | None,
    case: str,
    problems: list[Problem],
) -> None:
    """Check the ids each row names against the case and the other rows."""
    collections: dict[str, list[RawItem]] = {
        name: list(existing.get(name, [])) for name in COLLECTIONS
    }
    for name in {item.collection for item in imported}:
        replaced = {item.ident for item in imported if item.collection == name}
        kept = [i for i in existing.get(name, []) if i.data.get("id") not in replaced]
        collections[name] = kept + [raw_items[id(i)] for i in imported if i.collection == name]
    folder = raw_case.folder if raw_case is not None else case
    view = RawCase(case, folder, None, collections)
    errors: list[ContentError] = []
    references = References(view, errors)
    known_sources = references.known.get("sources", set())
    for item in imported:
        raw = raw_items[id(item)]
        references.check(raw, REFERENCES.get(item.collection, ()))
        if item.collection == "quotes":
            check_verbatim_in(raw, known_sources, errors)
    check_reserved_ids(view, errors)
    by_file = {f"\0{id(item)}": item for item in imported}
    for error in errors:
        about = by_file.get(error.location.file)
        if about is not None and not (
            "sources" in about.defaults and error.message.endswith("in `sources`")
        ):
            problems.append(Problem(_place_of(error, about), error.message, error.hint))


# --- Writing -----------------------------------------------------------------------------


def _collection_path(case_dir: Path, name: str) -> tuple[Path, bool]:
    """Where a collection is kept: its file (existing, or new), or its folder; and whether it
    is a folder."""
    for suffix in (".yaml", ".yml"):
        if (case_dir / f"{name}{suffix}").is_file():
            return case_dir / f"{name}{suffix}", False
    if (case_dir / name).is_dir():
        return case_dir / name, True
    return case_dir / f"{name}.yaml", False


def _files(
    case_dir: Path,
    plans: list[_Plan],
    existing: dict[str, list[RawItem]],
    raw_case: RawCase | None,
    case_plan: _Plan | None,
) -> tuple[dict[Path, str], list[ItemOutcome]]:
    """The text of every file to write, and each item's outcome."""
    files: dict[Path, str] = {}
    outcomes: list[ItemOutcome] = []
    if case_plan is not None:
        before = raw_case.case if raw_case is not None else None
        path = Path(before.document.file) if before is not None else case_dir / "case.yaml"
        write = ItemWrite(None, case_plan.data, case_plan.changed)
        order = list(Case.model_fields)
        if before is None:
            files[path] = edit_file(None, [], [write], order, frozenset(), as_list=False)
        elif case_plan.changed:
            files[path] = edit_file(path.read_text("utf-8"), [write], [], order, frozenset())
        outcomes.append(ItemOutcome("case", case_dir.name, case_plan.status, path))
    for name in dict.fromkeys(plan.item.collection for plan in plans):
        mine = [plan for plan in plans if plan.item.collection == name]
        where, folder = _collection_path(case_dir, name)
        model_order = list(COLLECTION_MODELS[name].model_fields)
        dates = frozenset(f for f in model_order if field_kind(name, f) == "date")
        if folder:
            texts = [p.read_text("utf-8") for p in sorted(where.glob("*.y*ml"))]
            order = field_order(model_order, [k for t in texts for k in key_orders(t)])
            for plan in mine:
                path = where / f"{plan.item.ident}.yaml"
                outcomes.append(ItemOutcome(name, str(plan.item.ident), plan.status, path))
                if plan.status == "unchanged":
                    continue
                write = ItemWrite(str(plan.item.ident), plan.data, plan.changed)
                old = _folder_item_path(where, str(plan.item.ident), existing.get(name, []))
                if plan.status == "new" or old is None:
                    files[path] = edit_file(None, [], [write], order, dates, as_list=False)
                else:
                    files[old] = edit_file(old.read_text("utf-8"), [write], [], order, dates)
            continue
        text = where.read_text("utf-8") if where.is_file() else None
        order = field_order(model_order, key_orders(text) if text else [])
        updates, additions = [], []
        for plan in mine:
            outcomes.append(ItemOutcome(name, str(plan.item.ident), plan.status, where))
            write = ItemWrite(str(plan.item.ident), plan.data, plan.changed)
            if plan.status == "changed":
                updates.append(write)
            elif plan.status == "new":
                additions.append(write)
        if updates or additions:
            files[where] = edit_file(text, updates, additions, order, dates)
    return files, outcomes


def _folder_item_path(folder: Path, ident: str, items: list[RawItem]) -> Path | None:
    """The file of a collection folder that holds the item `ident`."""
    for raw in items:
        if isinstance(raw.data, dict) and raw.data.get("id") == ident:
            return Path(raw.document.file)
    return None


def _write_files(files: dict[Path, str]) -> None:
    """Write every file, or none: each is written whole beside its place first, and only when
    all are written are they moved into place."""
    staged: list[tuple[Path, Path]] = []
    made: list[Path] = []
    try:
        for path, text in sorted(files.items()):
            for parent in reversed(path.parents):
                if not parent.exists():
                    parent.mkdir()
                    made.append(parent)
            partial = path.with_name(f".{path.name}.importing")
            staged.append((partial, path))
            with partial.open("w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
    except OSError as exc:
        for partial, _ in staged:
            partial.unlink(missing_ok=True)
        for folder in reversed(made):
            os.rmdir(folder)
        raise OutputError(
            f"could not write {exc.filename or 'a file'}: {exc.strerror or exc} — nothing was "
            "imported"
        ) from exc
    for partial, path in staged:
        os.replace(partial, path)
