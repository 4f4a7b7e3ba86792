"""The preview's builds: one builder for the server's life, rebuilt once per burst of saves.

`Preview` knows nothing of HTTP. It rebuilds when the watched trees change and remembers the
outcome in a `PreviewState`: the last good site stays on disk after a failed build, and the
state says what failed, for the error page. A failure never stops the preview, whatever it
is: an `ExplainerError`, a file gone mid-build, or a bug in the generator.

On a large site a rebuild leaves the pages it changed to render later (`SiteBuilder.
for_preview`): `render_asked` renders a page a browser asks for before it is served, and
`render_left` a few of the rest at a time, between requests. A page that fails then fails
the preview as its build would have.
"""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from generator.build.site import SiteBuilder
from generator.errors import ContentError, ContentErrors, ExplainerError, Location
from generator.serve.watch import Snapshot, changed_paths, describe_changes, snapshot
from generator.theme import Theme

SETTLE_SECONDS = 0.1
"""A burst of saves is over when nothing changed for this long."""
MAX_SETTLE_SECONDS = 3.0
"""A burst that never settles is rebuilt after this long anyway."""
LEFT_PER_TURN = 8
"""Pages a build left that are rendered in one turn between requests (about 20 ms)."""


@dataclass
class PreviewState:
    """What the preview server knows: where the site is and whether the last build failed."""

    site_dir: Path
    errors: list[ContentError] = field(default_factory=list)
    failure: str = ""
    """A template error or a generator bug, shown when there are no content errors."""
    last_good: str = ""
    builds: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.failure)


class Preview:
    """Builds the preview and remembers the outcome; knows nothing of HTTP.

    `cards_of` names the output whose share cards `explainer build` keeps: the preview
    reuses them (most are drawn already) and keeps none of its own without it.
    """

    def __init__(
        self,
        content_dir: Path,
        templates_dir: Path | Theme,
        site_dir: Path,
        base_url: str,
        log: TextIO,
        cards_of: Path | None = None,
    ) -> None:
        self.content_dir = content_dir
        self.base_url = base_url
        self.state = PreviewState(site_dir)
        self.builder = SiteBuilder.for_preview(
            content_dir, site_dir, templates_dir, base_url, cards_of=cards_of, defers_pages=True
        )
        self.log = log
        self.baseline: Snapshot = {}

    @property
    def roots(self) -> list[Path]:
        return [self.content_dir, *self.builder.theme.folders]

    def build(self, reason: str) -> bool:
        """Rebuild once; return True when browsers should reload."""
        self.baseline = snapshot(self.roots)
        started = time.perf_counter()
        was_failed = self.state.failed
        self.state.builds += 1
        try:
            if not self.content_dir.is_dir() and not os.path.lexists(self.content_dir):
                raise ContentErrors([_content_folder_gone(self.content_dir)])
            result = self.builder.build()
        except Exception as exc:
            self._fail(exc, reason, started)
            return True
        self.state.errors, self.state.failure = [], ""
        self.state.last_good = time.strftime("%H:%M:%S")
        if result.deferred:  # none rendered then
            pages = f"{result.deferred} pages left to render as they are viewed"
        else:
            pages = f"{result.rendered} pages rendered"
        self._line(f"{reason}: {pages}, {result.written} of {result.pages} files written", started)
        return result.written > 0 or result.deferred > 0 or was_failed

    @property
    def has_left(self) -> bool:
        """Whether the last build left pages to render, and none of them failed."""
        return self.builder.deferred is not None and not self.state.failed

    def render_asked(self, paths: list[str]) -> None:
        """Render the file a browser asks for (one of `paths`, in the site) before it is
        served, if the last build left it."""
        if self.has_left:
            self._render_left(paths, f"rendering {paths[0]}")

    def render_left(self) -> bool:
        """Render a few more of the pages the last build left; return True when browsers
        should reload, because one failed."""
        if not self.has_left:
            return False
        return self._render_left(None, "rendering the pages left")

    def _render_left(self, paths: list[str] | None, reason: str) -> bool:
        started = time.perf_counter()
        try:
            self.builder.render_deferred(paths, LEFT_PER_TURN)
        except Exception as exc:
            self._fail(exc, reason, started)
            return True
        return False

    def _fail(self, exc: Exception, reason: str, started: float) -> None:
        """Say what failed, for the error page and in the log."""
        if isinstance(exc, ExplainerError):
            located = exc.located()
            self.state.errors, self.state.failure = located, "" if located else exc.detail()
            self._line(f"{reason}: {exc.summary()}, last good site kept", started)
            for line in [str(error) for error in located] or [self.state.failure]:
                print(f"  {line}", file=self.log)
        elif isinstance(exc, OSError):  # a file went away mid-build, say, or the disk is full
            self.state.errors, self.state.failure = [_file_error(exc, self.content_dir)], ""
            self._line(
                f"{reason}: a file could not be read or written, last good site kept", started
            )
            print(f"  {self.state.errors[0]}", file=self.log)
        else:  # a bug must not stop the preview; show it instead
            self.state.errors, self.state.failure = [], traceback.format_exc()
            self._line(f"{reason}: the generator failed (a bug), last good site kept", started)
            print(self.state.failure, file=self.log)

    def _line(self, text: str, started: float) -> None:
        elapsed = (time.perf_counter() - started) * 1000
        print(f"[{time.strftime('%H:%M:%S')}] {text} in {elapsed:.0f} ms", file=self.log)
        self.log.flush()

    def poll(self, sleep: Callable[[float], None] = time.sleep) -> bool:
        """Rebuild if anything changed since the last build; return True to reload browsers."""
        current = snapshot(self.roots)
        if current == self.baseline:
            return False
        waited = 0.0
        while waited < MAX_SETTLE_SECONDS:
            sleep(SETTLE_SECONDS)
            waited += SETTLE_SECONDS
            settled = snapshot(self.roots)
            if settled == current:
                break
            current = settled
        changes = changed_paths(self.baseline, current)
        return self.build(describe_changes(changes))


def _content_folder_gone(content_dir: Path) -> ContentError:
    return ContentError(
        Location(str(content_dir)),
        "the content folder is gone: deleted, moved or renamed",
        "put it back, and the preview rebuilds by itself",
    )


def _file_error(exc: OSError, content_dir: Path) -> ContentError:
    """An error of the file system during a build, told as a mistake at that file."""
    name = exc.filename
    where = os.fsdecode(name) if isinstance(name, (str, bytes, os.PathLike)) else str(content_dir)
    reason = (exc.strerror or str(exc)).lower()
    return ContentError(
        Location(where),
        f"cannot read or write this file: {reason}",
        "the preview builds again at the next change",
    )
