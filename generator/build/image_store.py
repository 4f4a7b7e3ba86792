"""The cases' pictures, processed once per file content and kept between builds.

Re-encoding a photo at three widths in two formats takes a good part of a second; a caption
edit must not pay it again, nor a build of a case whose files did not change. Each picture's
files are kept under `cache_key` of its file's digest (for an SVG, the sanitizer's version and
the digest): a manifest, `<key>.json`, written last, and one file per variant,
`<key>-<width>.<ext>`. The folder lives beside the output (`images_path`) and is never
published; without one (a folder that cannot be written) the files are kept in memory for
the builder's life.

The site serves each variant at a URL named by its content, `<case>/media/<id>-<hash>-<width>
.<ext>`, so a replaced file gets new URLs and the pages showing it render again, and a
browser may keep a variant for ever. A picture that cannot be processed is a `ContentError`
at its item's `file`, raised before anything is written. A kept picture is found by the
digest its file was loaded with (`load.media_files`), without reading the file again; only
pictures whose files are not kept are read and processed: several at once are spread over
forked workers, as many as the build renders with. Each job reads its own file and writes its
own files, so that memory holds one picture per process, however many the site has.
"""

from __future__ import annotations

import functools
import json
import multiprocessing
import os
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.kept_files import write_whole
from generator.digest import digest
from generator.errors import ContentError, ContentErrors, Location, shorten
from generator.models import DOCUMENT_TYPES, Media
from generator.plan.context import ImageVariant
from generator.plan.media import DocumentFiles, ImageFiles
from generator.render.images import MEDIA_TYPES, ImageError, cache_key, process_image
from generator.render.svg import SANITIZING_VERSION, SvgError, sanitize_svg
from generator.validate.content import SiteContent
from generator.validate.media import media_type_of
from generator.write import beside_output

SVG_TYPE = "image/svg+xml"
URL_HASH = 12
"""Hex digits of the key in a variant's URL: enough that two versions of a picture differ."""
_SUFFIXES = {"webp": "webp", "jpeg": "jpg", "png": "png", "svg": "svg"}
_TYPES = {**MEDIA_TYPES, "svg": SVG_TYPE}


def images_path(output_dir: Path) -> Path:
    """Where builds into `output_dir` keep the pictures they processed: beside the output,
    never published (as `record.cards_path` keeps the share cards)."""
    return beside_output(output_dir, "explainer-images")


@dataclass(frozen=True)
class _Kept:
    """One picture's files as kept: per variant its format, width, height and file name."""

    width: int | None
    height: int | None
    variants: tuple[tuple[str, int, int, str, int], ...]
    """Per variant: its format, width, height, file name and size in bytes."""


@dataclass
class ProcessedMedia:
    """What the build made of the site's pictures."""

    files: dict[tuple[str, str], ImageFiles] = field(default_factory=dict)
    """For plan: each picture's variants and size, by case slug and media id."""
    outputs: dict[str, Callable[[], bytes]] = field(default_factory=dict)
    """For write: each file to publish, by its path in the output, and how to read it."""
    keys: set[str] = field(default_factory=set)
    """The keys of the pictures in use, so the store can forget the others."""
    documents: dict[tuple[str, str], DocumentFiles] = field(default_factory=dict)
    """For plan: each document's file, page count and drawn pages (`build.document_store`)."""


