"""What `explainer check` says about glossaries: terms that no prose uses, and words of prose
that look like a term but would not link.

Prose is what pages link terms in: the Markdown fields of a case (`CaseContent.prose`:
summary, in-brief points, updates, conflicts, party and poll summaries, holdings, event
bodies, quote contexts), converted as pages show them, outside links, code, quotations and
headings. Definitions do not count: a term used only in another's definition is found only
from the glossary page.

A word looks like a term when it is a term or form with `s` or `es` added (`warrants` for
`warrant`, `subpoenas` for `subpoena`) that is not itself a form: plural forms must be
listed to link. A possessive (`warrant's`) needs nothing: the term links with it. Other
inflections (`vacating` for `vacate`) are not looked for.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.commands.scaffold import is_placeholder
from generator.errors import Location
from generator.load.content import RawItem
from generator.models import Term
from generator.render.markdown import markdown_to_html
from generator.render.terms import term_uses
from generator.validate.content import CaseContent
from generator.validate.glossary import form_key


@dataclass(frozen=True)
class GlossaryWarning:
    location: Location
    message: str
    hint: str
    title: str


def used_terms(case: CaseContent) -> tuple[set[str], dict[str, set[str]]]:
    """The ids of the case's terms that its prose uses, and the unlisted plurals it writes
    (term id → the words as written)."""
    forms = tuple((form, t.id) for t in case.glossary for form in (t.term, *t.forms))
    listed = {form_key(form) for form, _ in forms}
    plurals = tuple(
        (f"{form}{ending}", ident)
        for form, ident in forms
        for ending in ("s", "es")
        if form_key(f"{form}{ending}") not in listed
    )
    used: set[str] = set()
    unlisted: dict[str, set[str]] = {}
    for text in case.prose():
        converted = markdown_to_html(text)
        used.update(ident for ident, _ in term_uses(converted, forms))
        for ident, words in term_uses(converted, plurals):
            unlisted.setdefault(ident, set()).add(words)
    return used, unlisted


def glossary_warnings(
    cases: list[tuple[list[RawItem], CaseContent]], site_items: list[RawItem]
) -> Iterator[GlossaryWarning]:
    """Warn about each term no prose of its case uses (a site-wide term: of any case), and
    each unlisted plural of a term that prose writes, at the term."""
    site_used: set[str] = set()
    site_plurals: dict[str, set[str]] = {}
    for items, case in cases:
        if not case.glossary:
            continue
        used, unlisted = used_terms(case)
        site_used |= used
        own = case.glossary[: len(items)]
        for item, term in zip(items, own, strict=True):
            yield from _term_warnings(item, term, term.id in used, unlisted.get(term.id, set()))
        for term in case.glossary[len(items) :]:
            site_plurals.setdefault(term.id, set()).update(unlisted.get(term.id, set()))
    site_terms = {t.id: t for items, case in cases for t in case.glossary[len(items) :]}
    for item in site_items:
        ident = item.data.get("id") if isinstance(item.data, dict) else None
        shared = site_terms.get(ident) if isinstance(ident, str) else None
        if shared is not None:
            yield from _term_warnings(
                item, shared, shared.id in site_used, site_plurals.get(shared.id, set())
            )


def _term_warnings(
    item: RawItem, term: Term, used: bool, unlisted: set[str]
) -> Iterator[GlossaryWarning]:
    if is_placeholder(term.term):
        return  # an example left by `explainer new`, which check reports already
    if not used:
        yield GlossaryWarning(
            item.locate(("term",)),
            f"the term `{term.id}` is not used in any prose, so no page links to it",
            "use the term or one of its forms in a summary, body, holding or context, "
            "add the form the prose uses to `forms`, or delete the term",
            "Unused term",
        )
    for words in sorted(unlisted, key=str.casefold):
        yield GlossaryWarning(
            item.locate(("forms",) if term.forms else ("term",)),
            f"prose writes `{words}`, which is not a form of the term `{term.id}` and so is "
            "not linked",
            f"add `{words.casefold()}` to the term's `forms`",
            "Unlisted term form",
        )
