"""Bad inputs: each one is refused with exit status 1 and located words an editor understands.

Every file `tests/bad_inputs/<category>/<name>.txt` is one bad input: a change to a small valid
site (`tests.conftest.minimal_site`) and the exact lines `explainer build` must print for it.
Count them with `ls tests/bad_inputs/*/*.txt | wc -l`; `CATEGORIES` lists the kinds of
mistake. The format, close to Go's txtar (as Hugo's tests use):

    What the editor did wrong, in a sentence or more.
    run: cli
    -- cases/demo/parties.yaml --
    - id: a
      name A
    -- expect --
    cases/demo/parties.yaml:2:3: invalid YAML: this line has no `:` after its key — ...

The lines before the first `-- … --` describe the input; `run: cli` also runs it through the
real command line in a subprocess with limits (every category has one), `run: cli only` runs
it there only (the large and deep ones, which must be bounded by more than a promise), and
`needs: unprivileged` marks inputs that root could read anyway (a file without read permission):
they run through the command line only, and as root (as in CI) without the two capabilities
that let root ignore permissions, so that the refusal is real. Where even that is impossible,
they are skipped, and say so.

Each `-- PATH --` section replaces (or adds) a file of the site, PATH relative to the content
folder. A kind after the path changes what is made: `[escaped]` decodes backslash escapes
(`\\xff`, `\\t`) into bytes; `[python]` evaluates a Python expression to the text or bytes (for
inputs of many megabytes); `[symlink]` makes a link to the section's one line; `[fifo]` makes
a named pipe; `[folder]` a folder; `[unreadable]` writes the text (or takes a folder made by an
earlier section) and takes every permission away; `[delete]` removes a file or folder of the
site. The path `.` is the content folder
itself, and paths starting with `../` are outside it.

`-- expect --` holds the error lines exactly as printed, with the content folder's path
removed from the front of each (and shown as `content` where it is the whole location); the
count line ("1 error found") and "nothing written: OUTPUT is unchanged" must follow them.
Every run must also: exit with status 1; print no traceback; leave a previous good output
byte for byte as it was, or, when there was none, make none and leave nothing beside it.
"""

from __future__ import annotations

import codecs
import contextlib
import ctypes
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import pytest

from generator import cli
from generator.build.record import state_path
from tests.conftest import REPO, minimal_site, write_tree

BAD_INPUTS = Path(__file__).resolve().parent / "bad_inputs"
FILES = sorted(BAD_INPUTS.glob("*/*.txt"))
CATEGORIES = {
    "syntax": "malformed YAML: indentation, missing colons, unclosed quotes and brackets, tabs",
    "duplicate-keys": "a key written twice in one mapping, and merge keys",
    "types": "a list where a mapping is expected and the reverse, text, numbers, nothing",
    "dates": "impossible dates and dates in other forms",
    "fields": "missing and unknown fields, with did-you-mean for misspelt names",
    "references": "ids that name nothing, or something of the wrong kind",
    "ids": "duplicate ids, ids differing only by case, ids that would leave the output folder",
    "empty": "empty files, or files holding only comments",
    "encoding": "byte order marks, UTF-16 and UTF-32, invalid UTF-8, invisible characters",
    "yaml-1-1": "what YAML 1.1 reads otherwise than an editor means: no, on, 010, 0x1F, 12:30",
    "aliases": "anchors and aliases that expand out of proportion, or name nothing",
    "size": "huge files, too many values, nesting thousands deep",
    "tags": "`!!python/...` tags, other tags and local tags",
    "files": "links out of the content folder, pipes, folders where files go, missing folders",
    "media": "media files missing, leading out, of a kind not taken; alt text, licence, pages",
}
LIMIT_SECONDS = 20
LIMIT_MEMORY = 1 << 30
"""Each run through the command line must end within these, or it fails."""
SUMMARY = re.compile(r"^(\d+) errors? found")


@dataclass
class Section:
    path: str
    kind: str
    body: str


@dataclass
class BadInput:
    name: str
    """`category/name`, from the file's place in tests/bad_inputs."""
    description: str
    options: dict[str, str]
    sections: list[Section]
    expected: list[str]
    source: Path = field(repr=False)

    @property
    def category(self) -> str:
        return self.name.split("/", 1)[0]

    @property
    def unprivileged(self) -> bool:
        return self.options.get("needs") == "unprivileged"

    @property
    def in_process(self) -> bool:
        return self.options.get("run") != "cli only" and not self.unprivileged

    @property
    def through_cli(self) -> bool:
        return self.options.get("run") in {"cli", "cli only"} or self.unprivileged


