"""Which templates each template uses, kept beside the compiled templates
(`template_cache.kept_template_closures`): a new process reads them instead of parsing every
template, and any change to a template finds them again."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from generator.build import template_cache
from generator.render.environment import make_environment
from generator.render.fragments import template_closures
from generator.render.sandbox import RecordingEnvironment


def _theme(folder: Path, pages: dict[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def compiled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The compiled templates' folder, the test's own."""
    folder = tmp_path / "compiled"
    folder.mkdir()
    monkeypatch.setattr(template_cache, "compiled_templates_folder", lambda: folder)
    return folder


def _closures(theme: Path, compiled: Path | None) -> dict[str, frozenset[str]]:
    """What a build in a new process finds: a new environment, the closures kept or not."""
    return template_cache.kept_template_closures(make_environment(theme, compiled))


def _unparsable(environment: RecordingEnvironment, monkeypatch: pytest.MonkeyPatch) -> None:
    def parse(*_: object, **__: object) -> None:
        raise AssertionError("parsed a template whose closures were kept")

    monkeypatch.setattr(environment, "parse", parse)


PAGES = {
    "page.html": '{% extends "base.html" %}{% block b %}{% include "part.html" %}{% endblock %}',
    "base.html": "<main>{% block b %}{% endblock %}</main>",
    "part.html": "part",
    "other.html": "{% include name %}",
}
KEYS = {
    "page.html": {"template:page.html", "template:base.html", "template:part.html"},
    "base.html": {"template:base.html"},
    "part.html": {"template:part.html"},
    "other.html": {f"template:{name}" for name in PAGES},  # a name known only when rendering
}


def test_a_new_process_takes_the_kept_closures_without_parsing(
    tmp_path: Path, compiled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    theme = _theme(tmp_path / "theme", PAGES)
    assert _closures(theme, compiled) == KEYS
    assert len(list(compiled.glob("closures-*.json"))) == 1

    again = make_environment(theme, compiled)
    _unparsable(again, monkeypatch)
    assert template_cache.kept_template_closures(again) == KEYS
    monkeypatch.undo()
    assert template_closures(again) == KEYS  # as parsing finds them


def test_a_changed_template_is_parsed_again(tmp_path: Path, compiled: Path) -> None:
    theme = _theme(tmp_path / "theme", PAGES)
    _closures(theme, compiled)

    _theme(theme, {"part.html": '{% import "base.html" as b %}'})
    found = _closures(theme, compiled)
    assert found["part.html"] == {"template:part.html", "template:base.html"}
    assert found["page.html"] == KEYS["page.html"]

    _theme(theme, {"new.html": "new"})
    found = _closures(theme, compiled)
    assert found["new.html"] == {"template:new.html"}
    assert "template:new.html" in found["other.html"]


@pytest.mark.parametrize(
    "kept", ["{not json", '["a list"]', '{"page.html": "not a list"}', '{"page.html": []}']
)
def test_a_kept_file_not_as_written_is_ignored(tmp_path: Path, compiled: Path, kept: str) -> None:
    theme = _theme(tmp_path / "theme", PAGES)
    _closures(theme, compiled)
    [file] = compiled.glob("closures-*.json")
    file.write_text(kept, encoding="utf-8")

    assert _closures(theme, compiled) == KEYS


def test_without_a_folder_to_keep_them_in_every_process_parses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(template_cache, "compiled_templates_folder", lambda: None)
    theme = _theme(tmp_path / "theme", PAGES)
    assert _closures(theme, None) == KEYS
    environment = make_environment(theme, None)
    _unparsable(environment, monkeypatch)
    with pytest.raises(AssertionError, match="parsed"):
        template_cache.kept_template_closures(environment)


def test_a_template_jinja_cannot_parse_is_taken_to_use_all(tmp_path: Path, compiled: Path) -> None:
    theme = _theme(tmp_path / "theme", {**PAGES, "bad.html": "{% if %}"})
    for _ in range(2):  # found, then kept
        found = _closures(theme, compiled)
        assert found["bad.html"] == {f"template:{name}" for name in [*PAGES, "bad.html"]}
    with pytest.raises(jinja2.TemplateSyntaxError):
        make_environment(theme, compiled).get_template("bad.html")
