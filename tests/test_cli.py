"""The command line end to end: exit codes, messages, and what a build leaves on disk."""

from __future__ import annotations

import errno
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import generator.serve
from generator.build.record import state_path
from generator.build.site import DEFAULT_TEMPLATES, SiteBuilder
from generator.errors import Location, OutputError, SearchIndexError, ServeError, TemplateError
from generator.serve import server as serve_server
from generator.theme import Theme
from tests.conftest import REAL_CONTENT, CliResult, minimal_site, write_tree

Run = Callable[..., CliResult]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, for exact comparisons."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_version_prints_the_version(run_cli: Run) -> None:
    result = run_cli("--version")
    assert result.code == 0
    assert result.out.startswith("explainer ")


def test_unknown_command_exits_with_usage_error(run_cli: Run) -> None:
    result = run_cli("frobnicate")
    assert result.code == 2
    assert "invalid choice" in result.err


def test_bad_base_url_is_a_usage_error(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("build", "--base-url", "example.org", "--output", str(tmp_path / "out"))
    assert result.code == 2
    assert "--base-url" in result.err


def test_check_valid_content_exits_zero(run_cli: Run, tmp_path: Path) -> None:
    root = write_tree(tmp_path / "content", minimal_site())
    result = run_cli("check", "--content", str(root))
    assert result.code == 0
    assert result.out == "ok: 1 case(s), 1 items, no errors\n"


def test_check_missing_content_folder_exits_one(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("check", "--content", str(tmp_path / "nowhere"))
    assert result.code == 1
    assert result.out.startswith(f"{tmp_path / 'nowhere'}: content folder not found")


def test_check_misspelled_speaker_in_real_content_suggests_the_id(
    run_cli: Run, tmp_path: Path
) -> None:
    content = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, content)
    quotes = content / "cases" / "microsoft-ireland" / "quotes.yaml"
    lines = quotes.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.strip() == "speaker: brendon-lynch")
    lines[number] = lines[number].replace("brendon-lynch", "brendan-lynch")
    quotes.write_text("".join(lines), encoding="utf-8")
    column = lines[number].index("brendan-lynch") + 1

    result = run_cli("check", "--content", str(content))

    assert result.code == 1
    assert result.out.splitlines() == [
        f"{quotes}:{number + 1}:{column}: unknown party `brendan-lynch` in `speaker`"
        " — did you mean `brendon-lynch`?",
        "1 error found",
    ]
    assert "Traceback" not in result.out + result.err


def test_build_content_error_exits_one_without_traceback(run_cli: Run, tmp_path: Path) -> None:
    root = write_tree(tmp_path / "content", minimal_site(**{"case.yaml": "title: [unclosed\n"}))
    result = run_cli("build", "--content", str(root), "--output", str(tmp_path / "out"))
    assert result.code == 1
    assert f"{root}/cases/demo/case.yaml:2:1: invalid YAML" in result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "out").exists()


def test_failed_build_leaves_existing_output_untouched(run_cli: Run, tmp_path: Path) -> None:
    root = write_tree(tmp_path / "content", minimal_site())
    output = tmp_path / "out"
    assert run_cli("build", "--content", str(root), "--output", str(output)).code == 0
    before = snapshot(output)
    state = state_path(output).read_bytes()
    write_tree(root, {"cases/demo/case.yaml": "title: T\nsummary: S\nstatus: maybe\n"})

    result = run_cli("build", "--content", str(root), "--output", str(output))

    assert result.code == 1
    assert "`maybe` is not a valid status" in result.err
    assert snapshot(output) == before
    assert state_path(output).read_bytes() == state
    beside = sorted(p.name for p in tmp_path.iterdir())
    assert beside == [".out.explainer-cards", ".out.explainer-state", "content", "out"]


