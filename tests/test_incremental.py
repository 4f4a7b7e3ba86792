"""Incremental rebuilds: after any edit, the output is byte for byte a clean build's.

Each test edits a copy of the real case (see `incremental_edits`), rebuilds incrementally and
compares the output folder with a clean `build_site` of the same content into a fresh folder.
Besides exactness, the tests hold the builder to its economy: it rewrites only the files
whose bytes changed, and after a small edit renders only a few pages.
"""

from __future__ import annotations

import atexit
import contextlib
import difflib
import hashlib
import os
import random
import re
import shutil
import tempfile
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build.record import cards_path, read_record
from generator.build.site import DEFAULT_TEMPLATES, BuildResult, SiteBuilder, build_site, state_path
from generator.errors import ContentErrors, TemplateError
from generator.plan import paging, search_parts
from generator.write import MARKER, folder_id, previous_site_folder
from tests.conftest import REAL_CONTENT, CliResult
from tests.incremental_edits import (
    ALL_EDITS,
    BREAKAGES,
    CASE,
    CONTENT_EDITS,
    NEUTRAL_EDITS,
    TEMPLATE_EDITS,
    Site,
    ids,
    items,
    set_field,
    yaml_string,
)

Run = Callable[..., CliResult]
Snapshot = dict[str, bytes]


def copy_site(root: Path, search: bool = False, languages: bool = False) -> Site:
    """A copy of the real content and templates; each build target in its own folder, with
    the share cards of the real case already kept beside it (`_keep_drawn_cards`).

    The search index is left out unless asked for: Pagefind adds a third of a second to each
    build, and only the tests of random edits (and the one of a page that goes) need it.
    So is the German translation, unless `languages`: it doubles every build's pages, and the
    tests of a site in several languages (tests/test_languages.py) ask for it."""
    site = _copy_content(root, search, languages)
    _keep_drawn_cards(site, languages)
    return site


_drawn_cards: dict[bool, Path] = {}
"""The share cards of the real case as `copy_site` copies it (by `languages`), drawn once per
process."""


def _keep_drawn_cards(site: Site, languages: bool) -> None:
    """Link the real case's share cards into the card store of the site's output and of its
    clean builds, as a build of the same case would have left them: drawing its 143 cards is
    a third of a clean build of the real case, and every test's first build and first clean
    build drew them all. The store gives a card by its text (tests/test_share_cards.py), and
    an edit that changes a card's text still draws that card."""
    drawn = _drawn_cards.get(languages)
    if drawn is None:
        work = Path(tempfile.mkdtemp(prefix="explainer-cards-"))
        atexit.register(shutil.rmtree, work, ignore_errors=True)
        source = _copy_content(work, search=False, languages=languages)
        build_site(source.content, source.output, source.templates)
        drawn = _drawn_cards[languages] = cards_path(source.output)
    cards = sorted(drawn.iterdir())
    assert cards, f"no share card was kept in {drawn}"
    for output in (site.output, site.clean):
        folder = cards_path(output)
        folder.mkdir(parents=True, exist_ok=True)
        for card in cards:
            with contextlib.suppress(FileExistsError):  # a site copied again, the same card
                os.link(card, folder / card.name)  # never written in place: stored by renaming


def _copy_content(root: Path, search: bool, languages: bool) -> Site:
    site = Site(root / "content", root / "templates", root / "site/output", root / "clean/output")
    for source, copy in ((REAL_CONTENT, site.content), (DEFAULT_TEMPLATES, site.templates)):
        if copy.exists():
            shutil.rmtree(copy)
        shutil.copytree(source, copy)
    settings = site.content / "site.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "\nsearch: true\n" in text
    settings.write_text(text.replace("\nsearch: true\n", f"\nsearch: {str(search).lower()}\n"))
    if not languages:
        lines = settings.read_text(encoding="utf-8").splitlines(keepends=True)
        settings.write_text("".join(line for line in lines if not line.startswith("languages:")))
        for translation in site.content.rglob("*.de.yaml"):
            translation.unlink()
    return site


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return copy_site(tmp_path)


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, SiteBuilder]:
    """One long-lived builder for a module's tests, like a preview left running for a day."""
    site = copy_site(tmp_path_factory.mktemp("preview"))
    builder = build_builder(site)
    builder.build()
    return site, builder


# --- comparing output folders ----------------------------------------------------------------


