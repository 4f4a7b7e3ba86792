"""The import contracts in pyproject.toml hold, and each one catches the import it forbids.

`lint-imports` runs on the repository, then on copies of `generator/` that each break one
contract with one added import: the run must fail and name that contract, so that a
contract cannot quietly stop checking anything (a package renamed, a typo in a name).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

CONTRACTS = (
    "Stages import only backwards along the pipeline",
    "Plan and render import no I/O module",
    "Plan uses no templates",
    "Only serve uses the livereload server",
)


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    """Run `lint-imports` on the project folder, which holds pyproject.toml and generator/."""
    command = Path(sys.executable).with_name("lint-imports")
    if not command.exists():
        pytest.skip("lint-imports is not installed: pip install -e '.[dev]'")
    return subprocess.run(
        [str(command), "--no-cache", "--no-logo"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_repository_keeps_every_contract() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in CONTRACTS:
        assert f"{name} KEPT" in result.stdout, name


@pytest.mark.parametrize(
    ("package", "wrong_import", "contract"),
    [
        ("plan", "import generator.build", CONTRACTS[0]),
        ("load", "import generator.validate", CONTRACTS[0]),
        ("models", "import generator.load", CONTRACTS[0]),
        ("render", "import shutil", CONTRACTS[1]),
        ("plan", "import os", CONTRACTS[1]),
        ("plan", "import jinja2", CONTRACTS[2]),
        ("build", "import livereload", CONTRACTS[3]),
    ],
    ids=lambda value: value.replace(" ", "-") if isinstance(value, str) else value,
)
def test_a_wrong_import_breaks_its_contract(
    tmp_path: Path, package: str, wrong_import: str, contract: str
) -> None:
    shutil.copy2(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    copy = tmp_path / "generator"
    shutil.copytree(REPO / "generator", copy, ignore=shutil.ignore_patterns("__pycache__"))
    module = copy / package / "__init__.py"
    if not module.exists():
        module = copy / f"{package}.py"
    module.write_text(module.read_text(encoding="utf-8") + f"\n{wrong_import}\n", encoding="utf-8")

    result = lint_imports(tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{contract} BROKEN" in result.stdout, result.stdout


def test_ci_runs_the_readme_test_command_whose_checks_come_first() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (command,) = [
        line.strip()
        for line in readme.splitlines()
        if line.startswith("    python3 -m venv") and "pytest" in line
    ]
    ci_lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci_lines[-1] == command
    steps = command.split(" && ")
    checks = [
        ".venv/bin/ruff check",
        ".venv/bin/ruff format --check",
        ".venv/bin/mypy",
        ".venv/bin/lint-imports --no-cache",
    ]
    assert steps[2:] == [*checks, ".venv/bin/python -m pytest"]
