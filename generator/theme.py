"""Where the theme that comes with the generator lies: its templates and `static/` files.

The theme is the repository's top-level `templates/` folder. A wheel carries a copy of it as
`generator/templates/` (setup.py puts it there), so an installed `explainer` builds a site
from nothing but a content folder. `PACKAGE_THEME` is that copy when it exists beside this
module, as it does after installing a wheel; otherwise, in a checkout or an editable install,
it is `templates/` at the top of the repository. The installed copy is looked for first
because, installed, the folder above the package is `site-packages/`, where a `templates/`
would belong to something else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["PACKAGE_THEME", "Theme", "ThemeFiles"]

STATIC = "static/"
"""The theme's folder of assets copied as they are."""
TEMPLATE_SUFFIXES = (".html", ".xml", ".txt")

_PACKAGE = Path(__file__).resolve().parent
_INSTALLED_THEME = _PACKAGE / "templates"
_REPOSITORY_THEME = _PACKAGE.parent / "templates"

PACKAGE_THEME: Path = _INSTALLED_THEME if _INSTALLED_THEME.is_dir() else _REPOSITORY_THEME
"""The theme folder the generator uses unless told another."""


@dataclass(frozen=True)
class Theme:
    """The folders a site's templates and `static/` files come from, the first folder that
    has a file giving it: a site's own folder overrides the theme file by file."""

    folders: tuple[Path, ...]

    @classmethod
    def overriding(cls, folder: Path | None) -> Theme:
        """`folder`'s files over the package's theme (the theme alone when None)."""
        if folder is None or folder.resolve() == PACKAGE_THEME.resolve():
            return cls((PACKAGE_THEME,))
        return cls((folder, PACKAGE_THEME))

    def files(self) -> ThemeFiles:
        """The theme's templates and static assets, each from the first folder that has it,
        in name order: one walk of the folders."""
        found: dict[str, Path] = {}
        for folder in self.folders:
            if not folder.is_dir():
                continue
            for path in folder.rglob("*"):
                name = path.relative_to(folder).as_posix()
                if name not in found and path.is_file():
                    found[name] = path
        templates, statics = {}, {}
        for name, path in sorted(found.items()):
            if name.startswith(STATIC):
                statics[name.removeprefix(STATIC)] = path
            elif name.endswith(TEMPLATE_SUFFIXES):
                templates[name] = path
        return ThemeFiles(templates, statics)


@dataclass(frozen=True)
class ThemeFiles:
    """What a theme's folders hold, as one build found it."""

    templates: dict[str, Path]
    """By name, as templates name each other (`partials/_date.html`)."""
    statics: dict[str, Path]
    """By path under `static/` (`style.css`), where the site serves them."""
