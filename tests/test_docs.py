"""The messages docs/editing.md shows are the ones the program prints.

Each message in the guide comes from breaking a copy of the real Microsoft Ireland case in
one way (a `Break` below) and running `explainer check` on it in-process. A break's output
is shown in the guide in one of four ways: as a row of the message tables of section 18
(`table`, the folder `content/cases/microsoft-ireland/` left out at the start of each
line), as a whole report in a code block (`report`), as some lines of a code block
(`lines`), or as the preview's error page (`page`). Every break must be in the guide, and
every message in the guide must come from a break, so that neither can change alone.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest

from generator.commands.check import report, run_check
from generator.commands.scaffold import new_case
from generator.serve.error_page import error_page
from generator.serve.preview import PreviewState
from tests.conftest import REAL_CONTENT, REPO, CliResult

GUIDE = REPO / "docs" / "editing.md"
CASE_FOLDER = "content/cases/microsoft-ireland/"
TODAY = dt.date(2030, 1, 1)
LAST_GOOD = "10:13:57"

Edit = Callable[[Path], None]
"""A change to a copy of the content folder, given its path."""
Shown = Literal["table", "report", "lines", "page"]


def replace(file: str, old: str, new: str) -> Edit:
    """Replace the one occurrence of `old` in a file of the case (`../../site.yaml`: the site)."""

    def edit(content: Path) -> None:
        path = content / "cases" / "microsoft-ireland" / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{file}: {old!r} occurs {text.count(old)} times"
        path.write_text(text.replace(old, new), encoding="utf-8")

    return edit


def change(file: str, anchor: str, old: str, new: str) -> Edit:
    """Replace `old` by `new` inside the one occurrence of `anchor` in a file of the case."""
    assert old in anchor, (anchor, old)
    return replace(file, anchor, anchor.replace(old, new))


def translated(file: str, text: str) -> Edit:
    """Publish the site in English and German too, with `text` as the case's translation
    file `file` (e.g. `events.de.yaml`)."""

    def edit(content: Path) -> None:
        site = content / "site.yaml"
        settings = site.read_text(encoding="utf-8")
        if "\nlanguages: [en, de]\n" not in settings:
            site.write_text(settings + "languages: [en, de]\n", encoding="utf-8")
        (content / "cases" / "microsoft-ireland" / file).write_text(text, encoding="utf-8")

    return edit


def remove_every(file: str, line: str) -> Edit:
    def edit(content: Path) -> None:
        path = content / "cases" / "microsoft-ireland" / file
        text = path.read_text(encoding="utf-8")
        assert line in text, line
        path.write_text(text.replace(line, ""), encoding="utf-8")

    return edit


def append(file: str, text: str) -> Edit:
    def edit(content: Path) -> None:
        path = content / "cases" / "microsoft-ireland" / file
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return edit


def create(file: str, text: str) -> Edit:
    def edit(content: Path) -> None:
        path = content / "cases" / "microsoft-ireland" / file
        assert not path.exists(), path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    return edit


def delete(file: str) -> Edit:
    def edit(content: Path) -> None:
        (content / "cases" / "microsoft-ireland" / file).unlink()

    return edit


def new(slug: str) -> Edit:
    """What `explainer new SLUG` does."""

    def edit(content: Path) -> None:
        new_case(content, slug)

    return edit


@dataclass(frozen=True)
class Break:
    name: str
    shown: Shown
    edits: tuple[Edit, ...]


def broken(name: str, shown: Shown, *edits: Edit) -> Break:
    return Break(name, shown, edits)


def sections() -> list[str]:
    """The guide cut at its `## ` headings; each part starts with the heading's text."""
    return re.split(r"^## ", GUIDE.read_text(encoding="utf-8"), flags=re.M)


def section(number: int) -> str:
    (found,) = [part for part in sections() if part.startswith(f"{number}. ")]
    return found


def first_yaml_block(number: int) -> str:
    return re.findall(r"^```yaml\n(.*?)^```", section(number), flags=re.M | re.S)[0]


