"""`explainer diff` on a git repository made here: items added, removed, renamed and edited in
a file collection (events) and a folder collection (quotes, one file each); a reorder and a
reformat that change nothing; a new error at its place; each output format; the pages it
says differ against two real builds; bad usage; and the draft of an update.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from generator.build.site import build_site
from generator.commands.check import run_check
from generator.commands.diff.edited import read_edited
from generator.commands.diff.report import escape_markdown
from generator.commands.diff.review import Review, review
from generator.commands.diff.sides import Side, folder_sides, revision_sides
from generator.commands.diff.update_draft import update_draft
from generator.commands.diff.versions import Version, read_version
from generator.commands.diff.words import word_diff
from tests.conftest import REPO, CliResult, minimal_site, write_tree
from tests.test_media_pages import picture

SCHEMA = json.loads((REPO / "schema" / "diff-report.schema.json").read_text(encoding="utf-8"))

SITE = """\
title: Test Explainers
base_url: https://example.org/explainers/
description: Explainers used by the tests.
publisher: Test Newsroom
search: false
"""
PARTIES = """\
- id: alice
  name: Alice Example
  kind: person
  role: Chief executive of Example Corp
  portrait: alice-portrait
- id: bob
  name: Bob Example
  kind: person
  role: Spokesman of the Example Agency
"""
SOURCES = """\
- id: report
  title: A report
  publisher: The Paper
  url: https://example.org/report
  published: 2014-08-29
- id: ruling-text
  title: The text of the ruling
  publisher: The Court
  url: https://example.org/ruling
"""
EVENTS = """\
- id: filed
  date: 2014-07-31
  title: The first motion is filed
  kind: filing
  body: The company asks the court to set the warrant aside.
  quotes: [kept]
  sources: [report]
- id: heard
  date: 2014-08-05
  title: The court hears argument
  kind: hearing
  body: Both sides argue for an afternoon.
  sources: [report]
- id: old-name
  date: 2014-09-01
  title: A stay is granted
  kind: ruling
  body: The court pauses its order while the appeal goes on.
  sources: [report]
"""
QUOTE = """\
id: {id}
text: {text}
speaker: {speaker}
said_on: {said_on}
venue: A hearing
sources: [report]
verbatim_in: report
"""


def quote(ident: str, text: str, speaker: str = "alice", said_on: str = "2014-07-31") -> str:
    return QUOTE.format(id=ident, text=text, speaker=speaker, said_on=said_on)


MEDIA = """\
- id: alice-portrait
  file: alice.jpg
  alt: Head and shoulders of Alice Example
  credit: Test Newsroom
  licence: CC-BY-4.0
"""

BASE = {
    **minimal_site(**{"site.yaml": SITE}),
    "cases/demo/media.yaml": MEDIA,
    "cases/demo/media/alice.jpg": picture((300, 400), (90, 40, 60)),
    "cases/demo/parties.yaml": PARTIES,
    "cases/demo/sources.yaml": SOURCES,
    "cases/demo/events.yaml": EVENTS,
    "cases/demo/quotes/kept.yaml": quote("kept", "We will keep going."),
    "cases/demo/quotes/edited.yaml": quote("edited", "The law does not reach that far."),
    "cases/demo/quotes/gone.yaml": quote("gone", "This quote will be removed."),
    "cases/demo/quotes/moved.yaml": quote("moved", "Same words, new address."),
}

EDITED_EVENTS = EVENTS.replace(
    "set the warrant aside.\n  quotes: [kept]\n  sources: [report]",
    "set the warrant aside.\n  quotes: [kept]\n  sources: [report, ruling-text]",
).replace(
    "- id: heard\n  date: 2014-08-05\n  title: The court hears argument\n  kind: hearing\n"
    "  body: Both sides argue for an afternoon.\n  sources: [report]\n",
    "",
).replace("2014-07-31", "2014-08-01").replace("id: old-name", "id: new-name") + (
    "- id: appealed\n  date: 2014-10-01\n  title: An appeal is filed\n  kind: filing\n"
    "  body: The company appeals.\n  sources: [report]\n"
)
EDITS = {
    "cases/demo/events.yaml": EDITED_EVENTS,
    # The same file name, a new picture: the pages showing it link new files.
    "cases/demo/media/alice.jpg": picture((300, 400), (20, 90, 60)),
    "cases/demo/quotes/edited.yaml": quote(
        "edited", "The law plainly does not reach quite that far.", "bob", "2014-08-01"
    ),
    "cases/demo/quotes/added.yaml": quote("added", "A new quote."),
    "cases/demo/quotes/renamed.yaml": quote("renamed", "Same words, new address."),
}
DELETED = ["cases/demo/quotes/gone.yaml", "cases/demo/quotes/moved.yaml"]

REORDERED_EVENTS = """\
# The same events, in another order and another style.
- {id: appealed, date: "2014-10-01", title: An appeal is filed, kind: filing,
   body: "The company appeals.", sources: [report]}
