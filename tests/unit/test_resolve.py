"""Resolving a case into views: a quote's sources, split into the one that prints its words
and the ones that corroborate them."""

from __future__ import annotations

from pathlib import Path

from generator.load.content import load_content
from generator.plan.context import QuoteView
from generator.plan.resolve import case_view
from generator.validate.content import validate_content
from tests.conftest import minimal_site, write_tree

SOURCES = """\
- id: report
  title: A report
  publisher: The Paper
  url: https://example.org/report
- id: blog
  title: Your email belongs to you
  publisher: A Blog
  url: https://example.org/blog
- id: wire
  title: Wire story
  publisher: The Wire
  url: https://example.org/wire
"""
PARTIES = """\
- id: speaker
  name: A Speaker
  kind: person
  role: Speaks
"""


def _quote(tmp_path: Path, sources: str, verbatim_in: str) -> QuoteView:
    """The view of a one-quote case whose quote cites `sources` (YAML) and `verbatim_in`."""
    quotes = f"""\
    - id: said
      text: Words.
      speaker: speaker
      said_on: 2014-08-27
      venue: Blog
      sources: {sources}
      verbatim_in: {verbatim_in}
    """
    files = minimal_site(
        **{"sources.yaml": SOURCES, "parties.yaml": PARTIES, "quotes.yaml": quotes}
    )
    content = validate_content(load_content(write_tree(tmp_path / "content", files)))
    (quote,) = case_view(content.cases[0]).quotes
    return quote


def test_quote_names_the_citation_of_the_source_that_prints_its_words(tmp_path: Path) -> None:
    quote = _quote(tmp_path, "[wire, blog, report]", "blog")
    assert (quote.verbatim_in.id, quote.verbatim_in.number) == ("blog", 2)
    assert (quote.verbatim_in.title, quote.verbatim_in.publisher) == (
        "Your email belongs to you",
        "A Blog",
    )
    assert quote.verbatim_in.source_url == "https://example.org/blog"
    assert quote.verbatim_in.url == "demo/sources/#blog"


def test_quote_is_corroborated_by_its_other_sources_in_the_order_of_its_citations(
    tmp_path: Path,
) -> None:
    quote = _quote(tmp_path, "[wire, blog, report]", "blog")
    assert [c.id for c in quote.corroborated_by] == ["report", "wire"]
    assert [c.id for c in quote.sources] == ["report", "blog", "wire"]


def test_quote_shares_the_citation_objects_of_its_sources(tmp_path: Path) -> None:
    quote = _quote(tmp_path, "[wire, blog, report]", "wire")
    by_id = {c.id: c for c in quote.sources}
    assert quote.verbatim_in is by_id["wire"]
    assert all(c is by_id[c.id] for c in quote.corroborated_by)


def test_quote_of_one_source_is_corroborated_by_none(tmp_path: Path) -> None:
    quote = _quote(tmp_path, "[report]", "report")
    assert quote.verbatim_in.id == "report"
    assert quote.corroborated_by == []


def test_source_listed_twice_neither_corroborates_itself_nor_repeats(tmp_path: Path) -> None:
    quote = _quote(tmp_path, "[blog, report, blog, report]", "blog")
    assert [c.id for c in quote.corroborated_by] == ["report"]