class ImageStore:
    """Processed pictures, kept in `folder` (or in memory without one), by cache key."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._memory: dict[str, bytes] = {}
        self.processed = 0
        """How many pictures this store has processed (not found kept): for tests."""

    def process(self, content: SiteContent, workers: int = 1) -> ProcessedMedia:
        """Process (or find kept) every picture of every case, over up to `workers`
        processes; raise `ContentErrors` for those that cannot be published, before anything
        is written."""
        result = ProcessedMedia()
        errors: list[ContentError] = []
        found: list[tuple[str, Media, Location, str]] = []
        todo: dict[str, tuple[Path, bool]] = {}
        made: dict[str, _Kept | ImageError | SvgError] = {}
        for case in content.cases:
            if case.media_folder is None:
                continue
            folder = Path(case.media_folder)
            digests = case.media_digests or (b"",) * len(case.media)
            for item, where, loaded in zip(case.media, case.media_files_at, digests, strict=True):
                media_type = media_type_of(item.file)
                if media_type is None or media_type in DOCUMENT_TYPES:
                    continue
                svg = media_type == SVG_TYPE
                if loaded:
                    key = _key(loaded, svg)
                else:  # no digest from loading: the file's bytes name the key
                    try:
                        key = _key(digest((folder / item.file).read_bytes()), svg)
                    except OSError as exc:
                        errors.append(_unreadable(item, where, exc))
                        continue
                if key not in made and key not in todo:
                    kept = self._read_manifest(key)
                    if kept is not None:
                        made[key] = kept
                    else:
                        todo[key] = (folder / item.file, svg)
                found.append((case.slug, item, where, key))
        made.update(self._make_all(todo, workers))
        for slug, item, where, key in found:
            outcome = made[key]
            if isinstance(outcome, _Kept):
                self._publish(result, slug, item, key, outcome)
            else:
                errors.append(_error(item, where, outcome))
        if errors:
            raise ContentErrors(errors)
        return result

    def _make_all(
        self, todo: dict[str, tuple[Path, bool]], workers: int
    ) -> dict[str, _Kept | ImageError | SvgError]:
        """Process the pictures of `todo` (by key), in forked workers when there are several
        and several processes are allowed. Each job reads its file and writes its files to
        the store's folder itself, so that no more pictures are in memory at once than there
        are processes: a thousand photos would otherwise hold their sources and every variant
        in this process until the last is done."""
        jobs = [(key, path, svg, self.folder) for key, (path, svg) in todo.items()]
        if len(jobs) > 1 and workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(min(workers, len(jobs)), mp_context=context) as pool:
                outcomes: Iterable[_Made] = pool.map(_make, jobs)
                return self._keep_all(jobs, outcomes)
        return self._keep_all(jobs, map(_make, jobs))

    def _keep_all(
        self, jobs: list[tuple[str, Path, bool, Path | None]], outcomes: Iterable[_Made]
    ) -> dict[str, _Kept | ImageError | SvgError]:
        """Each job's outcome by key, as it arrives; the files a job could not write to the
        folder (or all of them, without one) are kept in memory."""
        results: dict[str, _Kept | ImageError | SvgError] = {}
        for (key, _, _, _), outcome in zip(jobs, outcomes, strict=True):
            self.processed += 1
            if isinstance(outcome, tuple):
                kept, unwritten = outcome
                if unwritten:
                    self.folder = None  # the folder cannot be written: keep in memory
                    for name, content in unwritten.items():
                        self._memory[name] = content
                results[key] = kept
            else:
                results[key] = outcome
        return results

    def _read_manifest(self, key: str) -> _Kept | None:
        """The manifest kept for `key` if it and every file it names are whole, else None."""
        raw = self._read(f"{key}.json")
        if raw is None:
            return None
        try:
            manifest = json.loads(raw)
            variants = tuple(
                (str(f), int(w), int(h), str(n), int(b)) for f, w, h, n, b in manifest["variants"]
            )
            kept = _Kept(manifest["width"], manifest["height"], variants)
        except (ValueError, KeyError, TypeError):
            return None
        if not all(self._has(name) for _, _, _, name, _ in variants):
            return None
        return kept

    def _publish(
        self, result: ProcessedMedia, slug: str, item: Media, key: str, kept: _Kept
    ) -> None:
        modern: list[ImageVariant] = []
        fallback: list[ImageVariant] = []
        fallback_type = SVG_TYPE
        for format_name, width, _, name, length in kept.variants:
            suffix = _SUFFIXES[format_name]
            size = "" if format_name == "svg" else f"-{width}"
            url = f"{slug}/media/{item.id}-{key[:URL_HASH]}{size}.{suffix}"
            result.outputs[url] = self._reader(name)
            if format_name == "webp":
                modern.append(ImageVariant(url, width, length))
            else:
                fallback.append(ImageVariant(url, width, length))
                fallback_type = _TYPES[format_name]
        result.files[(slug, item.id)] = ImageFiles(
            kept.width, kept.height, tuple(modern), tuple(fallback), fallback_type
        )
        result.keys.add(key)

    # Where the files are kept: the folder, or memory.

    def _read(self, name: str) -> bytes | None:
        if self.folder is None:
            return self._memory.get(name)
        try:
            return (self.folder / name).read_bytes()
        except OSError:
            return None

    def _has(self, name: str) -> bool:
        if self.folder is None:
            return name in self._memory
        return (self.folder / name).is_file()

    def _reader(self, name: str) -> Callable[[], bytes]:
        if self.folder is None:
            return functools.partial(bytes, self._memory[name])  # pickles, unlike a lambda
        path = self.folder / name
        return path.read_bytes

    def _keep(self, name: str, content: bytes) -> None:
        """Store a file whole (written beside its place, then renamed). A folder that cannot
        be written keeps it in memory instead, costing only processing it again next time."""
        if self.folder is not None and write_whole(self.folder / name, content):
            return
        self.folder = None
        self._memory[name] = content

    def forget_others(self, keys: Iterable[str]) -> int:
        """Remove the kept files of pictures not among `keys` (and stray partial files), so
        that the store holds one site's pictures. Return how many files were removed."""
        wanted = set(keys)
        if self.folder is None:
            for name in [n for n in self._memory if _key_of(n) not in wanted]:
                del self._memory[name]
            return 0
        removed = 0
        try:
            names = os.listdir(self.folder)
        except OSError:
            return 0
        for name in names:
            if _key_of(name) in wanted:
                continue
            try:
                os.unlink(self.folder / name)
                removed += 1
            except OSError:
                pass
        return removed


