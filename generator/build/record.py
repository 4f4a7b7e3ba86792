"""The build record: what each page read, so that a rebuild renders only what changed.

While a page renders, `render` notes every tracked view (`context.Tracked`: a case, party,
quote, event, ruling, poll or source) whose attributes the template reads. A view's
fingerprint covers its own values and the keys of the views it holds; a page's context
fingerprint covers what plan gave it besides views (titles, share links, neighbours' keys).

A page renders again when it is new, when its context fingerprint changed, or when a view it
read changed or disappeared, including a template it used (keyed `template:<name>`).
Everything renders again when the setup changed: the generator's code, the base URL, how
links are written, the templates folder or the output folder. The record also keeps each output
file's digest, so a page rendered to the same bytes is not rewritten, and each file's size
and modification time, so `explainer build` can tell that nobody touched the output since.
"""

from __future__ import annotations

import functools
import os
import pickle
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from generator.digest import digest
from generator.load.cache import Signature, file_signature
from generator.plan.context import CaseView, Tracked, case_views
from generator.plan.pickling import field_values
from generator.plan.site import Page
from generator.render.fragments import TEMPLATE_KEY
from generator.theme import Theme
from generator.write import MARKER, PreviousSite, beside_output, folder_id, previous_site_folder

FORMAT = 6
GENERATOR_DIR = Path(__file__).resolve().parents[1]


def fingerprint(value: object) -> bytes:
    """A digest of a value's `repr`: views inside it count by key (see `Tracked`)."""
    return digest(repr(value).encode("utf-8", "surrogatepass"))


def view_fingerprint(view: Tracked) -> bytes:
    kind = type(view)
    values = _field_values.get(kind)
    if values is None:
        values = _field_values[kind] = field_values(kind)
    return fingerprint(values(view))


_field_values: dict[type, Callable[[object], tuple[object, ...]]] = {}
"""Per view class, `field_values` of it, made once (asking `dataclasses.fields` for every
view was a sixth of fingerprinting them)."""


def view_fingerprints(cases: Iterable[CaseView]) -> dict[str, bytes]:
    """Fingerprint every tracked view of every case, by key."""
    return {view.view_key: view_fingerprint(view) for case in cases for view in case_views(case)}


def context_fingerprint(page: Page) -> bytes:
    return fingerprint((page.template, page.context))


def setup_fingerprint(
    theme: Theme, output_dir: Path, base_url: str | None, file_links: bool = False
) -> bytes:
    """What every page depends on: the generator's code and the settings."""
    folders = [str(folder.absolute()) for folder in theme.folders]
    parts: list[Any] = [FORMAT, *folders, str(output_dir.absolute())]
    parts += [base_url, file_links]
    parts.extend(generator_digests().items())
    return fingerprint(parts)


@functools.cache
def generator_digests() -> dict[str, bytes]:
    """The generator's source and the words of its pages (`strings/`) as this process read
    them, read once: a preview keeps running the code it started with, whatever the files
    say later."""
    return _file_digests(GENERATOR_DIR, (".py", ".yaml"))


def template_fingerprints(templates: Mapping[str, Path]) -> dict[str, bytes]:
    """A digest of each template (`ThemeFiles.templates`), keyed as `render` notes the
    templates a page uses."""
    return {TEMPLATE_KEY + name: _file_digest(str(path)) for name, path in templates.items()}


def _file_digests(folder: Path, suffixes: tuple[str, ...], skip: str = "") -> dict[str, bytes]:
    found = {}
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != skip)
        for name in sorted(files):
            if name.endswith(suffixes):
                path = Path(root, name)
                found[path.relative_to(folder).as_posix()] = _file_digest(str(path))
    return found


_digests_by_signature: dict[str, tuple[Signature, bytes]] = {}
"""Each file's digest while its size, times and inode stay the same (a preview's rebuild
then reads no template)."""


def _file_digest(path: str) -> bytes:
    looked = time.time_ns()
    signature = file_signature(os.stat(path), looked)
    known = _digests_by_signature.get(path)
    if signature is not None and known is not None and known[0] == signature:
        return known[1]
    with open(path, "rb") as file:
        value = digest(file.read())
    if signature is not None:
        _digests_by_signature[path] = (signature, value)
    return value


@dataclass
class PageRecord:
    context: bytes
    reads: tuple[str, ...]
    """Keys of the inputs the page read, each once: a tuple is a third of a set's size."""
    digest: bytes
    indexed: bytes | None = None
    """The digest of what the search index reads of the page, when that is not all of it
    (`render.indexed`)."""

    @property
    def indexed_digest(self) -> bytes:
        """What the search index reads of the page, as a digest."""
        return self.digest if self.indexed is None else self.indexed


