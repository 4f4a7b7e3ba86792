"""Raster images (JPEG, PNG, WebP) → the variants a page serves through `<picture>`/`srcset`.

`process_image(data)` decodes a file's bytes once and returns an `ProcessedImage`: for each
width of `widths` below the image's own (and the image's own width when it is narrower than
the widest asked for) a WebP and a fallback, JPEG or, for an image with transparency, a
256-colour PNG.
A pure function of its input: it knows nothing of media entries, pages or the build. An
animated WebP or PNG gives its first frame.

- **Private.** Nothing of the input but its pixels reaches the output: no EXIF (a photo's GPS
  position), XMP, IPTC, comments or text chunks. The EXIF orientation is applied to the
  pixels first, so that a phone's photo stands up the way its author saw it.
- **Colour.** An embedded ICC profile (Adobe RGB, Display P3, a CMYK press profile) is
  converted to sRGB with LittleCMS, perceptual intent; the output carries no profile, which
  browsers read as sRGB. An image without a profile is taken to be sRGB already.
- **Same input, same bytes.** Every encoder setting is fixed here and none depends on the
  machine (no thread counts, no timestamps); `cache_key` covers the settings and the versions
  of the libraries that make the bytes, for keeping variants between builds.
- **Safe.** Only JPEG, PNG and WebP are decoded. The file's size, its dimensions and its pixel
  count are checked against `MAX_INPUT_BYTES`, `MAX_SIDE` and `MAX_PIXELS` (and Pillow's own
  `Image.MAX_IMAGE_PIXELS`) before a pixel is decoded, so a small file that claims to be huge
  (a decompression bomb) costs nothing. Whatever is wrong with a file, truncated, corrupt,
  too big, of another type, is one `ImageError` whose message an editor can act on.

Why WebP and not AVIF: on a 2000×1500 photo, AVIF (libaom at speed 8, one thread, since its
bytes change with the thread count) took about twice as long as WebP (method 2) for files
5–30 % smaller; with a JPEG fallback needed anyway, and a thousand images to encode in a cold
build of a large case, the time matters more than the bytes, which stay far below the budget
of `VARIANT_BUDGET` at 960 px.

- **Within budget.** No variant is larger than `variant_budget` of its width (200 KB at
  960 px): one over it is encoded again at a lower quality, in fixed steps, and an image too
  noisy to fit even at the last is an `ImageError`.

Pillow is imported on first use, not with this module, so that `explainer --version` stays
quick.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import warnings
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image
    from PIL.ImageCms import ImageCmsProfile

ENCODING_VERSION = 2
"""Raise on any change to how variants are made (settings, resampling, colour), so that kept
variants are made again."""

DEFAULT_WIDTHS = (480, 960, 1600)
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
"""Pillow's names of the formats decoded; anything else is refused before decoding."""

MAX_INPUT_BYTES = 30 * 1024 * 1024
"""A larger file is refused unread: no photo a page needs is that big."""
MAX_SIDE = 12_000
"""Neither side may be longer, in pixels (a 1 × 100,000 strip is a bomb of another shape)."""
MAX_PIXELS = 50_000_000
"""At most this many pixels (an 8,000 × 6,000 photo has 48 million), decoded about 200 MB."""

VARIANT_BUDGET = 200 * 1024
"""The most bytes a variant 960 px wide may take (`variant_budget` scales it to other widths)."""
VARIANT_BUDGETS = ((480, 100 * 1024), (960, VARIANT_BUDGET), (1600, 400 * 1024))
"""Per width, the most bytes a variant up to that wide may take; wider ones take the last.
Not proportional to the pixels (that would give 50 KB at 480 px): a phone's variant may keep
its detail, and the widest is the one a slow connection rarely asks for."""

