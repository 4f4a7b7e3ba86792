"""TimelineJS's HTML in a Text cell → Markdown, for the small set of tags that mean writing.

TimelineJS puts a cell's HTML into the page as it is, so sheets often hold paragraphs,
emphasis and links in HTML. Those become the Markdown an editor would have written:
`<p>`, `<br>`, `<b>`/`<strong>`, `<i>`/`<em>`, `<a href="https://…">`, `<ul>`/`<ol>`/`<li>` and
`<blockquote>`. Everything else — a script, a style, a frame, a picture, an event handler
(`onclick=`), a link that is not http(s), a tag not in that list — is reported as a problem
and never passed on: the Markdown made has no HTML in it. Presentation attributes of the
kept tags (`class`, `style`, `title`, `target`, `rel`) are dropped, as the site's design sets
the look. A cell without any tag is plain text and is kept as written (Markdown).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

INLINE_TAGS = {"b": "**", "strong": "**", "i": "*", "em": "*"}
BLOCK_TAGS = {"p", "ul", "ol", "li", "blockquote"}
KEPT_TAGS = {*INLINE_TAGS, *BLOCK_TAGS, "a", "br"}
DROPPED_ATTRIBUTES = {"class", "style", "title", "target", "rel", "id", "lang", "dir"}
"""Attributes of kept tags that only change the look; dropped without a word."""
_VOID_TAGS = {"br", "img", "hr", "input", "meta", "link", "source", "embed", "wbr", "col", "area"}
_SILENT_CONTENT = {"script", "style", "iframe", "object", "noscript", "template", "svg", "math"}
"""Tags whose content is not text for readers: none of it is kept."""
_TAG = re.compile(r"</?[A-Za-z][^>]*>|<!--")
_HTTP = re.compile(r"^https?://[^\s<>\"]+$", re.IGNORECASE)
_ESCAPED = re.compile(r"([\\`*_\[\]])")
_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+[.)])(\s)")


@dataclass(frozen=True)
class HtmlProblem:
    """Something in the HTML that cannot become Markdown: what, and how to fix it."""

    message: str
    hint: str = ""


@dataclass(frozen=True)
class HtmlText:
    """The Markdown a cell becomes, and what in it could not be kept (nothing, when fine)."""

    markdown: str
    problems: tuple[HtmlProblem, ...] = ()


def has_html(text: str) -> bool:
    """Whether a cell holds an HTML tag (or comment); if not, it is plain text or Markdown."""
    return _TAG.search(text) is not None


def html_to_markdown(text: str) -> HtmlText:
    """Convert one cell's HTML to Markdown, reporting each kind of thing that cannot be kept
    once. A cell without tags is returned as written (stripped)."""
    if not has_html(text):
        return HtmlText(text.strip())
    parser = _Parser()
    parser.feed(text)
    parser.close()
    markdown = _blocks(parser.root.children)
    return HtmlText(markdown, tuple(dict.fromkeys(parser.problems)))


@dataclass
class _Node:
    tag: str
    href: str = ""
    children: list[_Node | str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("")
        self.stack = [self.root]
        self.silent = 0
        self.problems: list[HtmlProblem] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check_attributes(tag, attrs)
        if tag in _SILENT_CONTENT:
            self._refuse(tag)
            if tag not in _VOID_TAGS:
                self.silent += 1
            return
        if tag not in KEPT_TAGS:
            self._refuse(tag)
            return  # its text, if any, stays as text; the problem blocks the import anyway
        node = _Node(tag)
        if tag == "a":
            node.href = self._href(dict(attrs).get("href") or "")
        self.stack[-1].children.append(node)
        if tag not in _VOID_TAGS:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in KEPT_TAGS and tag not in _VOID_TAGS and self.stack[-1].tag == tag:
            self.stack.pop()
        elif tag in _SILENT_CONTENT and tag not in _VOID_TAGS:
            self.silent -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SILENT_CONTENT:
            self.silent = max(0, self.silent - 1)
            return
        if tag not in KEPT_TAGS or tag in _VOID_TAGS:
            return
        # Close up to the matching open tag, as browsers do; a stray end tag is ignored.
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self.silent:
            self.stack[-1].children.append(data)

    def handle_comment(self, data: str) -> None:
        pass  # a comment is not text for readers

    def _refuse(self, tag: str) -> None:
        if tag == "img":
            hint = "remove it: a picture goes in media.yaml, and its id in the Media column"
        elif tag in _SILENT_CONTENT:
            hint = "remove it: scripts, styles and embedded frames are not kept in a text"
        else:
            hint = "write the text without it: paragraphs, bold, italics, links and lists are kept"
        self.problems.append(HtmlProblem(f"`<{tag}>` cannot be kept in a text", hint))

    def _check_attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, _value in attrs:
            if name.startswith("on"):
                self.problems.append(
                    HtmlProblem(
                        f"`<{tag} {name}=…>` runs a script, which is not kept",
                        f"remove the `{name}` attribute",
                    )
                )

    def _href(self, href: str) -> str:
        href = href.strip()
        if not href or _HTTP.match(href):
            return href  # an anchor without an address is its words alone
        shown = href if len(href) <= 40 else href[:39] + "…"
        self.problems.append(
            HtmlProblem(
                f"the link to `{shown}` is not an http(s) address",
                "link to a page on the web (https://…), or keep the words without the link",
            )
        )
        return ""


def _blocks(children: list[_Node | str]) -> str:
    """Block-level Markdown of a list of nodes: paragraphs separated by blank lines."""
    blocks: list[str] = []
    inline: list[_Node | str] = []

    def flush() -> None:
        text = _inline(inline).strip()
        if text:
            blocks.append(text)
        inline.clear()

    for child in children:
        if isinstance(child, _Node) and child.tag in BLOCK_TAGS:
            flush()
            block = _block(child)
            if block:
                blocks.append(block)
        else:
            inline.append(child)
    flush()
    return "\n\n".join(blocks)


def _block(node: _Node) -> str:
    if node.tag in ("ul", "ol"):
        items = [c for c in node.children if isinstance(c, _Node) and c.tag == "li"]
        lines = []
        for number, item in enumerate(items, 1):
            marker = f"{number}. " if node.tag == "ol" else "- "
            body = _blocks(item.children)
            indented = "\n".join(
                "    " + line if line and n else line for n, line in enumerate(body.split("\n"))
            )
            lines.append(marker + indented)
        return "\n".join(lines)
    if node.tag == "blockquote":
        body = _blocks(node.children)
        return "\n".join("> " + line if line else ">" for line in body.split("\n"))
    return _blocks(node.children)  # p, or an li outside a list


def _inline(children: list[_Node | str]) -> str:
    parts: list[str] = []
    for child in children:
        if isinstance(child, str):
            parts.append(_escape(re.sub(r"\s+", " ", child)))
        elif child.tag == "br":
            parts.append("  \n")
        elif child.tag in INLINE_TAGS:
            inner = _inline(child.children).strip()
            if inner:
                mark = INLINE_TAGS[child.tag]
                parts.append(f"{mark}{inner}{mark}")
        elif child.tag == "a":
            inner = _inline(child.children).strip()
            if child.href and inner:
                parts.append(f"[{inner}]({_url(child.href)})")
            else:
                parts.append(inner)
        else:  # a block tag inside a paragraph: its text
            parts.append(" " + _blocks(child.children) + " ")
    text = "".join(parts).replace("  \n", "\x00")  # a line break, kept through the tidying
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r" ?\x00 ?", "\x00", text).replace("\x00", "  \n")


def _escape(text: str) -> str:
    """Text that Markdown shows as written: its emphasis, link and code marks escaped."""
    text = _ESCAPED.sub(r"\\\1", text)
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text)  # `&lt;` written as words stays words
    text = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)
    return _LINE_START.sub(r"\1\\\2\3", text)


def _url(href: str) -> str:
    return href.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
