"""Under `CI=true` no test skips silently: a skip for a reason not in `CI_ALLOWED_SKIPS`
(tests/conftest.py) fails, whether the test runs in this process or in an xdist worker, and
whether it skips in its body, in a fixture, by a mark or for its whole module. Outside CI a
skip stays a skip.

Each case runs a small suite of its own in a new pytest process, with the hooks of
tests/conftest.py, and reads back what the controlling process saw of every test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, write_tree

SUITE: dict[str, str | bytes] = {
    "conftest.py": """\
        import json
        from pathlib import Path

        import pytest

        import tests.conftest as shared
        from tests.conftest import pytest_make_collect_report, pytest_runtest_makereport

        shared.CI_ALLOWED_SKIPS = ("a reason CI accepts",)
        seen = []


        @pytest.fixture
        def skipping_fixture():
            pytest.skip("a fixture's reason")


        def pytest_runtest_logreport(report):
            if report.when == "call" or not report.passed:
                seen.append([report.nodeid, report.when, report.outcome])


        def pytest_collectreport(report):
            if not report.passed:
                seen.append([report.nodeid, "collect", report.outcome])


        def pytest_sessionfinish(session):
            if not hasattr(session.config, "workerinput"):  # the controller, under xdist
                Path("seen.json").write_text(json.dumps(sorted(seen)))
        """,
    "test_skips.py": """\
        import pytest


        def test_passes():
            pass


        def test_skipped_for_an_accepted_reason():
            pytest.skip("a reason CI accepts")


        def test_skipped_for_another_reason():
            pytest.skip("a reason CI does not accept")


        @pytest.mark.skipif(True, reason="a mark's reason")
        def test_skipped_by_a_mark():
            pass


        def test_skipped_by_a_fixture(skipping_fixture):
            pass


        @pytest.mark.xfail(reason="known", strict=True)
        def test_expected_to_fail():
            assert False
        """,
    "test_module_skip.py": """\
        import pytest

        pytest.skip("a module's reason", allow_module_level=True)


        def test_never_collected():
            pass
        """,
}

IN_CI = [
    ["test_module_skip.py", "collect", "failed"],
    ["test_skips.py::test_expected_to_fail", "call", "skipped"],  # an xfail, not a skip
    ["test_skips.py::test_passes", "call", "passed"],
    ["test_skips.py::test_skipped_by_a_fixture", "setup", "failed"],
    ["test_skips.py::test_skipped_by_a_mark", "setup", "failed"],
    ["test_skips.py::test_skipped_for_an_accepted_reason", "call", "skipped"],
    ["test_skips.py::test_skipped_for_another_reason", "call", "failed"],
]


def run_suite(folder: Path, ci: str | None, *options: str) -> tuple[list[list[str]], str]:
    """Run SUITE in a new pytest process; return what its controller saw, and its output."""
    write_tree(folder, SUITE)
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    if ci is not None:
        env["CI"] = ci
    env["PYTHONPATH"] = str(REPO)
    # Its temporary folders inside its own: by default pytest would number them beside this
    # run's, and remove the oldest there (another run's, half a minute to delete).
    basetemp = f"--basetemp={folder / 'temporary'}"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", basetemp, *options],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = done.stdout + done.stderr
    seen = folder / "seen.json"
    assert seen.exists(), output
    return json.loads(seen.read_text()), output


@pytest.mark.parametrize("workers", ["0", "2"])
def test_skip_for_an_unlisted_reason_fails_under_ci(tmp_path: Path, workers: str) -> None:
    seen, output = run_suite(tmp_path, "true", "-n", workers, "--continue-on-collection-errors")
    assert seen == IN_CI, output
    for reason in ("a reason CI does not accept", "a mark's reason", "a fixture's reason"):
        assert f"skipped under CI=true for a reason CI does not accept: {reason}" in output
    assert "a module's reason" in output
    assert "CI_ALLOWED_SKIPS (tests/conftest.py)" in output


def test_skips_stay_skips_outside_ci(tmp_path: Path) -> None:
    seen, output = run_suite(tmp_path, "false", "-n", "0")
    assert seen == [
        ["test_module_skip.py", "collect", "skipped"],
        ["test_skips.py::test_expected_to_fail", "call", "skipped"],
        ["test_skips.py::test_passes", "call", "passed"],
        ["test_skips.py::test_skipped_by_a_fixture", "setup", "skipped"],
        ["test_skips.py::test_skipped_by_a_mark", "setup", "skipped"],
        ["test_skips.py::test_skipped_for_an_accepted_reason", "call", "skipped"],
        ["test_skips.py::test_skipped_for_another_reason", "call", "skipped"],
    ], output
