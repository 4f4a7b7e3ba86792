"""Reprs written out by hand, for speed, say what the generated ones say: every field, in
order. A page's fingerprint is a digest of its context's repr, so a field left out of one
would leave pages that show it unrendered after an edit of it."""

from __future__ import annotations

from dataclasses import fields

import pytest

from generator.build.record import view_fingerprint
from generator.plan.context import EventRun, Link, PartyView, YearGroup, YearLink
from generator.plan.languages import TextLanguage
from generator.plan.paging import PageLink

RUN = EventRun(None, [], "_period-p-2014", True)
WRITTEN_OUT = [
    Link("a", "Label", "c/parties/a/", TextLanguage("de", "ltr")),
    Link("b", "Other 'label'", "c/parties/b/"),
    RUN,
    YearGroup(2014, [], [RUN]),
    YearLink(2014, "c/timeline/#_year-2014", False),
    PageLink(2, "c/timeline/2/", "3 March 2014 – 9 June 2014", True),
]


def _generated(item: object) -> str:
    values = ", ".join(f"{f.name}={getattr(item, f.name)!r}" for f in fields(item))  # type: ignore[arg-type]
    return f"{type(item).__qualname__}({values})"


@pytest.mark.parametrize("item", WRITTEN_OUT, ids=lambda item: type(item).__name__)
def test_a_written_out_repr_is_the_generated_one(item: object) -> None:
    assert repr(item) == _generated(item)


def test_a_view_s_fingerprint_counts_every_field() -> None:
    party = PartyView.__new__(PartyView)
    values = {f.name: f"value of {f.name}" for f in fields(PartyView)}
    for name, value in values.items():
        object.__setattr__(party, name, value)
    first = view_fingerprint(party)
    for name in values:
        object.__setattr__(party, name, "changed")
        assert view_fingerprint(party) != first, name
        object.__setattr__(party, name, values[name])
    assert view_fingerprint(party) == first
