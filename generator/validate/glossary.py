"""The glossary of each case: the site-wide terms (`content/glossary.yaml`) with the case's
own, and the rules a glossary keeps beyond its model.

A case's term replaces the site-wide term of the same id, so that a case can define a word
its own way. Site-wide terms cite no sources: sources belong to a case, and the site's
glossary is shared by every case. Every form (the term itself and each of its `forms`) is
linked from prose to one definition, so no two terms of a case may share a form (ignoring
case, spacing and hyphens); nor may one term list the same form twice.
"""

from __future__ import annotations

from generator.errors import ContentError, shorten
from generator.load.content import RawItem
from generator.models import Term


def check_site_glossary(
    items: list[tuple[Term, RawItem]], errors: list[ContentError]
) -> tuple[Term, ...]:
    """Report site-wide terms that cite sources; return the valid ones."""
    terms = []
    for term, item in items:
        if term.sources:
            errors.append(
                ContentError(
                    item.locate(("sources",)),
                    f"the site-wide term `{term.id}` cites sources, but sources belong to a case",
                    "define the term in the case's glossary.yaml to cite the case's sources, "
                    "or remove `sources`",
                )
            )
            continue
        terms.append(term)
    return tuple(terms)


def case_glossary(
    site_terms: tuple[Term, ...],
    case_terms: list[tuple[Term, RawItem]],
    errors: list[ContentError],
) -> tuple[Term, ...]:
    """The case's glossary: its own terms, then the site-wide ones it does not replace.

    Reports a form that two terms share, at the later one (a case's term is later than a
    site-wide one), and a form a term lists twice."""
    own = {term.id for term, _ in case_terms}
    shared = [t for t in site_terms if t.id not in own]
    claimed: dict[str, tuple[Term, str]] = {}
    ordered: list[tuple[Term, RawItem | None]] = [(t, None) for t in shared]
    ordered += list(case_terms)
    for term, item in ordered:
        for index, form in enumerate((term.term, *term.forms)):
            key = form_key(form)
            first = claimed.get(key)
            if first is None:
                claimed[key] = (term, form)
                continue
            if item is None:
                continue  # two site-wide terms: reported once, for the site's glossary
            path: tuple[str | int, ...] = ("term",) if index == 0 else ("forms", index - 1)
            other, other_form = first
            if other is term:
                message = f"`{shorten(form)}` is listed twice for the term `{term.id}`"
                hint = "keep one of them"
            else:
                message = (
                    f"`{shorten(form)}` is a form of two terms: `{other.id}` "
                    f"(as `{shorten(other_form)}`) and `{term.id}`"
                )
                hint = "a word links to one definition: keep the form in one term only"
            errors.append(ContentError(item.locate(path), message, hint))
    return tuple(t for t, _ in case_terms) + tuple(shared)


def form_key(form: str) -> str:
    """What two forms are compared by: their words, ignoring case, spacing and hyphens
    between words (`friend-of-the-court` is `friend of the court`)."""
    return " ".join(form.casefold().replace("-", " ").split())