- id: new-name
  title: "A stay is granted"
  date: 2014-09-01
  kind: ruling
  sources:
    - report
  body: >-
    The court pauses its order
    while the appeal goes on.
- id: filed
  kind: filing
  date: '2014-08-01'
  title: The first motion is filed
  body: The company asks the court to set the warrant aside.
  quotes:
    - kept
  sources: [ report, "ruling-text" ]
"""


def git(repository: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repository), *args], check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def commit(repository: Path, message: str) -> str:
    git(repository, "add", "-A")
    git(repository, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", message)
    return git(repository, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str | Path]:
    """A repository of content with four commits: base, edits, a reorder and a reformat
    of them, and an unknown speaker."""
    root = tmp_path_factory.mktemp("repository")
    git(root, "init", "-q")
    content = root / "content"
    write_tree(content, BASE)
    revisions: dict[str, str | Path] = {"root": root, "base": commit(root, "base")}
    write_tree(content, EDITS)
    for name in DELETED:
        (content / name).unlink()
    revisions["edits"] = commit(root, "edits")
    write_tree(content, {"cases/demo/events.yaml": REORDERED_EVENTS})
    kept = content / "cases/demo/quotes/kept.yaml"
    kept.write_text('# reformatted\n"id": "kept"\n' + kept.read_text().split("\n", 1)[1])
    revisions["reordered"] = commit(root, "reorder and reformat")
    write_tree(content, {"cases/demo/quotes/kept.yaml": quote("kept", "We will keep on going.")})
    revisions["wording"] = commit(root, "one quote's words")
    write_tree(content, {"cases/demo/quotes/added.yaml": quote("added", "A new quote.", "carol")})
    revisions["broken"] = commit(root, "unknown speaker")
    git(root, "checkout", "-q", str(revisions["edits"]))
    return revisions


@pytest.fixture
def in_repository(
    repository: dict[str, str | Path], monkeypatch: pytest.MonkeyPatch
) -> dict[str, str | Path]:
    monkeypatch.chdir(repository["root"])
    return repository


def changes_of(result: CliResult) -> list[tuple[str, str, str, str | None]]:
    report = json.loads(result.out)
    jsonschema.validate(report, SCHEMA)
    return [(i["collection"], i["change"], i["id"], i["old_id"]) for i in report["items"]]


def test_items_added_removed_renamed_and_edited_in_file_and_folder_collections(
    in_repository: dict[str, str], run_cli: Callable[..., CliResult]
) -> None:
    result = run_cli("diff", in_repository["base"], in_repository["edits"], "--format", "json")
    assert result.code == 0, result.err
    assert sorted(changes_of(result)) == [
        ("events", "added", "appealed", None),
        ("events", "changed", "filed", None),
        ("events", "removed", "heard", None),
        ("events", "renamed", "new-name", "old-name"),
        ("media", "changed", "alice-portrait", None),
        ("quotes", "added", "added", None),
        ("quotes", "changed", "edited", None),
        ("quotes", "removed", "gone", None),
        ("quotes", "renamed", "renamed", "moved"),
    ]


def test_a_date_edit_and_a_speaker_change_read_as_readers_see_them(
    in_repository: dict[str, str], run_cli: Callable[..., CliResult]
) -> None:
    result = run_cli("diff", in_repository["base"], in_repository["edits"], "--format", "json")
    items = {(i["collection"], i["id"]): i for i in json.loads(result.out)["items"]}
    filed = items[("events", "filed")]
    assert filed["fields"] == [
        {
            "field": "date",
            "kind": "date",
            "before": "31 July 2014",
            "after": "1 August 2014",
            "words": [],
            "added": [],
            "removed": [],
        },
        {
            "field": "sources",
            "kind": "reference",
            "before": "A report (report)",
            "after": "A report (report), The text of the ruling (ruling-text)",
            "words": [],
            "added": ["The text of the ruling (ruling-text)"],
            "removed": [],
        },
    ]
    assert filed["location"] == {
        "file": "content/cases/demo/events.yaml",
        "line": 1,
        "column": 3,
    }
    edited = {f["field"]: f for f in items[("quotes", "edited")]["fields"]}
    assert set(edited) == {"text", "speaker", "said_on"}
    assert (edited["speaker"]["before"], edited["speaker"]["after"]) == (
        "Alice Example (alice)",
        "Bob Example (bob)",
    )
    assert edited["said_on"]["after"] == "1 August 2014"
    assert [(r["op"], r["text"]) for r in edited["text"]["words"]] == [
        ("same", "The law "),
        ("added", "plainly"),
        ("same", " does not reach "),
        ("added", "quite"),
        ("same", " that far."),
    ]
    assert items[("quotes", "added")]["url"] == "demo/quotes/added/"
    assert items[("quotes", "gone")]["url"] is None


def test_a_reorder_and_a_reformat_show_no_change(
    in_repository: dict[str, str], run_cli: Callable[..., CliResult]
) -> None:
    result = run_cli("diff", in_repository["edits"], in_repository["reordered"])
    assert result.code == 0, result.err
    assert "no change to the content" in result.out
    assert "pages that change: 0" in result.out
    as_json = run_cli(
        "diff", in_repository["edits"], in_repository["reordered"], "--format", "json"
    )
    assert changes_of(as_json) == []


def test_a_new_error_is_reported_at_its_place_with_exit_1(
    in_repository: dict[str, str], run_cli: Callable[..., CliResult]
) -> None:
    result = run_cli("diff", in_repository["wording"], in_repository["broken"])
    assert result.code == 1
    assert "the content does not load" in result.out
    assert (
        "content/cases/demo/quotes/added.yaml:3:10: error: unknown party `carol` in `speaker`"
        in result.out
    ), result.out
    report = json.loads(
        run_cli("diff", in_repository["reordered"], in_repository["broken"], "--format", "json").out
    )
    jsonschema.validate(report, SCHEMA)
    assert report["loads"] is False
    assert report["items"] is None
    assert report["summary"]["errors_after"] == 1
    assert [(p["file"], p["line"], p["severity"]) for p in report["new_problems"]] == [
        ("content/cases/demo/quotes/added.yaml", 3, "error")
    ]
    fixed = run_cli("diff", in_repository["broken"], in_repository["wording"])
    assert fixed.code == 1, "the version before still has the error"
    assert "problems this change fixes: 1" in fixed.out


def test_text_and_markdown_reports(
    in_repository: dict[str, str], run_cli: Callable[..., CliResult]
) -> None:
    text = run_cli("diff", in_repository["base"], in_repository["edits"]).out
    short = str(in_repository["base"])[:7]
    assert text.startswith(f"{short} → {str(in_repository['edits'])[:7]}: 9 items: ")
    assert "      date: 31 July 2014 → 1 August 2014" in text
    assert "      sources: added The text of the ruling (ruling-text)" in text
    assert "      text: The law {+plainly+} does not reach {+quite+} that far." in text
    assert "  renamed new-name (was old-name) “A stay is granted” at " in text
    markdown = run_cli(
        "diff", in_repository["base"], in_repository["edits"], "--format", "markdown"
    ).out
    assert markdown.startswith("## Content changes: ")
    assert "### demo · quotes\n" in markdown
    assert "- **renamed** `renamed` (was `moved`) “Same words, new address.” — " in markdown
    assert "  - **speaker**: Alice Example (alice) → Bob Example (bob)" in markdown
    assert "The law <ins>plainly</ins> does not reach <ins>quite</ins> that far." in markdown
    assert "| Kind | Added | Removed | Changed |" in markdown


def test_editors_words_cannot_format_link_or_mention_in_a_comment() -> None:
    escaped = escape_markdown("<img src=x onerror=alert(1)> [link](https://x) **b** @octocat `c`")
    unescaped = re.sub(r"\\.", "", escaped)
    assert not set("<>[]*`") & set(unescaped), escaped
    assert "@octocat" not in escaped
    assert escaped.replace("\\", "").replace("\u2060", "") == (
        "<img src=x onerror=alert(1)> [link](https://x) **b** @octocat `c`"
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [("base", "edits"), ("reordered", "wording")],
    ids=["items-and-a-picture", "one-quotes-words"],
)
def test_pages_said_to_differ_are_those_two_builds_differ_in(
    repository: dict[str, str | Path], tmp_path: Path, first: str, second: str
) -> None:
    """Every page that differs, and only those: after many edits, and after an edit of one
    quote's words alone, which no list of items changes (the lists must be found through
    what their templates show)."""
    root = Path(repository["root"])
    outputs = []
    for name in (first, second):
        folder = tmp_path / name
        git(root, "worktree", "add", "-q", "--detach", str(folder), str(repository[name]))
        build_site(folder / "content", tmp_path / f"{name}-output")
        outputs.append(tmp_path / f"{name}-output")
    before, after = (
        {
            p.relative_to(o).as_posix(): p.read_bytes()
            for p in o.rglob("*")
            if p.is_file() and not p.name.startswith(".") and "/static/" not in f"/{p}"
        }
        for o in outputs
    )
    with revision_sides(
        root / "content", str(repository[first]), str(repository[second]), None
    ) as sides:
        pages = review(*sides).pages
        # One quote's words alone are applied to the plan before them, not planned again.
        edited = read_edited(read_version(sides[0]), sides[1])
        assert (edited.patch is not None) == (second == "wording")
    assert pages is not None
    differ = {p for p in before.keys() & after.keys() if before[p] != after[p]}
    assert set(pages.changed) == differ
    assert set(pages.added) == after.keys() - before.keys()
    assert set(pages.removed) == before.keys() - after.keys()
    if second == "edits":
        assert "demo/quotes/edited/index.html" in pages.changed
        # The new portrait: its files replaced, the pages showing it changed.
        assert "picture or document file" in pages.added.values()
        assert "demo/parties/alice/index.html" in pages.changed
    else:
        # The timeline shows the words of the quotes its events link, through a macro
        # every template may call (`event_entries`).
        assert {
            "demo/quotes/kept/index.html",
            "demo/quotes/index.html",
            "demo/timeline/index.html",
        } <= set(pages.changed)


GOLDEN = REPO / "tests" / "golden" / "small" / "content"


def test_an_edit_of_wording_in_two_languages_names_the_pages_two_builds_differ_in(
    tmp_path: Path,
) -> None:
    """An edit of wording alone is applied to the plan of the version before it, as the
    preview applies it, rather than planned again: in each language, where it translates
    the edited field and where it falls back to the edited words."""
    before, after = tmp_path / "before", tmp_path / "after"
    shutil.copytree(GOLDEN, before)
    settings = before / "site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "languages: [en, de]\n")
    case = before / "cases" / "cafe-munchen"
    (case / "events.de.yaml").write_text("ruling:\n  body: Das Gericht entscheidet.\n")
    shutil.copytree(before, after)
    events = after / "cases" / "cafe-munchen" / "events.yaml"
    text = events.read_text(encoding="utf-8")
    text = text.replace("The court rules for the café.", "The court rules for the café again.")
    text = text.replace("Both sides argue before", "Both sides argue at length before")
    events.write_text(text, encoding="utf-8")
    coffee = after / "cases" / "cafe-munchen" / "quotes" / "coffee.yaml"
    coffee.write_text(coffee.read_text(encoding="utf-8").replace("go on.", "go on and on."))
    sides = folder_sides(before, after, None)
    assert read_edited(read_version(sides[0]), sides[1]).patch is not None

    outputs = [tmp_path / "before-output", tmp_path / "after-output"]
    for content, output in zip((before, after), outputs, strict=True):
        build_site(content, output)
    old, new = (
        {
            p.relative_to(o).as_posix(): p.read_bytes()
            for p in o.rglob("*")
            if p.is_file() and not p.name.startswith(".") and "/static/" not in f"/{p}"
        }
        for o in outputs
    )
    pages = review(*sides).pages
    assert pages is not None
    assert set(pages.changed) == {p for p in old if old[p] != new[p]}
    assert not pages.added and not pages.removed
    # The German ruling event translates the body it keeps; the hearing falls back to it.
    assert "cafe-munchen/timeline/ruling/index.html" in pages.changed
    assert "de/cafe-munchen/timeline/ruling/index.html" not in pages.changed
    assert "de/cafe-munchen/timeline/hearing/index.html" in pages.changed


def test_a_base_read_once_is_kept_and_gives_the_same_review(
    repository: dict[str, str | Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The version read from a revision is kept in the git folder; the next review of the
    same content (whatever commit holds it) starts from it and says the same, with files
    named as the editor knows them; a kept file that does not load is read again."""
    root = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repository["root"]), str(root))
    kept_dir = root / ".git" / "explainer-reviews"

    def reviewed() -> Review:
        with revision_sides(root / "content", str(repository["base"]), None, None) as sides:
            return review(*sides)

    git(root, "checkout", "-q", str(repository["edits"]))
    first = reviewed()
    [kept] = kept_dir.glob("*.pickle")
    calls: list[Side] = []

    def counted(side: Side, *args: Any) -> Version:
        calls.append(side)
        return read_version(side, *args)

    monkeypatch.setattr("generator.commands.diff.review.read_version", counted)
    assert reviewed() == first
    assert calls == []  # the base came from the kept version
    files = {c.location.file for c in first.items or () if c.location}
    assert f"{root}/content/cases/demo/quotes/edited.yaml" in files
    assert f"{root}/content/cases/demo/quotes/gone.yaml" in files  # removed: read in the base
    kept.write_bytes(b"not a pickle")
    assert reviewed() == first
    assert len(calls) == 1  # read again, and kept again
    assert kept.read_bytes() != b"not a pickle"