def test_build_twice_gives_identical_bytes(run_cli: Run, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert run_cli("build", "--content", str(REAL_CONTENT), "--output", str(first)).code == 0
    assert run_cli("build", "--content", str(REAL_CONTENT), "--output", str(second)).code == 0
    assert snapshot(first) == snapshot(second)


def test_build_refuses_to_replace_a_folder_it_did_not_make(run_cli: Run, tmp_path: Path) -> None:
    root = write_tree(tmp_path / "content", minimal_site())
    precious = write_tree(tmp_path / "precious", {"thesis.txt": "years of work"})
    result = run_cli("build", "--content", str(root), "--output", str(precious))
    assert result.code == 1
    assert "did not write" in result.err
    assert (precious / "thesis.txt").read_text() == "years of work"


def test_build_replaces_its_own_previous_output(run_cli: Run, tmp_path: Path) -> None:
    root = write_tree(tmp_path / "content", minimal_site())
    output = tmp_path / "out"
    assert run_cli("build", "--content", str(root), "--output", str(output)).code == 0
    (output / "stale.html").write_text("old")
    assert run_cli("build", "--content", str(root), "--output", str(output)).code == 0
    assert not (output / "stale.html").exists()
    assert (output / "demo" / "index.html").is_file()


@pytest.mark.parametrize("flag", ["--base-url", None])
def test_base_url_sets_canonical_links(run_cli: Run, tmp_path: Path, flag: str | None) -> None:
    root = write_tree(tmp_path / "content", minimal_site())
    output = tmp_path / "out"
    extra = [flag, "https://news.example.com/cases"] if flag else []
    assert run_cli("build", "--content", str(root), "--output", str(output), *extra).code == 0
    base = "https://news.example.com/cases/" if flag else "https://example.org/explainers/"
    page = (output / "demo" / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{base}demo/">' in page
    assert f"<loc>{base}demo/</loc>" in (output / "sitemap.xml").read_text(encoding="utf-8")


def test_parallel_build_gives_the_same_bytes_as_a_serial_one(tmp_path: Path) -> None:
    from generator.build.site import build_site

    build_site(REAL_CONTENT, tmp_path / "serial", workers=1)
    build_site(REAL_CONTENT, tmp_path / "parallel", workers=2)
    assert snapshot(tmp_path / "parallel") == snapshot(tmp_path / "serial")


def test_markdown_converted_while_planning_gives_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real case has too few texts for a converter process: with one all the same, the
    site is the one a single process builds."""
    from generator.build import markdown_ahead
    from generator.build.site import build_site
    from generator.render import markdown

    started: list[int] = []
    start = markdown_ahead.MarkdownAhead.start.__func__  # type: ignore[attr-defined]

    def counted(cls: type, texts: list[str], workers: int) -> object:
        ahead = start(cls, texts, workers)
        if ahead is not None:
            started.append(len(ahead._chunks))
        return ahead

    monkeypatch.setattr(markdown_ahead, "AHEAD_FROM_TEXTS", 1)
    monkeypatch.setattr(markdown_ahead.MarkdownAhead, "start", classmethod(counted))
    monkeypatch.setattr(markdown, "_converted", {})
    build_site(REAL_CONTENT, tmp_path / "ahead", workers=2)
    assert started and started[0] > 1
    monkeypatch.setattr(markdown, "_converted", {})
    build_site(REAL_CONTENT, tmp_path / "serial", workers=1)
    assert started == started[:1]
    assert snapshot(tmp_path / "ahead") == snapshot(tmp_path / "serial")


def test_template_error_in_a_worker_is_reported_with_its_location(
    run_cli: Run, tmp_path: Path
) -> None:
    from generator.build.site import build_site

    templates = tmp_path / "templates"
    shutil.copytree(DEFAULT_TEMPLATES, templates)
    (templates / "quote.html").write_text("{{ quote.no_such_field }}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        build_site(REAL_CONTENT, tmp_path / "out", templates_dir=templates, workers=2)
    assert str(caught.value.location) == "templates/quote.html:1:1"
    assert not (tmp_path / "out").exists()


def test_build_with_file_links_links_files_and_keeps_published_addresses(
    run_cli: Run, tmp_path: Path
) -> None:
    output = tmp_path / "disk"
    result = run_cli(
        "build",
        "--content",
        str(REAL_CONTENT),
        "--output",
        str(output),
        "--base-url",
        "https://example.org/explainers",
        "--file-links",
    )
    assert result.code == 0, result.err
    page = (output / "microsoft-ireland" / "index.html").read_text(encoding="utf-8")
    assert 'href="../microsoft-ireland/timeline/index.html"' in page
    assert 'href="../microsoft-ireland/timeline/"' not in page
    assert '<link rel="canonical" href="https://example.org/explainers/microsoft-ireland/">' in page


def test_new_makes_a_case_that_builds_and_refuses_to_make_it_twice(
    run_cli: Run, tmp_path: Path
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "site.yaml").write_bytes((REAL_CONTENT / "site.yaml").read_bytes())
    made = run_cli("new", "water-rights", "--content", str(content))
    assert made.code == 0, made.err
    assert f"made {content / 'cases' / 'water-rights'} with 10 files" in made.out
    before = {p: p.read_bytes() for p in (content / "cases").rglob("*.yaml")}
    again = run_cli("new", "water-rights", "--content", str(content))
    assert again.code == 1
    assert "cases/water-rights already exists" in again.err
    assert {p: p.read_bytes() for p in (content / "cases").rglob("*.yaml")} == before
    built = run_cli("build", "--content", str(content), "--output", str(tmp_path / "out"))
    assert built.code == 0, built.err
    assert (
        tmp_path / "out" / "water-rights" / "quotes" / "replace-me-quote" / "index.html"
    ).is_file()


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            TemplateError(Location("templates/quote.html", 3, 1), "`x` is undefined"),
            ["templates/quote.html:3:1: template error: `x` is undefined", "UNCHANGED"],
        ),
        (
            SearchIndexError("Pagefind failed"),
            ["explainer: search index: Pagefind failed", "UNCHANGED"],
        ),
        (
            OutputError("cannot write out: the disk is full — free some space"),
            ["explainer: cannot write out: the disk is full — free some space"],
        ),
        (
            PermissionError(errno.EACCES, "Permission denied", "templates/base.html"),
            ["explainer: cannot read templates/base.html: permission denied", "UNCHANGED"],
        ),
    ],
    ids=["template", "search-index", "output", "unreadable-template"],
)
def test_build_failure_is_reported_in_its_own_words(
    run_cli: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    error: Exception,
    expected: list[str],
) -> None:
    def failing(*args: object, **kwargs: object) -> object:
        raise error

    monkeypatch.setattr(SiteBuilder, "build", failing)
    root = write_tree(tmp_path / "content", minimal_site())
    output = tmp_path / "out"
    result = run_cli("build", "--content", str(root), "--output", str(output))
    assert result.code == 1
    unchanged = f"nothing written: {output} is unchanged"
    assert result.err.splitlines() == [
        unchanged if line == "UNCHANGED" else line for line in expected
    ]


def test_serve_failing_to_start_is_one_line(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def busy(host: str, port: int) -> list[object]:
        raise ServeError(f"ports {port} to {port + 9} on {host} are all in use — pass --port")

    monkeypatch.setattr(serve_server, "listen", busy)
    root = write_tree(tmp_path / "content", minimal_site())
    result = run_cli("serve", "--content", str(root), "--port", "8123")
    assert (result.code, result.out) == (1, "")
    assert result.err == "explainer: ports 8123 to 8132 on 127.0.0.1 are all in use — pass --port\n"


OWN_404 = "Our own templates say: no such page."


OWN_STYLE = "/* our own style */\n"


def _own_templates(folder: Path) -> Path:
    """A site's own templates folder holding two files, each overriding the theme's: a 404
    page that says so, and a stylesheet."""
    (folder / "static").mkdir(parents=True)
    text = (DEFAULT_TEMPLATES / "404.html").read_text(encoding="utf-8")
    page = folder / "404.html"
    page.write_text(text.replace('{{ ui["not_found.description"] }}', OWN_404), encoding="utf-8")
    (folder / "static" / "style.css").write_text(OWN_STYLE, encoding="utf-8")
    return folder


def _overridden_file_by_file(output: Path) -> None:
    """The two files come from the site's folder, everything else from the theme."""
    assert OWN_404 in (output / "404.html").read_text(encoding="utf-8")
    assert (output / "static" / "style.css").read_text(encoding="utf-8") == OWN_STYLE
    theme_icon = (DEFAULT_TEMPLATES / "static" / "icon.svg").read_bytes()
    assert (output / "static" / "icon.svg").read_bytes() == theme_icon
    assert "<h1" in (output / "index.html").read_text(encoding="utf-8")


def test_build_with_templates_uses_that_folder(run_cli: Run, tmp_path: Path) -> None:
    root = write_tree(tmp_path / "content", minimal_site())
    templates = _own_templates(tmp_path / "theme")
    output = tmp_path / "out"
    result = run_cli(
        "build", "--content", str(root), "--output", str(output), "--templates", str(templates)
    )
    assert result.code == 0, result.err
    _overridden_file_by_file(output)


def test_build_uses_the_templates_folder_where_it_runs(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path / "content", minimal_site())
    _own_templates(tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    assert run_cli("build").code == 0
    _overridden_file_by_file(Path("output"))


def test_build_without_a_templates_folder_uses_the_theme(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path / "content", minimal_site())
    monkeypatch.chdir(tmp_path)
    assert run_cli("build").code == 0
    assert "This page does not exist." in Path("output/404.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("local_templates", [True, False])
def test_serve_gets_the_templates_and_the_cards_of_the_default_output(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, local_templates: bool
) -> None:
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(generator.serve, "serve_site", lambda *args, **kw: calls.append(kw))
    write_tree(tmp_path / "content", minimal_site())
    if local_templates:
        (tmp_path / "templates").mkdir()
    monkeypatch.chdir(tmp_path)
    assert run_cli("serve").code == 0
    assert calls[0]["cards_of"] == Path("output")
    folders = (Path("templates"), DEFAULT_TEMPLATES) if local_templates else (DEFAULT_TEMPLATES,)
    assert calls[0]["templates_dir"] == Theme(folders)


@pytest.mark.parametrize("command", ["build", "serve"])
def test_templates_that_is_not_a_folder_is_a_usage_error(
    run_cli: Run, tmp_path: Path, command: str
) -> None:
    result = run_cli(command, "--templates", str(tmp_path / "missing"))
    assert result.code == 2
    assert "--templates" in result.err and "is not a folder" in result.err


def test_check_takes_no_templates(run_cli: Run, tmp_path: Path) -> None:
    """`check` reads no template, so it has no say in which ones."""
    assert run_cli("check", "--templates", str(tmp_path)).code == 2
