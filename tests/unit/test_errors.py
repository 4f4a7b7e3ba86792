"""Errors: how a location and a mistake read, how a list of them is kept and printed."""

from __future__ import annotations

import importlib
import pickle
from pathlib import Path

import pytest

from generator import errors
from generator.errors import (
    MAX_REPORTED_ERRORS,
    SHOWN_LENGTH,
    ContentError,
    ContentErrors,
    ExplainerError,
    Location,
    OutputError,
    ScaffoldError,
    SearchIndexError,
    ServeError,
    TemplateError,
    _closest,
    describe_value,
    did_you_mean,
    format_text,
    shorten,
)


def error(line: int, message: str = "wrong", hint: str = "", file: str = "a.yaml") -> ContentError:
    return ContentError(Location(file, line, 1), message, hint)


def test_location_reads_as_file_line_and_column() -> None:
    assert str(Location("a.yaml", 3, 7)) == "a.yaml:3:7"


def test_location_of_a_whole_file_reads_as_the_file() -> None:
    assert str(Location("a.yaml")) == "a.yaml"
    assert str(Location("a.yaml", 0, 5)) == "a.yaml"
    assert Location("a.yaml") == Location("a.yaml", 0, 0)


def test_error_reads_as_location_message_and_hint() -> None:
    assert str(error(2, "`x` is wrong", "fix it")) == "a.yaml:2:1: `x` is wrong — fix it"
    assert str(error(2, "`x` is wrong")) == "a.yaml:2:1: `x` is wrong"


def test_errors_are_sorted_by_file_line_column_and_message() -> None:
    errors = [
        error(10),
        error(9, "b"),
        error(9, "a"),
        ContentError(Location("a.yaml", 9, 2), "a"),
        error(1, file="b.yaml"),
        ContentError(Location("a.yaml"), "whole file"),
    ]
    assert [str(e) for e in ContentErrors(errors).errors] == [
        "a.yaml: whole file",
        "a.yaml:9:1: a",
        "a.yaml:9:1: b",
        "a.yaml:9:2: a",
        "a.yaml:10:1: wrong",
        "b.yaml:1:1: wrong",
    ]


def test_error_found_twice_is_kept_once_whatever_its_hint() -> None:
    """An alias repeats a bad value: each place it is used reports the same mistake."""
    found = ContentErrors([error(3, "`x` is wrong", "a"), error(1), error(3, "`x` is wrong", "b")])
    assert [str(e) for e in found.errors] == ["a.yaml:1:1: wrong", "a.yaml:3:1: `x` is wrong — a"]
    assert str(found) == "2 content error(s)"


def test_content_errors_are_complete_unless_told() -> None:
    assert ContentErrors([error(1)]).complete is True
    assert ContentErrors([error(1)], complete=False).complete is False


def test_errors_survive_pickling_between_processes() -> None:
    errors = ContentErrors([error(2, "b", "hint"), error(1)], complete=False)
    copied = pickle.loads(pickle.dumps(errors))
    assert (copied.errors, copied.complete) == (errors.errors, False)
    assert [e.hint for e in copied.errors] == ["", "hint"]
    template = pickle.loads(pickle.dumps(TemplateError(Location("t.html", 4, 2), "bad tag")))
    assert (template.location, template.message) == (Location("t.html", 4, 2), "bad tag")
    assert str(template) == "t.html:4:2: bad tag"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("persn", "persn"),
        ("a person\n  of   note\n", "a person of note"),
        ("\t tabs\tand\r\nbreaks ", "tabs and breaks"),
        (12, "12"),
        ("x" * SHOWN_LENGTH, "x" * SHOWN_LENGTH),
        ("x" * (SHOWN_LENGTH + 1), "x" * (SHOWN_LENGTH - 1) + "…"),
        ("word " * 30, ("word " * 12)[: SHOWN_LENGTH - 1] + "…"),
    ],
    ids=["word", "block-text", "tabs", "number", "at-limit", "over-limit", "long-text"],
)
def test_shorten_shows_a_value_on_one_short_line(value: object, shown: str) -> None:
    assert shorten(value) == shown
    assert len(shorten(value)) <= SHOWN_LENGTH


@pytest.mark.parametrize(
    ("value", "described"),
    [
        ({"a": 1}, "a mapping"),
        ([1], "a list"),
        (None, "nothing"),
        ("two\nlines", "the value `two lines`"),
        (0, "the value `0`"),
        ("", "the value ``"),
    ],
)
def test_describe_value_names_what_was_written(value: object, described: str) -> None:
    assert describe_value(value) == described


def test_did_you_mean_names_the_closest_candidate() -> None:
    assert did_you_mean("persn", ["court", "person", "people"]) == "did you mean `person`?"


def test_did_you_mean_is_empty_when_nothing_is_close() -> None:
    assert did_you_mean("zzz", ["court", "person"]) == ""
    assert did_you_mean("persn", []) == ""


def test_did_you_mean_follows_the_cutoff() -> None:
    assert did_you_mean("abcd", ["abxy"]) == ""
    assert did_you_mean("abcd", ["abxy"], cutoff=0.5) == "did you mean `abxy`?"
    assert did_you_mean("abcdef", ["abcxyz"]) == ""  # a ratio of 0.5 is below the default


def test_did_you_mean_gives_up_on_a_very_long_word() -> None:
    longest = "a" * (2 * SHOWN_LENGTH)
    assert did_you_mean(longest, [longest + "b"]) == f"did you mean `{longest}b`?"
    assert did_you_mean(longest + "a", [longest + "b"]) == ""


