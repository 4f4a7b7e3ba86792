"""The glossary: terms validated, linked on their first use in a page's prose (never in a
link, code, a quotation or a heading), listed on the glossary page, and checked for use."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator.build.site import build_site
from generator.commands.check import run_check
from generator.errors import ContentErrors
from generator.load.content import load_content
from generator.plan.context import GlossaryView, TermView
from generator.render.environment import make_environment
from generator.render.page import RenderSession
from generator.render.terms import link_terms, mark_prose
from generator.validate.content import validate_content
from generator.validate.glossary import form_key
from tests.conftest import CASE_YAML, REAL_CONTENT, minimal_site, plan_as_built, write_tree

REPO = Path(__file__).resolve().parent.parent

GLOSSARY = """\
- id: certiorari
  term: Certiorari
  forms: [cert, writ of certiorari]
  definition: The order by which the Supreme Court agrees to review a case; see *en banc*.
  sources: [report]
- id: writ
  term: Writ
  definition: A written order of a court.
- id: en-banc
  term: En banc
  definition: Heard by all the judges of a court, as a writ of certiorari is not.
"""

TRICKY_BODY = """\
See [cert, the petition](https://example.org/cert) and `certiorari` in code.

> En banc, in a blockquote.

### Certiorari in a heading

The court granted a writ of certiorari. Later, Certiorari again, and a writ.
Then en-banc, and en banc.
"""

PARTIES = """\
- id: court
  name: The Court
  kind: court
  role: Decides
"""

EVENTS = f"""\
- id: granted
  date: 2017-10-16
  title: Certiorari granted
  kind: ruling
  body: |
{"".join("    " + line + chr(10) if line else chr(10) for line in TRICKY_BODY.splitlines())}\
  quotes: [said]
  sources: [report]
"""

QUOTES = """\
- id: said
  text: We grant certiorari en banc.
  speaker: court
  said_on: 2017-10-16
  venue: Order
  context: Said when the court granted certiorari, en banc.
  sources: [report]
  verbatim_in: report
"""


def fixture_site(**overrides: str) -> dict[str, str | bytes]:
    return minimal_site(
        **{
            "glossary.yaml": GLOSSARY,
            "parties.yaml": PARTIES,
            "events.yaml": EVENTS,
            "quotes.yaml": QUOTES,
            **overrides,
        }
    )


class _Links(HTMLParser):
    """The term links of a page, in order, each with the elements it sits in."""

    VOID = {"meta", "link", "br", "hr", "img", "input", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.links: list[tuple[str, str, tuple[str, ...]]] = []
        self._term: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("class") == "term":
            self._term, self._text = found["href"] or "", ""
            self._inside = tuple(self.open)
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._term is not None:
            self.links.append((self._term, self._text, self._inside))
            self._term = None
        while self.open and self.open.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self._term is not None:
            self._text += data


def term_links(html: str) -> list[tuple[str, str, tuple[str, ...]]]:
    parser = _Links()
    parser.feed(html)
    return parser.links


@pytest.fixture(scope="module")
def fixture_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("glossary")
    content = write_tree(root / "content", fixture_site())
    build_site(content, root / "output")
    return root / "output"


def test_event_page_links_each_term_once_at_its_first_use_outside_links_code_quotes_headings(
    fixture_output: Path,
) -> None:
    page = (fixture_output / "demo/timeline/granted/index.html").read_text(encoding="utf-8")
    main = page[page.index("<main") : page.index("</main>")]
    assert [(href, text) for href, text, _ in term_links(main)] == [
        ("../../../demo/glossary/#certiorari", "writ of certiorari"),
        ("../../../demo/glossary/#writ", "writ"),
        ("../../../demo/glossary/#en-banc", "en-banc"),
    ]
    assert (
        '<a href="https://example.org/cert" rel="noopener noreferrer">cert, the petition</a>'
        in (main)
    )
    assert "<code>certiorari</code>" in main
    assert "<p>En banc, in a blockquote.</p>" in main
    assert "<h3>Certiorari in a heading</h3>" in main


def test_quote_words_are_never_linked_but_their_context_is(fixture_output: Path) -> None:
    page = (fixture_output / "demo/quotes/said/index.html").read_text(encoding="utf-8")
    links = term_links(page)
    assert [(href, text) for href, text, _ in links] == [
        ("../../../demo/glossary/#certiorari", "certiorari"),
        ("../../../demo/glossary/#en-banc", "en banc"),
    ]
    assert all("blockquote" not in inside and "q" not in inside for _, _, inside in links)
    assert "We grant certiorari en banc." in page


def test_glossary_page_lists_terms_alphabetically_each_anchored_and_linking_only_others(
    fixture_output: Path,
) -> None:
    page = (fixture_output / "demo/glossary/index.html").read_text(encoding="utf-8")
    assert re.findall(r'<dfn id="([a-z-]+)">([^<]+)</dfn>', page) == [
        ("certiorari", "Certiorari"),
        ("en-banc", "En banc"),
        ("writ", "Writ"),
    ]
    # Certiorari's definition links en banc (inside <em>), en banc's links certiorari: a
    # definition links the other terms, never its own.
    assert [(href, text) for href, text, _ in term_links(page)] == [
        ("../../demo/glossary/#en-banc", "en banc"),
        ("../../demo/glossary/#certiorari", "writ of certiorari"),
    ]
    assert "Also written: “cert”, “writ of certiorari”" in page
    assert 'href="../../demo/sources/#report"' in page
    assert '<a href="../../demo/glossary/" aria-current="page">Glossary</a>' in page


def test_pages_hold_no_prose_marks(fixture_output: Path) -> None:
    for path in fixture_output.rglob("*"):
        if path.suffix in {".html", ".xml", ".json", ".txt"}:
            text = path.read_text(encoding="utf-8")
            assert not re.search("[\x02\x03\x1f]", text), path


def test_without_a_glossary_pages_have_no_term_links_and_no_glossary_page(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", fixture_site(**{"glossary.yaml": "[]\n"}))
    build_site(content, tmp_path / "output")
    page = (tmp_path / "output/demo/timeline/granted/index.html").read_text(encoding="utf-8")
    assert term_links(page) == []
    assert "\x02" not in page and "\x03" not in page
    assert not (tmp_path / "output/demo/glossary").exists()
    assert ">Glossary</a>" not in page


def test_site_wide_terms_join_each_case_and_a_case_term_replaces_one(tmp_path: Path) -> None:
    site_glossary = """\
- id: writ
  term: Writ
  definition: Site-wide writ.
- id: moot
  term: Moot
  definition: Nothing left to decide.
"""
    files = fixture_site()
    files["glossary.yaml"] = site_glossary
    content = write_tree(tmp_path / "content", files)
    site = validate_content(load_content(content))
    glossary = site.cases[0].glossary
    assert [t.id for t in glossary] == ["certiorari", "writ", "en-banc", "moot"]
    assert next(t for t in glossary if t.id == "writ").definition == "A written order of a court."


def errors_of(tmp_path: Path, files: dict[str, str | bytes]) -> list[str]:
    content = write_tree(tmp_path / "content", files)
    with pytest.raises(ContentErrors) as exc:
        validate_content(load_content(content))
    return [str(e).replace(str(content) + "/", "") for e in exc.value.errors]


def test_a_form_of_two_terms_is_an_error_at_the_later(tmp_path: Path) -> None:
    glossary = GLOSSARY + "- id: petition\n  term: Petition\n  forms: [CERT]\n  definition: A.\n"
    assert errors_of(tmp_path, fixture_site(**{"glossary.yaml": glossary})) == [
        "cases/demo/glossary.yaml:14:11: `CERT` is a form of two terms: `certiorari` (as `cert`)"
        " and `petition` — a word links to one definition: keep the form in one term only"
    ]


def test_a_form_listed_twice_and_a_duplicate_id_are_errors(tmp_path: Path) -> None:
    glossary = GLOSSARY + "- id: writ\n  term: Order\n  forms: [order]\n  definition: A.\n"
    assert errors_of(tmp_path, fixture_site(**{"glossary.yaml": glossary})) == [
        "cases/demo/glossary.yaml:12:7: duplicate term id `writ`: "
        "cases/demo/glossary.yaml:6:7 has the same id — give each item its own id",
        "cases/demo/glossary.yaml:14:11: `order` is listed twice for the term `writ`"
        " — keep one of them",
    ]


def test_unknown_source_of_a_term_suggests_the_closest(tmp_path: Path) -> None:
    glossary = GLOSSARY.replace("sources: [report]", "sources: [reprot]")
    assert errors_of(tmp_path, fixture_site(**{"glossary.yaml": glossary})) == [
        "cases/demo/glossary.yaml:5:13: unknown source `reprot` in `sources`"
        " — did you mean `report`?"
    ]


def test_a_site_wide_term_citing_sources_is_an_error(tmp_path: Path) -> None:
    files = minimal_site()
    files["glossary.yaml"] = "- id: moot\n  term: Moot\n  definition: A.\n  sources: [report]\n"
    assert errors_of(tmp_path, files) == [
        "glossary.yaml:4:12: the site-wide term `moot` cites sources, but sources belong to a"
        " case — define the term in the case's glossary.yaml to cite the case's sources, or"
        " remove `sources`"
    ]


def test_check_warns_about_unused_terms_and_unlisted_plurals_at_the_term(tmp_path: Path) -> None:
    glossary = GLOSSARY + "- id: moot\n  term: Moot\n  definition: A.\n"
    events = EVENTS.replace("and a writ.", "a writ, and two writs.")
    content = write_tree(
        tmp_path / "content", fixture_site(**{"glossary.yaml": glossary, "events.yaml": events})
    )
    result = run_check(content)
    assert [
        (str(p.location).replace(str(content) + "/", ""), p.message)
        for p in result.warnings
        if p.title in {"Unused term", "Unlisted term form"}
    ] == [
        (
            "cases/demo/glossary.yaml:7:9",
            "prose writes `writs`, which is not a form of the term `writ` and so is not linked",
        ),
        (
            "cases/demo/glossary.yaml:13:9",
            "the term `moot` is not used in any prose, so no page links to it",
        ),
    ]


def test_a_term_used_only_in_brief_is_used(tmp_path: Path) -> None:
    """The overview links terms in its In brief points, so check counts them as prose."""
    glossary = GLOSSARY + "- id: moot\n  term: Moot\n  definition: A.\n"
    case = CASE_YAML + "in_brief:\n  - The case became moot.\n  - Two.\n  - Three.\n"
    content = write_tree(
        tmp_path / "content",
        fixture_site(**{"glossary.yaml": glossary, "cases/demo/case.yaml": case}),
    )
    unused = [p.message for p in run_check(content).warnings if p.title == "Unused term"]
    assert unused == []


def test_link_terms_prefers_the_longest_form_and_leaves_a_pages_other_text() -> None:
    glossary = GlossaryView(
        url="c/glossary/",
        terms=[
            TermView("writ", "Writ", [], "", []),
            TermView("cert", "Certiorari", ["writ of certiorari"], "", []),
        ],
    )
    page = (
        "<title>writ</title>"
        + mark_prose("<p>A WRIT  of\ncertiorari, then a writ's use.</p>")
        + "<p>writ outside prose</p>"
    )
    assert link_terms(page, glossary, "../") == (
        "<title>writ</title>"
        '<p>A <a class="term" href="../c/glossary/#cert">WRIT  of\ncertiorari</a>, then a '
        '<a class="term" href="../c/glossary/#writ">writ\'s</a> use.</p>'
        "<p>writ outside prose</p>"
    )


def test_form_key_ignores_case_spacing_and_hyphens() -> None:
    assert form_key("Friend-of-the  Court") == form_key("friend of the court")


# --- the real case ------------------------------------------------------------------------------


class _Uses(HTMLParser):
    """Every use of a glossary form in marked prose, outside protected elements, in order:
    an oracle independent of `render.terms`, reading the page through Python's HTML parser."""

    PROTECTED = {"a", "code", "pre", "blockquote", "q", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self, pattern: re.Pattern[str], ids: dict[str, str]) -> None:
        super().__init__(convert_charrefs=True)
        self.pattern, self.ids = pattern, ids
        self.depth = 0
        self.uses: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.PROTECTED:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.PROTECTED:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth == 0:
            for match in self.pattern.finditer(data):
                used = match.group().casefold().replace("-", " ")
                self.uses.append(self.ids[" ".join(used.split())])


def test_real_case_every_term_used_in_prose_links_on_first_use_and_never_in_a_quote(
    built_example: Path,
) -> None:
    site = validate_content(load_content(REAL_CONTENT))
    plan = plan_as_built(site)
    case = plan.cases[0]
    terms = case.glossary.terms
    assert {"certiorari", "en-banc", "moot", "vacate", "remand", "amicus-curiae", "per-curiam"} <= {
        t.id for t in terms
    }
    ids = {
        " ".join(f.casefold().replace("-", " ").split()): t.id
        for t in terms
        for f in (t.term, *t.forms)
    }
    longest_first = sorted(ids, key=len, reverse=True)
    words = "|".join(r"[\s-]+".join(re.escape(w) for w in key.split()) for key in longest_first)
    pattern = re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.IGNORECASE)
    session = RenderSession(make_environment(REPO / "templates"))
    checked = linked = 0
    for page in plan.pages:
        if not page.template.endswith(".html") or not page.path.startswith(case.url):
            continue
        marked, _ = session._template(page)
        expected: list[str] = []
        for region in re.findall("\x02(?:\x1f[^\x1f]*\x1f)?(.*?)\x03", marked, re.S):
            oracle = _Uses(pattern, ids)
            oracle.feed(region)
            for used in oracle.uses:
                if used not in expected:
                    expected.append(used)
        built = (built_example / page.path).read_text(encoding="utf-8")
        links = term_links(built)
        own = page.path.endswith("glossary/index.html")
        found = [href.rsplit("#", 1)[1] for href, _, _ in links]
        if not own:
            assert found == expected, page.path
        assert len(found) == len(set(found)), page.path
        for _, _, inside in links:
            assert not {"blockquote", "q", "code", "pre", "h1", "h2", "h3"} & set(inside), page.path
        checked += 1
        linked += bool(found)
    assert checked > 100 and linked > 20


def test_open_data_holds_the_glossary_as_written(fixture_output: Path) -> None:
    """`data.json` lists the case's terms, alphabetically, with their forms and sources."""
    data = json.loads((fixture_output / "demo" / "data.json").read_text(encoding="utf-8"))
    written = yaml.safe_load(GLOSSARY)
    expected = [
        {
            "id": t["id"],
            "term": t["term"],
            "forms": t.get("forms", []),
            "definition": t["definition"],
            "sources": t.get("sources", []),
        }
        for t in sorted(written, key=lambda t: t["term"].casefold())
    ]
    assert data["glossary"] == expected