def snapshot(folder: Path) -> Snapshot:
    """Every file under `folder` with its bytes; nothing if the folder does not exist."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file's inode and modification time: a file written again gets new ones."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def differences(actual: Snapshot, expected: Snapshot, marker: bool = True) -> list[str]:
    """Paths missing from either side or holding other bytes.

    The marker's text may differ (it names the build that wrote it); with `marker=False`, as
    for the preview's folder, which `explainer build` never replaces, it may also be absent.
    """
    return sorted(
        path
        for path in actual.keys() | expected.keys()
        if actual.get(path) != expected.get(path)
        and not (path == MARKER and (not marker or (path in actual and path in expected)))
    )


def explain(actual: Snapshot, expected: Snapshot, paths: list[str]) -> str:
    """The differing paths, and a short diff of the first one."""
    first = paths[0]
    if first not in actual:
        detail = f"{first} is missing from the incremental output"
    elif first not in expected:
        detail = f"{first} is in the incremental output but not in the clean build"
    else:
        diff = difflib.unified_diff(
            expected[first].decode("utf-8", "replace").splitlines(),
            actual[first].decode("utf-8", "replace").splitlines(),
            "clean build",
            "incremental build",
            n=1,
            lineterm="",
        )
        detail = "\n".join(list(diff)[:30])
    shown = ", ".join(paths[:12]) + (f" and {len(paths) - 12} more" if len(paths) > 12 else "")
    return f"{len(paths)} file(s) differ from a clean build: {shown}\n{detail}"


_clean_builds: OrderedDict[bytes, Snapshot] = OrderedDict()
"""The last few clean builds, by their inputs: several tests come back to the same content."""


def clean_build(site: Site, base_url: str | None = None) -> Snapshot:
    """A full build of the site's current content and templates into a fresh folder."""
    inputs = hashlib.blake2b(repr((base_url, paging.PER_PAGE, search_parts.PART_PAGES)).encode())
    for folder in (site.content, site.templates):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                inputs.update(f"\0{path.relative_to(folder)}\0".encode() + path.read_bytes())
    key = inputs.digest()
    if key in _clean_builds:
        _clean_builds.move_to_end(key)
    else:
        if site.clean.exists():
            shutil.rmtree(site.clean)
        build_site(site.content, site.clean, site.templates, base_url)
        _clean_builds[key] = snapshot(site.clean)
        while len(_clean_builds) > 4:
            _clean_builds.popitem(last=False)
    return _clean_builds[key]


def assert_same_as_clean_build(
    site: Site, history: list[str], base_url: str | None = None, marker: bool = True
) -> None:
    actual, expected = snapshot(site.output), clean_build(site, base_url)
    paths = differences(actual, expected, marker)
    assert not paths, f"after {history}:\n{explain(actual, expected, paths)}"


def assert_previous_site_described(output: Path, history: object) -> None:
    """The site put aside beside `output`, if any, is what its record says: a folder whose
    files are the output's own (the same files) but for those the record lists as newer in
    the output or gone from it."""
    folder = previous_site_folder(output)
    record = read_record(state_path(output))
    described = record.previous_site if record is not None else None
    if described is None:
        assert not folder.exists(), f"after {history}: a previous site no record names"
        return
    assert folder_id(folder) == described.folder, f"after {history}: another previous site"
    put_aside, current = stamps(folder), stamps(output)
    assert put_aside.keys() - current.keys() == described.gone, f"after {history}"
    assert current.keys() - put_aside.keys() <= described.newer, f"after {history}"
    not_shared = sorted(
        path
        for path in current.keys() & put_aside.keys()
        if path not in described.newer and put_aside[path][0] != current[path][0]
    )
    assert not_shared == [], f"after {history}: files the previous site does not share"


def build_and_check(
    builder: SiteBuilder, site: Site, history: list[str], *, rewrites_only_changes: bool = True
) -> BuildResult:
    """Build, compare with a clean build, and check that only changed files were written."""
    before, stamped = snapshot(site.output), stamps(site.output)
    result = builder.build()
    assert_same_as_clean_build(site, history, builder.base_url, marker=not builder.in_place)
    if not builder.in_place:
        assert_previous_site_described(site.output, history)
    if rewrites_only_changes:
        changed = differences(before, snapshot(site.output), marker=False)
        assert result.written == len(changed), (
            f"after {history}: wrote {result.written} files, {len(changed)} changed: {changed[:8]}"
        )
        now = stamps(site.output)
        rewritten = sorted(
            path
            for path, stamp in stamped.items()
            if path != MARKER and path not in changed and now.get(path) != stamp
        )
        assert rewritten == [], f"after {history}: {len(rewritten)} files rewritten unchanged"
    return result


