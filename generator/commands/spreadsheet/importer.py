"""`explainer import`: a spreadsheet's rows into a case's YAML, checked before anything is written.

Input: a table (`tables`), a collection (events, quotes, parties or sources) and a case.
Output: the files written (none on `dry_run`) and, per item, whether it is new, changed or
unchanged. Each row is read as an item (`rows`), given its id (`item_ids`) and validated
(`item_checks`). Every problem is collected and raised at once as `ImportProblems`, each at
its cell; then nothing is written. Otherwise the files are written as an editor would have
(`yaml_writer`), all of them or none.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.commands.scaffold import is_placeholder
from generator.commands.spreadsheet.columns import KINDS, field_kind
from generator.commands.spreadsheet.item_checks import (
    Plan,
    Status,
    check_items,
    place_of,
    raw_item,
)
from generator.commands.spreadsheet.item_ids import give_ids
from generator.commands.spreadsheet.problems import ImportProblems, Place, Problem, UsageError
from generator.commands.spreadsheet.rows import (
    DEFAULT_EVENT_KIND,
    Imported,
    Options,
    cell_place,
    check_header,
    own_row,
    timeline_row,
)
from generator.commands.spreadsheet.tables import Row, Table, read_table
from generator.commands.spreadsheet.timelinejs import is_timelinejs, skipped_columns
from generator.commands.spreadsheet.yaml_writer import ItemWrite, edit_file, field_order, key_orders
from generator.errors import ContentError, OutputError, did_you_mean
from generator.load.content import RawCase, RawItem, load_content
from generator.models import COLLECTION_MODELS, SLUG_PATTERN, Case
from generator.validate.ids import RESERVED_CASE_SLUGS
from generator.validate.items import check_item

_SLUG = re.compile(SLUG_PATTERN)
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
    options = Options(tuple(sources), event_kind or DEFAULT_EVENT_KIND)
    timeline = is_timelinejs(table.names)
    if not check_header(table, kind, timeline, problems):
        raise ImportProblems(problems)
    media = existing.get("media", [])
    media_ids = _ids(media) if media and "media" in COLLECTION_MODELS else None
    imported: list[Imported] = []
    for row in table.rows:
        if timeline:
            item = timeline_row(row, kind, media_ids, options, problems)
        else:
            item = own_row(row, kind, options, problems)
        if item is not None:
            imported.append(item)
    if timeline:
        filled = [{name: cell.text for name, cell in row.cells.items()} for row in table.rows]
        notes.extend(f"{s.message}: {s.hint}" for s in skipped_columns(filled, media_ids))
    titles = [item for item in imported if item.collection == "case"]
    imported = [item for item in imported if item.collection != "case"]
    case_plan = _case_plan(raw_case, titles, problems, notes)
    _check_source_option(table, options, existing, imported, problems)
    give_ids(imported, existing, problems)
    plans = check_items(imported, existing, raw_case, case, problems)
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


def _case_plan(
    raw_case: RawCase | None, titles: list[Imported], problems: list[Problem], notes: list[str]
) -> Plan | None:
    """What a TimelineJS title row makes of case.yaml: the title and summary of a new case,
    or of one whose case.yaml still holds the placeholders an import or `explainer new` left;
    None when case.yaml stays as it is."""
    for extra in titles[1:]:
        problems.append(
            Problem(
                cell_place(extra.row, "Type"),
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
        return Plan(Imported(Row(0, Place("")), "case", {}, set(), {}), data, "new", frozenset())
    item = titles[0]
    errors: list[ContentError] = []
    if check_item(raw_item(item, data), Case, errors) is None:
        problems.extend(Problem(place_of(e, item), e.message, e.hint) for e in errors)
    changed = frozenset(k for k in data if old is None or data[k] != old.get(k))
    return Plan(item, data, "new" if old is None else "changed", changed)


def _unfinished(case: dict[str, Any]) -> bool:
    """Whether case.yaml still holds the placeholder title of a case just made."""
    title = case.get("title")
    return isinstance(title, str) and is_placeholder(title)


def _check_source_option(
    table: Table,
    options: Options,
    existing: dict[str, list[RawItem]],
    imported: list[Imported],
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
    plans: list[Plan],
    existing: dict[str, list[RawItem]],
    raw_case: RawCase | None,
    case_plan: Plan | None,
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
