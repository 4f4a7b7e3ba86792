"""`explainer check`: errors from load and validate, warnings about valid but doubtful content.

Warnings are looked for only in content without errors, because they read the validated
models; each is placed at the YAML that causes it through the loader's source map. A problem
is printed as text for people, as GitHub Actions workflow commands for pull requests, or as
JSON for other tools.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from generator.commands.glossary_warnings import glossary_warnings
from generator.commands.scaffold import is_placeholder
from generator.dates import PartialDate
from generator.errors import ContentError, ContentErrors, Location, format_text
from generator.load.content import COLLECTIONS, PathKey, RawCase, RawContent, RawItem, load_content
from generator.models import Model
from generator.plan.timeline import periods_of
from generator.validate.content import CaseContent, SiteContent, validate_content
from generator.validate.translation_warnings import translation_warnings

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """An error or a warning, at the place in the content that causes it."""

    location: Location
    severity: Severity
    message: str
    hint: str = field(default="", compare=False)
    title: str = field(default="Content error", compare=False)
    """A short name of the kind of problem, for GitHub's annotation heading."""


@dataclass(frozen=True)
class CheckResult:
    errors: list[ContentError]
    warnings: list[Problem]
    cases: int = 0
    items: int = 0

    @property
    def problems(self) -> list[Problem]:
        found = [Problem(e.location, "error", e.message, e.hint) for e in self.errors]
        return sorted(found + self.warnings)


def run_check(content_dir: Path, today: dt.date | None = None) -> CheckResult:
    """Load and validate `content_dir`; look for warnings only when there is no error."""
    try:
        raw = load_content(content_dir)
        content = validate_content(raw)
    except ContentErrors as exc:
        return CheckResult(exc.errors, [])
    items = sum(len(getattr(case, name)) for case in content.cases for name in COLLECTIONS)
    return CheckResult([], find_warnings(raw, content, today), len(content.cases), items)


def find_warnings(
    raw: RawContent, content: SiteContent, today: dt.date | None = None
) -> list[Problem]:
    """Return the warnings of valid content, sorted; `today` defaults to the real today."""
    today = dt.date.today() if today is None else today
    validated = {case.slug: case for case in content.cases}
    warnings: list[Problem] = []
    for raw_case in raw.cases:
        case = validated[raw_case.slug]
        read = _Fields(list(_items(raw_case, case)), today)
        warnings.extend(_no_key_quote(raw_case, case))
        warnings.extend(_overview_fields(raw_case, case))
        warnings.extend(_uncited_sources(raw_case, case, read))
        warnings.extend(_unused_media(raw_case, case, read))
        warnings.extend(_empty_periods(raw_case, case))
        warnings.extend(_future_dates(read))
        warnings.extend(_examples_left(read))
    glossaries = [(c.collections.get("glossary", []), validated[c.slug]) for c in raw.cases]
    warnings.extend(
        Problem(w.location, "warning", w.message, w.hint, w.title)
        for w in glossary_warnings(glossaries, raw.glossary)
    )
    warnings.extend(
        Problem(w.location, "warning", w.message, w.hint, w.title)
        for w in translation_warnings(content)
    )
    return sorted(warnings)


def _items(raw_case: RawCase, case: CaseContent) -> Iterator[tuple[RawItem, Model]]:
    """Pair each validated item with the raw item it came from, case.yaml first.

    Validation keeps the editor's order and drops nothing from content without errors.
    """
    if raw_case.case is not None:
        yield raw_case.case, case.case
    for name in COLLECTIONS:
        items = raw_case.collections.get(name, [])
        # A case's glossary lists its own terms first, then the site-wide ones.
        models = case.glossary[: len(items)] if name == "glossary" else getattr(case, name)
        yield from zip(items, models, strict=True)