@pytest.mark.parametrize("count", [64, 65, 200])
def test_did_you_mean_among_many_candidates_finds_the_closest(count: int) -> None:
    candidates = [f"id-{n:03d}" for n in range(count)] + ["speaker"]
    assert did_you_mean("speakr", candidates) == "did you mean `speaker`?"
    assert did_you_mean("zzzzzz", candidates) == ""


def test_did_you_mean_keeps_only_short_candidate_lists_in_its_cache() -> None:
    """A case's ids (hundreds) are not kept: callers remember the hint of each unknown id."""
    _closest.cache_clear()
    did_you_mean("speakr", [f"id-{n}" for n in range(64)])
    assert _closest.cache_info().currsize == 1
    did_you_mean("speakr", [f"id-{n}" for n in range(65)])
    assert _closest.cache_info().currsize == 1


def test_did_you_mean_shares_its_cache_whatever_the_order_of_the_candidates() -> None:
    _closest.cache_clear()
    assert did_you_mean("persn", ["person", "court"]) == "did you mean `person`?"
    assert did_you_mean("persn", ["court", "person"]) == "did you mean `person`?"
    assert did_you_mean("persn", {"court", "person"}) == "did you mean `person`?"
    assert _closest.cache_info().currsize == 1


def test_format_text_counts_one_error() -> None:
    assert format_text([error(1)]) == "a.yaml:1:1: wrong\n1 error found"


def test_format_text_counts_several_errors() -> None:
    assert format_text([error(1), error(2, "b", "h")]) == (
        "a.yaml:1:1: wrong\na.yaml:2:1: b — h\n2 errors found"
    )


def test_format_text_says_when_checking_stopped() -> None:
    assert format_text([error(1)], complete=False) == (
        "a.yaml:1:1: wrong\n1 error found, and then checking stopped: fix these first"
    )


def test_format_text_shows_the_first_errors_and_counts_the_rest() -> None:
    errors = [error(line) for line in range(1, MAX_REPORTED_ERRORS + 4)]
    lines = format_text(errors).split("\n")
    assert lines[:MAX_REPORTED_ERRORS] == [str(e) for e in errors[:MAX_REPORTED_ERRORS]]
    assert lines[MAX_REPORTED_ERRORS:] == [
        "… and 3 more error(s) not shown",
        f"{MAX_REPORTED_ERRORS + 3} errors found",
    ]


def test_format_text_shows_every_error_up_to_the_limit() -> None:
    errors = [error(line) for line in range(1, MAX_REPORTED_ERRORS + 1)]
    lines = format_text(errors).split("\n")
    assert lines == [*(str(e) for e in errors), f"{MAX_REPORTED_ERRORS} errors found"]


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("generator.write", "OutputError"),
        ("generator.build.search_index", "SearchIndexError"),
        ("generator.commands.scaffold", "ScaffoldError"),
        ("generator.serve", "ServeError"),
    ],
)
def test_stages_raise_the_shared_errors(module: str, name: str) -> None:
    """`cli` and `serve` catch `ExplainerError` alone: the stages raise these very classes."""
    assert getattr(importlib.import_module(module), name) is getattr(errors, name)


@pytest.mark.parametrize(
    "kind",
    [ContentErrors, TemplateError, OutputError, SearchIndexError, ServeError, ScaffoldError],
)
def test_every_error_a_person_can_meet_is_an_explainer_error(kind: type[ExplainerError]) -> None:
    assert issubclass(kind, ExplainerError)
    assert kind.exit_code == 1


OUTPUT = Path("public")
UNCHANGED = "nothing written: public is unchanged"


@pytest.mark.parametrize(
    ("error", "lines"),
    [
        (
            ContentErrors([error(2, "b", "hint"), error(1)]),
            ["a.yaml:1:1: wrong", "a.yaml:2:1: b — hint", "2 errors found", UNCHANGED],
        ),
        (
            TemplateError(Location("templates/x.html", 4, 1), "bad tag"),
            ["templates/x.html:4:1: template error: bad tag", UNCHANGED],
        ),
        (SearchIndexError("no Pagefind"), ["explainer: search index: no Pagefind", UNCHANGED]),
        (OutputError("cannot write public: full"), ["explainer: cannot write public: full"]),
        (ServeError("no free port"), ["explainer: no free port"]),
        (ScaffoldError("`X` is not a slug"), ["explainer: `X` is not a slug"]),
    ],
    ids=["content", "template", "search-index", "output", "serve", "scaffold"],
)
def test_each_error_reports_itself_in_its_own_words(
    error: ExplainerError, lines: list[str]
) -> None:
    assert error.report(OUTPUT) == lines
    assert error.report() == [line for line in lines if line != UNCHANGED]


def test_preview_shows_located_errors_or_else_the_detail() -> None:
    content = ContentErrors([error(2), error(1)])
    assert (content.summary(), content.located()) == ("2 error(s)", content.errors)
    template = TemplateError(Location("t.html", 4, 2), "bad tag")
    assert (template.summary(), template.detail()) == ("template error", "t.html:4:2: bad tag")
    search = SearchIndexError("no Pagefind")
    assert (search.summary(), search.detail()) == (
        "the search index failed",
        "search index: no Pagefind",
    )
    assert template.located() == search.located() == []


@pytest.mark.parametrize("kind", [OutputError, SearchIndexError, ServeError, ScaffoldError])
def test_errors_with_a_message_survive_pickling(kind: type[ExplainerError]) -> None:
    copied = pickle.loads(pickle.dumps(kind("what went wrong")))
    assert type(copied) is kind and str(copied) == "what went wrong"
