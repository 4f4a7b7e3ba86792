"""What the search index reads of a page (`render.indexed`): a change inside an element it
skips leaves the digest as it was; any other change, or a marker it cannot place, does not."""

from __future__ import annotations

from generator.digest import digest
from generator.render.indexed import indexed_digest

SKIPPED = 'data-pagefind-ignore="all"'


def _page(main: str) -> bytes:
    head = '<!doctype html><html lang="en"><title>Preska</title>'
    return f"{head}<main data-pagefind-body>{main}</main>".encode()


def test_a_page_without_skipped_elements_is_read_whole() -> None:
    assert indexed_digest(_page("<p>Chief Judge.</p>")) is None


def test_a_change_inside_a_skipped_element_is_not_read_and_one_outside_is() -> None:
    def party(quote: str, role: str = "Chief Judge.") -> bytes:
        quoted = f"<figure {SKIPPED}><blockquote>{quote}</blockquote></figure>"
        return _page(f"<p>{role}</p>{quoted}<p>End</p>")

    first = indexed_digest(party("Sovereign waters"))

    assert first is not None
    assert indexed_digest(party("Sovereign waters, reworded")) == first
    assert indexed_digest(party("Sovereign waters", role="Judge.")) != first
    assert first != indexed_digest(_page("<p>Chief Judge.</p><p>End</p>"))  # the tags count
    assert first != digest(party("Sovereign waters"))


def test_an_element_holding_others_of_its_kind_is_skipped_to_its_own_end() -> None:
    def page(inner: str, after: str) -> bytes:
        skipped = f"<section {SKIPPED}><section><p>{inner}</p></section>{after}</section>"
        return _page(f"{skipped}<p>End</p>")

    first = indexed_digest(page("one", "two"))

    assert indexed_digest(page("one, reworded", "two, reworded")) == first
    assert indexed_digest(page("one", "two").replace(b"<p>End", b"<p>The end")) != first


def test_a_marker_outside_a_tag_or_on_an_unclosed_element_skips_nothing() -> None:
    as_text = _page(f"<p>{SKIPPED} is how a page says so</p>")
    unclosed = _page(f"<p>Chief Judge.</p><div {SKIPPED}><p>Sovereign waters</p>")

    assert indexed_digest(as_text) == digest(as_text)
    assert indexed_digest(unclosed) == digest(unclosed)


def test_several_skipped_elements_are_each_left_out() -> None:
    def page(first: str, second: str) -> bytes:
        skipped = f"<figure {SKIPPED}><p>{{}}</p></figure>"
        return _page(f"<h1>Event</h1>{skipped.format(first)}<h2>Said</h2>{skipped.format(second)}")

    assert indexed_digest(page("a", "b")) == indexed_digest(page("c", "d"))
    told = page("a", "b").replace(b"Said", b"Told")
    assert indexed_digest(page("a", "b")) != indexed_digest(told)
