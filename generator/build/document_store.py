"""The cases' documents (PDFs), opened once per file content and kept between builds.

Each document is checked (`render.pdf`: it opens, it runs no script) and counted once per file
content, and each page an excerpt is on is drawn once per file content and page: a caption
or an excerpt's words edited open nothing again. What is kept lives in the picture store's
folder (`build.image_store`), under keys of their own: the document's `<key>.json` (its page
count, written once it passed its checks) and `<key>.pdf` (the file as published), and per
drawn page the picture's manifest and variants, as a picture's.

The site publishes the PDF unchanged at `<case>/media/<id>-<hash>.pdf` and each drawn page as
a picture, `<case>/media/<id>-p<page>-<hash>-<width>.<ext>`, all named by their content. A
document that cannot be published, or whose page count differs from its `pages` or is short
of an excerpt's page, is a `ContentError` at its item's `file`, raised before anything is
written. Documents whose files are not all kept are opened in forked workers when there are
several, as many as the build renders with.
"""

from __future__ import annotations

import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.build.image_store import URL_HASH, ImageStore, ProcessedMedia
from generator.digest import digest
from generator.errors import ContentError, ContentErrors, Location, shorten
from generator.models import DOCUMENT_TYPES, Media
from generator.plan.context import ImageVariant
from generator.plan.media import DocumentFiles, ImageFiles
from generator.render.images import MEDIA_TYPES, cache_key
from generator.render.pdf import PdfError, process_pdf, rendering_setup
from generator.validate.content import SiteContent
from generator.validate.media import media_type_of

_SUFFIXES = {"webp": "webp", "jpeg": "jpg", "png": "png"}

Variants = tuple[tuple[str, int, int, str], ...]
"""A drawn page's files: per variant its format, width, height and file name."""


@dataclass(frozen=True)
class _Job:
    key: str
    data: bytes
    pages: tuple[int, ...]
    """The pages to draw."""
    page_keys: tuple[str, ...]
    """The key each of `pages` is kept under."""
    keep_pdf: bool
    """Whether the file itself is still to be kept."""


@dataclass(frozen=True)
class _Opened:
    """One document as kept: its page count, and its drawn pages' sizes and files."""

    pages: int
    drawn: dict[int, tuple[int, int, Variants]]