MODERN_FORMAT = "webp"
WEBP_SETTINGS: dict[str, object] = {"quality": 75, "method": 2}
JPEG_SETTINGS: dict[str, object] = {
    "quality": 80,
    "optimize": True,
    "progressive": True,
    "subsampling": "4:2:0",
}
PNG_SETTINGS: dict[str, object] = {"optimize": False, "compress_level": 6}
PNG_COLOURS = 256
"""The fallback PNG of an image with transparency is quantised to this many colours (with
their alpha): in full colour a photo's PNG is five times larger, over the budget at 960 px,
and only a browser without WebP, from before 2020, ever loads it."""
WEBP_QUALITIES = (75, 60, 45, 30)
JPEG_QUALITIES = (80, 65, 50, 35)
PNG_PALETTES = (PNG_COLOURS, 64, 16)
"""A variant over its budget (`variant_budget`) is encoded again at the next setting down,
until it fits: the same pixels always take the same steps, so the bytes stay the same. A
photo fits at the first; grain, foliage or noise may need the next. One that does not fit
at the last is an `ImageError`."""
RESAMPLING = "LANCZOS"

MEDIA_TYPES = {"webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}


class ImageError(ValueError):
    """A file that cannot be published as an image: `message` says what is wrong and `hint`
    how to fix it, in the editors' words (the caller adds where the file is named)."""

    def __init__(self, message: str, hint: str) -> None:
        self.message = message
        self.hint = hint
        super().__init__(f"{message} — {hint}")

    def __reduce__(self) -> tuple[type[ImageError], tuple[str, str]]:
        return (ImageError, (self.message, self.hint))


@dataclass(frozen=True)
class Variant:
    """One encoded file: its format (`webp`, `jpeg` or `png`), its size in pixels, its bytes."""

    format: str
    width: int
    height: int
    data: bytes

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]


@dataclass(frozen=True)
class ProcessedImage:
    """An image's variants, narrowest first: `modern` (WebP) and `fallback` (JPEG or PNG) have
    the same widths. `width`/`height` are the image's own, upright."""

    width: int
    height: int
    transparent: bool
    modern: tuple[Variant, ...]
    fallback: tuple[Variant, ...]

    @property
    def variants(self) -> tuple[Variant, ...]:
        return self.modern + self.fallback


def variant_widths(width: int, widths: Sequence[int] = DEFAULT_WIDTHS) -> tuple[int, ...]:
    """The widths made for an image `width` pixels wide: each of `widths` below it, and its own
    when it is narrower than the widest (never wider: nothing is upscaled)."""
    below = sorted({w for w in widths if 0 < w < width})
    if not widths or width <= max(widths):
        below.append(width)
    return tuple(below)


def variant_budget(width: int) -> int:
    """The most bytes a variant `width` pixels wide may take (see `VARIANT_BUDGETS`)."""
    for widest, budget in VARIANT_BUDGETS:
        if width <= widest:
            return budget
    return VARIANT_BUDGETS[-1][1]


def cache_key(file_digest: bytes, widths: Sequence[int] = DEFAULT_WIDTHS) -> str:
    """The name (64 hex digits) under which an input's variants can be kept: `file_digest` is
    `generator.digest.digest` of the file's bytes, as the build record keeps it; the key also
    covers the widths, `ENCODING_VERSION`, the settings and the versions of Pillow and of the
    libraries that encode, convert colour and compress. Nothing else changes the variants."""
    from PIL import __version__ as pillow_version
    from PIL import features

    setup = [
        ENCODING_VERSION,
        file_digest.hex(),
        sorted(set(widths)),
        WEBP_SETTINGS,
        JPEG_SETTINGS,
        PNG_SETTINGS,
        PNG_COLOURS,
        WEBP_QUALITIES,
        JPEG_QUALITIES,
        PNG_PALETTES,
        VARIANT_BUDGETS,
        RESAMPLING,
        pillow_version,
        features.version("webp"),
        features.version("jpg"),
        features.version("littlecms2"),
        zlib.ZLIB_RUNTIME_VERSION,
    ]
    return hashlib.sha256(json.dumps(setup, sort_keys=True).encode()).hexdigest()


