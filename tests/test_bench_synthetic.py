"""The benchmark's translated site is the one-language site plus translation files: the
default language's files are the same bytes, so the two builds measure the same English."""

from __future__ import annotations

from pathlib import Path

from bench.synthetic import CASE_SLUG, generate


def test_translations_leave_the_default_files_as_they_are(tmp_path: Path) -> None:
    plain = generate(60, tmp_path / "plain", seed=3)
    translated = generate(60, tmp_path / "translated", seed=3, languages=("de", "fr"))

    added = sorted(set(translated.files) - set(plain.files))
    assert added == [
        f"cases/{CASE_SLUG}/{collection}.{language}.yaml"
        for collection in ("case", "events", "parties", "quotes")
        for language in ("de", "fr")
    ]
    for name in plain.files:
        before = (tmp_path / "plain" / name).read_text(encoding="utf-8")
        after = (tmp_path / "translated" / name).read_text(encoding="utf-8")
        if name == "site.yaml":
            assert after == before + "languages: [en, de, fr]\n"
        else:
            assert after == before, name
    german = (tmp_path / "translated" / "cases" / CASE_SLUG / "events.de.yaml").read_text()
    french = (tmp_path / "translated" / "cases" / CASE_SLUG / "events.fr.yaml").read_text()
    assert german != french
    assert german.count("\nevent-") + german.startswith("event-") == plain.counts.events
