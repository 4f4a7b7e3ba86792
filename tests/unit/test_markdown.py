"""Markdown fields: what renders, and what an editor's text can never inject into a page."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.markdown import markdown_inline, markdown_to_html

REL = 'rel="noopener noreferrer"'


def test_emphasis_and_strong_render() -> None:
    assert markdown_to_html("*em* and **strong**") == (
        "<p><em>em</em> and <strong>strong</strong></p>"
    )


def test_link_renders_with_rel() -> None:
    assert markdown_to_html("[report](https://example.org/r)") == (
        f'<p><a href="https://example.org/r" {REL}>report</a></p>'
    )


def test_paragraphs_and_lists_render() -> None:
    assert markdown_to_html("one\n\ntwo") == "<p>one</p>\n<p>two</p>"
    assert markdown_to_html("- a\n- b") == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"


def test_quotes_and_dashes_stay_as_typed() -> None:
    assert markdown_to_html('A "quote" -- and — more') == '<p>A "quote" -- and — more</p>'


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        (
            "before <script>alert(1)</script> after",
            "<p>before &lt;script&gt;alert(1)&lt;/script&gt; after</p>",
        ),
        ("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>"),
        ('<div onclick="steal()">hi</div>', '<p>&lt;div onclick="steal()"&gt;hi&lt;/div&gt;</p>'),
    ],
)
def test_raw_html_is_escaped_text(text: str, html: str) -> None:
    assert markdown_to_html(text) == html


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java&#x09;script:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
    ],
)
def test_link_with_unsafe_scheme_loses_href(url: str) -> None:
    assert markdown_to_html(f"[click]({url})") == f"<p><a {REL}>click</a></p>"


@pytest.mark.parametrize(
    "url", ["http://example.org/a", "https://example.org/a?b=1", "mailto:desk@example.org"]
)
def test_link_with_safe_scheme_keeps_href(url: str) -> None:
    assert markdown_to_html(f"[click]({url})") == f'<p><a href="{url}" {REL}>click</a></p>'


def test_image_is_not_loaded_but_shown_as_written() -> None:
    html = markdown_to_html("Look: ![a chart](https://tracker.example.com/pixel.png)")
    assert html == "<p>Look: ![a chart](https://tracker.example.com/pixel.png)</p>"


def test_inline_strips_single_wrapping_paragraph() -> None:
    assert markdown_inline("*Smith v. Jones*") == "<em>Smith v. Jones</em>"


def test_inline_keeps_several_paragraphs() -> None:
    assert markdown_inline("one\n\ntwo") == "<p>one</p>\n<p>two</p>"


def test_inline_keeps_block_that_is_not_a_paragraph() -> None:
    assert markdown_inline("- a\n- b") == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"
    assert markdown_inline("> said") == "<blockquote>\n<p>said</p>\n</blockquote>"


def test_inline_escapes_raw_html() -> None:
    assert markdown_inline("<b>bold</b>") == "&lt;b&gt;bold&lt;/b&gt;"


_MARKDOWN_PIECES = st.sampled_from(
    [
        "word",
        " ",
        "\n",
        "\n\n",
        "  \n",
        "*",
        "**",
        "_",
        "`",
        "\\",
        "[",
        "]",
        "(",
        ")",
        "<",
        ">",
        "&",
        "&amp;",
        "]:",
        "[a]: https://example.org/a",
        "[a]",
        "[x][a]",
        "<https://example.org>",
        "<me@example.org>",
        "- ",
        "1. ",
        "# ",
        "    ",
        "https://example.org/b",
        "é",
    ]
)


@given(st.lists(_MARKDOWN_PIECES, max_size=40).map("".join))
@settings(max_examples=300, deadline=None)
def test_converting_with_only_the_patterns_a_text_can_use_changes_nothing(text: str) -> None:
    from generator.markdown import _converter, _converter_for

    _converter.reset()
    expected = _converter.convert(text)
    chosen = _converter_for(text)
    chosen.reset()
    assert chosen.convert(text) == expected
