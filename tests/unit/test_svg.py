"""SVG sanitizing (`generator.render.svg`): planted payloads are removed, the drawing is kept."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render.svg import MAX_DEPTH, SvgError, _clean_css, _css_fetches, sanitize_svg

OPEN = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
    ' viewBox="0 0 100 100">'
)
KEPT = (
    '<linearGradient id="grad"><stop offset="0" stop-color="#fff"/></linearGradient>'
    '<rect id="keep" width="10" height="10" fill="url(#grad)" stroke="#123456"/>'
)
"""Drawn in every payload's file: it must come out as it went in."""


def svg(body: str, root_attributes: str = "") -> bytes:
    return (OPEN.replace(">", f" {root_attributes}>", 1) + KEPT + body + "</svg>").encode()


PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
EVIL = "evil.test"

PAYLOADS = {
    "script element": (
        svg(
            "<script>window.__pwned = 1</script>"
            f'<script xlink:href="https://{EVIL}/x.js"/>'
            '<g><script type="text/ecmascript"><![CDATA[window.__pwned = 2]]></script></g>'
        ),
        ["script", "__pwned", EVIL],
    ),
    "event handlers": (
        svg(
            '<rect onclick="window.__pwned=1" ONMOUSEOVER="window.__pwned=2" width="1"/>'
            '<animate onbegin="window.__pwned=3" attributeName="x" dur="1s"/>',
            root_attributes='onload="window.__pwned=4"',
        ),
        ["__pwned", "onclick", "onmouseover", "onload", "onbegin"],
    ),
    "javascript link": (
        svg(
            '<a xlink:href="javascript:window.__pwned=1"><text y="20">first</text></a>'
            '<a href=" java&#9;script:window.__pwned=2"><text y="30">second</text></a>'
            '<a href="data:text/html,&lt;script&gt;window.__pwned=3&lt;/script&gt;">'
            '<text y="40">third</text></a>'
            f'<a href="https://{EVIL}/"><text y="50">fourth</text></a>'
        ),
        ["javascript", "script", "__pwned", "data:", EVIL, "href"],
    ),
    "foreignObject with HTML": (
        svg(
            '<foreignObject width="100" height="100">'
            '<body xmlns="http://www.w3.org/1999/xhtml">'
            f'<iframe src="https://{EVIL}/"/><img src="x" onerror="window.__pwned=1"/>'
            "</body></foreignObject>"
        ),
        ["foreignObject", "iframe", "img", "__pwned", EVIL, "xhtml"],
    ),
    "embedding elements": (
        svg(
            f'<iframe src="https://{EVIL}/a"/><embed src="https://{EVIL}/b"/>'
            f'<object data="https://{EVIL}/c"/>'
            f'<h:object xmlns:h="http://www.w3.org/1999/xhtml" data="https://{EVIL}/d"/>'
        ),
        ["iframe", "embed", "object", EVIL],
    ),
    "external image": (
        svg(
            f'<image href="https://{EVIL}/track.png" width="1" height="1"/>'
            f'<image xlink:href="//{EVIL}/track2.png"/>'
            '<image href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="/>'
            f'<filter id="f"><feImage href="https://{EVIL}/f.png"/></filter>'
        ),
        [EVIL, "svg+xml", "<image", "feImage"],
    ),
    "CSS url and import": (
        svg(
            f"<style>@import url(https://{EVIL}/a.css); rect {{ fill: red }}</style>"
            f"<style>circle {{ fill: url(https://{EVIL}/b) }}</style>"
            f"<style>circle {{ fill: u\\72 l(https://{EVIL}/e) }}</style>"
            f'<circle style="fill:url(\'https://{EVIL}/c\'); stroke: red" r="2"/>'
            f'<circle fill="url(https://{EVIL}/d)" r="3"/>'
            f'<circle style="background-image: image-set(\'https://{EVIL}/f\' 1x)" r="4"/>'
        ),
        [EVIL, "@import", "image-set", "\\72"],
    ),
    "use of an external file": (
        svg(
            f'<use href="https://{EVIL}/sprite.svg#icon"/>'
            '<use xlink:href="sprite.svg#a"/>'
            '<use href="#keep" x="20"/>'
        ),
        [EVIL, "sprite"],
    ),
    "processing instruction and animation": (
        f'<?xml-stylesheet href="https://{EVIL}/s.css"?>'.encode()
        + svg(
            '<a href="#keep"><text y="10">in</text>'
            '<set attributeName="href" to="javascript:window.__pwned=1"/></a>'
            "<metadata><rdf>Secret author</rdf></metadata>"
        ),
        [EVIL, "xml-stylesheet", "javascript", "__pwned", "<set", "Secret", "metadata"],
    ),
}


@pytest.mark.parametrize("name", PAYLOADS)
def test_planted_payload_is_removed(name: str) -> None:
    data, forbidden = PAYLOADS[name]
    text = sanitize_svg(data).decode()
    for word in forbidden:
        assert word.lower() not in text.lower(), (word, text)
    assert not re.search(r"\son\w+\s*=", text, re.IGNORECASE)
    assert '<rect id="keep" width="10" height="10" fill="url(#grad)" stroke="#123456">' in text
    assert '<stop offset="0" stop-color="#fff"></stop>' in text


