"""SVG files → SVG that draws the same picture and can do nothing else.

A site serves its SVG from its own origin, where a reader may open one directly: any script
in it would run with the site's cookies and storage, and any external reference would tell a
third party who is reading. `sanitize_svg(data)` keeps what draws (shapes, text, gradients,
patterns, clip paths, masks, markers, filters, CSS) and drops everything else:

- a DOCTYPE or entity (defusedxml refuses them: no billion laughs, no external entities),
  processing instructions (`<?xml-stylesheet?>`) and comments;
- every element outside the SVG namespace (HTML's `<script>`, `<iframe>`, `<embed>`,
  `<object>`, editors' own such as Inkscape's) and every SVG element not in `ELEMENTS`:
  `<script>`, `<foreignObject>`, `<metadata>` (an author's name, a file path), animation
  (`<set>`/`<animate>` can write a link's target), `<handler>`;
- event handler attributes (`on…`), attributes of other namespaces than `xlink:href`,
  `xml:space` and `xml:lang`, and `xml:base`;
- links outside the file: an `href`/`xlink:href` that is not a fragment (`#id`) removes its
  element, except that `<image>` may also show a raster `data:` image (PNG, JPEG, GIF, WebP)
  and that `<a>` only loses its target (its content still draws);
- in CSS, a `style` attribute, a `<style>` element or a presentation attribute (`fill`,
  `filter`, `mask`…): `url(…)` to anything but `#id`, `@import`, `image-set()`, `image()`,
  `src()`, `expression()` and backslash escapes (which could spell any of them). A
  declaration, an `@import` or a rule's selector that has one is dropped.

The result is written here, not by ElementTree: elements in document order, attributes in
the file's order, one namespace declaration on the root, so that the same input always gives
the same bytes. Anything that is not a well-formed SVG is an `SvgError`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from typing import Any

SANITIZING_VERSION = 1
"""Raise on any change to what is kept, so that kept sanitized files are made again."""

MAX_INPUT_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 100
"""Elements nested deeper than this are refused (no drawing needs it; recursion would)."""

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"

ELEMENTS = frozenset(
    (
        "svg",
        "g",
        "defs",
        "symbol",
        "use",
        "title",
        "desc",
        "switch",
        "view",
        "a",
        "image",
        "style",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "textPath",
        "linearGradient",
        "radialGradient",
        "stop",
        "pattern",
        "clipPath",
        "mask",
        "marker",
        "filter",
        "feBlend",
        "feColorMatrix",
        "feComponentTransfer",
        "feComposite",
        "feConvolveMatrix",
        "feDiffuseLighting",
        "feDisplacementMap",
        "feDistantLight",
        "feDropShadow",
        "feFlood",
        "feFuncA",
        "feFuncB",
        "feFuncG",
        "feFuncR",
        "feGaussianBlur",
        "feImage",
        "feMerge",
        "feMergeNode",
        "feMorphology",
        "feOffset",
        "fePointLight",
        "feSpecularLighting",
        "feSpotLight",
        "feTile",
        "feTurbulence",
    )
)
"""The SVG elements kept: those that draw or describe a drawing, and nothing that runs."""

FOREIGN_ATTRIBUTES = {
    f"{{{XLINK}}}href": "xlink:href",
    f"{{{XML}}}space": "xml:space",
    f"{{{XML}}}lang": "xml:lang",
}
"""Namespaced attributes kept, with the prefix they are written with."""

RASTER_DATA = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*\Z")
FRAGMENT_URL = re.compile(r"""url\(\s*(['"]?)#[\w.:-]+\1\s*\)""", re.IGNORECASE)
FETCHING_CSS = re.compile(
    r"url\(|@import|image-set\(|image\(|src\(|expression\(|javascript:|\\",
    re.IGNORECASE,
)
"""What may load or run something in CSS, once every `url(#id)` is taken out."""
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


class SvgError(ValueError):
    """A file that is not an SVG we can publish: `message` says what, `hint` how to fix it."""

    def __init__(self, message: str, hint: str) -> None:
        self.message = message
        self.hint = hint
        super().__init__(f"{message} — {hint}")

    def __reduce__(self) -> tuple[type[SvgError], tuple[str, str]]:
        return (SvgError, (self.message, self.hint))


_EXPORT_HINT = "export it again from the drawing program as plain SVG"


def sanitize_svg(data: bytes) -> bytes:
    """The SVG of `data` with everything that could run or load something removed (see the
    module's text), as UTF-8 bytes. Raise `SvgError` if `data` is not a safe, well-formed SVG."""
    root = _parse(data)
    out: list[str] = []
    _write(root, out, depth=0)
    if ' xlink:href="' in out:  # declared on the root only when some element uses it
        out.insert(2, f' xmlns:xlink="{XLINK}"')
    return "".join(out).encode("utf-8")


def _parse(data: bytes) -> ElementTree.Element:
    import defusedxml
    import defusedxml.ElementTree as SafeElementTree

    if len(data) > MAX_INPUT_BYTES:
        raise SvgError(
            f"the SVG is {len(data) / 1024 / 1024:.1f} MB, more than the "
            f"{MAX_INPUT_BYTES // 1024 // 1024} MB accepted",
            "simplify the drawing, or export it as a PNG",
        )
    try:
        root: Any = SafeElementTree.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DefusedXmlException:
        raise SvgError(
            "the SVG has a DOCTYPE or entities, which are not accepted", _EXPORT_HINT
        ) from None
    except ElementTree.ParseError as error:
        raise SvgError(f"the SVG is not well-formed XML ({error})", _EXPORT_HINT) from None
    if not isinstance(root, ElementTree.Element) or root.tag != f"{{{SVG}}}svg":
        raise SvgError(
            "the file is not an SVG (its root element is not <svg> in the SVG namespace)",
            _EXPORT_HINT,
        )
    return root


def _write(element: ElementTree.Element, out: list[str], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise SvgError(f"the SVG nests elements more than {MAX_DEPTH} deep", _EXPORT_HINT)
    name = element.tag[len(SVG) + 2 :]
    attributes = _attributes(element, name)
    out.append(f"<{name}")
    if depth == 0:
        out.append(f' xmlns="{SVG}"')
    for key, value in attributes:
        out.append(f' {key}="')
        out.append(_escape_attribute(value))
        out.append('"')
    out.append(">")
    if name == "style":  # only its text is CSS; an element inside has no business there
        css = (element.text or "") + "".join(child.tail or "" for child in element)
        out.append(_escape_text(_clean_css(css)))
        out.append(f"</{name}>")
        return
    if element.text:
        out.append(_escape_text(element.text))
    for child in element:
        if _kept(child):
            _write(child, out, depth + 1)
        if child.tail:
            out.append(_escape_text(child.tail))
    out.append(f"</{name}>")


def _kept(element: ElementTree.Element) -> bool:
    """Whether `element` (and so everything in it) stays."""
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith(f"{{{SVG}}}"):
        return False
    name = tag[len(SVG) + 2 :]
    if name not in ELEMENTS:
        return False
    for key in ("href", f"{{{XLINK}}}href"):
        target = element.get(key)
        if target is None or _is_fragment(target) or name == "a":
            continue
        if name in ("image", "feImage") and RASTER_DATA.match(_INVISIBLE.sub("", target)):
            continue
        return False
    return True


def _attributes(element: ElementTree.Element, name: str) -> list[tuple[str, str]]:
    kept: list[tuple[str, str]] = []
    for key, value in element.attrib.items():
        if key.startswith("{"):
            written = FOREIGN_ATTRIBUTES.get(key)
            if written is None:
                continue
        else:
            written = key
            if key.lower().startswith("on"):
                continue
        if written in ("href", "xlink:href") and name == "a" and not _is_fragment(value):
            continue
        if key == "style":
            value = ";".join(
                declaration
                for declaration in value.split(";")
                if declaration.strip() and not _css_fetches(declaration)
            )
            if not value:
                continue
        elif written not in ("href", "xlink:href") and _css_fetches(value):
            continue
        kept.append((written, value))
    return kept


def _is_fragment(target: str) -> bool:
    return _INVISIBLE.sub("", target).startswith("#")


def _clean_css(css: str) -> str:
    """`css` without the declarations, rules' preludes and at-rules that fetch: each stretch
    between two of `;`, `{` and `}` that has one is dropped, with the `;` that ends it (a `;`
    left at the top level would spoil the rule after it). Braces stay, so no two kept
    stretches can join into a function name, and no token spans a delimiter."""
    kept: list[str] = []
    dropping = False
    for part in re.split(r"([;{}])", css):
        if part == ";" and dropping:
            dropping = False
            continue
        dropping = part not in ";{}" and _css_fetches(part)
        if not dropping:
            kept.append(part)
    cleaned = "".join(kept)
    return "" if _css_fetches(cleaned) else cleaned  # cannot happen; if it did, keep nothing


def _css_fetches(css: str) -> bool:
    return bool(FETCHING_CSS.search(FRAGMENT_URL.sub("", css)))


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(value: str) -> str:
    return (
        _escape_text(value)
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )
