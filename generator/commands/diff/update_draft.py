"""`explainer diff --suggest-update`: a draft entry of `updates` for each changed case's
case.yaml, saying in plain words what changed, for an editor to rewrite and paste.

The draft is a starting point, not a finished note: it names what changed, never why. A
change of existing facts (a date, words, a reference) drafts a `correction`; anything added
drafts an `update`.
"""

from __future__ import annotations

import datetime as dt
import textwrap

from generator.commands.diff.items import SITE_WIDE, ItemChange
from generator.commands.diff.review import Review

TEXT_WIDTH = 88
"""The draft's text is folded to this width, as case.yaml's long texts are."""
COLLECTION_NOUNS = {
    "case": "the overview",
    "parties": "party",
    "rulings": "ruling",
    "events": "event",
    "periods": "period",
    "quotes": "quote",
    "polls": "poll",
    "sources": "source",
    "glossary": "glossary term",
    "media": "picture or document",
}


def update_draft(result: Review, today: dt.date | None = None) -> str:
    """The drafts, each as YAML to paste under a case's `updates:`, headed by a comment
    naming the file; a comment alone when nothing in a case changed."""
    today = dt.date.today() if today is None else today
    by_case: dict[str, list[ItemChange]] = {}
    for change in result.items or ():
        if change.case != SITE_WIDE and change.language is None:
            by_case.setdefault(change.case, []).append(change)
    if not by_case:
        return "# nothing changed in any case: no update to suggest\n"
    blocks = []
    for case, changes in by_case.items():
        text = textwrap.fill(_sentence(changes), width=TEXT_WIDTH)
        blocks.append(
            f"# {case}: a draft for case.yaml's `updates:` list — say why, then paste it there\n"
            f"  - date: {today.isoformat()}\n"
            f"    kind: {_kind(changes)}\n"
            "    text: >-\n" + textwrap.indent(text, "      ") + "\n"
        )
    return "\n".join(blocks)


def _kind(changes: list[ItemChange]) -> str:
    return "correction" if all(c.change == "changed" for c in changes) else "update"


def _sentence(changes: list[ItemChange]) -> str:
    parts = [_part(change) for change in changes]
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def _part(change: ItemChange) -> str:
    noun = COLLECTION_NOUNS.get(change.collection, change.collection)
    named = noun if change.collection == "case" else f"the {noun} “{change.label}”"
    if change.change == "added":
        return f"added {named}"
    if change.change == "removed":
        return f"removed {named}"
    if change.change == "renamed":
        return f"moved {named} to a new address"
    described = []
    for one in change.fields:
        if one.kind == "date":
            described.append(f"its {one.field} from {one.before} to {one.after}")
        else:
            described.append(f"its {one.field}")
    return f"changed {named}: " + ", ".join(described) if described else f"changed {named}"
