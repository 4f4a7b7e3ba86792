"""Property-based tests of whole builds, through the command line run in-process.

1. Any valid site (drawn by `tests.strategies.sites`) builds, and each case's `data.json`
   holds exactly what the editor wrote, by the mapping `expected_case_data` spells out.
2. Any corruption of a valid site's YAML (flipped, inserted, swapped or cut bytes, lines
   deleted, doubled or re-indented, YAML tokens and tags dropped in) ends in exit status 0
   (the corruption happened to be valid) or 1 with located `file:line:column` errors; never a
   traceback, never a hang, and the output folder is left as it was (or absent, if it was).

Hypothesis settings come from profiles registered here, chosen by `EXPLAINER_FUZZ`:

- `ci` (the default): derandomized, so every run tries the same examples and CI is
  reproducible; no example database, so nothing is written into the repository; no
  shrinking, because each shrinking step is a whole build and shrinking a site takes minutes.
  A failure prints the example as drawn and a `@reproduce_failure` blob.
- `shrink`: the same examples, shrunk on failure (run it locally on a CI failure).
- `deep`: ten times as many random examples, shrunk on failure: a longer search.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import signal
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.dates import PartialDate, format_number
from generator.strings import has_strings, ui_strings
from tests.strategies import (
    COLLECTIONS,
    CaseData,
    DateValue,
    GeneratedSite,
    clean,
    sites,
)

HANG_SECONDS = 10
"""An example that runs this long is a hang (a small site builds in well under a second)."""

NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target)
settings.register_profile(
    "explainer-ci",
    derandomize=True,
    database=None,
    deadline=timedelta(seconds=5),
    phases=NO_SHRINK,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "explainer-shrink",
    settings.get_profile("explainer-ci"),
    phases=(*NO_SHRINK, Phase.shrink),
)
settings.register_profile(
    "explainer-deep",
    settings.get_profile("explainer-shrink"),
    derandomize=False,
)
FUZZ = os.environ.get("EXPLAINER_FUZZ", "ci")
PROFILE = settings.get_profile(f"explainer-{FUZZ}")
SCALE = 10 if FUZZ == "deep" else 1
ROUND_TRIP_EXAMPLES = 20 * SCALE
CORRUPTION_EXAMPLES = 100 * SCALE


# --- running the command line ------------------------------------------------------------------


class Hang(Exception):
    """An example ran longer than HANG_SECONDS."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise `Hang` in the main thread if the block runs longer than `seconds`."""

    def expire(signum: int, frame: object) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(*args: str) -> Run:
    """Run `explainer ARGS…` in-process; an exception escaping `main()` fails the test."""
    out, err = io.StringIO(), io.StringIO()
    try:
        with (
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            time_limit(HANG_SECONDS),
        ):
            try:
                code = main(list(args))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 2
    except Exception as exc:
        raise AssertionError(
            f"explainer {' '.join(args)} raised {type(exc).__name__}: {exc}\n"
            f"stderr:\n{err.getvalue()}"
        ) from exc
    return Run(code, out.getvalue(), err.getvalue())


def write_files(root: Path, files: dict[str, bytes]) -> Path:
    for relative, body in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    return root


def outside(content: Path, root: Path) -> dict[str, bytes]:
    """Every file under `root` but in the content folder, with its bytes (folders too)."""
    found: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        if path.is_relative_to(content):
            continue
        relative = path.relative_to(root).as_posix()
        found[relative] = path.read_bytes() if path.is_file() else b"<folder>"
    return found


def changed_files(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    """The files added, removed or changed between two `outside` snapshots."""
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )


# --- 1. valid sites round-trip through data.json -----------------------------------------------


def _date(written: Any) -> DateValue:
    return DateValue.read(written)


def _as_written(written: Any) -> str | dict[str, Any]:
    """A date in the case's data: the ISO text, or a mapping when it is approximate."""
    date = _date(written)
    return {"date": date.iso, "approximate": True} if date.approximate else date.iso


def _text(item: dict[str, Any], key: str) -> str | None:
    """An optional text field as the models keep it: stripped, or None when absent."""
    value = item.get(key)
    return None if value is None else clean(value)