_HEADER = re.compile(r"^-- (?P<path>.+?)(?: \[(?P<kind>[a-z]+)\])? --$", re.MULTILINE)


def read_bad_input(path: Path) -> BadInput:
    """Parse one file of the corpus (see the module docstring)."""
    text = path.read_text(encoding="utf-8")
    headers = list(_HEADER.finditer(text))
    assert headers, f"{path}: no `-- … --` sections"
    preamble = text[: headers[0].start()].strip().splitlines()
    options = dict(line.split(": ", 1) for line in preamble if re.match(r"^(run|needs): ", line))
    description = " ".join(line for line in preamble if not re.match(r"^(run|needs): ", line))
    sections = []
    expected: list[str] | None = None
    for header, following in zip(headers, [*headers[1:], None], strict=True):
        body = text[header.end() + 1 : following.start() if following else len(text)]
        if header["path"] == "expect":
            expected = body.rstrip("\n").splitlines()
        else:
            sections.append(Section(header["path"], header["kind"] or "text", body))
    assert expected, f"{path}: no `-- expect --` section"
    name = f"{path.parent.name}/{path.stem}"
    return BadInput(name, description, options, sections, expected, path)


BAD = [read_bad_input(path) for path in FILES]


def make_content(bad: BadInput, root: Path) -> None:
    """Write the minimal valid site under `root`, then apply the bad input's sections."""
    write_tree(root, minimal_site())
    for section in bad.sections:
        target = Path(os.path.normpath(root / section.path))
        if section.kind == "unreadable" and target.is_dir():
            target.chmod(0)
            continue
        if section.kind == "delete":
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink()
            continue
        if target != root:
            target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif os.path.lexists(target):
            target.unlink()
        if section.kind == "symlink":
            target.symlink_to(section.body.strip())
        elif section.kind == "fifo":
            os.mkfifo(target)
        elif section.kind == "folder":
            target.mkdir()
        elif section.kind == "escaped":
            target.write_bytes(codecs.escape_decode(section.body.encode())[0])
        elif section.kind == "python":
            made = eval(section.body, {"__builtins__": {"range": range, "str": str}})  # noqa: S307
            if isinstance(made, str):
                made = made.encode()
            target.write_bytes(made)
        elif section.kind in {"text", "unreadable"}:
            target.write_text(section.body, encoding="utf-8")
            if section.kind == "unreadable":
                target.chmod(0)
        else:
            raise AssertionError(f"{bad.source}: unknown kind [{section.kind}]")


def expected_err(bad: BadInput, output: Path) -> str:
    """All that `explainer build` must print on standard error for `bad`."""
    lines = list(bad.expected)
    if not any(SUMMARY.match(line) for line in lines):
        count = len(lines)
        lines.append(f"{count} error found" if count == 1 else f"{count} errors found")
    lines.append(f"nothing written: {output} is unchanged")
    return "\n".join(lines) + "\n"


def shown(err: str, root: Path) -> str:
    """The error text with the content folder's path taken off, as `-- expect --` has it."""
    return err.replace(f"{root}/", "").replace(str(root), "content")


def snapshot(output: Path) -> dict[str, bytes] | None:
    """Every file of an output folder and of its build record, or None when there is none."""
    if not output.exists():
        return None
    files = {
        p.relative_to(output).as_posix(): p.read_bytes()
        for p in sorted(output.rglob("*"))
        if p.is_file()
    }
    record = state_path(output)
    if record.exists():
        files["<record>"] = record.read_bytes()
    return files


@pytest.fixture(scope="module")
def good_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal valid site, built once: each test copies it as its previous output."""
    folder = tmp_path_factory.mktemp("good")
    root = write_tree(folder / "content", minimal_site())
    output = folder / "out"
    assert cli.main(["build", "--content", str(root), "--output", str(output)]) == 0
    return output


def copy_output(good: Path, output: Path) -> None:
    shutil.copytree(good, output, symlinks=True)
    if state_path(good).exists():
        shutil.copy2(state_path(good), state_path(output))


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail, rather than hang the test run, if the block takes longer than `seconds`."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE = 1
CAP_DAC_READ_SEARCH = 2


def _drop_root_override() -> None:
    """In a child about to run a program as root, take away root's power to ignore permissions.

    Dropped from the bounding set, the two capabilities are not given to the program it runs.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def _limits(unprivileged: bool) -> Callable[[], None]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (LIMIT_MEMORY, LIMIT_MEMORY))
        resource.setrlimit(resource.RLIMIT_CPU, (LIMIT_SECONDS, LIMIT_SECONDS))
        if unprivileged and os.geteuid() == 0:
            _drop_root_override()

    return limit


