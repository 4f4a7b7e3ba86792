"""Stage 1, load: reading a list file item by item gives exactly what reading it whole gives."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.synthetic import generate
from generator.build.site import build_site
from generator.errors import ContentErrors
from generator.load import chunks as load_chunks
from generator.load import yaml_events
from generator.load.content import PathKey, RawContent, RawItem, load_content
from tests.conftest import REAL_CONTENT, minimal_site, write_tree

MakeTree = Callable[[dict[str, str | bytes]], Path]


def paths(value: Any, path: PathKey = ()) -> Iterator[PathKey]:
    """Every path inside `value`, and a few that are not there, to check the fallbacks."""
    yield path
    if isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths(child, (*path, index))
        yield (*path, len(value))
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, (*path, key))
        yield (*path, "no-such-key")


def items(content: RawContent) -> Iterator[RawItem]:
    if content.site is not None:
        yield content.site
    for case in content.cases:
        if case.case is not None:
            yield case.case
        for name in sorted(case.collections):
            yield from case.collections[name]


def snapshot(content: RawContent) -> list[Any]:
    """Data, file, path and every value's and key's location and written text, item by item."""
    return [
        (
            item.document.file,
            item.path,
            repr(item.data),
            [(p, item.locate(p), item.locate_key(p), item.written(p)) for p in paths(item.data)],
        )
        for item in items(content)
    ]


def outcome(root: Path) -> Any:
    """What loading `root` gives: a snapshot, or the errors as printed."""
    try:
        return snapshot(load_content(root))
    except ContentErrors as exc:
        return [str(error) for error in exc.errors]


@pytest.fixture
def whole_files(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], Any]:
    """Load with every file read whole, as a reference."""

    def run(root: Path) -> Any:
        with monkeypatch.context() as patch:
            patch.setattr(load_chunks, "split", lambda text: None)
            return outcome(root)

    return run


def split_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record how many items each file was split into."""
    calls: list[int] = []
    split = load_chunks.split

    def spy(text: str) -> list[tuple[int, str]] | None:
        pieces = split(text)
        calls.append(len(pieces) if pieces else 0)
        return pieces

    monkeypatch.setattr(load_chunks, "split", spy)
    return calls