def test_two_content_folders_compare_without_git(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    before = write_tree(tmp_path / "before", BASE)
    after = tmp_path / "after"
    shutil.copytree(before, after)
    write_tree(after, {"cases/demo/quotes/added.yaml": quote("added", "A new quote.")})
    result = run_cli("diff", "--from", str(before), "--to", str(after), "--format", "json")
    assert result.code == 0, result.err
    assert changes_of(result) == [("quotes", "added", "added", None)]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["no-such-branch"], "`no-such-branch` is not a commit of the repository"),
        (["HEAD", "--", "x"], ""),
        (["--from", "content"], "--from and --to go together"),
        (["HEAD", "--from", "content", "--to", "content"], "not both"),
        (["HEAD", "--content", "/"], "is outside the git repository"),
    ],
    ids=["unknown-revision", "extra-argument", "from-alone", "revision-and-folders", "outside"],
)
def test_bad_usage_exits_2_with_a_message(
    in_repository: dict[str, str],
    run_cli: Callable[..., CliResult],
    arguments: list[str],
    message: str,
) -> None:
    result = run_cli("diff", *arguments)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


def test_outside_a_repository_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Callable[..., CliResult]
) -> None:
    write_tree(tmp_path / "content", BASE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    result = run_cli("diff")
    assert result.code == 2
    assert "is not in a git repository" in result.err


def test_suggested_update_parses_and_validates_in_case_yaml(
    repository: dict[str, str | Path], tmp_path: Path
) -> None:
    root = Path(repository["root"])
    with revision_sides(
        root / "content", str(repository["base"]), str(repository["edits"]), None
    ) as sides:
        result = review(*sides, with_pages=False)
    draft = update_draft(result, today=dt.date(2026, 12, 6))
    assert draft.startswith("# demo: a draft for case.yaml's `updates:` list")
    entries = yaml.safe_load(draft)
    assert entries[0]["kind"] == "update"
    assert "its date from 31 July 2014 to 1 August 2014" in entries[0]["text"]
    assert "added the quote “A new quote.”" in entries[0]["text"]
    folder = tmp_path / "content"
    shutil.copytree(root / "content", folder)
    case = folder / "cases/demo/case.yaml"
    case.write_text(case.read_text() + "updates:\n" + draft.split("\n", 1)[1], encoding="utf-8")
    checked = run_check(folder)
    assert checked.errors == []
    assert yaml.safe_load(case.read_text())["updates"][0]["date"] == dt.date(2026, 12, 6)


def test_suggested_update_of_edits_alone_is_a_correction(tmp_path: Path) -> None:
    before = write_tree(tmp_path / "before", BASE)
    after = write_tree(
        tmp_path / "after",
        {**BASE, "cases/demo/quotes/kept.yaml": quote("kept", "We will keep on going.")},
    )
    draft = update_draft(review(*folder_sides(before, after, None), with_pages=False))
    assert yaml.safe_load(draft)[0]["kind"] == "correction"
    assert textwrap.dedent(draft).count("- date:") == 1


def test_long_unchanged_words_are_cut_around_a_change_and_short_ones_kept() -> None:
    words = [f"w{i}" for i in range(40)]
    runs = word_diff(" ".join(words), " ".join([*words[:20], "new", *words[20:]]))
    assert [(r.op, r.text) for r in runs] == [
        ("same", "… w14 w15 w16 w17 w18 w19 "),
        ("added", "new"),
        ("same", " w20 w21 w22 w23 w24 w25 …"),
    ]
    short = word_diff(
        "a hybrid: part search warrant and part subpoena",
        "a hybrid: part search warrant and part of a subpoena",
    )
    assert short[0].text == "a hybrid: part search warrant and part "
