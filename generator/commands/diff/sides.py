"""The two versions of the content a review compares: git revisions, the working tree, or
two folders.

A revision's content (and its `templates/` folder, when the site has one) is read out of git
with `git archive` into a temporary folder, whose files are then named in messages as the
editor knows them (`content/cases/…`), never by the temporary path.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.errors import ExplainerError

WORKING_TREE = "working tree"
KEPT_FOLDER = "explainer-reviews"
"""The folder of the repository's git folder where reviews keep versions read (`kept`)."""


class RevisionError(ExplainerError):
    """A revision or a path that cannot be compared: bad usage, not a content mistake."""

    exit_code = 2


@dataclass(frozen=True)
class Side:
    """One version of the content, ready to load."""

    label: str
    """How the report names it: a short commit id with the revision asked for, `working
    tree`, or a folder."""
    content_dir: Path
    """Where its content is on disk now (a temporary folder for a revision)."""
    shown_dir: str
    """How its content folder is named in messages (`content`)."""
    templates_dir: Path | None = None
    """Its folder of templates overriding the theme's, when it has one."""
    revision: str | None = None
    """The full commit id, for a revision."""
    trees: str | None = None
    """For a revision, the ids of the git trees of its content and templates folders: the
    same whatever commit holds them (`kept`)."""
    kept_dir: Path | None = None
    """For a revision, where reviews keep versions they read (`kept`)."""


def folder_sides(before: Path, after: Path, templates: Path | None) -> tuple[Side, Side]:
    """Compare two content folders (`--from DIR --to DIR`), both with `templates`."""
    for folder in (before, after):
        if not folder.is_dir():
            raise RevisionError(f"{folder}: no such content folder")
    return (
        Side(str(before), before, str(before), templates),
        Side(str(after), after, str(after), templates),
    )


@contextmanager
def revision_sides(
    content_dir: Path, base: str, head: str | None, templates: Path | None
) -> Iterator[tuple[Side, Side]]:
    """The content at revision `base` and at `head` (None: the working tree), read out of
    the git repository that holds `content_dir`, in temporary folders removed afterwards."""
    repository = _repository(content_dir)
    content_path = _inside(repository, content_dir, "the content folder")
    templates_path = _inside(repository, templates, "the templates folder") if templates else None
    with ExitStack() as stack:
        sides = []
        for revision in (base, head):
            if revision is None:
                sides.append(Side(WORKING_TREE, content_dir, str(content_dir), templates))
                continue
            commit = _commit(repository, revision)
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="explainer-")))
            wanted = [p for p in (content_path, templates_path) if p is not None]
            _extract(
                repository, commit, [p for p in wanted if _exists(repository, commit, p)], folder
            )
            label = f"{revision} ({commit[:7]})" if not commit.startswith(revision) else commit[:7]
            has_templates = templates_path is not None and (folder / templates_path).is_dir()
            sides.append(
                Side(
                    label,
                    folder / content_path,
                    str(content_dir),
                    folder / templates_path if has_templates and templates_path else None,
                    commit,
                    " ".join(_tree(repository, commit, p) for p in wanted),
                    _git_dir(repository) / KEPT_FOLDER,
                )
            )
        yield sides[0], sides[1]


def _git(repository: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "-C", str(repository), *args], capture_output=True, check=False
        )
    except FileNotFoundError:
        raise RevisionError(
            "git is not installed: compare two folders with --from and --to"
        ) from None


def _repository(content_dir: Path) -> Path:
    """The repository holding the content folder, else the one the command runs in."""
    for where in (content_dir, Path.cwd()):
        if where.is_dir():
            found = _git(where, "rev-parse", "--show-toplevel")
            if found.returncode == 0:
                return Path(found.stdout.decode().strip())
    raise RevisionError(
        f"{content_dir} is not in a git repository: compare two folders with --from and --to"
    )


def _inside(repository: Path, path: Path, what: str) -> Path:
    """`path` relative to the repository's top folder; refused when it lies outside."""
    try:
        return path.resolve().relative_to(repository.resolve())
    except ValueError:
        raise RevisionError(
            f"{path}: {what} is outside the git repository at {repository}"
        ) from None


def _commit(repository: Path, revision: str) -> str:
    if revision.startswith("-"):
        raise RevisionError(f"`{revision}` is not a revision")
    found = _git(
        repository, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"
    )
    if found.returncode != 0:
        raise RevisionError(
            f"`{revision}` is not a commit of the repository at {repository} — "
            "name a branch, a tag or a commit (git log --oneline lists them)"
        )
    return found.stdout.decode().strip()


def _tree(repository: Path, commit: str, path: Path) -> str:
    """The id of the tree at `path` in `commit`, or `-` where there is none."""
    found = _git(repository, "rev-parse", "--verify", "--quiet", f"{commit}:{path.as_posix()}")
    return found.stdout.decode().strip() if found.returncode == 0 else "-"


def _git_dir(repository: Path) -> Path:
    """The repository's git folder (shared by its worktrees)."""
    found = _git(repository, "rev-parse", "--git-common-dir")
    return (repository / found.stdout.decode().strip()).resolve()


def _exists(repository: Path, commit: str, path: Path) -> bool:
    listed = _git(repository, "ls-tree", "-d", "--name-only", commit, "--", path.as_posix())
    return listed.returncode == 0 and bool(listed.stdout.strip())


def _extract(repository: Path, commit: str, paths: list[Path], folder: Path) -> None:
    """Write `paths` as they are at `commit` into `folder`; a missing path stays missing,
    so its content fails to load as a missing folder does."""
    if not paths:
        return
    archive = _git(
        repository, "archive", "--format=tar", commit, "--", *(p.as_posix() for p in paths)
    )
    if archive.returncode != 0:
        reason = archive.stderr.decode(errors="replace").strip()
        raise RevisionError(f"cannot read {commit[:7]} from git: {reason}")
    try:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(folder, filter="data")
    except (tarfile.TarError, OSError) as exc:
        raise RevisionError(f"cannot read {commit[:7]} from git: {exc}") from None