Q, E, S, R = "quotes.yaml", "events.yaml", "sources.yaml", "rulings.yaml"
P, POLLS, C = "parties.yaml", "polls.yaml", "case.yaml"
LYNCH_VENUE = "  venue: Blog post, Microsoft\n  context: >-\n    The central"
SAID = "  said_on: 2014-08-27\n  venue: Blog post, Microsoft\n  context: >-\n    Lynch's summary"
TEXT = (
    "  text: >-\n    So far the courts have sided with the U.S. government, but we are appealing"
    " the latest decision.\n  speaker: brendon-lynch\n  speaker_role"
)
STAY = "  parties: [sdny, microsoft]\n  sources: [govt-letter-2014-08-12]\n"
TITLE = "  title: Court formally stays the ruling\n"
KIND = TITLE + "  kind: order\n"
BODY = "did not oppose, to\n    stay the 31 July ruling.\n"
DATE = "- id: stay-granted\n  date: 2014-08-01\n"
RESULT = "{answer: Believe, percent: 83}"
URL = '  url: "http://uk.reuters.com/article/usa-microsoft-emails-idUKL1N0QZ24W20140830"\n'
LYNCH_SOURCES = (
    "  sources: [lynch-blog-2014-08-27]\n  verbatim_in: lynch-blog-2014-08-27\n\n"
    "- id: lynch-british-law"
)
LYNCH_VERBATIM_IN = "  verbatim_in: lynch-blog-2014-08-27\n"
MAGISTRATE = (
    "issues the warrant\n  court: sdny\n  stage: magistrate\n  judges: [james-c-francis-iv]\n"
)
POLLSTER = "  name: Anzalone Liszt Grove\n  kind: organization\n"
BHARARA = (
    "  member_of: usao-sdny\n  sources: [ca2-opinion-2016-07-14, govt-brief-2014-07-09]\n\n"
    "- id: serrin"
)
WARRANT = "  favours: united-states\n  next_step: On 18 December"
REUTERS = "- id: reuters-2014-08-29\n"
FT_SOURCE = (
    '- id: ft-2014-08-30\n  title: "Microsoft refuses to hand over emails"\n'
    '  publisher: Financial Times\n  url: "https://www.ft.com/content/microsoft-emails"\n\n'
)
FIELDWORK = "    start: 2014-07-07\n    end: 2014-07-08\n"
SWAPPED = "    start: 2014-07-08\n    end: 2014-07-07\n"

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 9"></svg>\n'
OPINION_PDF = """\
- id: ca2-opinion
  file: opinion.pdf
  title: Opinion of the Second Circuit
  credit: U.S. Court of Appeals for the Second Circuit
  licence: public-domain
  pages: 43
  excerpts:
    - page: 44
      quote: a hybrid
      sources: [francis-opinion-2014-04-25]
"""


def with_media(
    file: str = "where-the-data-sat.svg",
    alt: str | None = "A diagram of where the emails were stored",
    licence: str = "CC-BY-4.0",
    named: str = "where-the-data-sat.svg",
) -> tuple[Edit, Edit]:
    """A picture in media/ (an SVG, whatever it is `named`) and its entry, at the end of
    media.yaml."""
    entry = f"- id: where-the-data-sat\n  file: {file}\n"
    entry += f"  alt: {alt}\n" if alt is not None else ""
    entry += f"  credit: Case Explainers\n  licence: {licence}\n"
    return create(f"media/{named}", SVG), append("media.yaml", "\n" + entry)