class DocumentStore:
    """Opened documents and their drawn pages, kept in `images`' folder (or memory)."""

    def __init__(self, images: ImageStore) -> None:
        self.images = images
        self.opened = 0
        """How many documents this store has opened (not found kept): for tests."""

    def process(self, content: SiteContent, result: ProcessedMedia, workers: int = 1) -> None:
        """Open (or find kept) every document of every case, and draw the pages its excerpts
        are on, over up to `workers` processes; add them to `result`. Raise `ContentErrors`
        for those that cannot be published, before anything is written."""
        errors: list[ContentError] = []
        found: list[tuple[str, Media, Location, str]] = []
        wanted: dict[str, set[int]] = {}
        data_of: dict[str, bytes] = {}
        setup = None
        for case in content.cases:
            if case.media_folder is None:
                continue
            folder = Path(case.media_folder)
            for item, where in zip(case.media, case.media_files_at, strict=True):
                if media_type_of(item.file) not in DOCUMENT_TYPES:
                    continue
                try:
                    data = (folder / item.file).read_bytes()
                except OSError as exc:
                    errors.append(
                        ContentError(
                            where,
                            f"media file `{shorten(item.file)}` could not be read "
                            f"({exc.strerror or exc})",
                            "check that the file is there and readable",
                        )
                    )
                    continue
                setup = setup or rendering_setup()
                key = digest(f"pdf {setup} {cache_key(digest(data))}".encode()).hex()
                found.append((case.slug, item, where, key))
                wanted.setdefault(key, set()).update(e.page for e in item.excerpts)
                data_of[key] = data
        if not found:
            if errors:
                raise ContentErrors(errors)
            return
        made: dict[str, _Opened | PdfError] = {}
        jobs: list[_Job] = []
        for key, numbers in wanted.items():
            ordered = tuple(sorted(numbers))
            kept = self._read_kept(key, ordered)
            if kept is not None:
                made[key] = kept
            else:
                page_keys = tuple(_page_key(key, page) for page in ordered)
                jobs.append(
                    _Job(key, data_of[key], ordered, page_keys, not self._has(f"{key}.pdf"))
                )
        made.update(self._open_all(jobs, workers))
        for slug, item, where, key in found:
            outcome = made[key]
            if isinstance(outcome, PdfError):
                errors.append(_error(item, where, outcome.message, outcome.hint))
            elif (problem := _disagreement(item, outcome.pages)) is not None:
                errors.append(_error(item, where, *problem))
            else:
                self._publish(result, slug, item, key, outcome)
        if errors:
            raise ContentErrors(errors)

    def _open_all(self, jobs: list[_Job], workers: int) -> dict[str, _Opened | PdfError]:
        if len(jobs) > 1 and workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(min(workers, len(jobs)), mp_context=context) as pool:
                outcomes = list(pool.map(_open, jobs))
        else:
            outcomes = [_open(job) for job in jobs]
        results: dict[str, _Opened | PdfError] = {}
        for job, outcome in zip(jobs, outcomes, strict=True):
            self.opened += 1
            if isinstance(outcome, tuple):
                opened, files = outcome
                for name, content in files.items():
                    self.images._keep(name, content)
                results[job.key] = opened
            else:
                results[job.key] = outcome
        return results

    def _read_kept(self, key: str, pages: tuple[int, ...]) -> _Opened | None:
        """The document kept under `key` with each of `pages` drawn, if all is whole."""
        raw = self.images._read(f"{key}.json")
        if raw is None or not self._has(f"{key}.pdf"):
            return None
        try:
            count = int(json.loads(raw)["pages"])
        except (ValueError, KeyError, TypeError):
            return None
        drawn: dict[int, tuple[int, int, Variants]] = {}
        for page in pages:
            if page > count:
                continue
            manifest = self.images._read(f"{_page_key(key, page)}.json")
            if manifest is None:
                return None
            try:
                loaded = json.loads(manifest)
                variants = tuple(
                    (str(f), int(w), int(h), str(n)) for f, w, h, n in loaded["variants"]
                )
                drawn[page] = (int(loaded["width"]), int(loaded["height"]), variants)
            except (ValueError, KeyError, TypeError):
                return None
            if not all(self._has(name) for *_, name in variants):
                return None
        return _Opened(count, drawn)

    def _has(self, name: str) -> bool:
        return self.images._has(name)

    def _publish(
        self, result: ProcessedMedia, slug: str, item: Media, key: str, opened: _Opened
    ) -> None:
        base = f"{slug}/media/{item.id}"
        url = f"{base}-{key[:URL_HASH]}.pdf"
        result.outputs[url] = self.images._reader(f"{key}.pdf")
        result.keys.add(key)
        drawn: dict[int, ImageFiles] = {}
        for page in sorted({e.page for e in item.excerpts}):
            width, height, variants = opened.drawn[page]
            page_key = _page_key(key, page)
            modern: list[ImageVariant] = []
            fallback: list[ImageVariant] = []
            fallback_type = "image/png"
            for format_name, variant_width, _, name in variants:
                variant_url = (
                    f"{base}-p{page}-{page_key[:URL_HASH]}-{variant_width}.{_SUFFIXES[format_name]}"
                )
                result.outputs[variant_url] = self.images._reader(name)
                if format_name == "webp":
                    modern.append(ImageVariant(variant_url, variant_width))
                else:
                    fallback.append(ImageVariant(variant_url, variant_width))
                    fallback_type = MEDIA_TYPES[format_name]
            drawn[page] = ImageFiles(width, height, tuple(modern), tuple(fallback), fallback_type)
            result.keys.add(page_key)
        result.documents[(slug, item.id)] = DocumentFiles(url, opened.pages, drawn)


def _page_key(key: str, page: int) -> str:
    return digest(f"{key} page {page}".encode()).hex()


def _open(job: _Job) -> tuple[_Opened, dict[str, bytes]] | PdfError:
    """Open one document and draw its pages: what to keep of it and its files by name (its
    manifest last), or the error that says why it cannot be published. Pure, so that a worker
    may run it."""
    try:
        document = process_pdf(job.data, job.pages)
    except PdfError as exc:
        return exc
    files: dict[str, bytes] = {}
    drawn: dict[int, tuple[int, int, Variants]] = {}
    for page, page_key in zip(job.pages, job.page_keys, strict=True):
        image = document.drawn.get(page)
        if image is None:
            continue  # beyond the last page: reported against each item that wants it
        variants = []
        for variant in image.variants:
            name = f"{page_key}-{variant.width}.{_SUFFIXES[variant.format]}"
            files[name] = variant.data
            variants.append((variant.format, variant.width, variant.height, name))
        drawn[page] = (image.width, image.height, tuple(variants))
        manifest = {"width": image.width, "height": image.height, "variants": variants}
        files[f"{page_key}.json"] = json.dumps(manifest).encode()
    if job.keep_pdf:
        files[f"{job.key}.pdf"] = job.data
    files[f"{job.key}.json"] = json.dumps({"pages": document.pages}).encode()
    return _Opened(document.pages, drawn), files


def _disagreement(item: Media, count: int) -> tuple[str, str] | None:
    """What is wrong with `item`'s pages given that its file has `count` pages, if anything."""
    have = f"{count} page{'s' * (count != 1)}"
    if item.pages is not None and item.pages != count:
        return (
            f"`pages` says {item.pages}, but the document has {have}",
            f"write `pages: {count}`, or check that this is the right file",
        )
    beyond = [e.page for e in item.excerpts if e.page > count]
    if beyond:
        return (
            f"an excerpt is on page {beyond[0]}, but the document has {have}",
            "fix the excerpt's page, or check that this is the right file",
        )
    return None


def _error(item: Media, where: Location, message: str, hint: str) -> ContentError:
    return ContentError(where, f"`{shorten(item.file)}` cannot be published: {message}", hint)
