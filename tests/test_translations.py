"""Translations: translation files checked where they are written, applied by `translate`,
stamped, found stale by `check`, and counted by `explainer translations status`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.commands.check import run_check
from generator.errors import ContentErrors
from generator.load.content import load_content
from generator.validate.content import SiteContent, validate_content
from generator.validate.translations import translate
from tests.conftest import SITE_YAML, CliResult, minimal_site, write_tree

TWO_LANGUAGES = SITE_YAML + "languages: [en, de]\n"
PARTIES = """\
- id: acme
  name: Acme
  kind: organization
  role: The company that objects
"""
EVENTS = """\
- id: filed
  date: 2014-01-02
  title: Acme files a motion
  kind: filing
  body: Acme asked the court to quash the warrant.
  parties: [acme]
  sources: [report]
- id: heard
  date: 2014-02-03
  title: The court hears the motion
  kind: hearing
  body: Both sides argued before the judge.
  sources: [report]
"""
EVENTS_DE = """\
# Die Übersetzung der Ereignisse.
filed:
  title: Acme stellt einen Antrag
  body: Acme bat das Gericht, den Beschluss aufzuheben.
"""
CASE_DE = """\
translated_by: Case Explainers
translated_on: 2026-12-06
title: Ein Testfall
"""
QUOTES = """\
- id: acme-says
  text: We will not hand them over.
  speaker: acme
  said_on: 2014-01-02
  venue: A statement
  key: true
  sources: [report]
  verbatim_in: report