def run_explainer(*args: str, unprivileged: bool = False) -> subprocess.CompletedProcess[str]:
    """Run `python -m generator ARGS` as a new process, within the time and memory limits.

    `unprivileged` runs it, if this is root, without root's power to ignore file permissions.
    """
    try:
        return subprocess.run(
            [sys.executable, "-m", "generator", *args],
            capture_output=True,
            text=True,
            timeout=LIMIT_SECONDS,
            preexec_fn=_limits(unprivileged),  # noqa: PLW1509 - this test process runs no threads
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            check=False,
        )
    except subprocess.SubprocessError as exc:
        if unprivileged and "preexec_fn" in str(exc):
            pytest.skip("running as root, and root's capabilities cannot be dropped here")
        raise


def test_every_category_has_bad_inputs_and_one_through_the_command_line() -> None:
    found = {bad.category for bad in BAD}
    assert found == set(CATEGORIES), "categories and folders of tests/bad_inputs differ"
    for category in CATEGORIES:
        assert any(bad.through_cli for bad in BAD if bad.category == category), category
    assert len(BAD) >= 150


@pytest.mark.parametrize("bad", [b for b in BAD if b.in_process], ids=lambda b: b.name)
def test_bad_input_is_refused_with_located_words(
    bad: BadInput, tmp_path: Path, good_output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "content"
    make_content(bad, root)
    output = tmp_path / "site" / "out"
    output.parent.mkdir()
    copy_output(good_output, output)
    before, beside = snapshot(output), sorted(os.listdir(output.parent))
    with time_limit(LIMIT_SECONDS):
        code = cli.main(["build", "--content", str(root), "--output", str(output)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert shown(captured.err, root) == expected_err(bad, output)
    assert code == 1
    assert captured.out == ""
    assert snapshot(output) == before
    assert sorted(os.listdir(output.parent)) == beside


@pytest.mark.parametrize("bad", [b for b in BAD if b.through_cli], ids=lambda b: b.name)
def test_bad_input_through_the_command_line_within_limits(bad: BadInput, tmp_path: Path) -> None:
    root = tmp_path / "content"
    make_content(bad, root)
    output = tmp_path / "site" / "out"
    output.parent.mkdir()
    result = run_explainer(
        "build", "--content", str(root), "--output", str(output), unprivileged=bad.unprivileged
    )
    assert "Traceback" not in result.stderr
    assert shown(result.stderr, root) == expected_err(bad, output)
    assert result.returncode == 1
    assert result.stdout == ""
    assert os.listdir(output.parent) == []  # no output, and nothing half-made beside it


def test_file_that_cannot_be_opened_is_reported_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The refusal to open, simulated: it needs no permissions, and runs where capabilities
    cannot be dropped."""
    root = write_tree(tmp_path / "content", minimal_site(**{"parties.yaml": "- id: a\n"}))
    real_open = os.open

    def refusing_open(path: str, flags: int, *args: int) -> int:
        if str(path).endswith("parties.yaml"):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refusing_open)
    output = tmp_path / "out"
    code = cli.main(["build", "--content", str(root), "--output", str(output)])
    err = capsys.readouterr().err
    assert shown(err, root).splitlines()[:2] == [
        "cases/demo/parties.yaml: cannot read this file (Permission denied)",
        "1 error found",
    ]
    assert code == 1
    assert not output.exists()


def test_corpus_format_reads_as_documented(tmp_path: Path) -> None:
    sample = tmp_path / "types" / "sample.txt"
    sample.parent.mkdir()
    sample.write_text(
        textwrap.dedent(
            """\
            A word where the list of parties belongs.
            run: cli
            -- cases/demo/parties.yaml --
            hello
            -- cases/demo/events.yaml [escaped] --
            \\xff
            -- expect --
            one
            two
            """
        ),
        encoding="utf-8",
    )
    bad = read_bad_input(sample)
    assert (bad.name, bad.category, bad.description) == (
        "types/sample",
        "types",
        "A word where the list of parties belongs.",
    )
    assert bad.options == {"run": "cli"} and bad.through_cli and bad.in_process
    assert [(s.path, s.kind, s.body) for s in bad.sections] == [
        ("cases/demo/parties.yaml", "text", "hello\n"),
        ("cases/demo/events.yaml", "escaped", "\\xff\n"),
    ]
    assert bad.expected == ["one", "two"]
    make_content(bad, tmp_path / "content")
    assert (tmp_path / "content/cases/demo/events.yaml").read_bytes() == b"\xff\n"