def _no_key_quote(raw_case: RawCase, case: CaseContent) -> list[Problem]:
    """A case whose quotes are all ordinary shows no key quotes on its overview.

    A case without any quote is not warned about: it may simply have none yet.
    """
    if not case.quotes or any(quote.key for quote in case.quotes) or raw_case.case is None:
        return []
    raw = raw_case.case
    has_title = isinstance(raw.data, dict) and "title" in raw.data
    where = raw.locate_key(("title",)) if has_title else Location(raw.document.file)
    return [
        Problem(
            where,
            "warning",
            "no quote of this case is marked as key, so its overview shows no key quotes",
            "add `key: true` to the quote that best sums up the case",
            "No key quote",
        )
    ]


def _overview_fields(raw_case: RawCase, case: CaseContent) -> list[Problem]:
    """A resolved case with a `next_step`, which the overview shows only while a case is
    ongoing. (A case without `in_brief` is not warned about: its overview starts with the
    summary, as it may.)"""
    raw = raw_case.case
    if raw is None or case.case.status != "resolved" or case.case.next_step is None:
        return []
    return [
        Problem(
            raw.locate_key(("next_step",)),
            "warning",
            "`next_step` is not shown, because the case is resolved",
            "delete `next_step`, or set `status: ongoing` if the case goes on",
            "Next step of a resolved case",
        )
    ]


def _uncited_sources(raw_case: RawCase, case: CaseContent, read: _Fields) -> list[Problem]:
    return [
        Problem(
            raw.locate(("id",)),
            "warning",
            f"source `{source.id}` is not cited by anything",
            f"add `{source.id}` to the `sources` of what it supports, or delete the source",
            "Uncited source",
        )
        for raw, source in zip(raw_case.collections.get("sources", []), case.sources, strict=True)
        if source.id not in read.cited
    ]


def _empty_periods(raw_case: RawCase, case: CaseContent) -> list[Problem]:
    """Periods no event falls in (`plan.timeline.periods_of`): the timeline shows them nowhere."""
    if not case.periods:
        return []
    held = {period.id for period in periods_of(case.events, case.periods).values()}
    return [
        Problem(
            raw.locate(("id",)),
            "warning",
            f"period `{period.id}` holds no event, so the timeline does not show it",
            "check its `start` and `end` (where periods overlap, an event shows in the one"
            " that starts latest), or delete the period",
            "Empty period",
        )
        for raw, period in zip(raw_case.collections.get("periods", []), case.periods, strict=True)
        if period.id not in held
    ]


def _unused_media(raw_case: RawCase, case: CaseContent, read: _Fields) -> list[Problem]:
    """Media items that no `image` or `portrait` names: published nowhere on the site."""
    return [
        Problem(
            raw.locate(("id",)),
            "warning",
            f"media item `{media.id}` is not shown by anything",
            f"name `{media.id}` in the `image` of what it illustrates, or delete the item",
            "Unused media item",
        )
        for raw, media in zip(raw_case.collections.get("media", []), case.media, strict=True)
        if media.id not in read.shown
    ]


def _future_dates(read: _Fields) -> list[Problem]:
    """Dates whose earliest possible day is after `today`: `2031` is future, this month is not."""
    return [
        Problem(
            _locate_date(raw, path),
            "warning",
            f"`{_name(path)}` is {value.iso}, which is in the future",
            "check the date for a typo; content records only what has already happened",
            "Date in the future",
        )
        for raw, path, value in read.future
    ]


def _examples_left(read: _Fields) -> list[Problem]:
    """Items still holding an example value `explainer new` wrote: once per item, at the
    first such field, since a case full of placeholders is otherwise valid."""
    return [
        Problem(
            raw.locate(path),
            "warning",
            f"`{_name(path)}` still holds an example written by `explainer new`",
            "replace the example values of this item, or delete the item",
            "Example left in",
        )
        for raw, path in read.examples
    ]