def serve_builder(site: Site) -> SiteBuilder:
    """The preview's builder: one for the life of the server, writing in place."""
    return SiteBuilder.for_preview(site.content, site.output, site.templates)


def build_builder(site: Site) -> SiteBuilder:
    """`explainer build`'s builder: staged output, record saved beside it."""
    return SiteBuilder.for_command_line(site.content, site.output, site.templates)


# --- random edits ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CONTENT_EDITS.keys() | TEMPLATE_EDITS.keys()))
def test_each_edit_and_its_undoing_rebuild_exactly_and_rewrite_only_changed_files(
    preview: tuple[Site, SiteBuilder], name: str
) -> None:
    site, builder = preview
    copy_site(site.content.parent)
    build_and_check(builder, site, ["back to the real case after the module's previous edit"])
    history = [ALL_EDITS[name](random.Random(name), site)]
    result = build_and_check(builder, site, history)
    if name in CONTENT_EDITS:
        assert result.incremental, f"after {history}: a full build"


@pytest.mark.parametrize("make", [serve_builder, build_builder], ids=["serve", "build"])
def test_the_search_index_follows_a_page_that_comes_and_goes(
    tmp_path: Path, make: Callable[[Site], SiteBuilder]
) -> None:
    """The index is made after the pages that went are removed, so it never lists them."""
    site = copy_site(tmp_path, search=True)
    builder = make(site)
    build_and_check(builder, site, ["the real case"])
    history = [ALL_EDITS["new quote"](random.Random(3), site)]
    build_and_check(builder, site, history)
    copy_site(tmp_path, search=True)
    history.append("the new quote taken out again")
    build_and_check(builder, site, history)


def test_rewording_a_quote_in_the_preview_retitles_its_search_result_exactly(
    tmp_path: Path,
) -> None:
    """A quote's search result is titled by its words, which the preview's patch of wording
    changes without planning again: the patched page names the new words to the index, as a
    clean build's does."""
    site = copy_site(tmp_path, search=True)
    builder = serve_builder(site)
    build_and_check(builder, site, ["the real case"])
    quotes = site.collection("quotes")
    quote = items(quotes)[0]
    set_field(quotes, quote["id"], "text", yaml_string(f"Reworded at the start. {quote['text']}"))

    result = build_and_check(builder, site, [f"reworded the text of {quote['id']}"])

    assert "patch" in result.stages and "plan" not in result.stages
    page = (site.output / CASE / "quotes" / quote["id"] / "index.html").read_text()
    assert re.search(r'data-pagefind-meta="title:[^"]*: “Reworded at the start\. ', page)


@pytest.mark.parametrize("make", [serve_builder, build_builder], ids=["serve", "build"])
@pytest.mark.parametrize("name", sorted(NEUTRAL_EDITS))
def test_an_edit_that_changes_no_value_renders_and_writes_nothing(
    site: Site, name: str, make: Callable[[Site], SiteBuilder]
) -> None:
    builder = make(site)
    builder.build()
    before = snapshot(site.output)
    NEUTRAL_EDITS[name](random.Random(0), site)

    result = builder.build()

    assert (result.incremental, result.rendered, result.written) == (True, 0, 0)
    assert differences(snapshot(site.output), before, marker=False) == []


def test_a_build_with_nothing_changed_renders_and_writes_nothing(site: Site) -> None:
    builder = build_builder(site)
    first = builder.build()
    again = builder.build()
    from_the_saved_state = build_builder(site).build()
    assert first.incremental is False
    for result in (again, from_the_saved_state):
        assert (result.incremental, result.rendered, result.written) == (True, 0, 0)


# --- economy ---------------------------------------------------------------------------------


def test_editing_a_quotes_context_renders_few_pages_including_its_own(site: Site) -> None:
    builder = build_builder(site)
    builder.build()
    quotes = site.collection("quotes")
    quote = next(q for q in items(quotes) if "context" in q)
    page = site.output / CASE / "quotes" / quote["id"] / "index.html"
    before = page.read_bytes()
    set_field(quotes, quote["id"], "context", yaml_string(quote["context"] + " Reportedly."))

    result = build_and_check(builder, site, [f"reworded the context of {quote['id']}"])

    assert result.incremental
    assert 1 <= result.rendered < result.pages / 4
    assert page.read_bytes() != before
    assert b"Reportedly." in page.read_bytes()