def _key(file_digest: bytes, svg: bool) -> str:
    """The key a picture's files are kept under, from the digest of its file: for an SVG, of
    the sanitizer's version and the digest; else `cache_key`."""
    if svg:
        return digest(f"svg {SANITIZING_VERSION} {file_digest.hex()}".encode()).hex()
    return cache_key(file_digest)


_Made = tuple["_Kept", dict[str, bytes]] | ImageError | SvgError
"""What processing one picture gave: what to keep of it and the files it could not write to
the store's folder (by name), or the error that says why it cannot be published."""


def _make(job: tuple[str, Path, bool, Path | None]) -> _Made:
    """Process one picture, the file at `path` whose key is `key`, and write its files to
    `folder` (the manifest last). Pure but for those files, so that a worker may run it."""
    key, path, svg, folder = job
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ImageError(
            f"the file cannot be read ({exc.strerror or exc})", "check that it can be opened"
        )
    if _key(digest(data), svg) != key:
        return ImageError("the file changed while the site was being built", "build the site again")
    files: dict[str, bytes] = {}
    try:
        if svg:
            cleaned = sanitize_svg(data)
            width, height = svg_size(cleaned)
            name = f"{key}.svg"
            files[name] = cleaned
            kept = _Kept(width, height, (("svg", width or 0, height or 0, name, len(cleaned)),))
        else:
            image = process_image(data)
            del data
            variants = []
            for variant in image.variants:
                name = f"{key}-{variant.width}.{_SUFFIXES[variant.format]}"
                files[name] = variant.data
                variants.append(
                    (variant.format, variant.width, variant.height, name, len(variant.data))
                )
            kept = _Kept(image.width, image.height, tuple(variants))
    except (ImageError, SvgError) as exc:
        return exc
    manifest = {"width": kept.width, "height": kept.height, "variants": kept.variants}
    files[f"{key}.json"] = json.dumps(manifest).encode()
    if folder is not None:
        unwritten = {}
        for name, content in files.items():
            if not write_whole(folder / name, content):
                unwritten = files
                break
        files = unwritten
    return kept, files


def _key_of(name: str) -> str:
    return re.split(r"[-.]", name, maxsplit=1)[0]


_LENGTH = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(?:px)?\s*\Z")
_ROOT_ATTRIBUTE = re.compile(r'\s([a-zA-Z]+)="([^"]*)"')


def svg_size(svg: bytes) -> tuple[int | None, int | None]:
    """The size an SVG states for itself, in CSS pixels: its `width` and `height`, or else its
    `viewBox`; None for each it does not state in pixels."""
    text = svg.decode("utf-8")
    start = text.find("<svg")
    end = text.find(">", start)
    attributes = dict(_ROOT_ATTRIBUTE.findall(text[start:end]))
    sizes = [_LENGTH.match(attributes.get(name, "")) for name in ("width", "height")]
    if sizes[0] and sizes[1]:
        return round(float(sizes[0].group(1))), round(float(sizes[1].group(1)))
    box = attributes.get("viewBox", "").replace(",", " ").split()
    try:
        width, height = float(box[2]), float(box[3])
    except (IndexError, ValueError):
        return None, None
    if width <= 0 or height <= 0:
        return None, None
    return round(width), round(height)


def _error(item: Media, where: Location, exc: ImageError | SvgError) -> ContentError:
    return ContentError(
        where, f"`{shorten(item.file)}` cannot be published: {exc.message}", exc.hint
    )


def _unreadable(item: Media, where: Location, exc: OSError) -> ContentError:
    return ContentError(
        where,
        f"media file `{shorten(item.file)}` could not be read ({exc.strerror or exc})",
        "check that the file is there and readable",
    )
