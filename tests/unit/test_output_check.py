"""The check that nobody touched the output since the last build, walked by a forked copy
of the process while the build reads what it kept (`build.output_check`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.build.output_check import OutputCheck
from generator.build.record import BuildRecord, output_files


def _output(tmp_path: Path) -> tuple[Path, BuildRecord]:
    output = tmp_path / "output"
    (output / "page").mkdir(parents=True)
    (output / "page" / "index.html").write_text("page")
    (output / "index.html").write_text("home")
    return output, BuildRecord(b"setup", files=output_files(output))


def _touch(output: Path) -> None:
    (output / "page" / "index.html").write_text("edited by hand")


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "where processes cannot fork"])
@pytest.mark.parametrize("touched", [False, True], ids=["as recorded", "a file edited since"])
def test_the_output_is_trusted_only_as_the_record_left_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fork: bool, touched: bool
) -> None:
    output, record = _output(tmp_path)
    if touched:
        _touch(output)
    if not fork:
        monkeypatch.delattr(os, "fork")
    with OutputCheck(record, output) as check:
        assert check.trustworthy() is not touched


def test_a_check_whose_answer_nobody_waits_for_leaves_no_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output, record = _output(tmp_path)
    forked: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    with pytest.raises(KeyError), OutputCheck(record, output):
        raise KeyError("the build failed while reading what it kept")
    assert len(forked) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(forked[0], os.WNOHANG)  # killed and reaped: not even a zombie is left