def test_editing_one_template_renders_only_the_pages_that_use_it(site: Site) -> None:
    builder = serve_builder(site)
    builder.build()
    template = site.templates / "quote.html"
    template.write_text(
        template.read_text(encoding="utf-8").replace('{{ ui["quote.back"] }}', "Every quote"),
        encoding="utf-8",
    )

    result = build_and_check(builder, site, ["quote.html: All quotes → Every quote"])

    quote_pages = len(ids(site.collection("quotes")))
    assert quote_pages <= result.rendered < result.pages / 4, (
        f"{result.rendered} pages rendered of {result.pages}; {quote_pages} use quote.html"
    )


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make"),
    [(name, [serve_builder, build_builder][i % 2]) for i, name in enumerate(sorted(BREAKAGES))],
    ids=[f"{name}, {['serve', 'build'][i % 2]}" for i, name in enumerate(sorted(BREAKAGES))],
)
def test_broken_content_leaves_the_output_and_the_next_good_build_is_exact(
    site: Site, name: str, make: Callable[[Site], SiteBuilder]
) -> None:
    builder = make(site)
    builder.build()
    quotes = site.collection("quotes")
    events = site.collection("events")
    good = {path: path.read_bytes() for path in (quotes, events)}
    reword_context = CONTENT_EDITS["quote context"]
    history = [reword_context(random.Random(1), site)]
    builder.build()
    before = snapshot(site.output)
    history.append(BREAKAGES[name](site))

    with pytest.raises(ContentErrors):
        builder.build()

    assert differences(snapshot(site.output), before) == []
    for path, data in good.items():
        path.write_bytes(data)
    history.append("restored quotes.yaml and events.yaml as they were before both edits")
    build_and_check(builder, site, history)


def test_a_template_error_leaves_the_output_and_the_next_good_build_is_exact(site: Site) -> None:
    builder = build_builder(site)
    builder.build()
    before = snapshot(site.output)
    template = site.templates / "quote.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good.replace('"text": quote.text', '"text": quote.no_such_field'))

    with pytest.raises(TemplateError):
        builder.build()

    assert differences(snapshot(site.output), before) == []
    template.write_text(good.replace('{{ ui["quote.back"] }}', "Every quote"), encoding="utf-8")
    history = ["template error", "fixed, All quotes → Every quote"]
    build_and_check(builder, site, history, rewrites_only_changes=False)


# --- a saved state that cannot be trusted ----------------------------------------------------


def _edit_a_page(site: Site) -> None:
    page = site.output / CASE / "index.html"
    page.write_bytes(page.read_bytes() + b"<!-- edited by hand -->\n")


def _edit_a_page_keeping_its_size(site: Site) -> None:
    page = site.output / CASE / "quotes" / "index.html"
    data = page.read_bytes()
    page.write_bytes(data.replace(b"<main", b"<MAIN", 1))
    later = page.stat().st_mtime_ns + 1_000_000_000
    os.utime(page, ns=(later, later))


def _delete_a_page(site: Site) -> None:
    (site.output / CASE / "timeline" / "index.html").unlink()


def _add_a_file(site: Site) -> None:
    (site.output / "notes.txt").write_text("mine\n", encoding="utf-8")


