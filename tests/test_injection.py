"""Attacks in content stay inert in every output format (issue #7).

A payload site (`tests/injection_site.py`) is built once per payload, each build putting a
different payload in each field, so every text, Markdown and address field of every kind of
item holds every payload once. Every file of every build is then parsed as a browser, a feed
reader, a JSON reader or a spreadsheet would read it:

- HTML (also the HTML inside the feed's summaries): no script but the page's JSON-LD, no
  `on…` attribute, no `style` attribute or element, no element that loads, frames or
  navigates on its own, and no link or form address with a scheme other than http, https
  or mailto; the Content-Security-Policy is the first thing after the charset;
- JSON-LD: valid JSON, with no `</script` or `<!--` that could end or hide the element;
- embed pages: besides, only their `<base target="_top">` and their own script file;
- oEmbed answers: valid JSON with no raw `<` or `>`, whose code is one frame and one script
  element under base_url, with exactly their attributes;
- Atom feed and sitemap: well-formed XML, every address http(s) under base_url;
- robots.txt: its three lines and nothing more;
- data.json: valid JSON that gives each value back as the editor wrote it;
- poll CSV: no cell starts as a spreadsheet formula (= + - @ tab CR).

Ids, which become URLs, and addresses that are not http(s) are refused by validation, with
the file, line and column; so are invisible control characters in text.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from markupsafe import escape
from pydantic import ValidationError

from generator.build.site import build_site
from generator.errors import ContentErrors
from generator.load.content import load_content
from generator.models import COLLECTION_MODELS, Case, Model, Site
from generator.render.environment import CONTENT_SECURITY_POLICY, SEARCH_CONTENT_SECURITY_POLICY
from generator.validate.content import validate_content
from tests.conftest import minimal_site, write_tree
from tests.injection_site import (
    ADDRESS_PAYLOADS,
    BASE_URLS,
    FORMATS,
    MARKER,
    PAYLOADS,
    SKELETON,
    attackable_fields,
    marker,
    model_fields,
    payload_site,
    with_marker,
)

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "ping",
    "srcset",
    "srcdoc",
    "manifest",
    "codebase",
}
FORBIDDEN_ELEMENTS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "form",
    "button",
    "style",
    "img",
    "video",
    "audio",
    "source",
    "foreignobject",
    "portal",
}
"""Elements no page has and an attack would bring (the only `<input>` is the share box's)."""
LINK_RELS = {"stylesheet", "icon", "alternate", "canonical"}
EMBED_SCRIPT = re.compile(r"(?:\.\./)*static/embed\.js")
"""The one script file a page loads: an embed page's own (`templates/static/embed.js`)."""
SEARCH_SCRIPT = re.compile(r"(?:\.\./)*static/search\.js")
SEARCH_PAGE = "search/index.html"
SEARCH_FORM = {
    (
        "form",
        ("id", "_search-form"),
        ("class", "search-form"),
        ("role", "search"),
        ("action", "index.html"),
        ("method", "get"),
    ),
    (
        "input",
        ("id", "_search-term"),
        ("name", "q"),
        ("type", "search"),
        ("autocomplete", "off"),
        ("spellcheck", "false"),
    ),
    ("button", ("type", "submit")),
    ("button", ("id", "_search-more"), ("type", "button")),
}
"""The search page's form, exactly: it submits to the page itself, and nothing else does."""
PICTURE_URL = re.compile(
    r"(?:\.\./)*[a-z0-9-]+/media/[a-z0-9-]+-[0-9a-f]{12}(?:-\d+)?\.(?:webp|jpg|png|svg)"
)
PICTURE_ELEMENTS = {
    "source": ({"type", "srcset", "sizes"}, {"type", "srcset", "sizes"}),
    "img": ({"src", "alt", "decoding"}, {"srcset", "sizes", "width", "height", "loading"}),
}
"""A `<picture>`'s own elements (`partials/_figure.html`): tag → (attributes it must have, may
have); allowed only inside a `<picture>`, loading only the site's processed pictures."""
EMBED_CODE = [
    ("iframe", ["src", "title", "width", "height", "loading", "style"]),
    ("script", ["src", "async"]),
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _scheme(url: str) -> str | None:
    """The scheme a browser would see: after trimming C0 controls and spaces and dropping
    tabs and line breaks, as the URL standard does."""
    cleaned = re.sub(r"[\t\n\r]", "", re.sub(r"^[\x00-\x20]+|[\x00-\x20]+$", "", url))
    found = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", cleaned)
    return found.group(1).lower() if found else None


class _Page(HTMLParser):
    """Everything of an HTML page that could run, load or navigate."""

    def __init__(self, search_page: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.search_page = search_page
        self.problems: list[str] = []
        self.jsonld: list[str] = []
        self.csp: list[str] = []
        self.csp_at: int | None = None
        self.order: list[str] = []
        self._script: str | None = None

    def _own_picture(self, tag: str, values: dict[str, str | None]) -> bool:
        """Whether `tag` is one of a `<picture>`'s own, with its attributes and addresses."""
        if tag not in PICTURE_ELEMENTS or "picture" not in self.order[-3:-1]:
            return False
        must, may = PICTURE_ELEMENTS[tag]
        if not must <= set(values) <= must | may:
            return False
        if tag == "source" and values["type"] != "image/webp":
            return False
        addresses = [values.get("src") or ""] if tag == "img" else []
        for candidate in (values.get("srcset") or "").split(","):
            addresses.append(candidate.strip().rsplit(" ", 1)[0])
        return all(PICTURE_URL.fullmatch(a) for a in addresses if a or tag == "img")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.order.append(tag)
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler <{tag} {name}={value!r}>")
            if name == "style":
                self.problems.append(f"style attribute <{tag} style={value!r}>")
            if name in URL_ATTRIBUTES and value is not None:
                scheme = _scheme(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    self.problems.append(f"{scheme}: address <{tag} {name}={value!r}>")
        allowed = tag == "base" and attrs == [("target", "_top")]
        allowed = allowed or (self.search_page and (tag, *attrs) in SEARCH_FORM)
        allowed = allowed or self._own_picture(tag, values)
        if tag in FORBIDDEN_ELEMENTS and not allowed:
            self.problems.append(f"element <{tag} {values}>")
        if tag == "input" and values.get("id") != "_share-url" and not allowed:
            self.problems.append(f"element <input {values}>")
        if tag == "link" and not set((values.get("rel") or "").split()) <= LINK_RELS:
            self.problems.append(f"element <link {values}>")
        equiv = values.get("http-equiv")
        if tag == "meta" and equiv is not None:
            if equiv.lower() == "content-security-policy":
                self.csp.append(values.get("content") or "")
                self.csp_at = len(self.order) - 1
            else:
                self.problems.append(f"element <meta {values}>")
        if tag == "script":
            embed = list(values) == ["src", "defer"] and EMBED_SCRIPT.fullmatch(values["src"] or "")
            # The search page's script takes its words from `data-` attributes, which run nothing.
            search = [name for name in values if not name.startswith("data-")] == ["src", "defer"]
            search = search and SEARCH_SCRIPT.fullmatch(values["src"] or "") is not None
            own = bool(embed or search)
            if not own and (values.get("type") != "application/ld+json" or "src" in values):
                self.problems.append(f"script <script {values}>")
            self._script = None if own else ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.jsonld.append(self._script)
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script += data


def _check_html(text: str, where: str, page: bool = True) -> list[str]:
    parser = _Page(search_page=where == SEARCH_PAGE)
    parser.feed(text)
    parser.close()
    problems = [f"{where}: {p}" for p in parser.problems]
    for raw in parser.jsonld:
        if "</script" in raw.lower() or "<!--" in raw:
            problems.append(f"{where}: JSON-LD can end or hide its element: {raw[:120]!r}")
        try:
            json.loads(raw)
        except ValueError as exc:
            problems.append(f"{where}: JSON-LD is not JSON ({exc})")
    if page:
        policy = SEARCH_CONTENT_SECURITY_POLICY if where == SEARCH_PAGE else CONTENT_SECURITY_POLICY
        if parser.csp != [policy]:
            problems.append(f"{where}: Content-Security-Policy is {parser.csp}")
        elif parser.order[:3] != ["html", "head", "meta"] or parser.csp_at != 3:
            problems.append(f"{where}: the policy is not right after the charset")
    elif parser.jsonld:
        problems.append(f"{where}: a script in HTML that is not a page")
    return problems


def _check_build(output: Path, base_url: str) -> tuple[list[str], dict[str, str]]:
    """Parse every output file; return the problems and each format's text (for markers)."""
    problems: list[str] = []
    texts: dict[str, list[str]] = {name: [] for name in FORMATS}
    files = sorted(p for p in output.rglob("*") if p.is_file())
    for path in files:
        where = path.relative_to(output).as_posix()
        if where.startswith(("static/", ".", "pagefind/")):
            continue  # copied as they are, or Pagefind's index of the pages checked here
        if path.suffix == ".png":  # a share card: drawn from the text, never read as markup
            if not path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n"):
                problems.append(f"{where}: not a PNG")
            continue
        if path.suffix in (".webp", ".jpg"):  # a picture's variant: its pixels, re-encoded
            data = path.read_bytes()
            if not (data.startswith(b"\xff\xd8\xff") or data[8:12] == b"WEBP"):
                problems.append(f"{where}: not a JPEG or WebP picture")
            continue
        if path.suffix == ".pdf":  # a document, published as the editor's file is
            if not path.read_bytes().startswith(b"%PDF-"):
                problems.append(f"{where}: not a PDF")
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".html":
            problems += _check_html(text, where)
            parser = _Page()
            parser.feed(text)
            texts["json-ld"] += parser.jsonld
            texts["html"].append(text)
        elif where == "feed.xml":
            root = ET.fromstring(text)
            texts["atom"].append(text)
            for link in root.iter(f"{ATOM}link"):
                if not link.get("href", "").startswith(base_url):
                    problems.append(f"{where}: link {link.get('href')!r}")
            for summary in root.iter(f"{ATOM}summary"):
                problems += _check_html(summary.text or "", f"{where} summary", page=False)
        elif where == "sitemap.xml":
            root = ET.fromstring(text)
            texts["sitemap"].append(text)
            for loc in root.iter(f"{SITEMAP}loc"):
                if not (loc.text or "").startswith(base_url):
                    problems.append(f"{where}: loc {loc.text!r}")
        elif where == "robots.txt":
            texts["robots"].append(text)
            expected = f"User-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n"
            if text != expected:
                problems.append(f"{where}: {text!r}")
        elif path.name == "oembed.json":
            problems += _check_oembed(text, where, base_url)
        elif path.suffix == ".json":
            json.loads(text)
            texts["data.json"].append(text)
        elif path.suffix == ".csv":
            texts["csv"].append(text)
            for row in csv.reader(io.StringIO(text)):
                for cell in row:
                    if cell.startswith(FORMULA_START):
                        problems.append(f"{where}: formula cell {cell!r}")
        else:
            problems.append(f"{where}: a file of a kind this test does not check")
    return problems, {name: "\n".join(parts) for name, parts in texts.items()}


class _Code(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _check_oembed(text: str, where: str, base_url: str) -> list[str]:
    """An oEmbed answer: JSON with no raw `<` or `>`, whose code is a frame and a script
    element with exactly their attributes, both loading from under base_url."""
    if "<" in text or ">" in text:
        return [f"{where}: raw < or > in an oEmbed answer"]
    code = _Code()
    code.feed(json.loads(text)["html"])
    code.close()
    shape = [(tag, [name for name, _ in attrs]) for tag, attrs in code.tags]
    if shape != EMBED_CODE:
        return [f"{where}: embed code {code.tags}"]
    sources = [dict(attrs)["src"] or "" for _, attrs in code.tags]
    return [f"{where}: embed code loads {src!r}" for src in sources if not src.startswith(base_url)]


def _forms(value: str) -> set[str]:
    """How a value may be written in an output: as is, escaped for HTML or XML, or for
    JSON-LD."""
    escaped = str(escape(value))
    return {value, escaped, escaped.replace("&#39;", "&#x27;"), value.replace("&", "\\u0026")}


def _data_values(data: Any) -> set[str]:
    if isinstance(data, dict):
        return {v for value in data.values() for v in _data_values(value)}
    if isinstance(data, list):
        return {v for value in data for v in _data_values(value)}
    return {data} if isinstance(data, str) else set()


Coverage = set[tuple[int, str, str]]
"""(field index, value, format): a value of a field found in a format's output, checked."""


@dataclass
class Checked:
    """What checking one payload build found."""

    problems: list[str]
    changed: list[tuple[str, str]]
    """(field, value) that data.json does not give back as the editor wrote it."""
    coverage: Coverage


class PayloadBuilds:
    """Each payload build made and checked once, on first use, by whichever test asks first:
    the payload tests one each, the coverage test all of them."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.checked: dict[int, Checked] = {}

    def __getitem__(self, build: int) -> Checked:
        if build not in self.checked:
            self.checked[build] = self._check(build)
        return self.checked[build]

    def _check(self, build: int) -> Checked:
        folder = self.scratch / f"build-{build}"
        site = payload_site(folder / "content", build)
        output = folder / "output"
        build_site(site.content, output, workers=1)
        problems, texts = _check_build(output, site.base_url)
        shutil.rmtree(folder)
        stored = _data_values(json.loads(texts["data.json"]))
        in_data = {int(n) for n in MARKER.findall(texts["data.json"])}
        changed = [
            (str(site.fields[i].path), site.values[i])
            for i in sorted(in_data)
            if site.values[i].strip() not in stored
        ]
        coverage: Coverage = set()
        for name, text in texts.items():
            for index in {int(n) for n in MARKER.findall(text)}:
                coverage.add((index, site.values[index], name))
            for index, where in enumerate(site.fields):
                if where.role == "base_url" and any(
                    form in text for form in _forms(site.values[index])
                ):
                    coverage.add((index, site.values[index], name))
        return Checked(problems, changed, coverage)


@pytest.fixture(scope="module")
def payload_builds(tmp_path_factory: pytest.TempPathFactory) -> PayloadBuilds:
    return PayloadBuilds(tmp_path_factory.mktemp("payloads"))


@pytest.mark.parametrize("build", range(len(PAYLOADS)))
def test_payloads_are_inert_in_every_output(build: int, payload_builds: PayloadBuilds) -> None:
    checked = payload_builds[build]
    assert checked.problems == [], "\n".join(checked.problems)
    assert checked.changed == [], (
        f"data.json does not give these values back as written: {checked.changed}"
    )


def test_every_field_reaches_the_pages(payload_builds: PayloadBuilds) -> None:
    """Every field with every payload was found on some page (so the checks above saw it),
    and the other formats carry theirs; prints the figure for the README. Makes every
    payload build the payload tests have not made yet in this process."""
    coverage: Coverage = set()
    for build in range(len(PAYLOADS)):
        coverage |= payload_builds[build].coverage
    fields = attackable_fields()
    by_format = Counter(name for _, _, name in coverage)
    print(
        f"\n{len(PAYLOADS)} text payloads, {len(ADDRESS_PAYLOADS)} address payloads and "
        f"{len(BASE_URLS)} base_urls in {len(fields)} fields: {len(coverage)} distinct "
        "(value, field, format) combinations found in the output and checked: "
        + ", ".join(f"{name} {by_format[name]}" for name in FORMATS)
    )
    in_html = {(index, value) for index, value, name in coverage if name == "html"}
    expected = {
        (index, value)
        for index, where in enumerate(fields)
        for value in (
            [with_marker(p, index) for p in PAYLOADS]
            if where.role == "text"
            else [a + marker(index) for a in ADDRESS_PAYLOADS]
            if where.role == "address"
            else list(BASE_URLS)
        )
    }
    assert {(i, v.strip()) for i, v in expected} - {(i, v.strip()) for i, v in in_html} == set()
    for name in FORMATS:
        assert by_format[name] > 0, f"no attacked field reached {name}"


# ---------------------------------------------------------------------------------------------
# What validation refuses.

ID_PAYLOADS = (
    '"><script>alert(1)</script>',
    "javascript:alert(1)",
    "a/../b",
    "../etc",
    "UPPER",
    "a b",
    "a_b",
    "café",
    "a\u2028b",
    "-a",
    "a-",
    "x" * 81,
)

BAD_ADDRESSES = (
    ("javascript:alert(1)", "is a `javascript:` address; only https:// and http:// are allowed"),
    ("JaVaScRiPt:alert(1)", "is a `JaVaScRiPt:` address"),
    ("  javascript:alert(1)", "is a `javascript:` address"),
    ("\x01javascript:alert(1)", "is not a web address: it should start with https:// or http://"),
    ("&#106;avascript:alert(1)", "is not a web address"),
    ("java\tscript:alert(1)", "is not a web address"),
    ("data:text/html,<script>alert(1)</script>", "is a `data:` address"),
    ("vbscript:msgbox(1)", "is a `vbscript:` address"),
    ("file:///etc/passwd", "is a `file:` address"),
    ("mailto:desk@example.org", "is a `mailto:` address"),
    ("//evil.example/x", "is not a web address"),
    ("HTTPS://example.org/x", "should start with `https://`, in lowercase"),
    ("https:///x", "has no site name after the `//`"),
    ('https://example.org/"><script>alert(1)</script>', 'contains `"`, which a web address'),
    ("https://example.org/<x>", "contains `<`"),
    ("https://example.org/`x`", "contains a backtick, which a web address cannot contain"),
    ("https://example.org/a\x01b", "contains the invisible character U+0001"),
)


def _valid(model: type[Model]) -> dict[str, Any]:
    if model is Site:
        return dict(SKELETON["site"])
    if model is Case:
        return dict(SKELETON["case"])
    collection = next(name for name, m in COLLECTION_MODELS.items() if m is model)
    return dict(SKELETON[collection][0])


ITEM_MODELS: list[type[Model]] = [Site, Case, *COLLECTION_MODELS.values()]
SLUG_FIELDS = [
    (model, name, role)
    for model in ITEM_MODELS
    for name, role in model_fields(model).items()
    if role.removeprefix("list:") == "slug"
]
TEXT_FIELDS = [
    (model, name, role)
    for model in ITEM_MODELS
    for name, role in model_fields(model).items()
    if role.removeprefix("list:") == "text"
]


@pytest.mark.parametrize(
    ("model", "name", "role"), SLUG_FIELDS, ids=[f"{m.__name__}.{n}" for m, n, _ in SLUG_FIELDS]
)
def test_every_id_field_refuses_what_is_not_a_slug(
    model: type[Model], name: str, role: str
) -> None:
    for payload in ID_PAYLOADS:
        item = _valid(model)
        item[name] = [payload] if role.startswith("list:") else payload
        with pytest.raises(ValidationError) as caught:
            model.model_validate(item)
        locs = [error["loc"][:1] for error in caught.value.errors()]
        assert (name,) in locs, (payload, caught.value.errors())


@pytest.mark.parametrize(
    ("model", "name", "role"), TEXT_FIELDS, ids=[f"{m.__name__}.{n}" for m, n, _ in TEXT_FIELDS]
)
def test_every_text_field_refuses_invisible_control_characters(
    model: type[Model], name: str, role: str
) -> None:
    for char in ("\x00", "\x01", "\x1b", "\x7f", "\x85", "\ufffe", "\uffff"):
        item = _valid(model)
        value = f"before{char}after"
        item[name] = [value] if role.startswith("list:") else value
        with pytest.raises(ValidationError) as caught:
            model.model_validate(item)
        (error,) = caught.value.errors()
        assert error["type"] == "text_character"
        assert f"U+{ord(char):04X}" in error["msg"]


def test_text_keeps_tabs_line_breaks_and_quotes() -> None:
    item = _valid(Case) | {"summary": 'Tab\there,\nline\r\nbreaks, "quotes" <b> & \u2028'}
    assert "\t" in Case.model_validate(item).summary


def _sources_yaml(url: str) -> str:
    source = {"id": "report", "title": "A report", "publisher": "The Paper", "url": url}
    return yaml.safe_dump([source], allow_unicode=True, width=10**6, sort_keys=False)


def _url_location(text: str) -> tuple[int, int]:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip(" -").startswith("url:"):
            return number, line.index("url:") + len("url: ") + 1
    raise AssertionError(text)


@pytest.mark.parametrize(("url", "message"), BAD_ADDRESSES, ids=[u for u, _ in BAD_ADDRESSES])
def test_source_address_must_be_http_with_a_located_message(
    tmp_path: Path, url: str, message: str
) -> None:
    text = _sources_yaml(url)
    root = write_tree(tmp_path / "content", minimal_site(**{"sources.yaml": text}))
    with pytest.raises(ContentErrors) as caught:
        validate_content(load_content(root))
    (error,) = caught.value.errors
    line, column = _url_location(text)
    assert (Path(error.location.file).name, error.location.line, error.location.column) == (
        "sources.yaml",
        line,
        column,
    )
    assert str(error).startswith(f"{root}/cases/demo/sources.yaml:{line}:{column}: `url`: `")
    assert message in error.message, error.message
    assert not re.search(r"[\x00-\x08\x0b-\x1f]", str(error)), "control characters printed"


@pytest.mark.parametrize(
    "base_url",
    [
        "javascript:alert(1)//",
        'https://example.org/"/',
        "https://example.org//evil.example/",
        "https://example.org/?x=/",
        "https://example.org/<script>/",
    ],
)
def test_base_url_must_be_a_plain_http_folder_address(tmp_path: Path, base_url: str) -> None:
    site = yaml.safe_dump(SKELETON["site"] | {"base_url": base_url}, width=10**6, sort_keys=False)
    root = write_tree(tmp_path / "content", minimal_site(**{"site.yaml": site}))
    with pytest.raises(ContentErrors) as caught:
        validate_content(load_content(root))
    (error,) = caught.value.errors
    assert Path(error.location.file).name == "site.yaml" and error.location.line == 2
    assert "base_url" in error.message
