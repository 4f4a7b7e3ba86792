"""A review as text for a terminal, as Markdown for a pull-request comment, or as JSON for
tools (its shape: `schema/diff.schema.json`)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from generator.commands.check import Problem
from generator.commands.diff.items import FieldChange, ItemChange
from generator.commands.diff.review import Review
from generator.commands.diff.words import WordRun

JSON_FORMAT = 1
"""The version of the JSON's shape; a change that is not an addition bumps it."""
SHOWN_PAGES = 50
"""Pages listed by path in the Markdown; the counts by kind cover all of them."""
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
"""What could start formatting, a link, an image, HTML or a table cell in a comment."""


def format_review(result: Review, form: str) -> str:
    if form == "json":
        return json.dumps(review_json(result), indent=2, ensure_ascii=False) + "\n"
    if form == "markdown":
        return _markdown(result)
    return _text(result)


def _headline(result: Review) -> str:
    if result.items is None:
        return "the content does not load, so its items cannot be compared"
    counts = result.counts
    if not any(counts.values()):
        return "no change to the content"
    parts = [f"{n} {word}" for word, n in counts.items() if n]
    return f"{_plural(sum(counts.values()), 'item')}: " + ", ".join(parts)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun if count == 1 else noun + 's'}"


def grouped(items: Iterable[ItemChange]) -> dict[str, list[ItemChange]]:
    """The changes under their headings (`ItemChange.group`), in the order they come."""
    groups: dict[str, list[ItemChange]] = {}
    for change in items:
        groups.setdefault(change.group, []).append(change)
    return groups


# Text


def _text(result: Review) -> str:
    lines = [f"{result.before} → {result.after}: {_headline(result)}"]
    for name, changes in grouped(result.items or ()).items():
        lines += ["", name]
        for change in changes:
            lines.append("  " + _item_line(change))
            lines += ["      " + _field_text(one) for one in change.fields]
    if result.pages is not None:
        pages = result.pages
        lines += ["", f"pages that change: {pages.count}"]
        for kind, counts in pages.by_kind().items():
            shown = ", ".join(f"{n} {word}" for word, n in counts.items() if n)
            lines.append(f"  {kind}: {shown}")
        if pages.templates:
            lines.append(f"  templates changed: {', '.join(pages.templates)}")
        if pages.statics:
            lines.append(f"  static files changed: {', '.join(pages.statics)}")
    lines += _problems_text(result)
    return "\n".join(lines) + "\n"


def _item_line(change: ItemChange) -> str:
    renamed = f" (was {change.old_id})" if change.old_id else ""
    where = f" at {change.location}" if change.location is not None else ""
    label = f" “{change.label}”" if change.label != change.id else ""
    return f"{change.change} {change.id}{renamed}{label}{where}"


def _field_text(one: FieldChange) -> str:
    if one.kind == "words" and one.before is not None and one.after is not None:
        return f"{one.field}: " + "".join(_run_text(run) for run in one.words)
    if one.added or one.removed:
        return f"{one.field}: " + "; ".join(list_changes(one, str))
    return f"{one.field}: {_value(one.before)} → {_value(one.after)}"


def list_changes(one: FieldChange, escape: Callable[[str], str]) -> list[str]:
    """What a list of references gained and lost, or that only its order changed."""
    parts = []
    if one.added:
        parts.append("added " + ", ".join(escape(entry) for entry in one.added))
    if one.removed:
        parts.append("removed " + ", ".join(escape(entry) for entry in one.removed))
    return parts


def _run_text(run: WordRun) -> str:
    if run.op == "removed":
        return f"[-{run.text}-]"
    if run.op == "added":
        return f"{{+{run.text}+}}"
    return run.text


def _value(text: str | None) -> str:
    return "(not set)" if text is None else text


def _problems_text(result: Review) -> list[str]:
    lines = []
    if result.new_problems:
        lines += ["", f"problems this change brings in: {len(result.new_problems)}"]
        lines += [f"  {_problem_text(p)}" for p in result.new_problems]
    if result.fixed_problems:
        lines += ["", f"problems this change fixes: {len(result.fixed_problems)}"]
        lines += [f"  {_problem_text(p)}" for p in result.fixed_problems]
    return lines


def _problem_text(problem: Problem) -> str:
    hint = f" — {problem.hint}" if problem.hint else ""
    return f"{problem.location}: {problem.severity}: {problem.message}{hint}"


# Markdown


def escape_markdown(text: str) -> str:
    """Editors' words shown as they are in a comment: no formatting, link, image, HTML or
    mention of a person of theirs takes effect."""
    one_line = " ".join(text.split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line).replace("@", "@\u2060")


def _markdown(result: Review) -> str:
    lines = [
        f"## Content changes: {escape_markdown(result.before)} → {escape_markdown(result.after)}",
        "",
        f"**{_headline(result).capitalize()}**"
        + (f" · {_plural(result.pages.count, 'page')} change" if result.pages else "")
        + (f" · {_plural(len(result.new_problems), 'new problem')}" if result.new_problems else ""),
    ]
    if result.new_problems:
        lines += ["", "### Problems this change brings in", ""]
        lines += [f"- {_problem_markdown(p)}" for p in result.new_problems]
    for name, changes in grouped(result.items or ()).items():
        lines += ["", f"### {escape_markdown(name)}", ""]
        for change in changes:
            lines.append(f"- {_item_markdown(change)}")
            lines += [f"  - {_field_markdown(one)}" for one in change.fields]
    if result.pages is not None and result.pages.count:
        lines += _pages_markdown(result)
    if result.fixed_problems:
        lines += ["", "### Problems this change fixes", ""]
        lines += [f"- {_problem_markdown(p)}" for p in result.fixed_problems]
    return "\n".join(lines) + "\n"