def process_image(data: bytes, widths: Sequence[int] = DEFAULT_WIDTHS) -> ProcessedImage:
    """Decode `data` (JPEG, PNG or WebP), make it upright, sRGB and free of metadata, and
    encode it at `variant_widths`. Raise `ImageError` for anything that is not such an image,
    or is too big."""
    from PIL import Image

    with warnings.catch_warnings():
        # Pillow warns of what it works around (odd EXIF, a malformed MPO): the metadata is
        # dropped anyway, and a build's log is no place for it. Its bomb warning is an error.
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        upright = _upright_srgb(_decode(data))
    transparent = upright.mode == "RGBA"
    modern: list[Variant] = []
    fallback: list[Variant] = []
    for width in variant_widths(upright.width, widths):
        height = max(1, round(upright.height * width / upright.width))
        if width == upright.width:
            scaled = upright
        else:
            scaled = upright.resize((width, height), Image.Resampling[RESAMPLING])
        budget = variant_budget(width)
        encoded = _within(budget, width, "WebP", _webp_steps(scaled))
        modern.append(Variant(MODERN_FORMAT, width, height, encoded))
        if transparent:
            encoded = _within(budget, width, "PNG", _png_steps(scaled))
            fallback.append(Variant("png", width, height, encoded))
        else:
            encoded = _within(budget, width, "JPEG", _jpeg_steps(scaled))
            fallback.append(Variant("jpeg", width, height, encoded))
    return ProcessedImage(
        upright.width, upright.height, transparent, tuple(modern), tuple(fallback)
    )


def _webp_steps(image: Image) -> Iterator[bytes]:
    for quality in WEBP_QUALITIES:
        yield _encode(image, MODERN_FORMAT.upper(), {**WEBP_SETTINGS, "quality": quality})


def _jpeg_steps(image: Image) -> Iterator[bytes]:
    for quality in JPEG_QUALITIES:
        yield _encode(image, "JPEG", {**JPEG_SETTINGS, "quality": quality})


def _png_steps(image: Image) -> Iterator[bytes]:
    from PIL import Image

    for colours in PNG_PALETTES:
        palette = image.quantize(colours, method=Image.Quantize.FASTOCTREE)
        yield _encode(palette, "PNG", PNG_SETTINGS)


def _within(budget: int, width: int, format_label: str, steps: Iterator[bytes]) -> bytes:
    """The first of `steps` (each encoding smaller than the last) that fits in `budget`."""
    smallest = 0
    for encoded in steps:
        if len(encoded) <= budget:
            return encoded
        smallest = len(encoded)
    raise ImageError(
        f"the image is too detailed to publish within the size budget: at {width} px wide "
        f"its {format_label} takes {smallest / 1024:.0f} KB even at the lowest quality, "
        f"more than the {budget // 1024} KB allowed",
        "smooth out its noise or grain, or crop it to what matters, and export it again",
    )