def test_real_content_reads_the_same_item_by_item(
    whole_files: Callable[[Path], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = whole_files(REAL_CONTENT)
    calls = split_calls(monkeypatch)
    assert outcome(REAL_CONTENT) == expected
    assert max(calls) > 10


def test_synthetic_content_reads_the_same_item_by_item(
    tmp_path: Path, whole_files: Callable[[Path], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(300, tmp_path / "content")
    expected = whole_files(tmp_path / "content")
    calls = split_calls(monkeypatch)
    assert outcome(tmp_path / "content") == expected
    assert max(calls) == 300


@pytest.mark.parametrize(
    "body",
    [
        "---\n- id: a\n- id: b\n",
        "- id: a\n  sources: &s [x]\n- id: b\n  sources: *s\n",
        "- id: a\n  text: &t x\n- id: b\n  text: &t y\n",
        "- id: a\n...\n- id: b\n",
        "[{id: a}, {id: b}]\n",
        '- id: a\n  text: "one\n- id: b"\n',
        "- id: a\n  text: [x,\n- y]\n",
        "# notes\n\n- id: a\n# between\n- id: b\n  text: |\n    x\n\n",
        "- id: a\nid: b\n",
        "- id: a\r\n- id: b\r\n",
        "- id: a\n  text: !!int x\n- id: b\n  id: c\n",
        "-\n- id: b\n-",
    ],
)
def test_files_that_need_reading_whole_read_as_before(
    content_tree: MakeTree, whole_files: Callable[[Path], Any], body: str
) -> None:
    root = content_tree(minimal_site(**{"quotes.yaml": body}))
    assert outcome(root) == whole_files(root)


def test_anchor_used_by_a_later_item_falls_back_to_the_whole_file(
    content_tree: MakeTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "- id: a\n  sources: &s [x]\n- id: b\n  sources: *s\n"
    root = content_tree(minimal_site(**{"quotes.yaml": body}))
    parsed: list[str] = []
    whole = yaml_events.parse

    def spy(text: str) -> Any:
        parsed.append(text)
        return whole(text)

    monkeypatch.setattr(yaml_events, "parse", spy)
    second = load_content(root).cases[0].collections["quotes"][1]
    assert second.data == {"id": "b", "sources": ["x"]}
    assert str(second.locate(("sources", 0))).endswith("quotes.yaml:2:16")
    assert body in parsed


ITEM_LINES = [
    "  text: plain words",
    "  text: >-\n    folded\n    text",
    "  text: |\n    literal\n\n    kept",
    "  note: 'quoted'",
    "  key: no",
    "  when: 2014-07-31",
    "  count: 010",
    "  list: [a, b]",
    "  nested:\n    - x: 1\n    - {y: 2}",
    "  # a comment",
    "",
    "# at column 0",
    "  sources: &s [a]",
    "  again: *s",
    "  bad: !!int x",
    "  id: dup",
    "\ttabbed: 1",
    "  text: |+\n    keep\n\n",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(ITEM_LINES), max_size=4), min_size=1, max_size=5))
def test_random_lists_read_the_same_item_by_item(
    tmp_path_factory: pytest.TempPathFactory, shape: list[list[str]]
) -> None:
    body = "".join(
        f"- id: i{index}\n" + "".join(line + "\n" for line in lines)
        for index, lines in enumerate(shape)
    )
    files = minimal_site(**{"quotes.yaml": body.encode()})
    root = write_tree(tmp_path_factory.mktemp("c") / "content", files)
    chunked = outcome(root)
    split = load_chunks.split
    try:
        load_chunks.split = lambda text: None  # type: ignore[assignment]
        assert chunked == outcome(root)
    finally:
        load_chunks.split = split


@pytest.fixture
def forced_workers(monkeypatch: pytest.MonkeyPatch) -> int:
    """Parse every list file in 3 processes, however small the file and however few the
    machine's cores (one core runs them in turn): 2 forked workers and this process."""
    monkeypatch.setattr(load_chunks, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(load_chunks, "_worker_count", lambda: 3)
    return 3


def test_items_parsed_in_worker_processes_read_the_same(
    tmp_path: Path, whole_files: Callable[[Path], Any], forced_workers: int
) -> None:
    generate(300, tmp_path / "content")
    expected = whole_files(tmp_path / "content")
    with load_chunks.counting() as parsing:
        assert outcome(tmp_path / "content") == expected
        assert outcome(REAL_CONTENT) == whole_files(REAL_CONTENT)
    assert parsing.fallbacks == []
    # The 300 quotes in thirds, the first third here and the others in forked workers.
    here = os.getpid()
    windows = [parsing.runs[i : i + forced_workers] for i in range(len(parsing.runs))]
    quotes = [run for run in windows if [count for _, count in run] == [100, 100, 100]]
    assert quotes, parsing.runs
    assert quotes[0][0][0] == here
    assert all(pid != here for pid, _ in quotes[0][1:]), parsing.runs
    assert all(count > 0 for _, count in parsing.runs)


def test_failing_workers_fall_back_to_parsing_here_and_say_why(
    tmp_path: Path,
    whole_files: Callable[[Path], Any],
    forced_workers: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    generate(100, tmp_path / "content")
    expected = whole_files(tmp_path / "content")
    monkeypatch.setattr(os, "fork", _fork_refused)
    with load_chunks.counting() as parsing:
        assert outcome(tmp_path / "content") == expected
    assert parsing.runs == []
    assert parsing.fallbacks
    assert set(parsing.fallbacks) == {f"[Errno {errno.EAGAIN}] {os.strerror(errno.EAGAIN)}"}


def test_build_result_names_the_processes_that_parsed_the_items(
    tmp_path: Path, forced_workers: int
) -> None:
    generate(100, tmp_path / "content")
    result = build_site(tmp_path / "content", tmp_path / "output")
    assert result.parse_fallbacks == ()
    pids = {pid for pid, _ in result.parsed_by}
    assert os.getpid() in pids and len(pids) >= 2, result.parsed_by
    assert sum(count for _, count in result.parsed_by) > 100  # the quotes, and more


def test_build_summary_counts_files_parsed_here_after_workers_failed(
    tmp_path: Path,
    run_cli: Callable[..., Any],
    forced_workers: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    content = tmp_path / "content"
    generate(100, content)
    build = ("build", "--content", str(content), "--output", str(tmp_path / "output"))
    done = run_cli(*build)
    assert done.code == 0, done.err
    assert done.out.endswith("(full build)\n"), done.out
    # Each file parsed in parallel has one run parsed by this process.
    files = [pid for pid, _ in build_site(content, tmp_path / "other").parsed_by].count(os.getpid())
    assert files >= 2

    monkeypatch.setattr(os, "fork", _fork_refused)
    done = run_cli(*build, "--full")
    assert done.code == 0, done.err
    assert done.out.endswith(
        f"(full build; {files} files parsed in this process alone, as worker processes "
        f"failed: [Errno {errno.EAGAIN}] {os.strerror(errno.EAGAIN)})\n"
    ), done.out


def _fork_refused() -> int:
    """`os.fork` on a machine out of processes."""
    raise OSError(errno.EAGAIN, os.strerror(errno.EAGAIN))


def test_mistake_in_an_item_parsed_in_a_worker_is_reported_as_whole(
    content_tree: MakeTree, whole_files: Callable[[Path], Any], forced_workers: int
) -> None:
    # Items long enough to be read one by one (`MIN_ITEM_CHARS`), the last one wrong.
    text = "words enough to be read item by item"
    body = "".join(f"- id: q{n}\n  text: {text}\n" for n in range(40)) + "- id: !!int z\n"
    root = content_tree(minimal_site(**{"quotes.yaml": body}))
    with load_chunks.counting() as parsing:
        errors = outcome(root)
    assert errors == whole_files(root)
    assert errors[0].endswith("quotes.yaml:81:7: `z` is not a number")
    assert parsing.fallbacks == []
    # In thirds: 13 items here, 14 in a worker and the last 14, the wrong one among them, in
    # another.
    assert [count for _, count in parsing.runs] == [13, 14, 14]
    assert parsing.runs[-1][0] != os.getpid()