def _item_markdown(change: ItemChange) -> str:
    renamed = f" (was `{change.old_id}`)" if change.old_id else ""
    label = f" “{escape_markdown(change.label)}”" if change.label != change.id else ""
    where = f" — `{change.location}`" if change.location is not None else ""
    return f"**{change.change}** `{change.id}`{renamed}{label}{where}"


def _field_markdown(one: FieldChange) -> str:
    name = f"**{one.field}**"
    if one.kind == "words" and one.before is not None and one.after is not None:
        return f"{name}: " + "".join(_run_markdown(run) for run in one.words)
    if one.added or one.removed:
        return f"{name}: " + "; ".join(list_changes(one, escape_markdown))
    return f"{name}: {_value_markdown(one.before)} → {_value_markdown(one.after)}"


def _run_markdown(run: WordRun) -> str:
    text = escape_markdown(run.text)
    if not text.strip():
        return " "
    lead = " " if run.text[:1].isspace() else ""
    trail = " " if run.text[-1:].isspace() else ""
    if run.op == "removed":
        return f"{lead}~~{text.strip()}~~{trail}"
    if run.op == "added":
        return f"{lead}<ins>{text.strip()}</ins>{trail}"
    return f"{lead}{text.strip()}{trail}"


def _value_markdown(text: str | None) -> str:
    return "_not set_" if text is None else escape_markdown(text)


def _problem_markdown(problem: Problem) -> str:
    hint = f" — {escape_markdown(problem.hint)}" if problem.hint else ""
    return f"**{problem.severity}** `{problem.location}`: {escape_markdown(problem.message)}{hint}"


def _pages_markdown(result: Review) -> list[str]:
    pages = result.pages
    assert pages is not None
    lines = ["", f"### Pages that change ({pages.count})", ""]
    lines += ["| Kind | Added | Removed | Changed |", "|---|---:|---:|---:|"]
    for kind, counts in pages.by_kind().items():
        lines.append(f"| {kind} | {counts['added']} | {counts['removed']} | {counts['changed']} |")
    if pages.templates:
        lines += ["", "Templates changed: " + ", ".join(f"`{t}`" for t in pages.templates)]
    if pages.statics:
        lines += ["", "Static files changed: " + ", ".join(f"`{s}`" for s in pages.statics)]
    every = [
        *((p, "added") for p in pages.added),
        *((p, "removed") for p in pages.removed),
        *((p, "changed") for p in pages.changed),
    ]
    lines += ["", "<details><summary>Every page</summary>", ""]
    lines += [f"- `{path}` ({change})" for path, change in sorted(every)[:SHOWN_PAGES]]
    if len(every) > SHOWN_PAGES:
        lines.append(f"- … and {len(every) - SHOWN_PAGES} more")
    lines += ["", "</details>"]
    return lines


# JSON


def review_json(result: Review) -> dict[str, Any]:
    """The review as plain values, in the shape `schema/diff.schema.json` describes."""
    pages = result.pages
    return {
        "format": JSON_FORMAT,
        "before": result.before,
        "after": result.after,
        "loads": result.loads,
        "summary": {
            **result.counts,
            "pages": pages.count if pages is not None else None,
            "new_problems": len(result.new_problems),
            "fixed_problems": len(result.fixed_problems),
            "errors_before": result.errors_before,
            "errors_after": result.errors_after,
        },
        "items": None if result.items is None else [_item_json(c, result) for c in result.items],
        "pages": None
        if pages is None
        else {
            "added": sorted(pages.added),
            "removed": sorted(pages.removed),
            "changed": sorted(pages.changed),
            "by_kind": pages.by_kind(),
            "templates": list(pages.templates),
            "statics": list(pages.statics),
        },
        "new_problems": [_problem_json(p) for p in result.new_problems],
        "fixed_problems": [_problem_json(p) for p in result.fixed_problems],
    }


def _item_json(change: ItemChange, result: Review) -> dict[str, Any]:
    where = change.location
    url = (
        None
        if change.change == "removed"
        else result.urls.get((change.case, change.collection, change.id))
    )
    return {
        "case": change.case or None,
        "collection": change.collection,
        "language": change.language,
        "change": change.change,
        "id": change.id,
        "old_id": change.old_id,
        "label": change.label,
        "location": None
        if where is None
        else {"file": where.file, "line": where.line, "column": where.column},
        "url": url,
        "fields": [
            {
                "field": one.field,
                "kind": one.kind,
                "before": one.before,
                "after": one.after,
                "words": [{"op": run.op, "text": run.text} for run in one.words],
                "added": list(one.added),
                "removed": list(one.removed),
            }
            for one in change.fields
        ],
    }


def _problem_json(problem: Problem) -> dict[str, Any]:
    where = problem.location
    return {
        "file": where.file,
        "line": where.line,
        "column": where.column,
        "severity": problem.severity,
        "message": problem.message,
        "hint": problem.hint,
    }