def _decode(data: bytes) -> Image:
    """The first frame of `data`, loaded, after checking its size against the caps."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > MAX_INPUT_BYTES:
        raise ImageError(
            f"the file is {len(data) / 1024 / 1024:.1f} MB, more than the "
            f"{MAX_INPUT_BYTES // 1024 // 1024} MB accepted",
            "export a smaller JPEG or PNG (at most 3,200 pixels wide is plenty for a page)",
        )
    corrupt_hint = "open it in an image editor and export it again as JPEG, PNG or WebP"
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        _check_size(image.width, image.height)
        image.seek(0)
        image.load()
    except ImageError:
        raise
    except UnidentifiedImageError:
        raise ImageError(
            "the file is not a JPEG, PNG or WebP image", "convert it to one of these"
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageError(
            f"the image has too many pixels to decode safely ({error})", _SMALLER
        ) from None
    except Exception as error:  # whatever Pillow raises on a broken file
        reason = " ".join(str(error).split()) or type(error).__name__
        raise ImageError(f"the image is truncated or corrupt ({reason})", corrupt_hint) from None
    return image


_SMALLER = "scale it down to at most 3,200 pixels on its longer side and export it again"


def _check_size(width: int, height: int) -> None:
    from PIL import Image

    if width < 1 or height < 1:
        raise ImageError(f"the image claims to be {width} × {height} pixels", "export it again")
    if width > MAX_SIDE or height > MAX_SIDE:
        raise ImageError(
            f"the image is {width:,} × {height:,} pixels, longer than {MAX_SIDE:,} on a side",
            _SMALLER,
        )
    limit = MAX_PIXELS
    if Image.MAX_IMAGE_PIXELS is not None:
        limit = min(limit, int(Image.MAX_IMAGE_PIXELS))
    if width * height > limit:
        raise ImageError(
            f"the image is {width:,} × {height:,} pixels, more than {limit:,} in all",
            _SMALLER,
        )


def _upright_srgb(image: Image) -> Image:
    """`image` turned by its EXIF orientation, converted to sRGB, as RGB or (when some pixel is
    not opaque) RGBA, with no metadata left in its `info`."""
    from PIL import ImageOps

    profile = image.info.get("icc_profile")
    try:
        upright = ImageOps.exif_transpose(image)
    except Exception:  # EXIF too broken to read: show the pixels as stored
        upright = image
    if upright.mode.startswith("I"):  # 16-bit grey: keep the top 8 bits
        upright = upright.point(lambda value: value * (1 / 256)).convert("L")
    if upright.mode in ("P", "PA", "1") or "transparency" in upright.info:
        upright = upright.convert("RGBA")  # a palette's or a colour key's transparency
    elif upright.mode not in ("RGB", "RGBA", "L", "LA", "CMYK"):
        upright = upright.convert("RGB")
    target = "RGBA" if upright.mode in ("RGBA", "LA") else "RGB"
    if profile:
        upright = _to_srgb(upright, profile, target)
    if upright.mode != target:
        upright = upright.convert(target)
    if target == "RGBA":
        alpha_low, _ = upright.getchannel("A").getextrema()
        if alpha_low == 255:
            upright = upright.convert("RGB")
    clean = upright.copy()
    clean.info.clear()
    return clean


def _to_srgb(image: Image, profile: bytes, target: str) -> Image:
    """Convert `image` from its embedded `profile` to sRGB; a profile LittleCMS cannot read or
    apply to the image's mode is an `ImageError` (not silently dropped)."""
    from PIL import ImageCms

    alpha = image.getchannel("A") if image.mode in ("RGBA", "LA") else None
    colour = image.convert("RGB") if image.mode == "RGBA" else image
    colour = colour.convert("L") if colour.mode == "LA" else colour
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
    except (ImageCms.PyCMSError, OSError, ValueError) as error:
        raise ImageError(
            f"the image's colour profile cannot be read ({' '.join(str(error).split())})",
            "export it again converted to sRGB",
        ) from None
    if _is_srgb(source):
        converted: Image | None = colour
    else:
        try:
            converted = ImageCms.profileToProfile(
                colour,
                source,
                _srgb_profile(),
                renderingIntent=ImageCms.Intent.PERCEPTUAL,
                outputMode="RGB",
            )
        except ImageCms.PyCMSError as error:
            if source.profile.xcolor_space.strip() == "GRAY":  # grey stays grey
                converted = colour
            else:
                message = " ".join(str(error).split())
                raise ImageError(
                    f"the image's colour profile cannot be applied ({message})",
                    "export it again converted to sRGB",
                ) from None
    assert converted is not None  # profileToProfile returns an image unless inPlace
    converted = converted.convert("RGB")
    if alpha is not None and target == "RGBA":
        converted.putalpha(alpha)
    return converted


def _is_srgb(profile: ImageCmsProfile) -> bool:
    from PIL import ImageCms

    description = ImageCms.getProfileDescription(profile).strip().lower()
    return description.startswith("srgb")


@functools.cache
def _srgb_profile() -> ImageCmsProfile:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _encode(image: Image, format_name: str, settings: dict[str, object]) -> bytes:
    """`image` encoded with fixed settings and nothing but its pixels (no exif, no profile)."""
    buffer = io.BytesIO()
    image.save(buffer, format_name, exif=b"", icc_profile=None, **settings)
    return buffer.getvalue()