BREAKS = [
    # section 16: the preview's page
    broken(
        "preview-missing-colon",
        "page",
        change(Q, LYNCH_VENUE, "venue:", "venue"),
    ),
    # section 17
    broken("report-unknown-party", "report", change(Q, TEXT, "brendon", "brendan")),
    broken("report-ok", "report"),
    broken(
        "report-warnings",
        "report",
        remove_every(Q, "  key: true\n"),
        change(E, DATE, "2014-08-01", "2041-08-01"),
        replace(S, REUTERS, FT_SOURCE + REUTERS),
    ),
    # section 6: a new source that nothing cites yet
    broken("new-source", "report", append(S, "\n" + first_yaml_block(6))),
    # section 14: a new case of examples
    broken("new-case", "lines", new("apple-fbi-encryption")),
    # section 18: the file is not valid YAML
    broken("tab", "table", change(Q, SAID, "  venue", "\tvenue")),
    broken("over-indented", "table", change(Q, SAID, "  said_on", "    said_on")),
    broken("colon-in-text", "table", change(E, TITLE, "Court", "Stay: court")),
    broken("first-item-without-dash", "table", change(Q, "- id: francis-hybrid\n", "- ", "")),
    broken("under-indented", "table", change(Q, SAID, "  said_on", " said_on")),
    broken("dash-without-space", "table", change(E, DATE, "- id", "-id")),
    broken("missing-colon", "table", change(Q, SAID, "venue: Blog", "venue Blog")),
    broken("unindented-text", "table", change(E, BODY, "    stay the", "  stay the")),
    broken(
        "text-after-quote",
        "table",
        change(E, TITLE, "Court formally stays the ruling", '"Stay granted" says the court'),
    ),
    broken(
        "quotes-in-quotes",
        "table",
        change(Q, SAID, "Blog post, Microsoft", '"Blog post "Your email belongs to you""'),
    ),
    broken("unclosed-quote", "table", change(S, 'overseas email, despite order"\n', '"\n', "\n")),
    broken("unclosed-bracket", "table", change(E, STAY, "12]", "12")),
    broken(
        "duplicate-field",
        "table",
        change(Q, SAID, "  context", "  said_on: 2014-08-28\n  context"),
    ),
    broken("item-without-dash", "table", change(E, DATE, "- id", "  id")),
    # fields
    broken("misspelt-field", "table", change(Q, TEXT, "speaker:", "speeker:")),
    broken("misspelt-case-field", "table", change(C, "\nupdates:\n", "updates", "update")),
    broken("missing-field", "table", change(Q, SAID, "  venue: Blog post, Microsoft\n", "")),
    broken("missing-verbatim-in", "table", change(Q, LYNCH_SOURCES, LYNCH_VERBATIM_IN, "")),
    broken(
        "missing-sources",
        "table",
        change(E, STAY, "  sources: [govt-letter-2014-08-12]\n", ""),
    ),
    broken("no-source", "table", change(E, STAY, "[govt-letter-2014-08-12]", "[]")),
    broken(
        "sources-not-a-list",
        "table",
        change(E, STAY, "[govt-letter-2014-08-12]", "govt-letter-2014-08-12"),
    ),
    broken("text-nothing", "table", change(Q, TEXT, TEXT.split("\n  speaker:")[0], "  text:")),
    broken("text-empty", "table", change(Q, TEXT, TEXT.split("\n  speaker:")[0], '  text: ""')),
    broken("title-no", "table", change(E, TITLE, "Court formally stays the ruling", "No")),
    broken(
        "citation-number",
        "table",
        change(R, "  citation: 855 F.3d 53\n", "855 F.3d 53", "2017"),
    ),
    broken("key-maybe", "table", change(Q, SAID, "  context", "  key: maybe\n  context")),
    broken(
        "not-reported",
        "table",
        change(POLLS, "  sample_size: 800\n", "800\n", "800\n  margin_of_error: not reported\n"),
    ),
    broken(
        "words-in-a-number",
        "table",
        change(POLLS, "  sample_size: 800\n", "800", "800 voters"),
    ),
    broken("percent-sign", "table", change(POLLS, RESULT, "83", "83%")),
    broken("decimal-comma", "table", change(POLLS, RESULT, "83", "83,5")),
    broken("percent-over-100", "table", change(POLLS, RESULT, "83", "183")),
    broken(
        "no-results",
        "table",
        change(POLLS, f"      results:\n        - {RESULT}\n", f"\n        - {RESULT}", " []"),
    ),
    broken("fieldwork-swapped", "table", replace(POLLS, FIELDWORK, SWAPPED)),
    broken("url-without-scheme", "table", change(S, URL, "http://", "")),
    broken("url-javascript", "table", replace(S, URL, '  url: "javascript:alert(1)"\n')),
    broken("url-with-quote", "table", replace(S, URL, "  url: 'https://example.org/a\"b'\n")),
    broken(
        "control-character",
        "table",
        change(
            E,
            TITLE,
            "Court formally stays the ruling",
            '"Court formally stays\\x01 the ruling"',
        ),
    ),
    broken(
        "base-url-without-slash",
        "table",
        change("../../site.yaml", '"https://example.org/explainers/"', '/"', '"'),
    ),
    broken(
        "in-brief-point-too-long",
        "table",
        change(C, "York disagreed.\n", "disagreed.", "disagreed: control, not place, decided it."),
    ),
    broken(
        "in-brief-six-points",
        "table",
        change(C, "The question was left unanswered.\n", "\n", "\n  - More.\n"),
    ),
    # choices
    broken("kind-misspelt", "table", change(E, KIND, "order\n", "orders\n")),
    broken("kind-unknown", "table", change(E, KIND, "order\n", "decision\n")),
    broken("party-kind", "table", change(P, POLLSTER, "organization", "company")),
    broken("stage", "table", change(R, MAGISTRATE, "stage: magistrate", "stage: trial")),
    broken("status", "table", change(C, "status: resolved\n", "resolved", "closed")),
    broken(
        "update-kind",
        "table",
        change(C, "    kind: update\n    text: First published.\n", "update", "fix"),
    ),
    # ids and references
    broken("id-with-spaces", "table", change(E, DATE, "stay-granted", "Stay granted")),
    broken("id-with-two-hyphens", "table", change(E, DATE, "stay-granted", "stay--granted")),
    broken("tag-with-capital", "table", change(C, "  - privacy\n", "privacy", "Privacy")),
    broken("reserved-id", "table", change(E, DATE, "stay-granted", "page")),
    broken("duplicate-id", "table", change(E, DATE, "stay-granted", "stay-lifted")),
    broken("duplicate-id-by-case", "table", change(E, DATE, "stay-granted", "Stay-Lifted")),
    broken("unknown-speaker", "table", change(Q, TEXT, "brendon", "brendan")),
    broken("unknown-party", "table", change(E, STAY, "microsoft]", "microsoft, irish-government]")),
    broken("unknown-favours", "table", change(R, WARRANT, "united-states", "government")),
    broken("unknown-member-of", "table", change(P, BHARARA, "usao-sdny", "usao-nysd")),
    broken("missing-comma", "table", change(E, STAY, "sdny, microsoft", "sdny microsoft")),
    broken("source-misspelt", "table", change(Q, LYNCH_SOURCES, "08-27]", "08-28]")),
    broken(
        "source-not-added",
        "table",
        change(Q, LYNCH_SOURCES, "[lynch-blog-2014-08-27]", "[ft-2014-08-28]"),
    ),
    broken(
        "verbatim-in-not-among-sources",
        "table",
        change(Q, LYNCH_SOURCES, LYNCH_VERBATIM_IN, "  verbatim_in: neowin-2014\n"),
    ),
    broken(
        "unknown-ruling",
        "table",
        change(E, "  ruling: stay-lifted\n", "stay-lifted", "lift-stay"),
    ),
    broken("unknown-quote", "table", change(E, "  quotes: [govt-not-final]\n", "final", "finall")),
    broken("unknown-source-in-case", "table", change(C, "2017-06, rinf-2014-09,", "09", "9")),
    broken("court-as-judge", "table", change(R, MAGISTRATE, "[james-c-francis-iv]", "[sdny]")),
    broken(
        "judge-as-court",
        "table",
        change(R, MAGISTRATE, "court: sdny", "court: james-c-francis-iv"),
    ),
    # dates
    broken("day-that-does-not-exist", "table", change(E, DATE, "2014-08-01", "2014-02-30")),
    broken("month-13", "table", change(E, DATE, "2014-08-01", "2014-13-01")),
    broken("date-in-words", "table", change(E, DATE, "2014-08-01", "1 August 2014")),
    broken(
        "approximate-misspelt",
        "table",
        change(E, DATE, "2014-08-01", "{date: 2014-08, approx: true}"),
    ),
    broken(
        "approximate-not-true-or-false",
        "table",
        change(E, DATE, "2014-08-01", "{date: 2014-08, approximate: probably}"),
    ),
    broken(
        "approximate-on-its-own-line",
        "table",
        change(E, DATE, "2014-08-01", "2014-08\n  approximate: true"),
    ),
    # files
    broken("misnamed-file", "table", create("quote.yaml", "[]\n")),
    broken("file-of-your-own", "table", create("notes.yaml", "[]\n")),
    broken("case-yaml-missing", "table", delete(C)),
    broken("file-and-folder", "table", create("quotes/extra.yaml", "{}\n")),
    # media
    broken("media-file-not-found", "table", *with_media(file="where-data-sat.svg")),
    broken("media-outside-folder", "table", *with_media(file="../case.yaml")),
    broken("media-name-and-bytes", "table", *with_media(file="dublin.png", named="dublin.png")),
    broken("media-without-alt", "table", *with_media(alt=None)),
    broken("media-unknown-licence", "table", *with_media(licence="CC-BY-NC-4.0")),
    broken("media-stray-file", "table", create("media/notes.txt", "where it came from\n")),
    broken(
        "media-excerpt-beyond-pages",
        "table",
        create("media/opinion.pdf", "%PDF-1.7\n"),
        append("media.yaml", "\n" + OPINION_PDF),
    ),
    broken(
        "document-without-title",
        "table",
        create("media/opinion.pdf", "%PDF-1.7\n"),
        append(
            "media.yaml",
            "\n"
            + OPINION_PDF.replace("  title: Opinion of the Second Circuit\n", "").replace(
                "page: 44", "page: 4"
            ),
        ),
    ),
    broken(
        "document-in-image",
        "table",
        create("media/opinion.pdf", "%PDF-1.7\n"),
        append("media.yaml", "\n" + OPINION_PDF.replace("page: 44", "page: 4")),
        change(E, DATE, "\n  date:", "\n  image: ca2-opinion\n  date:"),
    ),
    broken(
        "unknown-document",
        "table",
        create("media/opinion.pdf", "%PDF-1.7\n"),
        append("media.yaml", "\n" + OPINION_PDF.replace("page: 44", "page: 4")),
        change(E, DATE, "\n  date:", "\n  documents: [ca2-opinon]\n  date:"),
    ),
    broken(
        "unknown-image",
        "table",
        *with_media(),
        change(E, DATE, "\n  date:", "\n  image: where-the-data-sit\n  date:"),
    ),
    # warnings
    broken("no-key-quote", "table", remove_every(Q, "  key: true\n")),
    broken("uncited-source", "table", replace(S, REUTERS, FT_SOURCE + REUTERS)),
    broken("future-date", "table", change(E, DATE, "2014-08-01", "2041-08-01")),
    broken(
        "next-step-of-resolved-case",
        "table",
        change(C, "status: resolved\n", "\n", "\nnext_step: An appeal is expected.\n"),
        delete("case.de.yaml"),  # whose translation would lack the new `next_step`
    ),
    broken("unused-media", "table", *with_media()),
    broken(
        "empty-period",
        "table",
        create(
            "periods.yaml",
            "- id: second-circuit-appeal\n  title: Appeal to the Second Circuit\n"
            "  start: 2004-08\n  end: 2006-07-14\n",
        ),
    ),
    broken(
        "unused-term",
        "table",
        replace(
            "rulings.yaml", "and remanded with instructions:", "and sent it back with instructions:"
        ),
    ),
    broken(
        "translation-mistakes",
        "lines",
        translated(
            "events.de.yaml",
            "stored-comunications-act:\n  title: Der Kongress verabschiedet das Gesetz\n"
            "stored-communications-act:\n  date: 1986\n",
        ),
    ),
    broken(
        "stale-translation",
        "lines",
        translated(
            "events.de.yaml",
            "stored-communications-act:\n  translated_from: {title: 3f2a9c1b}\n"
            "  title: Der Kongress verabschiedet den Stored Communications Act\n",
        ),
    ),
    broken(
        "unlisted-plural",
        "table",
        replace(
            "glossary.yaml",
            "  forms: [warrants, search warrant, search warrants]\n",
            "  forms: [search warrant, search warrants]\n",
        ),
        delete("glossary.de.yaml"),  # whose translation of the term the edit makes stale
    ),
]


