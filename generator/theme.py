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

__all__ = ["PACKAGE_THEME", "Theme"]

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

    def files(self, suffixes: tuple[str, ...] = (), skip: str = "") -> dict[str, Path]:
        """Each file by its name relative to the folders (`static/style.css`), in name
        order: those ending in one of `suffixes` (all when empty), outside a top folder
        named `skip`."""
        found: dict[str, Path] = {}
        for folder in self.folders:
            if not folder.is_dir():
                continue
            for path in folder.rglob("*"):
                name = path.relative_to(folder).as_posix()
                if skip and (name == skip or name.startswith(skip + "/")):
                    continue
                if name not in found and path.is_file() and name.endswith(suffixes or ("",)):
                    found[name] = path
        return dict(sorted(found.items()))

    def static_files(self) -> dict[str, Path]:
        """The theme's static assets, by their path under `static/`."""
        prefix = "static/"
        files = self.files()
        return {n.removeprefix(prefix): p for n, p in files.items() if n.startswith(prefix)}