class _Fields:
    """What the warnings about values need of a case's items, read in one walk over every
    field of every item and of the models nested in them: the sources cited, the media
    shown, the dates after `today`, and each item's first example left in."""

    def __init__(self, pairs: list[tuple[RawItem, Model]], today: dt.date) -> None:
        self.cited: set[Any] = set()
        self.shown: set[str] = set()
        self.future: list[tuple[RawItem, PathKey, PartialDate]] = []
        self.examples: list[tuple[RawItem, PathKey]] = []
        self._today = today
        self._example: PathKey | None = None
        for raw, model in pairs:
            self._raw, self._example = raw, None
            self._model(model, ())
            if self._example is not None:
                self.examples.append((raw, self._example))

    def _model(self, model: Model, path: PathKey) -> None:
        for name in type(model).model_fields:
            self._value(getattr(model, name), path, name)

    def _value(self, value: Any, parent: PathKey, step: str | int) -> None:
        """Read `value`, at `step` inside `parent` (a path made only when it is needed)."""
        if isinstance(value, str):
            if step in ("image", "portrait"):
                self.shown.add(value)
            if self._example is None and is_placeholder(value):
                self._example = (*parent, step)
        elif isinstance(value, PartialDate):
            if value.first_day() > self._today:
                self.future.append((self._raw, (*parent, step), value))
        elif isinstance(value, Model):
            self._model(value, (*parent, step))
        elif isinstance(value, (list, tuple)):
            if step == "sources" and isinstance(value, list):
                self.cited.update(value)
            path = (*parent, step)
            for index, child in enumerate(value):
                self._value(child, path, index)


def _locate_date(raw: RawItem, path: PathKey) -> Location:
    """Point at the date itself, also when written as `{date: 2014-07, approximate: true}`."""
    written = _raw_value(raw.data, path)
    return raw.locate((*path, "date") if isinstance(written, dict) else path)


def _raw_value(data: Any, path: PathKey) -> Any:
    try:
        for step in path:
            data = data[step]
    except (KeyError, IndexError, TypeError):
        return None
    return data


def _name(path: PathKey) -> str:
    return next(str(step) for step in reversed(path) if isinstance(step, str))


def report(result: CheckResult, form: str, cwd: Path | None = None) -> str:
    """The whole report as `text`, `github` or `json`, ending in a newline."""
    if form == "github":
        return format_github(result.problems, Path.cwd() if cwd is None else cwd)
    if form == "json":
        return format_json(result.problems)
    return format_report_text(result)


def format_report_text(result: CheckResult) -> str:
    if result.errors:
        return format_text(result.errors) + "\n"
    lines = [f"{w.location}: warning: {_with_hint(w)}" for w in result.warnings]
    if result.warnings:
        count = len(result.warnings)
        lines.append(f"{count} {'warning' if count == 1 else 'warnings'} found, no errors")
    else:
        lines.append(f"ok: {result.cases} case(s), {result.items} items, no errors")
    return "\n".join(lines) + "\n"


def format_github(problems: Iterable[Problem], cwd: Path) -> str:
    """One workflow command per problem, escaped as GitHub documents for workflow commands."""
    return "".join(_github_command(problem, cwd) + "\n" for problem in problems)


def _github_command(problem: Problem, cwd: Path) -> str:
    where = problem.location
    properties = [("file", _relative(where.file, cwd))]
    if where.line:
        properties += [("line", str(where.line)), ("col", str(where.column))]
    properties.append(("title", problem.title))
    listed = ",".join(f"{name}={_escape_property(value)}" for name, value in properties)
    return f"::{problem.severity} {listed}::{_escape_data(_with_hint(problem))}"


def _relative(file: str, cwd: Path) -> str:
    path = Path(file)
    for candidate, base in ((path.absolute(), cwd.absolute()), (path.resolve(), cwd.resolve())):
        if candidate.is_relative_to(base):
            return candidate.relative_to(base).as_posix()
    return file


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_json(problems: Iterable[Problem]) -> str:
    listed = [
        {
            "file": p.location.file,
            "line": p.location.line,
            "column": p.location.column,
            "severity": p.severity,
            "message": p.message,
            "hint": p.hint,
        }
        for p in problems
    ]
    return json.dumps(listed, indent=2, ensure_ascii=False) + "\n"


def _with_hint(problem: Problem) -> str:
    return f"{problem.message} — {problem.hint}" if problem.hint else problem.message