def _truncate_the_state(site: Site) -> None:
    state = state_path(site.output)
    state.write_bytes(state.read_bytes()[: state.stat().st_size // 2])


def _garble_the_state(site: Site) -> None:
    state_path(site.output).write_bytes(bytes(random.Random(5).randrange(256) for _ in range(999)))


def _delete_the_output(site: Site) -> None:
    shutil.rmtree(site.output)


SPOILERS: dict[str, Callable[[Site], None]] = {
    "page edited by hand": _edit_a_page,
    "page edited by hand, same size": _edit_a_page_keeping_its_size,
    "page deleted": _delete_a_page,
    "file added by hand": _add_a_file,
    "state truncated": _truncate_the_state,
    "state garbled": _garble_the_state,
    "output deleted": _delete_the_output,
}


@pytest.mark.parametrize("name", sorted(SPOILERS))
def test_untrustworthy_state_falls_back_to_an_exact_full_build(site: Site, name: str) -> None:
    build_builder(site).build()
    assert state_path(site.output).is_file()
    assert not state_path(site.output).is_relative_to(site.output)
    SPOILERS[name](site)
    history = [name, CONTENT_EDITS["quote context"](random.Random(2), site)]

    result = build_and_check(build_builder(site), site, history, rewrites_only_changes=False)

    assert result.incremental is False


def test_state_left_by_other_templates_is_not_used(site: Site, tmp_path: Path) -> None:
    build_builder(site).build()
    other = tmp_path / "other-templates"
    shutil.copytree(site.templates, other)
    base = other / "base.html"
    text = base.read_text(encoding="utf-8")
    made_by = text.replace('{{ ui["footer.published_by"]', '{{ "Made by {publisher}."')
    assert made_by != text
    base.write_text(made_by)
    site = Site(site.content, other, site.output, site.clean)

    result = build_and_check(
        build_builder(site), site, ["other templates"], rewrites_only_changes=False
    )

    assert result.incremental is False


def test_state_left_by_another_content_folder_gives_an_exact_build(
    site: Site, tmp_path: Path
) -> None:
    build_builder(site).build()
    other = tmp_path / "other-content"
    shutil.copytree(site.content, other)
    site = Site(other, site.templates, site.output, site.clean)
    history = ["other content folder", CONTENT_EDITS["party summary"](random.Random(3), site)]

    build_and_check(build_builder(site), site, history, rewrites_only_changes=False)


# --- the command line ------------------------------------------------------------------------


def cli_build(run_cli: Run, site: Site, *extra: str) -> str:
    """Run `explainer build` on the site; return the summary it printed."""
    result = run_cli("build", "--content", str(site.content), "--output", str(site.output), *extra)
    assert result.code == 0, result.err
    return result.out


def test_cli_build_after_an_edit_uses_the_state_and_equals_a_clean_build(
    run_cli: Run, site: Site
) -> None:
    assert "(full build)" in cli_build(run_cli, site)
    before = snapshot(site.output)
    history = [CONTENT_EDITS["event title"](random.Random(4), site)]

    printed = cli_build(run_cli, site)

    assert_same_as_clean_build(site, history)
    changed = differences(before, snapshot(site.output))
    assert re.search(rf"\(\d+ pages rendered again, {len(changed)} files changed\)", printed)


def test_cli_build_full_ignores_the_state_and_equals_a_clean_build(
    run_cli: Run, site: Site
) -> None:
    cli_build(run_cli, site)
    history = [CONTENT_EDITS["quote date"](random.Random(5), site), "build --full"]

    printed = cli_build(run_cli, site, "--full")

    assert "(full build)" in printed
    assert_same_as_clean_build(site, history)


def test_cli_build_with_another_base_url_is_a_full_build(run_cli: Run, site: Site) -> None:
    cli_build(run_cli, site, "--base-url", "https://one.example/")

    printed = cli_build(run_cli, site, "--base-url", "https://two.example/cases")

    assert "(full build)" in printed
    assert_same_as_clean_build(site, ["--base-url changed"], "https://two.example/cases/")


def test_cli_build_with_broken_content_keeps_output_and_state(run_cli: Run, site: Site) -> None:
    cli_build(run_cli, site)
    before = snapshot(site.output)
    quotes = site.collection("quotes")
    good = quotes.read_bytes()
    history = [BREAKAGES["unknown speaker"](site)]

    failed = run_cli("build", "--content", str(site.content), "--output", str(site.output))

    assert failed.code == 1
    assert differences(snapshot(site.output), before) == []
    quotes.write_bytes(good)
    history += ["restored quotes.yaml", CONTENT_EDITS["quote speaker"](random.Random(6), site)]
    assert "pages rendered again" in cli_build(run_cli, site)
    assert_same_as_clean_build(site, history)


def test_after_a_broken_save_an_edit_of_wording_still_takes_the_shortcut(tmp_path: Path) -> None:
    site = copy_site(tmp_path)
    builder = serve_builder(site)
    builder.build()
    quotes = site.content / "cases/microsoft-ireland/quotes.yaml"
    original = quotes.read_text(encoding="utf-8")
    opening = re.search(r"\n  text: >-\n    ", original)
    assert opening is not None
    quotes.write_text(original.replace(opening.group(), "\n  text: ''\n  x: >-\n    ", 1))
    with pytest.raises(ContentErrors):
        builder.build()

    quotes.write_text(original.replace(opening.group(), opening.group() + "Reworded: ", 1))
    result = build_and_check(builder, site, ["broke a quote's text", "reworded it"])

    assert "patch" in result.stages and "plan" not in result.stages
