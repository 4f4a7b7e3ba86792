"""Markdown fields: what renders, and what an editor's text can never inject into a page."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render.markdown import (
    INLINE_TRIGGERS,
    convert_all,
    markdown_inline,
    markdown_plain,
    markdown_to_html,
    remember,
)

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


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("1. one\n2. two", "<ol>\n<li>one</li>\n<li>two</li>\n</ol>"),
        ("3. three\n4. four", '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>'),
        ("### Three\n\n#### Four", "<h3>Three</h3>\n<h4>Four</h4>"),
        ("##### Five\n\n###### Six", "<h5>Five</h5>\n<h6>Six</h6>"),
        ("    code\n    more", "<pre><code>code\nmore\n</code></pre>"),
        ("one\n\n---\n\ntwo", "<p>one</p>\n<hr>\n<p>two</p>"),
        ("> said", "<blockquote>\n<p>said</p>\n</blockquote>"),
    ],
    ids=["ordered-list", "list-from-3", "h3-h4", "h5-h6", "code-block", "rule", "blockquote"],
)
def test_block_renders_with_its_allowed_tags(text: str, html: str) -> None:
    assert markdown_to_html(text) == html


def test_link_title_is_kept() -> None:
    assert markdown_to_html('[report](https://example.org/r "The report")') == (
        f'<p><a href="https://example.org/r" title="The report" {REL}>report</a></p>'
    )


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("1. one\n* two", "<ol>\n<li>one\n* two</li>\n</ol>"),
        ("- one\n1. two", "<ul>\n<li>one\n1. two</li>\n</ul>"),
    ],
    ids=["bullet-after-a-number", "number-after-a-bullet"],
)
def test_list_marker_of_the_other_kind_does_not_continue_a_list(text: str, html: str) -> None:
    """`sane_lists`: without it, `* two` would be a second item of the numbered list."""
    assert markdown_to_html(text) == html


INLINE_EXAMPLES = {
    "backtick": ("`a <b>`", "<p><code>a &lt;b&gt;</code></p>"),
    "escape": ("\\*not em\\*", "<p>*not em*</p>"),
    "reference": (
        "[report][r]\n\n[r]: https://example.org/r",
        f'<p><a href="https://example.org/r" {REL}>report</a></p>',
    ),
    "short_reference": (
        "[r]\n\n[r]: https://example.org/r",
        f'<p><a href="https://example.org/r" {REL}>r</a></p>',
    ),
    "autolink": (
        "<https://example.org/a>",
        f'<p><a href="https://example.org/a" {REL}>https://example.org/a</a></p>',
    ),
    "automail": (
        "<desk@example.org>",
        f'<p><a href="mailto:desk@example.org" {REL}>desk@example.org</a></p>',
    ),
    "linebreak": ("one  \ntwo", "<p>one<br>\ntwo</p>"),
    "entity": ("&copy; &#169; AT&amp;T", "<p>© © AT&amp;T</p>"),
}


@pytest.mark.parametrize("name", sorted(INLINE_TRIGGERS))
def test_inline_pattern_renders_when_its_text_has_its_trigger(name: str) -> None:
    text, html = INLINE_EXAMPLES[name]
    assert markdown_to_html(text) == html


def test_converter_is_made_once_for_each_set_of_patterns() -> None:
    from generator.render.markdown import _converter_for

    assert _converter_for("*one*") is _converter_for("*two*")
    assert _converter_for("*one*") is not _converter_for("`one`")


def test_reference_definition_in_one_field_does_not_link_another() -> None:
    first = "[a]: https://example.org/a\n\nFirst field."
    second = "[b]: https://example.org/b\n\nSee [x][a] and [y][b]."
    assert markdown_to_html(first) == "<p>First field.</p>"
    assert markdown_to_html(second) == (
        f'<p>See [x][a] and <a href="https://example.org/b" {REL}>y</a>.</p>'
    )


def test_convert_all_converts_each_text() -> None:
    assert convert_all(["*a*", "b"]) == {"*a*": "<p><em>a</em></p>", "b": "<p>b</p>"}


def test_text_remembered_from_elsewhere_is_not_converted_again() -> None:
    remember({"converted by a worker": "<p>as the worker made it</p>"})
    assert markdown_to_html("converted by a worker") == "<p>as the worker made it</p>"


def test_plain_drops_tags_and_entities_and_joins_lines() -> None:
    text = "**Bold** and [a link](https://example.org) &amp; <b>x</b>\n\nnext   para"
    assert markdown_plain(text) == "Bold and a link & <b>x</b> next para"


def test_plain_keeps_a_text_of_the_limit_whole() -> None:
    assert markdown_plain("x" * 200) == "x" * 200
    assert markdown_plain("abcd", limit=4) == "abcd"


def test_plain_cuts_a_longer_text_at_a_word_within_the_limit() -> None:
    cut = markdown_plain("word " * 60)
    assert cut == " ".join(["word"] * 39) + "…"
    assert len(cut) <= 200
    assert markdown_plain("abc defg", limit=7) == "abc…"
    assert markdown_plain("x" * 201) == "x" * 199 + "…"


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
    from generator.render.markdown import _converter, _converter_for

    _converter.reset()
    expected = _converter.convert(text)
    chosen = _converter_for(text)
    chosen.reset()
    assert chosen.convert(text) == expected