@dataclass
class BuildRecord:
    """What the last build made, from what; kept in memory by `serve`, on disk by `build`."""

    setup: bytes
    inputs: dict[str, bytes] = field(default_factory=dict)
    """The fingerprint of everything a page may read, by key: tracked views and templates."""
    pages: dict[str, PageRecord] = field(default_factory=dict)
    statics: dict[str, bytes] = field(default_factory=dict)
    """Digest of each copied static file, by output path."""
    files: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Size and modification time (ns) of each output file as this build left it."""
    search_parts: dict[str, bytes] = field(default_factory=dict)
    """What each part of the search index was made of (what it read of its pages), by the
    folder its files are under: a part made of the same is not made again."""
    kept: bytes | None = None
    """The digest of the file that keeps what this build was made of (`build.kept`), if
    it kept one."""
    previous_site: PreviousSite | None = None
    """The site this build replaced, if it put it aside to stage the next one from."""

    def __getstate__(self) -> dict[str, Any]:
        """The record's fields, its pages as columns: pickling 57,703 page records one by one
        called their `__reduce__` for each (0.17 s to save at 10,000 quotes, 0.07 s to read);
        five lists pickle at C speed (0.08 s and 0.04 s)."""
        state = dict(self.__dict__)
        pages = self.pages.values()
        state["pages"] = (
            list(self.pages),
            [page.context for page in pages],
            [page.reads for page in pages],
            [page.digest for page in pages],
            [page.indexed for page in pages],
        )
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        if type(state.get("pages")) is not tuple:  # pages one by one: an earlier generator's
            raise ValueError("a build record of another format")
        paths, contexts, reads, digests, indexed = state["pages"]
        columns = zip(paths, contexts, reads, digests, indexed, strict=True)
        pages = {path: PageRecord(*values) for path, *values in columns}
        self.__dict__.update(state, pages=pages)

    def changed_inputs(
        self, inputs: dict[str, bytes], candidates: Iterable[str] | None = None
    ) -> set[str]:
        """The keys whose fingerprint differs from the recorded one, or that are gone.

        `candidates`, when given, are the only keys that may have changed (after `patch`).
        """
        if candidates is not None:
            return {key for key in candidates if self.inputs.get(key) != inputs.get(key)}
        changed = {key for key, value in inputs.items() if self.inputs.get(key) != value}
        changed.update(self.inputs.keys() - inputs.keys())
        return changed

    def stale_pages(
        self, pages: Iterable[Page], changed: set[str], contexts: dict[str, bytes]
    ) -> list[Page]:
        """The pages that are new, read a changed input, or whose context changed.

        `contexts` holds the context fingerprint of each page whose context may have changed
        (of every page, after planning; of the edited items' pages, after `patch`).
        """
        stale = []
        for page in pages:
            previous = self.pages.get(page.path)
            if (
                previous is None
                or not changed.isdisjoint(previous.reads)
                or contexts.get(page.path, previous.context) != previous.context
            ):
                stale.append(page)
        return stale

    def pages_reading(
        self, changed: set[str], readers: Readers | None, contexts: dict[str, bytes]
    ) -> set[str]:
        """`stale_pages` for a build whose pages are the recorded ones, by path: found
        through `readers` (which a preview keeps up to date) instead of a look at every
        page's context, or without them by a look at what each page read, which costs a
        tenth of inverting the reads for a single build (20 against 210 ms at 27,000
        pages)."""
        if readers is not None:
            stale = {path for key in changed for path in readers.get(key, ())}
        else:
            pages = self.pages.items()
            stale = {path for path, page in pages if not changed.isdisjoint(page.reads)}
        stale.update(
            path
            for path, context in contexts.items()
            if (page := self.pages.get(path)) is None or page.context != context
        )
        return stale


Readers = dict[str, set[str]]
"""For each input key, the paths of the pages that read it: the record's reads, inverted."""


def invert_reads(pages: dict[str, PageRecord]) -> Readers:
    readers: Readers = {}
    for path, page in pages.items():
        for key in page.reads:
            found = readers.get(key)
            if found is None:
                readers[key] = {path}
            else:
                found.add(path)
    return readers


def update_readers(
    readers: Readers,
    before: dict[str, PageRecord],
    after: dict[str, PageRecord],
    paths: Iterable[str],
) -> None:
    """Bring `readers` from the pages `before` to the pages `after`, where only `paths`
    (pages rendered again, added or removed) may differ."""
    for path in paths:
        old, new = before.get(path), after.get(path)
        old_reads = old.reads if old is not None else ()
        new_reads = new.reads if new is not None else ()
        if old_reads is new_reads:
            continue
        for key in set(old_reads).difference(new_reads):
            readers[key].discard(path)
        for key in set(new_reads).difference(old_reads):
            readers.setdefault(key, set()).add(path)


def state_path(output_dir: Path) -> Path:
    """Where `explainer build` keeps its record: beside the output, never published with it."""
    return beside_output(output_dir, "explainer-state")


def cards_path(output_dir: Path) -> Path:
    """Where builds into `output_dir` keep the share cards they drew, by content, so that a
    build draws only the cards whose text changed: beside the output, never published."""
    return beside_output(output_dir, "explainer-cards")


def save_record(record: BuildRecord, path: Path) -> None:
    partial = path.with_name(path.name + ".partial")
    with open(partial, "wb") as file:
        pickle.dump(record, file, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, path)


def read_record(path: Path) -> BuildRecord | None:
    """The saved record, or None when there is none or it cannot be read."""
    try:
        with open(path, "rb") as file:
            record = pickle.load(file)
    except FileNotFoundError:
        return None
    except Exception:  # a damaged record only costs a full build
        return None
    if not isinstance(record, BuildRecord):
        return None
    if not all(hasattr(record, f.name) for f in fields(BuildRecord)):
        return None  # left by another version of the generator
    return record


def output_files(output_dir: Path) -> dict[str, tuple[int, int]]:
    """Every file under `output_dir` with its size and modification time."""
    found: dict[str, tuple[int, int]] = {}
    stack = [("", str(output_dir))]
    while stack:
        prefix, folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                relative = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((relative + "/", entry.path))
                else:
                    stat = entry.stat(follow_symlinks=False)
                    found[relative] = (stat.st_size, stat.st_mtime_ns)
    return found


def unchanged_files(record: BuildRecord, previous: BuildRecord) -> set[str]:
    """The output files whose bytes the build that made `record` did not change since
    `previous` (a kept page or static file, the same file linked into the new site)."""
    before = previous.files
    unchanged = set()
    for path, page in record.pages.items():
        earlier = previous.pages.get(path)
        if earlier is not None and earlier.digest == page.digest and path in before:
            unchanged.add(path)
    for path, value in record.statics.items():
        if previous.statics.get(path) == value and path in before:
            unchanged.add(path)
    return unchanged


def files_after(
    record: BuildRecord, previous: BuildRecord, output_dir: Path, unchanged: set[str]
) -> dict[str, tuple[int, int]]:
    """`output_files` of the output a build left, found without walking it: `previous`'s
    entries for the `unchanged` files (`unchanged_files`), and the stat of the rest.

    `previous.files` must be the output the build started from, as `is_trustworthy` checked
    it. A file this misses would only make the next build a full one.
    """
    root = str(output_dir)
    before = previous.files

    def stat(path: str) -> tuple[int, int] | None:
        try:
            found = os.lstat(os.path.join(root, path))
        except FileNotFoundError:
            return None
        return (found.st_size, found.st_mtime_ns)

    files = {path: before[path] for path in unchanged}
    for path in (*record.pages, *record.statics, *before, MARKER):
        if path not in files and (stamp := stat(path)) is not None:
            files[path] = stamp
    return files


def previous_site(
    record: BuildRecord, previous: BuildRecord, output_dir: Path, unchanged: set[str]
) -> PreviousSite | None:
    """The site a staged rebuild replaced, as it differs from the output it left (see
    `write.PreviousSite`), if it was put aside: `record.files` and `previous.files` are the
    output after and before, the `unchanged` files the same files in both."""
    folder = folder_id(previous_site_folder(output_dir))
    if folder is None:
        return None
    before, after = previous.files, record.files
    newer = after.keys() - unchanged
    return PreviousSite(folder, frozenset(newer), frozenset(before.keys() - after.keys()))


def is_trustworthy(record: BuildRecord, output_dir: Path) -> bool:
    """Whether `output_dir` is exactly as the build that left `record` wrote it.

    Every build rewrites the output's marker file, so another build since, even of the same
    site, shows as a different modification time.
    """
    try:
        return output_files(output_dir) == record.files
    except OSError:
        return False