@dataclass(frozen=True)
class Outcome:
    report: str
    """What `explainer check` prints, with paths as from the folder holding content/."""
    page: str
    """The preview's error page as text, laid out as the guide shows it ("" without errors)."""


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every break applied to its own copy of the real content, checked once."""
    found = {}
    for example in BREAKS:
        root = tmp_path_factory.mktemp(example.name)
        content = root / "content"
        shutil.copytree(REAL_CONTENT, content)
        for edit in example.edits:
            edit(content)
        result = run_check(content, TODAY)
        page = error_page(PreviewState(root, errors=result.errors, last_good=LAST_GOOD))
        found[example.name] = Outcome(
            report(result, "text").replace(f"{root}/", ""),
            page_text(page).replace(f"{root}/", "") if result.errors else "",
        )
    return found


def page_text(page: str) -> str:
    """The error page's heading, introduction and numbered errors, one block per line."""

    def text(fragment: str) -> str:
        return html.unescape(re.sub(r"<[^>]+>", "", fragment))

    heading = re.search(r"<h1>(.*?)</h1>\s*<p>(.*?)</p>", page, flags=re.S)
    assert heading is not None
    lines = [text(heading[1]), "", text(heading[2]), ""]
    for number, item in enumerate(re.findall(r"<li>(.*?)</li>", page, flags=re.S), 1):
        paragraphs = [text(p) for p in re.findall(r"<p[^>]*>(.*?)</p>", item, flags=re.S)]
        lines.append(f"{number}. {paragraphs[0]}")
        lines += [f"   {paragraph}" for paragraph in paragraphs[1:]]
        for pre in re.findall(r"<pre>(.*?)</pre>", item, flags=re.S):
            lines += [f"   {line}" for line in text(pre).splitlines()]
    return "\n".join(lines) + "\n"


