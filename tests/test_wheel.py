"""A wheel of the generator builds the site with nothing but a content folder beside it.

The wheel is built from a copy of the files it is made of, installed (not editable) into a
fresh virtual environment outside the repository, its dependencies from the package index,
and its `explainer` run in a folder that holds only a copy of `content/`: so the theme
(`templates/`, packed as `generator/templates/`), the share cards' fonts and the new-case
files must all come from inside the package. Some twenty seconds, most of them installing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REAL_CONTENT, REPO

WHEEL_SOURCES = ("pyproject.toml", "setup.py", "README.md", "generator", "templates")
"""What the wheel is built from; the rest of the repository must not matter to it."""
NEW_CASE = "installed-case"


def run(command: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a command outside the checkout's Python path; fail the test with its output."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the sources, as `pip wheel` builds it."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    source.mkdir()
    for name in WHEEL_SOURCES:
        if (REPO / name).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(REPO / name, source / name, ignore=ignore)
        else:
            shutil.copy2(REPO / name, source / name)
    dist = root / "dist"
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", dist, source], root)
    (built,) = dist.glob("*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel and its dependencies installed."""
    folder = tmp_path_factory.mktemp("venv")
    run([sys.executable, "-m", "venv", "--without-pip", folder], folder)
    pip = [sys.executable, "-m", "pip", "--python", folder / "bin" / "python"]
    run([*pip, "install", "-q", wheel], folder)
    return folder


def test_wheel_carries_every_file_of_the_package_and_the_theme(wheel: Path) -> None:
    """Python modules and data alike (fonts, new-case files, the preview's error page)."""
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    package = {
        path.relative_to(REPO).as_posix()
        for path in (REPO / "generator").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    theme = {
        f"generator/templates/{path.relative_to(REPO / 'templates').as_posix()}"
        for path in (REPO / "templates").rglob("*")
        if path.is_file()
    }
    assert sorted(package - names) == []
    assert sorted(theme - names) == []
    assert {"generator/templates/index.html", "generator/templates/static/style.css"} <= names


def test_installed_package_theme_is_the_copy_in_the_package(venv: Path) -> None:
    shown = run(
        [venv / "bin" / "python", "-c", "import generator.theme as t; print(t.PACKAGE_THEME)"],
        venv,
    ).stdout.strip()
    theme = Path(shown)
    assert theme.is_relative_to(venv.resolve()), theme
    assert theme.parts[-2:] == ("generator", "templates")
    assert (theme / "index.html").is_file()


def test_installed_explainer_builds_from_a_content_folder_alone(venv: Path, tmp_path: Path) -> None:
    shutil.copytree(REAL_CONTENT, tmp_path / "content")
    explainer = venv / "bin" / "explainer"

    run([explainer, "new", NEW_CASE], tmp_path)
    run([explainer, "build"], tmp_path)

    output = tmp_path / "output"
    for page in ("index.html", "microsoft-ireland/index.html", f"{NEW_CASE}/index.html"):
        assert (output / page).is_file(), page
    assert (output / "static" / "style.css").is_file()
    assert (output / "card.png").is_file()
    assert sorted(path.name for path in tmp_path.iterdir() if not path.name.startswith(".")) == [
        "content",
        "output",
    ]