"""


def site(**overrides: str) -> dict[str, str | bytes]:
    """A two-language site with a party, two events, a quote, and a German translation."""
    files = {
        "site.yaml": TWO_LANGUAGES,
        "parties.yaml": PARTIES,
        "events.yaml": EVENTS,
        "quotes.yaml": QUOTES,
        "events.de.yaml": EVENTS_DE,
        "case.de.yaml": CASE_DE,
    }
    files.update(overrides)
    return minimal_site(**files)


def content(tmp_path: Path, **overrides: str) -> Path:
    return write_tree(tmp_path / "content", site(**overrides))


def errors_of(root: Path) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        validate_content(load_content(root))
    return [str(e).replace(f"{root}/", "") for e in caught.value.errors]


def validated(root: Path) -> SiteContent:
    return validate_content(load_content(root))


# Languages in site.yaml


def test_languages_default_to_the_one_language() -> None:
    from generator.models import Site

    base = {"title": "T", "base_url": "https://e.org/", "description": "D", "publisher": "P"}
    assert Site.model_validate(base).languages == ["en"]
    assert Site.model_validate({**base, "language": "fr"}).languages == ["fr"]
    assert Site.model_validate({**base, "languages": ["de", "en"]}).language == "de"


def test_language_other_than_the_first_of_languages_is_located(tmp_path: Path) -> None:
    root = content(tmp_path, **{"site.yaml": TWO_LANGUAGES + "language: de\n"})
    assert errors_of(root) == [
        "site.yaml:6:11: `language` is `de`, but `languages` starts with `en` — delete "
        "`language`: the first of `languages` is the default language"
    ]


def test_a_language_listed_twice_is_located(tmp_path: Path) -> None:
    root = content(tmp_path, **{"site.yaml": SITE_YAML + "languages: [en, de, de]\n"})
    assert errors_of(root) == [
        "site.yaml:5:21: `de` is listed twice in `languages` — delete the second one"
    ]


# Located errors in translation files


def test_translation_into_an_unlisted_language_is_an_error(tmp_path: Path) -> None:
    root = content(tmp_path, **{"events.fr.yaml": "filed:\n  title: Acme dépose\n"})
    assert errors_of(root) == [
        "cases/demo/events.fr.yaml: `events.fr.yaml` is a translation into `fr`, which "
        "site.yaml's `languages` does not list (other languages: `de`) — add `fr` to "
        "`languages` in site.yaml, or rename or delete the file"
    ]


def test_translation_into_the_default_language_is_an_error(tmp_path: Path) -> None:
    root = content(tmp_path, **{"events.en.yaml": "filed:\n  title: Again\n"})
    assert errors_of(root) == [
        "cases/demo/events.en.yaml: `events.en.yaml` is a translation into `en`, the site's "
        "default language — its words belong in the default file itself; delete or rename "
        "this one"
    ]


def test_unknown_id_suggests_the_closest(tmp_path: Path) -> None:
    root = content(tmp_path, **{"events.de.yaml": "fild:\n  title: Acme stellt\n"})
    assert errors_of(root) == [
        "cases/demo/events.de.yaml:1:1: no event has the id `fild`, so there is nothing here "
        "to translate — did you mean `filed`?"
    ]


def test_a_fact_field_is_not_translatable(tmp_path: Path) -> None:
    root = content(tmp_path, **{"events.de.yaml": "filed:\n  date: 2014-01-03\n"})
    assert errors_of(root) == [
        "cases/demo/events.de.yaml:2:3: `date` cannot be translated: ids, dates, references, "
        "figures and names are written once, in events.yaml — a translation of events holds "
        "only `title`, `body`"
    ]


def test_an_unknown_field_suggests_a_translatable_one(tmp_path: Path) -> None:
    root = content(tmp_path, **{"events.de.yaml": "filed:\n  titel: Acme stellt\n"})
    assert errors_of(root) == [
        "cases/demo/events.de.yaml:2:3: unknown field `titel` — did you mean `title`?"
    ]


def test_a_translated_list_keeps_the_source_length(tmp_path: Path) -> None:
    case = "title: A\nsummary: B\nstatus: ongoing\nsources: [report]\nquestions: [One?, Two?]\n"
    root = content(
        tmp_path,
        **{"case.yaml": case, "case.de.yaml": CASE_DE + "questions: [Eins?]\n"},
    )
    assert errors_of(root) == [
        "cases/demo/case.de.yaml:4:1: `questions` has 1 entry, but case.yaml has 2 — "
        "translate each entry, in the same order"
    ]


def test_a_translated_list_too_long_counts_its_entries_in_the_plural(tmp_path: Path) -> None:
    case = "title: A\nsummary: B\nstatus: ongoing\nsources: [report]\nquestions: [One?]\n"
    root = content(
        tmp_path,
        **{"case.yaml": case, "case.de.yaml": CASE_DE + "questions: [Eins?, Zwei?]\n"},
    )
    assert errors_of(root) == [
        "cases/demo/case.de.yaml:4:1: `questions` has 2 entries, but case.yaml has 1 — "
        "translate each entry, in the same order"
    ]


def test_a_field_the_source_lacks_is_an_error(tmp_path: Path) -> None:
    root = content(tmp_path, **{"parties.de.yaml": "acme:\n  summary: Eine Firma.\n"})
    assert errors_of(root) == [
        "cases/demo/parties.de.yaml:2:3: translates `summary`, which the party `acme` does "
        "not have — delete `summary` here, or write it in the default language first"
    ]


def test_wrong_types_are_located(tmp_path: Path) -> None:
    root = content(tmp_path, **{"events.de.yaml": "filed:\n  body: [a, b]\n"})
    [error] = errors_of(root)
    assert error.startswith("cases/demo/events.de.yaml:2:9: `body` should be text")


def test_case_translation_needs_its_credit(tmp_path: Path) -> None:
    root = content(tmp_path, **{"case.de.yaml": "title: Ein Testfall\n"})
    errors = errors_of(root)
    assert [e.split(":")[0] for e in errors] == ["cases/demo/case.de.yaml"] * 2
    assert any("translated_by" in e for e in errors) and any("translated_on" in e for e in errors)


def test_folder_collection_translation_is_read_by_its_file_name(tmp_path: Path) -> None:
    event = "id: filed\ndate: 2014-01-02\ntitle: Acme files\nkind: filing\nbody: Asked.\n"
    files = site(**{"events.yaml": "", "events.de.yaml": ""})
    del files["cases/demo/events.yaml"], files["cases/demo/events.de.yaml"]
    files["cases/demo/events/filed.yaml"] = event + "sources: [report]\n"
    files["cases/demo/events/filed.de.yaml"] = "title: Acme stellt einen Antrag\n"
    files["cases/demo/events/fild.de.yaml"] = "title: Acme stellt\n"
    root = write_tree(tmp_path / "content", files)
    assert errors_of(root) == [
        "cases/demo/events/fild.de.yaml: no event has the id `fild`, so there is nothing "
        "here to translate — did you mean `filed`?"
    ]
    (root / "cases/demo/events/fild.de.yaml").unlink()
    german = translate(validated(root), "de")
    assert german.cases[0].events[0].title == "Acme stellt einen Antrag"


# translate()


def test_translate_replaces_fields_and_reports_fallbacks(tmp_path: Path) -> None:
    english = validated(content(tmp_path))
    german = translate(english, "de")
    case = german.cases[0]
    assert case.case.title == "Ein Testfall" and case.case.summary == english.cases[0].case.summary
    assert [e.title for e in case.events] == [
        "Acme stellt einen Antrag",
        english.cases[0].events[1].title,
    ]
    assert case.events[0].date == english.cases[0].events[0].date
    # case.yaml's summary is not translated, nor the second event, the party or the quote.
    assert case.fallback == {
        ("case", "demo"),
        ("events", "heard"),
        ("parties", "acme"),
        ("quotes", "acme-says"),
    }
    assert case.translation_credit is not None
    assert case.translation_credit.translated_by == "Case Explainers"
    assert translate(english, "en") is english
    assert english.cases[0].fallback == frozenset()


def test_a_quote_translation_is_beside_the_words_never_in_place(tmp_path: Path) -> None:
    quotes_de = (
        "acme-says:\n  translation: Wir geben sie nicht heraus.\n  translated_by: Case Explainers\n"
    )
    german = translate(validated(content(tmp_path, **{"quotes.de.yaml": quotes_de})), "de")
    quote = german.cases[0].quotes[0]
    assert quote.text == "We will not hand them over."
    assert quote.translation == "Wir geben sie nicht heraus."
    assert quote.translated_by == "Case Explainers"
    assert ("quotes", "acme-says") not in german.cases[0].fallback


def test_a_quote_in_another_language_carries_its_translation(tmp_path: Path) -> None:
    words = "  language: de\n  translation: We will not hand them over.\n"
    quotes = QUOTES.replace(
        "  text: We will not hand them over.", "  text: Wir geben sie nicht heraus."
    )
    english = validated(content(tmp_path, **{"quotes.yaml": quotes + words}))
    quote = english.cases[0].quotes[0]
    assert (quote.language, quote.translation) == ("de", "We will not hand them over.")
    # In German, the words need no translation: none is shown, and nothing falls back.
    german = translate(english, "de").cases[0]
    assert german.quotes[0].translation is None
    assert ("quotes", "acme-says") not in german.fallback


def test_a_translation_of_words_in_the_default_language_is_located(tmp_path: Path) -> None:
    quotes = QUOTES + "  translation: Wir geben sie nicht heraus.\n"
    assert errors_of(content(tmp_path, **{"quotes.yaml": quotes})) == [
        "cases/demo/quotes.yaml:9:3: the quote `acme-says` is in `en`, the site's default "
        "language, so `translation` has nothing to translate — give the words' own language "
        "in `language`, or put a translation into another language in quotes.<lang>.yaml"
    ]


def test_key_facts_keep_their_sources_when_translated(tmp_path: Path) -> None:
    case = (
        "title: A\nsummary: B\nstatus: ongoing\nsources: [report]\n"
        "key_facts: [{label: Court, value: The Second Circuit, sources: [report]}]\n"
    )
    case_de = CASE_DE + "summary: C\nkey_facts: [{label: Gericht, value: Zweiter Bezirk}]\n"
    german = translate(
        validated(content(tmp_path, **{"case.yaml": case, "case.de.yaml": case_de})), "de"
    )
    [fact] = german.cases[0].case.key_facts
    assert (fact.label, fact.value, fact.sources) == ("Gericht", "Zweiter Bezirk", ["report"])


def test_a_site_of_one_language_has_no_translations(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "content", minimal_site(**{"events.yaml": EVENTS, "parties.yaml": PARTIES})
    )
    content_one = validated(root)
    assert content_one.languages == ("en",) and content_one.translations == {}


# Stamps, stale translations and `check`


def test_not_stamped_translations_are_warned_about(tmp_path: Path) -> None:
    result = run_check(content(tmp_path))
    assert [
        (str(w.location).replace(f"{tmp_path}/content/", ""), w.title) for w in result.warnings
    ] == [
        ("cases/demo/case.de.yaml:1:1", "Translation not stamped"),
        ("cases/demo/events.de.yaml:2:1", "Translation not stamped"),
    ]


def test_stamp_edit_source_makes_it_stale_and_stamping_clears_it(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    root = content(tmp_path)
    stamped = run_cli("translations", "stamp", "de", "--content", str(root))
    assert stamped.code == 0 and stamped.out.startswith("stamped 2 items in 2 files")
    assert run_cli("check", "--strict", "--content", str(root)).code == 0

    # One field of the source changes: that field alone is stale, at its line in both files.
    events = root / "cases/demo/events.yaml"
    events.write_text(EVENTS.replace("quash the warrant", "quash the order"), encoding="utf-8")
    checked = run_cli("check", "--strict", "--content", str(root))
    assert checked.code == 1
    lines = [line.replace(f"{root}/", "") for line in checked.out.splitlines()]
    assert lines[:2] == [
        "cases/demo/events.de.yaml:5:3: warning: `body` of this `de` translation is stale: its "
        "source at cases/demo/events.yaml:5:3 changed after it was stamped, and now reads "
        "`Acme asked the court to quash the order.` — bring it up to date, then run "
        "`explainer translations stamp de`",
        "cases/demo/events.yaml:5:3: warning: `body` changed after its `de` translation was "
        "stamped, which is now stale: cases/demo/events.de.yaml:5:3 — update the translation "
        "too, then stamp it again",
    ]
    assert ": warning: " not in "\n".join(lines[2:]) and "`title`" not in checked.out
    # The lines named are those of the field, in either file.
    assert EVENTS.splitlines()[4].startswith("  body: ")
    assert (root / "cases/demo/events.de.yaml").read_text().splitlines()[4].startswith("  body: ")

    again = run_cli("translations", "stamp", "de", "--content", str(root))
    assert again.out.startswith("stamped 1 item in 1 file")
    assert run_cli("check", "--strict", "--content", str(root)).code == 0


def test_stale_title_is_shown_whole_and_long_prose_shortened() -> None:
    from generator.validate.translation_warnings import SHOWN_TEXT, shown_text

    title = "The Second Circuit rules for Microsoft and vacates the finding of contempt"
    assert len(title) <= SHOWN_TEXT and shown_text(title) == title
    body = "The court held that the warrant could not reach data stored abroad. " * 3
    shown = shown_text(body)
    assert len(shown) <= SHOWN_TEXT and shown.endswith(" …")
    assert body.startswith(shown.removesuffix(" …") + " ")  # cut at a word
    assert shown_text("Two\n  lines") == "Two lines"
    assert shown_text(
        [{"label": "Court", "value": "2nd Cir."}, {"label": "Docket", "value": "14-2985"}]
    ) == ("Court: 2nd Cir. / Docket: 14-2985")


def test_stamp_keeps_every_other_byte(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    import yaml

    original = (
        "# Die Übersetzung.\r\nfiled:   # das erste\r\n    title: 'Acme stellt'\r\n\r\n"
        "    body: Acme bat.  # Ende\r\n"
    )
    root = content(tmp_path)
    sidecar = root / "cases/demo/events.de.yaml"
    sidecar.write_bytes(original.encode())
    run_cli("translations", "stamp", "de", "--content", str(root))
    stamped = sidecar.read_bytes().decode()
    [stamp] = [line for line in stamped.split("\r\n") if "translated_from" in line]
    assert stamped == original.replace("    title", f"{stamp}\r\n    title")
    assert stamp.startswith("    translated_from: {title: ")
    fingerprints = yaml.safe_load(stamp)["translated_from"]
    assert list(fingerprints) == ["title", "body"]
    assert all(len(v) == 8 and int(v, 16) >= 0 for v in fingerprints.values())

    # A stale stamp is rewritten in place, its comment kept.
    stale = f"{stamp[: -len(fingerprints['body']) - 1]}abcdef12}}  # by hand"
    sidecar.write_bytes(stamped.replace(stamp, stale).encode())
    run_cli("translations", "stamp", "de", "--content", str(root))
    assert sidecar.read_bytes().decode() == stamped.replace(stamp, f"{stamp}  # by hand")

    # So is one written as a block, on one line from then on.
    block = "    translated_from:\r\n      title: abcdef12\r\n      body: '12345678'\r\n"
    sidecar.write_bytes(stamped.replace(f"{stamp}\r\n", block).encode())
    run_cli("translations", "stamp", "de", "--content", str(root))
    assert sidecar.read_bytes().decode() == stamped


def test_stamp_written_before_stamps_were_per_field_still_reads(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    """A stamp of the whole item (12 hex digits) is up to date or stale as before, naming the
    fields it may be about; stamping again writes it per field."""
    from generator.validate.translations import fingerprint

    root = content(tmp_path)
    run_cli("translations", "stamp", "de", "--content", str(root))
    event = validated(root).cases[0].events[0]
    whole = fingerprint(event, "events", ["title", "body"])
    sidecar = root / "cases/demo/events.de.yaml"
    per_field = sidecar.read_text()
    [stamp] = [line for line in per_field.splitlines() if "translated_from" in line]
    sidecar.write_text(per_field.replace(stamp, f"  translated_from: {whole}"))
    assert run_cli("check", "--strict", "--content", str(root)).code == 0
    status = run_cli("translations", "status", "--format", "json", "--content", str(root))
    assert json.loads(status.out)[0]["translated"] == 2

    events = root / "cases/demo/events.yaml"
    events.write_text(EVENTS.replace("quash the warrant", "quash the order"), encoding="utf-8")
    checked = run_cli("check", "--strict", "--content", str(root))
    assert checked.code == 1
    assert checked.out.replace(f"{root}/", "").startswith(
        "cases/demo/events.de.yaml:3:20: warning: this `de` translation is stale: the text it "
        "translates changed after it was stamped (in `title` or `body`), at "
        "cases/demo/events.yaml:3:3; its stamp is of the whole item, written before stamps "
        "were kept per field, so it cannot tell which — bring the translation up to date, "
        "then run `explainer translations stamp de`, which stamps each field\n"
    )
    status = run_cli("translations", "status", "--format", "json", "--content", str(root))
    assert json.loads(status.out)[0]["stale_items"] == [
        {"collection": "events", "id": "filed", "fields": ["title", "body"]}
    ]
    run_cli("translations", "stamp", "de", "--content", str(root))
    [restamped] = [line for line in sidecar.read_text().splitlines() if "translated_from" in line]
    assert restamped.startswith("  translated_from: {title: ")
    assert run_cli("check", "--strict", "--content", str(root)).code == 0


PARTY_DE = "acme:\n  role: Die Firma, die widerspricht\n"


def test_source_text_written_after_the_stamp_is_missing_not_stale(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    root = content(tmp_path, **{"parties.de.yaml": PARTY_DE})
    run_cli("translations", "stamp", "de", "--content", str(root))
    parties = root / "cases/demo/parties.yaml"
    parties.write_text(PARTIES + "  summary: A maker of things.\n", encoding="utf-8")
    checked = run_cli("check", "--strict", "--content", str(root))
    assert checked.code == 1
    lines = [line.replace(f"{root}/", "") for line in checked.out.splitlines()[:2]]
    assert lines == [
        "cases/demo/parties.de.yaml:2:20: warning: this `de` translation lacks `summary`, "
        "written at cases/demo/parties.yaml:5:3 after it was stamped: missing, not stale, so "
        "readers see it in `en` — translate `summary` here, then run `explainer translations "
        "stamp de` (stamping alone leaves it in `en`)",
        "cases/demo/parties.yaml:5:3: warning: `summary` was written after this item's `de` "
        "translation was stamped, and that translation lacks it: missing, not stale, at "
        "cases/demo/parties.de.yaml:2:20 — translate it there, then run `explainer "
        "translations stamp de`",
    ]
    # Stamping records the field as left untranslated: no longer a warning.
    run_cli("translations", "stamp", "de", "--content", str(root))
    assert "summary: untranslated}" in (root / "cases/demo/parties.de.yaml").read_text()
    assert run_cli("check", "--strict", "--content", str(root)).code == 0

    # Translated after that stamp: that field is not stamped.
    sidecar = root / "cases/demo/parties.de.yaml"
    sidecar.write_text(sidecar.read_text() + "  summary: Ein Hersteller.\n", encoding="utf-8")
    checked = run_cli("check", "--content", str(root))
    assert checked.out.replace(f"{root}/", "").startswith(
        "cases/demo/parties.de.yaml:4:3: warning: `summary` of this `de` translation is not "
        "stamped (it was translated after the stamp), so a later change to its source would "
        "go unnoticed — run `explainer translations stamp de` once it is up to date\n"
    )


def test_a_stale_quote_translation_names_the_words_it_translates(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    quotes_de = "acme-says:\n  translation: Wir geben sie nicht heraus.\n"
    root = content(tmp_path, **{"quotes.de.yaml": quotes_de})
    run_cli("translations", "stamp", "de", "--content", str(root))
    quotes = root / "cases/demo/quotes.yaml"
    quotes.write_text(QUOTES.replace("hand them over", "hand it over"), encoding="utf-8")
    checked = run_cli("check", "--content", str(root))
    lines = [line.replace(f"{root}/", "") for line in checked.out.splitlines()]
    assert (
        "cases/demo/quotes.de.yaml:3:3: warning: `translation` of this `de` translation is "
        "stale: its source, `text`, at cases/demo/quotes.yaml:2:3 changed after it was stamped, "
        "and now reads `We will not hand it over.` — bring it up to date, then run `explainer "
        "translations stamp de`"
    ) in lines
    assert (
        "cases/demo/quotes.yaml:2:3: warning: `text` changed after its `de` translation "
        "(`translation`) was stamped, which is now stale: cases/demo/quotes.de.yaml:3:3 — "
        "update the translation too, then stamp it again"
    ) in lines


def test_a_stamp_not_as_stamp_writes_it_is_located(tmp_path: Path) -> None:
    sidecar = "filed:\n  translated_from: {title: 3f2a9c}\n  title: Acme stellt\n"
    assert errors_of(content(tmp_path, **{"events.de.yaml": sidecar})) == [
        "cases/demo/events.de.yaml:2:20: `translated_from`: not as `explainer translations "
        "stamp` writes it (by field, 8 hex digits or `untranslated`) — delete the line, then "
        "stamp again"
    ]


def test_a_translated_field_whose_source_was_removed_is_located(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    with_summary = PARTIES + "  summary: A maker of things.\n"
    sidecar = PARTY_DE + "  summary: Ein Hersteller.\n"
    root = content(tmp_path, **{"parties.yaml": with_summary, "parties.de.yaml": sidecar})
    run_cli("translations", "stamp", "de", "--content", str(root))
    (root / "cases/demo/parties.yaml").write_text(PARTIES, encoding="utf-8")
    assert errors_of(root) == [
        "cases/demo/parties.de.yaml:4:3: translates `summary`, which the party `acme` no longer "
        "has: it was removed from cases/demo/parties.yaml:1:3 after this translation was "
        "stamped — delete `summary` here too, or write it in the default language again"
    ]


def test_stamp_refuses_a_language_not_translated(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    result = run_cli("translations", "stamp", "fr", "--content", str(content(tmp_path)))
    assert result.code == 1
    assert result.err == (
        "explainer: `fr` is not one of the languages in site.yaml — the translated languages: de\n"
    )


def test_stamp_of_one_case_leaves_the_others(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    root = content(tmp_path)
    write_tree(
        root / "cases/other",
        {
            k.removeprefix("cases/demo/"): v
            for k, v in site().items()
            if k.startswith("cases/demo/")
        },
    )
    run_cli("translations", "stamp", "de", "--case", "other", "--content", str(root))
    assert "translated_from" in (root / "cases/other/events.de.yaml").read_text()
    assert "translated_from" not in (root / "cases/demo/events.de.yaml").read_text()
    wrong = run_cli("translations", "stamp", "de", "--case", "othr", "--content", str(root))
    assert wrong.code == 1 and "did you mean `other`?" in wrong.err


# `explainer translations status`


def test_status_counts_per_language_and_case(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    root = content(tmp_path)
    before = run_cli("translations", "status", "--content", str(root))
    assert before.out == (
        "language  case  translated  stale  not stamped  missing\n"
        "de        demo           0      0            2        3\n"
    )
    run_cli("translations", "stamp", "de", "--content", str(root))
    events = root / "cases/demo/events.yaml"
    events.write_text(EVENTS.replace("quash the warrant", "quash the order"), encoding="utf-8")
    after = run_cli("translations", "status", "--format", "json", "--content", str(root))
    assert after.code == 0
    assert json.loads(after.out) == [
        {
            "language": "de",
            "case": "demo",
            "translated": 1,
            "stale": 1,
            "not_stamped": 0,
            "missing": 3,
            "stale_items": [{"collection": "events", "id": "filed", "fields": ["body"]}],
        }
    ]
    text = run_cli("translations", "status", "--content", str(root))
    assert text.out.splitlines()[1].split() == ["de", "demo", "1", "1", "0", "3"]
    strict = run_cli("translations", "status", "--strict", "--content", str(root))
    assert strict.code == 1


def test_status_of_invalid_content_exits_like_check(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    root = content(tmp_path, **{"events.de.yaml": "fild:\n  title: x\n"})
    result = run_cli("translations", "status", "--content", str(root))
    assert result.code == 1 and "did you mean `filed`?" in result.err


def test_a_fingerprint_that_reads_as_a_number_is_quoted() -> None:
    from generator.commands.translations import _plain_or_quoted

    assert _plain_or_quoted("3f2a9c1b7e0d") == "3f2a9c1b7e0d"
    assert _plain_or_quoted("123456789012") == '"123456789012"'
    assert _plain_or_quoted("12e456789012") == '"12e456789012"'
    assert _plain_or_quoted("340e6515") == '"340e6515"'
    assert _plain_or_quoted("untranslated") == "untranslated"


def test_site_glossary_translation_applies_to_every_case(tmp_path: Path) -> None:
    glossary = "- id: warrant\n  term: Warrant\n  definition: A court's order to search.\n"
    root = content(
        tmp_path,
        **{
            "glossary.yaml": glossary,
            "glossary.de.yaml": "warrant:\n  term: Durchsuchungsbeschluss\n",
        },
    )
    # Both paths above are a case's; the site-wide glossary sits beside site.yaml.
    for name in ("glossary.yaml", "glossary.de.yaml"):
        (root / "cases/demo" / name).rename(root / name)
    german = translate(validated(root), "de")
    [term] = german.cases[0].glossary
    assert term.term == "Durchsuchungsbeschluss"
    assert term.definition == "A court's order to search."
    assert ("glossary", "warrant") in german.cases[0].fallback  # its definition is English
    assert [t.term for t in german.glossary] == ["Durchsuchungsbeschluss"]


def test_status_of_the_real_case_counts_its_german_translation(
    run_cli: Callable[..., CliResult],
) -> None:
    """The real case's German files are stamped and up to date; every item they hold counts
    as translated (the case itself, every event, every glossary term with its `forms`)."""
    import yaml

    from tests.conftest import REAL_CONTENT

    case = REAL_CONTENT / "cases" / "microsoft-ireland"
    held = sum(
        len(yaml.safe_load((case / f"{name}.de.yaml").read_text(encoding="utf-8")))
        for name in ("events", "glossary")
    )
    result = run_cli("translations", "status", "--format", "json", "--content", str(REAL_CONTENT))
    assert result.code == 0, result.err
    (row,) = [r for r in json.loads(result.out) if r["case"] == "microsoft-ireland"]
    assert row["language"] == "de"
    assert (row["translated"], row["stale"], row["not_stamped"]) == (held + 1, 0, 0)
    assert row["missing"] > 0  # the quotes, parties, rulings and polls fall back