def code_blocks() -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    return re.findall(r"^```[^\n]*\n(.*?)^```", text, flags=re.M | re.S)


def table_rows() -> list[list[str]]:
    """The messages in the first column of each table row of section 18."""
    rows = []
    for line in section(18).splitlines():
        if line.startswith("| ``"):
            first = line.split(" | ")[0]
            rows.append([span.strip() for span in re.findall(r"``(.+?)``", first)])
    return rows


def messages(report_text: str) -> list[str]:
    """A report's problem lines, without the count and without the case folder in front."""
    return [line.removeprefix(CASE_FOLDER) for line in report_text.splitlines()[:-1]]


LOCATED = re.compile(r"^(\d+\. )?content/\S+(: |$)", flags=re.M)


def breaks(shown: Shown) -> list[Break]:
    return [example for example in BREAKS if example.shown == shown]


@pytest.mark.parametrize("example", breaks("table"), ids=lambda b: b.name)
def test_table_in_the_guide_shows_what_check_prints_for_a_break(
    outcomes: dict[str, Outcome], example: Break
) -> None:
    printed = sorted(messages(outcomes[example.name].report))
    rows = [sorted(row) for row in table_rows()]
    assert printed
    assert printed in rows, "\n".join(printed)


@pytest.mark.parametrize("example", breaks("report"), ids=lambda b: b.name)
def test_guide_shows_the_whole_report_of_a_break(
    outcomes: dict[str, Outcome], example: Break
) -> None:
    printed = outcomes[example.name].report
    assert printed in code_blocks(), printed


