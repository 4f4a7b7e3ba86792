"""Validation of the imported items.

A row's item is validated as `explainer check` validates one item, its references checked
against the case and the other rows, with did-you-mean; every problem is reported at its cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from generator.commands.spreadsheet.problems import Place, Problem
from generator.commands.spreadsheet.rows import Imported
from generator.errors import ContentError, Location
from generator.load.content import COLLECTIONS, RawCase, RawItem
from generator.load.document import Document, SourceMap
from generator.load.yaml_positions import PathKey, Positions
from generator.models import COLLECTION_MODELS, Model
from generator.validate.ids import (
    REFERENCES,
    References,
    check_reserved_ids,
    check_verbatim_in,
)
from generator.validate.items import check_item

Status = Literal["new", "changed", "unchanged"]


@dataclass
class Plan:
    """One imported item, checked: its merged values and its status."""

    item: Imported
    data: dict[str, Any]
    status: Status
    changed: frozenset[str]


class _CellMap(SourceMap):
    """A source map whose places are the cells of one row: a field's cell, else the row."""

    def __init__(self, item: Imported) -> None:
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


def raw_item(item: Imported, data: dict[str, Any]) -> RawItem:
    source_map = _CellMap(item)
    return RawItem(data, Document(source_map.file, data, source_map), ())


def place_of(error: ContentError, item: Imported) -> Place:
    """The cell (or row) a content error about `item` points at."""
    for cell in item.cells.values():
        if (cell.place.row, cell.place.column) == (error.location.line, error.location.column):
            return cell.place
    return item.row.place


def check_items(
    imported: list[Imported],
    existing: dict[str, list[RawItem]],
    raw_case: RawCase | None,
    case: str,
    problems: list[Problem],
) -> list[Plan]:
    """Validate each row's item (merged into the item of its id, if the case has one) and
    its references; report every problem at its cell; return what to write."""
    by_id = {
        (name, raw.data["id"]): raw
        for name, items in existing.items()
        for raw in items
        if isinstance(raw.data, dict) and isinstance(raw.data.get("id"), str)
    }
    plans: list[Plan] = []
    raw_items: dict[int, RawItem] = {}
    lacking: dict[tuple[str, str], list[Imported]] = {}
    for item in imported:
        before = by_id.get((item.collection, item.ident)) if item.ident else None
        data = dict(before.data) if before is not None else {}
        for name in item.blank:
            data.pop(name, None)
        data.update(item.data)
        for name, value in item.defaults.items():
            data.setdefault(name, value)
        raw_items[id(item)] = raw_item(item, data)
        errors: list[ContentError] = []
        _check_required(item, data, problems, lacking)
        model = COLLECTION_MODELS[item.collection]
        validated = check_item(raw_items[id(item)], model, errors)
        problems.extend(
            Problem(place_of(e, item), e.message, e.hint)
            for e in errors
            if not e.message.startswith("missing field `")
        )
        if validated is None:
            continue
        status, changed = _status(before, validated, model, data)
        plans.append(Plan(item, data, status, changed))
    _report_lacking(lacking, problems)
    _check_references(imported, raw_items, existing, raw_case, case, problems)
    return plans


def _check_required(
    item: Imported,
    data: dict[str, Any],
    problems: list[Problem],
    lacking: dict[tuple[str, str], list[Imported]],
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
    lacking: dict[tuple[str, str], list[Imported]], problems: list[Problem]
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
    imported: list[Imported],
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
            problems.append(Problem(place_of(error, about), error.message, error.hint))