def expected_case_data(slug: str, written: CaseData, language: str = "en") -> dict[str, Any]:
    """What `<case>/data.json` must hold for a case an editor wrote, field by field.

    The mapping, from `render._case_data_members` and `context.case_view`:

    - `case`: every field of `Case` (defaults included), texts stripped of surrounding
      whitespace, dates as ISO text or `{date, approximate: true}`, lists in written order.
    - Text and Markdown fields: the editor's source text, stripped (never HTML).
    - References: ids. An item's `sources` are its distinct ids in the order of sources.yaml.
    - `events`, `quotes` and `rulings` are sorted by date (ties keep the written order);
      `parties`, `polls` and `sources` keep the written order.
    - Dates of events, rulings and quotes: ISO text, and whether it is `approximate`;
      dates of polls and sources: as displayed ("31 July 2014", "c. 2014").
    - Polls and sources hold what their pages show, in the words and forms of `language`:
      "not reported" for a missing population,
      sample size (else `1,000`), margin of error (else `±3.5 percentage points`), mode,
      fieldwork, wording or publication date; a party without a side is on side "Other"; a
      quote without `speaker_role` takes its speaker's title, else role; a ruling without a
      citation has "not reported".
    - Not exported: a party's `summary`, `member_of` and `sources`; a ruling's `favours`; a
      quote's `note`; a poll's `pollster`, `commissioned_by`, `summary` and questions' sources.
    """
    collections = written.collections
    source_order = [s["id"] for s in collections["sources"]]
    words = ui_strings(language)
    missing = words["not_reported"]

    def or_missing(value: str | None) -> str:
        return value if value else missing

    def day(date: DateValue) -> str:
        """English as the oracle writes it; another language's forms are CLDR's (Babel's)."""
        if language == "en":
            return date.display
        return PartialDate.parse(date.iso, date.approximate).display_in(language)

    def cited(item: dict[str, Any]) -> list[str]:
        ids = set(item.get("sources", []))
        return [i for i in source_order if i in ids]

    parties = {p["id"]: p for p in collections["parties"]}

    def by_date(items: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
        return sorted(items, key=lambda item: _date(item[key]).sort_key)

    case = written.case
    case_data = {
        "title": clean(case["title"]),
        "official_name": _text(case, "official_name"),
        "summary": clean(case["summary"]),
        "status": case["status"],
        "in_brief": [clean(p) for p in case.get("in_brief", [])],
        "next_step": _text(case, "next_step"),
        "questions": [clean(q) for q in case.get("questions", [])],
        "key_facts": [
            {
                "label": clean(f["label"]),
                "value": clean(f["value"]),
                "sources": f.get("sources", []),
            }
            for f in case.get("key_facts", [])
        ],
        "tags": case.get("tags", []),
        "updates": [
            {
                "date": _as_written(u["date"]),
                "kind": u.get("kind") or "update",
                "text": clean(u["text"]),
            }
            for u in case.get("updates", [])
        ],
        "conflicts": [
            {
                "id": c["id"],
                "title": clean(c["title"]),
                "text": clean(c["text"]),
                "sources": c["sources"],
            }
            for c in case.get("conflicts", [])
        ],
        "sources": case.get("sources", []),
    }

    def party(p: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": p["id"],
            "name": clean(p["name"]),
            "kind": p["kind"],
            "role": clean(p["role"]),
            "title": _text(p, "title"),
            "side": _text(p, "side") or "Other",
        }

    def ruling(r: dict[str, Any]) -> dict[str, Any]:
        judges = r.get("judges", [])
        return {
            "id": r["id"],
            "title": clean(r["title"]),
            "stage": r["stage"],
            "citation": or_missing(_text(r, "citation")),
            "outcome": clean(r["outcome"]),
            "outcome_plain": _text(r, "outcome_plain"),
            "holding": clean(r["holding"]),
            "next_step": _text(r, "next_step"),
            "date": _date(r["date"]).iso,
            "approximate": _date(r["date"]).approximate,
            "court": r["court"],
            "judges": [judges] if isinstance(judges, str) else judges,
            "sources": cited(r),
        }

    def event(e: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": e["id"],
            "title": clean(e["title"]),
            "kind": e["kind"],
            "body": clean(e["body"]),
            "key": e.get("key", False),
            "date": _date(e["date"]).iso,
            "approximate": _date(e["date"]).approximate,
            "parties": e.get("parties", []),
            "quotes": e.get("quotes", []),
            "sources": cited(e),
            **({"tags": e["tags"]} if e.get("tags") else {}),
        }

    def period(p: dict[str, Any]) -> dict[str, Any]:
        start, end = _date(p["start"]), _date(p["end"])
        return {
            "id": p["id"],
            "title": clean(p["title"]),
            "start": start.iso,
            "start_approximate": start.approximate,
            "end": end.iso,
            "end_approximate": end.approximate,
            "body": _text(p, "body"),
            "sources": cited(p),
        }

    def last_day(date: DateValue) -> tuple[int, int, int]:
        return (date.year, -(date.month or 12), -(date.day or 31))

    periods = sorted(
        collections["periods"],
        key=lambda p: (_date(p["start"]).sort_key, last_day(_date(p["end"]))),
    )

    def quote(q: dict[str, Any]) -> dict[str, Any]:
        speaker = parties[q["speaker"]]
        return {
            "id": q["id"],
            "text": clean(q["text"]),
            "speaker_role": _text(q, "speaker_role")
            or _text(speaker, "title")
            or clean(speaker["role"]),
            "venue": clean(q["venue"]),
            "context": _text(q, "context"),
            "key": q.get("key", False),
            "speaker": q["speaker"],
            "said_on": _date(q["said_on"]).iso,
            "approximate": _date(q["said_on"]).approximate,
            "sources": cited(q),
            "verbatim_in": q["verbatim_in"],
        }

    def poll(p: dict[str, Any]) -> dict[str, Any]:
        fieldwork = missing
        if p.get("fieldwork") is not None:
            start, end = _date(p["fieldwork"]["start"]), _date(p["fieldwork"]["end"])
            fieldwork = (
                day(start)
                if start == end
                else words["poll.fieldwork_span"].format(start=day(start), end=day(end))
            )
        margin = p.get("margin_of_error")
        size = p.get("sample_size")
        return {
            "id": p["id"],
            "title": clean(p["title"]),
            "fieldwork": fieldwork,
            "published": day(_date(p["published"])) if p.get("published") else missing,
            "population": or_missing(_text(p, "population")),
            "sample_size": format_number(size, language) if size else missing,
            "margin_of_error": words["poll.margin"].format(
                points=format_number(float(margin), language)
            )
            if margin
            else missing,
            "mode": or_missing(_text(p, "mode")),
            "questions": [
                {
                    "id": q["id"],
                    "text": clean(q["text"]),
                    "wording": or_missing(_text(q, "wording")),
                    "results": [
                        {"answer": clean(r["answer"]), "percent": float(r["percent"])}
                        for r in q["results"]
                    ],
                }
                for q in p["questions"]
            ],
            "sources": cited(p),
        }

    def source(s: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": s["id"],
            "title": clean(s["title"]),
            "publisher": clean(s["publisher"]),
            "author": _text(s, "author"),
            "url": s["url"],
            "published": day(_date(s["published"])) if s.get("published") else missing,
            "accessed": day(_date(s["accessed"])) if s.get("accessed") else None,
            "note": _text(s, "note"),
            "kind": s.get("kind", "other"),
        }

    return {
        "case": case_data,
        "events": [event(e) for e in by_date(collections["events"], "date")],
        "glossary": [],
        "parties": [party(p) for p in collections["parties"]],
        "polls": [poll(p) for p in collections["polls"]],
        "quotes": [quote(q) for q in by_date(collections["quotes"], "said_on")],
        "rulings": [ruling(r) for r in by_date(collections["rulings"], "date")],
        "slug": slug,
        "sources": [source(s) for s in collections["sources"]],
        **({"periods": [period(p) for p in periods]} if periods else {}),
    }


def item_pages(slug: str, written: CaseData) -> list[str]:
    """The page every item gets, relative to the output folder."""
    folders = {
        "parties": "parties",
        "rulings": "rulings",
        "events": "timeline",
        "quotes": "quotes",
        "polls": "polls",
    }
    pages = [f"{slug}/index.html", f"{slug}/sources/index.html", f"{slug}/data.json"]
    for name, folder in folders.items():
        pages.extend(
            f"{slug}/{folder}/{item['id']}/index.html" for item in written.collections[name]
        )
    pages.extend(f"{slug}/polls/{p['id']}/{p['id']}.csv" for p in written.collections["polls"])
    return pages


def first_difference(actual: Any, expected: Any, path: str = "") -> str | None:
    """Where two JSON values first differ, as `path: actual != expected`, or None."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        if sorted(actual) != sorted(expected):
            return f"{path or '.'}: keys {sorted(actual)} != {sorted(expected)}"
        for key in expected:
            found = first_difference(actual[key], expected[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        if len(actual) != len(expected):
            return f"{path}: {len(actual)} items != {len(expected)}: {actual!r} != {expected!r}"
        for index, (left, right) in enumerate(zip(actual, expected, strict=True)):
            found = first_difference(left, right, f"{path}[{index}]")
            if found:
                return found
        return None
    if actual != expected:
        return f"{path}: {actual!r} != {expected!r}"
    return None


@settings(PROFILE, max_examples=ROUND_TRIP_EXAMPLES)
@given(site=sites())
def test_valid_site_builds_and_data_json_holds_what_was_written(site: GeneratedSite) -> None:
    with tempfile.TemporaryDirectory(prefix="explainer-roundtrip-") as folder:
        content = write_files(Path(folder) / "content", site.files)
        output = Path(folder) / "output"
        built = run_cli("build", "--content", str(content), "--output", str(output))
        assert built.code == 0, built.err
        assert built.err == ""
        for slug, written in site.cases.items():
            missing = [p for p in item_pages(slug, written) if not (output / p).is_file()]
            assert missing == []
            data = json.loads((output / slug / "data.json").read_text(encoding="utf-8"))
            language = site.site.get("language", "en")
            words_in = language if has_strings(language) else "en"
            expected = expected_case_data(slug, written, words_in)
            assert first_difference(data, expected) is None


# --- 2. corrupted YAML fails cleanly -----------------------------------------------------------

MARKER = Path(tempfile.gettempdir()) / f"explainer-fuzz-executed-{os.getpid()}"
"""A file that a YAML tag running a command would create: it must never appear."""

TOKENS: tuple[bytes, ...] = tuple(
    token.encode("utf-8") if isinstance(token, str) else token
    for token in (
        "&a ",
        "*a",
        "*a ",
        "&a [1, 2] ",
        "*undefined",
        f'!!python/object/apply:os.system ["touch {MARKER}"]',
        f'!!python/object/new:os.system ["touch {MARKER}"]',
        f"!!python/object/apply:subprocess.call [[touch, {MARKER}]]",
        "!!python/name:os.system",
        "!!python/object:os.system {}",
        "!!python/tuple [1, 2]",
        "!custom ",
        "!<tag:example.com,2000:x> ",
        "!!binary aGVsbG8=",
        "!!timestamp 2014-07-31",
        "!!set {a}",
        "!!omap [a: 1]",
        "!!int x",
        "!!float y",
        "!!bool maybe",
        "!!null x",
        "!!str ",
        "!!map ",
        "!!seq ",
        "? ",
        "? complex\n: key\n",
        "|",
        "|-",
        "|+",
        "|9",
        ">",
        ">-",
        "{",
        "}",
        "[",
        "]",
        "{a: 1",
        "[a,",
        "<<: *a",
        "<<: {a: 1}",
        "---",
        "...",
        "--- !!map",
        "%YAML 1.1\n",
        "%TAG ! tag:example.com,2000:\n",
        "@",
        "`",
        "'",
        '"',
        "#",
        ": ",
        "- ",
        "-",
        "~",
        "null",
        "1e999",
        ".nan",
        "0x",
        "2014-02-30",
        "2014-13",
        "0000",
        "99999",
        "-1",
        "true",
        "\u2028",
        "\x85",
        "\ufeff",
        "\t",
        "\r",
        "[" * 200,
        "{a: " * 80,
        "- " * 100,
        "x" * 5000,
        "".join(f"- &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 8)).replace(
            "*l0", "lol"
        ),
        "".join(f"k{i}: &k{i} [{', '.join([f'*k{i - 1}'] * 9)}]\n" for i in range(1, 8)).replace(
            "*k0", "lol"
        ),
    )
) + (b"\x00", b"\xff", b"\xfe\xff", b"\xc3", b"\xe2\x80", b"\xed\xa0\x80", b"\x80", b"\x1b[31m")

Op = tuple[str, int, bytes]


def _op(kind: str, payload: st.SearchStrategy[bytes]) -> st.SearchStrategy[Op]:
    return st.tuples(st.just(kind), st.integers(0, 2**16), payload)


_NO_PAYLOAD = st.just(b"")
OPERATIONS = st.one_of(
    _op("flip", st.integers(0, 7).map(lambda bit: bytes([1 << bit]))),
    _op("truncate", _NO_PAYLOAD),
    _op("delete line", _NO_PAYLOAD),
    _op("duplicate line", _NO_PAYLOAD),
    _op("indent line", st.sampled_from([b" ", b"  ", b"   ", b"\t", b"  \t"])),
    _op("dedent line", st.sampled_from([b" ", b"  "])),
    _op("insert bytes", st.one_of(st.binary(min_size=1, max_size=4), st.sampled_from(TOKENS))),
    _op("swap characters", _NO_PAYLOAD),
    _op("insert line", st.sampled_from(TOKENS)),
    _op("replace value", st.sampled_from(TOKENS)),
)


def corrupt(data: bytes, operation: Op) -> bytes:
    """Apply one corruption at a position taken modulo the file's size."""
    kind, at, payload = operation
    if kind == "flip":
        if not data:
            return data
        index = at % len(data)
        return data[:index] + bytes([data[index] ^ payload[0]]) + data[index + 1 :]
    if kind == "truncate":
        return data[: at % (len(data) + 1)]
    if kind == "insert bytes":
        index = at % (len(data) + 1)
        return data[:index] + payload + data[index:]
    if kind == "swap characters":
        text = data.decode("utf-8", "surrogateescape")
        if len(text) < 2:
            return data
        index = at % (len(text) - 1)
        text = text[:index] + text[index + 1] + text[index] + text[index + 2 :]
        return text.encode("utf-8", "surrogateescape")
    lines = data.split(b"\n")
    index = at % len(lines)
    line = lines[index]
    if kind == "delete line":
        del lines[index]
    elif kind == "duplicate line":
        lines.insert(index, line)
    elif kind == "indent line":
        lines[index] = payload + line
    elif kind == "dedent line":
        lines[index] = line.removeprefix(payload)
    elif kind == "insert line":
        indent = line[: len(line) - len(line.lstrip(b" "))]
        lines.insert(index, indent + payload)
    elif kind == "replace value":
        head, colon, _ = line.partition(b": ")
        lines[index] = head + b": " + payload if colon else line + b" " + payload
    return b"\n".join(lines)


LOCATED = re.compile(r"^(?P<file>/[^\n]*?):(?P<line>\d+):(?P<column>\d+): \S")


def _last_line(raw: bytes) -> int:
    """The last line an error may name: counting every line break YAML knows (even each half
    of CRLF, to be generous), plus one for the end of a file without a final line break,
    where libyaml puts the end of the stream (`file:9:1` for a file of 8 lines)."""
    text = raw.decode("utf-8", "replace")
    return 2 + sum(text.count(b) for b in ("\n", "\r", "\x85", "\u2028", "\u2029"))


def assert_located_errors(text: str, content: Path) -> None:
    """At least one `file:line:column: message`, each in a content file and inside it."""
    located = [m for m in map(LOCATED.match, text.splitlines()) if m]
    assert located, f"no located error in:\n{text}"
    for found in located:
        file = Path(found["file"])
        assert file.is_file() and file.is_relative_to(content), found[0]
        assert 1 <= int(found["line"]) <= _last_line(file.read_bytes()), found[0]
        assert int(found["column"]) >= 1, found[0]


@pytest.fixture(scope="module")
def foreign_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder an earlier build of another site left (this also warms up Jinja)."""
    root = tmp_path_factory.mktemp("foreign")
    files = {
        "site.yaml": b"title: T\nbase_url: https://example.org/\ndescription: D\npublisher: P\n",
        "cases/other/case.yaml": b"title: Other\nsummary: S\nstatus: resolved\n",
    }
    content = write_files(root / "content", files)
    built = run_cli("build", "--content", str(content), "--output", str(root / "output"))
    assert built.code == 0, built.err
    return root / "output"


@settings(PROFILE, max_examples=CORRUPTION_EXAMPLES)
@given(
    site=sites(max_cases=1, max_items=2),
    which=st.integers(0, 2**16),
    operations=st.lists(OPERATIONS, min_size=1, max_size=3),
    before=st.sampled_from(["no output", "another site's output", "this site's output"]),
)
def test_corrupted_yaml_fails_cleanly_or_builds(
    site: GeneratedSite, which: int, operations: list[Op], before: str, foreign_output: Path
) -> None:
    names = sorted(site.files)
    name = names[which % len(names)]
    corrupted = site.files[name]
    for operation in operations:
        corrupted = corrupt(corrupted, operation)
    note(f"{name} corrupted:\n{corrupted!r}")
    with tempfile.TemporaryDirectory(prefix="explainer-fuzz-") as folder:
        root = Path(folder)
        content = write_files(root / "content", site.files)
        output = root / "output"
        if before == "another site's output":
            shutil.copytree(foreign_output, output)
        elif before == "this site's output":
            built = run_cli("build", "--content", str(content), "--output", str(output))
            assert built.code == 0, built.err
        before_build = outside(content, root)
        (content / name).write_bytes(corrupted)

        checked = run_cli("check", "--content", str(content))
        built = run_cli("build", "--content", str(content), "--output", str(output))

        assert not MARKER.exists(), "a YAML tag ran a command"
        for run in (checked, built):
            assert run.code in (0, 1), run.err
            assert "Traceback" not in run.out + run.err
            assert "bug in the generator" not in run.err
        assert checked.code == built.code, (checked.out, built.err)
        if built.code == 0:
            assert (output / "index.html").is_file()
            leftovers = [
                p.name for p in root.iterdir() if ".staging-" in p.name or ".old-" in p.name
            ]
            assert leftovers == []
            return
        assert_located_errors(built.err, content)
        assert_located_errors(checked.out, content)
        # The output folder (or its absence), the build record beside it and everything else
        # outside the content folder are exactly as they were: no staging folder left behind.
        assert changed_files(before_build, outside(content, root)) == []


def test_corrupt_applies_each_kind_of_operation() -> None:
    """The corruptions do what they say (a fuzzer that changes nothing proves nothing)."""
    data = b"- id: a\n  text: b\n"
    assert corrupt(data, ("flip", 2, b"\x01")) == b"- hd: a\n  text: b\n"
    assert corrupt(data, ("truncate", 5, b"")) == b"- id:"
    assert corrupt(data, ("delete line", 1, b"")) == b"- id: a\n"
    assert corrupt(data, ("duplicate line", 0, b"")) == b"- id: a\n- id: a\n  text: b\n"
    assert corrupt(data, ("indent line", 1, b"\t")) == b"- id: a\n\t  text: b\n"
    assert corrupt(data, ("dedent line", 1, b"  ")) == b"- id: a\ntext: b\n"
    assert corrupt(data, ("insert bytes", 1, b"\x00")) == b"-\x00 id: a\n  text: b\n"
    assert corrupt(data, ("swap characters", 0, b"")) == b" -id: a\n  text: b\n"
    assert corrupt(data, ("insert line", 1, b"*a")) == b"- id: a\n  *a\n  text: b\n"
    assert corrupt(data, ("replace value", 1, b"|")) == b"- id: a\n  text: |\n"


def test_expected_case_data_can_tell_a_wrong_export() -> None:
    """The round-trip's oracle is not vacuous: it differs from a lightly altered export."""
    written = CaseData(
        {"title": " T ", "summary": "S", "status": "ongoing"},
        {name: [] for name in COLLECTIONS},
    )
    expected = expected_case_data("demo", written)
    assert expected["case"]["title"] == "T"
    assert first_difference(expected, expected) is None
    changed = json.loads(json.dumps(expected))
    changed["case"]["questions"] = ["Q"]
    assert first_difference(changed, expected) == ".case.questions: 1 items != 0: ['Q'] != []"
    changed["case"]["title"] = " T "
    assert first_difference(changed, expected) == ".case.title: ' T ' != 'T'"


@pytest.mark.parametrize("character", ["\x00", "\x08", "\x9d", "\ufffe"])
def test_control_character_in_yaml_is_a_located_error(character: str, tmp_path: Path) -> None:
    """A character YAML does not allow (as a corrupted save leaves) is reported at its line
    and column, like every other mistake, in the editor's own words."""
    files = {
        "site.yaml": b"title: T\nbase_url: https://example.org/\ndescription: D\npublisher: P\n",
        "cases/demo/case.yaml": f"title: A case\nsummary: S{character}\nstatus: ongoing\n".encode(),
    }
    content = write_files(tmp_path / "content", files)
    for command in (["build", "--output", str(tmp_path / "output")], ["check"]):
        run = run_cli(*command, "--content", str(content))
        assert run.code == 1
        shown = run.err + run.out
        assert f"{content}/cases/demo/case.yaml:2:11: " in shown, shown
        assert "<unicode string>" not in shown, shown


def test_data_json_keeps_that_a_date_is_approximate_for_every_item(tmp_path: Path) -> None:
    """`{date: 2014-07, approximate: true}` reaches the open data of a ruling and a quote too.

    data.json says so for an event (`approximate: true`) and for the case's updates (the
    date as the editor wrote it), and polls and sources show "c. July 2014"; a ruling's `date`
    and a quote's `said_on` must not silently become the exact-looking `2014-07`.
    """
    approximate = "{date: 2014-07, approximate: true}"
    files = {
        "site.yaml": b"title: T\nbase_url: https://example.org/\ndescription: D\npublisher: P\n",
        "cases/demo/case.yaml": b"title: A case\nsummary: S\nstatus: ongoing\n",
        "cases/demo/sources.yaml": b"- {id: s, title: S, publisher: P, url: https://e.org/}\n",
        "cases/demo/parties.yaml": (
            b"- {id: court, name: C, kind: court, role: R}\n"
            b"- {id: judge, name: J, kind: person, role: R}\n"
        ),
        "cases/demo/rulings.yaml": (
            "- {id: r, title: T, court: court, stage: other, outcome: O, holding: H,"
            f" sources: [s], date: {approximate}}}\n"
        ).encode(),
        "cases/demo/quotes.yaml": (
            "- {id: q, text: T, speaker: judge, venue: V, sources: [s], verbatim_in: s,"
            f" said_on: {approximate}}}\n"
        ).encode(),
        "cases/demo/events.yaml": (
            f"- {{id: e, title: T, kind: ruling, body: B, sources: [s], date: {approximate}}}\n"
        ).encode(),
    }
    content = write_files(tmp_path / "content", files)
    built = run_cli("build", "--content", str(content), "--output", str(tmp_path / "output"))
    assert built.code == 0, built.err
    data = json.loads((tmp_path / "output/demo/data.json").read_text(encoding="utf-8"))

    def says_approximate(item: dict[str, Any], field: str) -> bool:
        value = item[field]
        return (
            (isinstance(value, dict) and value.get("approximate") is True)
            or item.get("approximate") is True
            or item.get(f"{field}_approximate") is True
        )

    assert says_approximate(data["events"][0], "date")  # as it is today
    assert says_approximate(data["rulings"][0], "date"), data["rulings"][0]
    assert says_approximate(data["quotes"][0], "said_on"), data["quotes"][0]
