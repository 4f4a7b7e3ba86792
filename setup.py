"""Puts the site's theme into the wheel: the repository's `templates/` as `generator/templates/`.

`templates/` stays at the top of the repository, the theme this site builds with, and an
installed `explainer` finds its copy through `generator.theme.PACKAGE_THEME`. The rest of the
configuration is in pyproject.toml, which cannot add a package from outside `generator/` to
the ones it finds there; this adds the theme's folders as packages of data, so that the wheel
and the sdist carry them. An editable install reads `templates/` where it is.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

THEME_PACKAGE = "generator.templates"
THEME_FOLDER = Path("templates")


def theme_packages() -> dict[str, str]:
    """Package name → folder, for the theme folder and every folder inside it."""
    folders = [THEME_FOLDER, *sorted(p for p in THEME_FOLDER.rglob("*") if p.is_dir())]
    return {
        ".".join((THEME_PACKAGE, *folder.relative_to(THEME_FOLDER).parts)): folder.as_posix()
        for folder in folders
    }


class BuildWithTheme(build_py):
    """Build the packages pyproject.toml finds, and the theme's folders as data."""

    def finalize_options(self) -> None:
        super().finalize_options()
        theme = theme_packages()
        self.packages = [*(self.packages or []), *theme]
        self.package_dir = {**self.package_dir, **theme}
        self.package_data = {**self.package_data, **dict.fromkeys(theme, ["*"])}


setup(cmdclass={"build_py": BuildWithTheme})