def test_link_content_stays_when_its_target_goes() -> None:
    text = sanitize_svg(PAYLOADS["javascript link"][0]).decode()
    for word in ("first", "second", "third", "fourth"):
        assert f">{word}</text></a>" in text


def test_safe_references_stay() -> None:
    text = sanitize_svg(
        svg(
            f'<image href="{PIXEL}" width="1" height="1"/>'
            '<use href="#keep" x="20"/><a href="#keep"><text>here</text></a>'
            '<circle style="fill: url(#grad); stroke: red" r="2"/>'
            "<style>circle { fill: url('#grad') }</style>"
        )
    ).decode()
    assert f'<image href="{PIXEL}" width="1" height="1"></image>' in text
    assert '<use href="#keep" x="20"></use>' in text
    assert '<a href="#keep"><text>here</text></a>' in text
    assert 'style="fill: url(#grad); stroke: red"' in text
    assert "<style>circle { fill: url('#grad') }</style>" in text


def test_css_declarations_that_fetch_are_dropped_and_the_rest_kept() -> None:
    text = sanitize_svg(PAYLOADS["CSS url and import"][0]).decode()
    assert 'style=" stroke: red"' in text
    assert '<circle r="3"></circle>' in text  # the fill went, the circle stays
    assert "<style> rect { fill: red }</style>" in text
    assert text.count("<style>circle {}</style>") == 2


def test_drawing_is_kept() -> None:
    drawing = (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100" role="img"'
        b' aria-labelledby="t">'
        b'<title id="t">Where the data sat</title><desc>Two boxes &amp; an arrow</desc>'
        b'<defs><marker id="m" markerWidth="4" markerHeight="4"><path d="M0 0L4 2L0 4z"/>'
        b'</marker><clipPath id="c"><rect width="50" height="50"/></clipPath></defs>'
        b'<g clip-path="url(#c)" transform="translate(2 2)">'
        b'<rect x="0" y="0" width="40" height="30" rx="3" fill="#eee" stroke="#333"/>'
        b'<line x1="40" y1="15" x2="80" y2="15" stroke="#333" marker-end="url(#m)"/>'
        b'<text x="5" y="20" font-family="sans-serif" xml:space="preserve">Dublin <tspan'
        b' font-weight="bold">server</tspan></text></g></svg>'
    )
    text = sanitize_svg(drawing).decode()
    reference = ElementTree.fromstring(drawing)
    kept = ElementTree.fromstring(text)
    assert [(e.tag, e.attrib, e.text, e.tail) for e in reference.iter()] == [
        (e.tag, e.attrib, e.text, e.tail) for e in kept.iter()
    ]


def test_same_input_gives_same_bytes_and_sanitizing_again_changes_nothing() -> None:
    for data, _ in PAYLOADS.values():
        once = sanitize_svg(data)
        assert once == sanitize_svg(data)
        assert sanitize_svg(once) == once
        assert once.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')


def test_xlink_namespace_is_declared_only_when_used() -> None:
    assert b"xmlns:xlink" not in sanitize_svg(svg(""))
    used = sanitize_svg(svg('<use xlink:href="#keep"/>'))
    assert b'xmlns:xlink="http://www.w3.org/1999/xlink"' in used
    ElementTree.fromstring(used)


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    '<svg xmlns="http://www.w3.org/2000/svg"><text>&d;</text></svg>'
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>'
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (BILLION_LAUGHS.encode(), "DOCTYPE or entities"),
        (EXTERNAL_ENTITY.encode(), "DOCTYPE or entities"),
        (b'<!DOCTYPE svg><svg xmlns="http://www.w3.org/2000/svg"/>', "DOCTYPE or entities"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", "not well-formed XML"),
        (b"", "not well-formed XML"),
        (b"<svg><rect/></svg>", "root element is not <svg> in the SVG namespace"),
        (b'<html xmlns="http://www.w3.org/1999/xhtml"/>', "root element is not <svg>"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg">'
            + b"<g>" * (MAX_DEPTH + 1)
            + b"</g>" * (MAX_DEPTH + 1)
            + b"</svg>",
            "nests elements more than",
        ),
    ],
    ids=[
        "billion-laughs",
        "external-entity",
        "doctype",
        "malformed",
        "empty",
        "no-namespace",
        "html",
        "too-deep",
    ],
)
def test_unsafe_or_broken_file_is_an_svg_error(data: bytes, message: str) -> None:
    with pytest.raises(SvgError, match=re.escape(message)) as caught:
        sanitize_svg(data)
    assert caught.value.hint


CSS_PIECES = ["u", "rl", "(", ")", "url(#a)", "url(x)", ";", "{", "}", "@import", "/**/", "\\"]
CSS_PIECES += ["image-set(", "'", '"', " ", "fill:red", "#a", "src(", "im", "age("]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(CSS_PIECES), max_size=30))
def test_cleaned_css_never_fetches(pieces: list[str]) -> None:
    """Whatever the stylesheet, what is left of it names nothing but `#id`s."""
    css = "".join(pieces)
    cleaned = _clean_css(css)
    assert not _css_fetches(cleaned)
    text = sanitize_svg(svg(f"<style>{escape(css)}</style>")).decode()
    assert f"<style>{escape(cleaned)}</style>" in text
