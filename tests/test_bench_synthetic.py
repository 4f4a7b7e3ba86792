"""The benchmark's translated site is the one-language site plus translation files: the
default language's files are the same bytes, so the two builds measure the same English."""

from __future__ import annotations

from pathlib import Path

from bench.synthetic import CASE_SLUG, collection_text, edit_quote, generate, quote_file


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


def test_folder_collections_hold_the_same_items_as_the_list_files(tmp_path: Path) -> None:
    """From 15,000 quotes the case is written as folders of one item per file (a single
    quotes.yaml would pass the loader's 20 MiB limit); they load as the same content, and
    the peers read them back as the same lists."""
    import yaml

    from generator.load.content import load_content
    from generator.validate.content import validate_content

    lists = generate(60, tmp_path / "lists", seed=5)
    folders = generate(60, tmp_path / "folders", seed=5, folders=True)
    case = tmp_path / "folders" / "cases" / CASE_SLUG
    assert not (case / "quotes.yaml").exists()
    assert len(list((case / "quotes").glob("*.yaml"))) == folders.counts.quotes

    def items(root: Path) -> dict[str, list[object]]:
        loaded = validate_content(load_content(root)).cases[0]
        kinds = ("parties", "rulings", "events", "quotes", "polls", "sources")
        return {kind: sorted(map(repr, getattr(loaded, kind))) for kind in kinds}

    assert items(tmp_path / "folders") == items(tmp_path / "lists")
    for name in ("quotes", "events", "parties"):
        listed = yaml.safe_load(
            (tmp_path / "lists" / "cases" / CASE_SLUG / f"{name}.yaml").read_text()
        )
        joined = yaml.safe_load(collection_text(case, name))
        assert sorted(listed, key=lambda item: item["id"]) == joined
    assert lists.counts == folders.counts

    quote = quote_file(case.parent / CASE_SLUG / "quotes.yaml", "quote-00007")
    edit_quote(quote, "quote-00007", "edited1")
    assert "\ntext: >-\n  edited1 " in quote.read_text(encoding="utf-8")
