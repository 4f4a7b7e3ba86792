"""The link patterns that find closing brackets faster convert exactly as Python-Markdown's."""

from __future__ import annotations

import markdown as python_markdown
from hypothesis import given
from hypothesis import strategies as st

from generator.render.markdown_links import bracket_ends, use_fast_links


def _ends_by_scanning(data: str) -> list[int | None]:
    """The definition, index by index: walk on from each until the brackets open before it
    close (depth below where it started)."""
    ends: list[int | None] = []
    for index in range(len(data) + 1):
        depth = 0
        end = None
        for position in range(index, len(data)):
            depth += {"[": 1, "]": -1}.get(data[position], 0)
            if depth < 0:
                end = position + 1
                break
        ends.append(end)
    return ends


@given(st.text(alphabet="[]a(", max_size=40))
def test_bracket_ends_are_where_the_brackets_open_before_each_index_close(data: str) -> None:
    assert bracket_ends(data) == _ends_by_scanning(data)


def test_text_without_brackets_closes_nowhere() -> None:
    assert bracket_ends("no links") == [None] * 9


def _converter(fast: bool) -> python_markdown.Markdown:
    converter = python_markdown.Markdown(output_format="html")
    if fast:
        use_fast_links(converter)
    return converter


LINKED_TEXTS = [
    "[a](https://example.org/a) and [b](https://example.org/b 'B') then [c]",
    "[nested [brackets] here](https://example.org/n) [unclosed [x](https://example.org/x)",
    "[ref][r] and [short] and [empty][] ]] [[\n\n[r]: https://example.org/r\n"
    "[short]: https://example.org/s\n[empty]: https://example.org/e",
    "*[emphasised link](https://example.org/e)* `[code](x)` \\[escaped](y)",
    "[a\nlink over lines](https://example.org/l) [[[[ ]]]] [x]]](https://example.org/y)",
]


@given(st.lists(st.sampled_from(["[", "]", "(https://example.org/p)", "a ", "*", "\n"])))
def test_any_bracketed_text_converts_as_python_markdown_converts_it(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _converter(fast=True).convert(text) == _converter(fast=False).convert(text)


def test_links_and_references_convert_as_python_markdown_converts_them() -> None:
    for text in LINKED_TEXTS:
        fast = _converter(fast=True).convert(text)
        assert fast == _converter(fast=False).convert(text)
        assert "<a " in fast


def test_patterns_keep_their_names_and_places() -> None:
    plain, fast = _converter(fast=False), _converter(fast=True)
    for name in ("reference", "link", "short_reference"):
        index = plain.inlinePatterns.get_index_for_name(name)
        assert fast.inlinePatterns.get_index_for_name(name) == index
        assert type(fast.inlinePatterns[index]) is not type(plain.inlinePatterns[index])
        assert isinstance(fast.inlinePatterns[index], type(plain.inlinePatterns[index]))