@pytest.mark.parametrize("example", breaks("lines"), ids=lambda b: b.name)
def test_guide_shows_lines_of_the_report_of_a_break(
    outcomes: dict[str, Outcome], example: Break
) -> None:
    printed = outcomes[example.name].report.splitlines()
    assert any(
        LOCATED.match(block) and set(block.splitlines()) <= set(printed) for block in code_blocks()
    ), "\n".join(printed)


@pytest.mark.parametrize("example", breaks("page"), ids=lambda b: b.name)
def test_guide_shows_the_error_page_of_a_break(
    outcomes: dict[str, Outcome], example: Break
) -> None:
    page = outcomes[example.name].page
    assert page in code_blocks(), page


def test_every_message_in_the_tables_comes_from_a_break(outcomes: dict[str, Outcome]) -> None:
    printed = [sorted(messages(outcomes[example.name].report)) for example in breaks("table")]
    rows = table_rows()
    assert len(rows) > 60
    for row in rows:
        assert sorted(row) in printed, row


def test_every_located_message_in_a_code_block_comes_from_a_break(
    outcomes: dict[str, Outcome],
) -> None:
    produced = {
        line
        for outcome in outcomes.values()
        for line in (outcome.report + outcome.page).splitlines()
    }
    blocks = [block for block in code_blocks() if LOCATED.search(block)]
    assert len(blocks) >= 5
    for block in blocks:
        for line in block.splitlines():
            if LOCATED.match(line):
                assert line in produced, line


def test_guides_poll_pasted_unchanged_gives_the_error_the_guide_names(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, content)
    append(POLLS, "\n" + first_yaml_block(11))(content)
    named = re.search(r"gives the error `([^`]+)`", section(11))
    assert named is not None
    assert named[1] in report(run_check(content, TODAY), "text")


def new_command_blocks() -> Iterator[str]:
    for block in re.findall(r"^```\n(.*?)^```", section(14), flags=re.M | re.S):
        if block.startswith(("made ", "explainer: ")):
            yield block


def test_new_prints_what_the_guide_shows(
    run_cli: Callable[..., CliResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(REAL_CONTENT, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    made, refused = new_command_blocks()
    assert run_cli("new", "apple-fbi-encryption").out == made
    slugs = ("Apple FBI", "microsoft-ireland", "static")
    assert "".join(run_cli("new", slug).err for slug in slugs) == refused
