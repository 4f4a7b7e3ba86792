"""Raster image processing (`generator.render.images`): widths, privacy, colour, bytes, bombs.

Every input is made here in memory with Pillow; none is a file of the repository.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms, PngImagePlugin

from generator.digest import digest
from generator.render import images
from generator.render.images import (
    DEFAULT_WIDTHS,
    VARIANT_BUDGET,
    ImageError,
    cache_key,
    process_image,
    variant_widths,
)

ROOT = Path(__file__).resolve().parents[2]

# ---------------------------------------------------------------------------------------------
# Inputs.


def photo(width: int = 2000, height: int = 1500, seed: int = 1) -> Image.Image:
    """A photo-like picture: smooth colour fields with grain, the same for the same seed."""
    rnd = random.Random(seed)
    fields = Image.frombytes("RGB", (32, 24), rnd.randbytes(32 * 24 * 3))
    smooth = fields.resize((width, height), Image.Resampling.BICUBIC)
    grain = Image.frombytes("L", (width, height), rnd.randbytes(width * height)).convert("RGB")
    return Image.blend(smooth, grain, 0.12)


def encoded(image: Image.Image, format_name: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format_name, **options)
    return buffer.getvalue()


SECRET = "Secret Street 1"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
    b"<dc:creator>Secret Person</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
)


def jpeg_with_gps(image: Image.Image, orientation: int = 1) -> bytes:
    """A JPEG carrying GPS coordinates, a camera, an XMP packet and a comment."""
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"  # Make
    exif[0x0112] = orientation
    exif[0x010E] = SECRET  # ImageDescription
    gps = {1: "N", 2: (53.0, 20.0, 41.0), 3: "W", 4: (6.0, 15.0, 2.0)}
    exif[0x8825] = gps  # GPSInfo
    return encoded(image, "JPEG", quality=90, exif=exif, xmp=XMP, comment=SECRET)


def adobe_rgb_profile() -> bytes:
    """An ICC v2 matrix/TRC profile with Adobe RGB (1998)'s primaries (D50) and gamma 2.2."""

    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ " + bytes(4) + s15(x) + s15(y) + s15(z)

    name = b"Adobe RGB test\0"
    desc = b"desc" + bytes(4) + struct.pack(">I", len(name)) + name + bytes(4 + 4 + 2 + 1 + 67)
    curve = b"curv" + bytes(4) + struct.pack(">IH", 1, 0x0233) + bytes(2)
    tags = [
        (b"desc", desc),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.60974, 0.31111, 0.01947)),
        (b"gXYZ", xyz(0.20528, 0.62567, 0.06087)),
        (b"bXYZ", xyz(0.14919, 0.06322, 0.74457)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
        (b"cprt", b"text" + bytes(4) + b"none\0\0\0\0"),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table = struct.pack(">I", len(tags))
    body = b""
    for signature, data in tags:
        data += bytes(-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = (
        struct.pack(">I", size)
        + bytes(4)
        + bytes((2, 0x10, 0, 0))
        + b"mntrRGB XYZ "
        + bytes(12)
        + b"acsp"
        + bytes(4 + 4 + 4 + 4 + 8 + 4)
        + s15(0.9642)
        + s15(1.0)
        + s15(0.8249)
        + bytes(4 + 16 + 28)
    )
    assert len(header) == 128
    return header + table + body


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` × `height` pixels (a decompression bomb's shape)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", pixels)
        + png_chunk(b"IEND", b"")
    )


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


STRUCTURAL_INFO = {"jfif", "jfif_version", "jfif_unit", "jfif_density", "progressive"}
STRUCTURAL_INFO |= {"progression", "loop", "duration", "background", "timestamp", "transparency"}
"""What Pillow reports of a file's own structure, not of its content: all it may show."""


def assert_no_metadata(data: bytes) -> None:
    image = decoded(data)
    assert set(image.info) <= STRUCTURAL_INFO, image.info.keys()
    assert not image.getexif()
    assert not image.info.get("icc_profile")
    for marker in (b"Exif", b"GPS", b"xmpmeta", b"Secret", b"Camera", b"iCCP", b"tEXt"):
        assert marker not in data


@pytest.fixture(scope="module")
def big_photo() -> bytes:
    return jpeg_with_gps(photo())


@pytest.fixture(scope="module")
def processed_photo(big_photo: bytes) -> images.ProcessedImage:
    return process_image(big_photo)


# ---------------------------------------------------------------------------------------------
# Widths.


def test_variant_widths_are_the_requested_widths_below_the_original() -> None:
    assert variant_widths(2000) == (480, 960, 1600)
    assert variant_widths(1600) == (480, 960, 1600)
    assert variant_widths(1200) == (480, 960, 1200)
    assert variant_widths(300) == (300,)
    assert variant_widths(1000, (1600, 480)) == (480, 1000)


def test_photo_gives_a_webp_and_a_jpeg_at_each_width(
    processed_photo: images.ProcessedImage,
) -> None:
    assert (processed_photo.width, processed_photo.height) == (2000, 1500)
    assert [v.width for v in processed_photo.modern] == list(DEFAULT_WIDTHS)
    assert [v.width for v in processed_photo.fallback] == list(DEFAULT_WIDTHS)
    assert {v.format for v in processed_photo.modern} == {"webp"}
    assert {v.format for v in processed_photo.fallback} == {"jpeg"}
    for variant in processed_photo.variants:
        image = decoded(variant.data)
        assert image.format == variant.format.upper()
        assert image.size == (variant.width, variant.height)
        assert variant.height == round(1500 * variant.width / 2000)
        assert image.mode == "RGB"


def test_small_image_is_never_upscaled() -> None:
    result = process_image(encoded(photo(300, 200), "PNG"))
    assert [(v.width, v.height) for v in result.variants] == [(300, 200), (300, 200)]
    assert [v.format for v in result.variants] == ["webp", "jpeg"]


def test_variant_at_960_stays_under_the_budget(processed_photo: images.ProcessedImage) -> None:
    at_960 = [v for v in processed_photo.variants if v.width == 960]
    assert len(at_960) == 2
    for variant in at_960:
        assert len(variant.data) <= VARIANT_BUDGET, (variant.format, len(variant.data))


# ---------------------------------------------------------------------------------------------
# Privacy.


def test_gps_exif_xmp_and_comment_are_stripped(
    big_photo: bytes, processed_photo: images.ProcessedImage
) -> None:
    source = decoded(big_photo)
    assert source.getexif().get_ifd(0x8825)  # the input does carry a position
    assert "xmp" in source.info and "comment" in source.info
    for variant in processed_photo.variants:
        assert_no_metadata(variant.data)


def test_png_text_chunks_are_stripped_and_alpha_kept() -> None:
    image = photo(600, 400).convert("RGBA")
    image.putpixel((0, 0), (10, 20, 30, 0))
    for x in range(600):
        image.putpixel((x, 399), (0, 0, 0, 0))
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", SECRET)
    text.add_itxt("Comment", SECRET, lang="en")
    text.add_text("XML:com.adobe.xmp", XMP.decode())
    result = process_image(encoded(image, "PNG", pnginfo=text))
    assert result.transparent
    assert {v.format for v in result.fallback} == {"png"}
    for variant in result.variants:
        assert_no_metadata(variant.data)
        back = decoded(variant.data).convert("RGBA")
        assert back.getpixel((back.width // 2, back.height - 1))[3] < 64


def test_opaque_png_with_alpha_channel_falls_back_to_jpeg() -> None:
    result = process_image(encoded(photo(600, 400).convert("RGBA"), "PNG"))
    assert not result.transparent
    assert {v.format for v in result.fallback} == {"jpeg"}


def test_exif_orientation_is_applied_before_stripping() -> None:
    stored = Image.new("RGB", (200, 100), (220, 20, 20))
    stored.paste((20, 20, 220), (100, 0, 200, 100))  # left red, right blue
    result = process_image(jpeg_with_gps(stored, orientation=6))  # shown turned 90° clockwise
    assert (result.width, result.height) == (100, 200)
    for variant in result.variants:
        assert_no_metadata(variant.data)
        upright = decoded(variant.data).convert("RGB")
        assert upright.size == (100, 200)
        top, bottom = upright.getpixel((50, 40)), upright.getpixel((50, 160))
        assert isinstance(top, tuple) and isinstance(bottom, tuple)
        assert top[0] > 150 > top[2]  # red on top
        assert bottom[2] > 150 > bottom[0]


# ---------------------------------------------------------------------------------------------
# Colour.


def test_adobe_rgb_is_converted_to_srgb_not_dropped() -> None:
    profile = adobe_rgb_profile()
    colour = (40, 160, 60)
    source = Image.new("RGB", (300, 200), colour)
    srgb = ImageCms.profileToProfile(
        Image.new("RGB", (1, 1), colour),
        ImageCms.ImageCmsProfile(io.BytesIO(profile)),
        ImageCms.createProfile("sRGB"),
        renderingIntent=ImageCms.Intent.PERCEPTUAL,
    )
    assert srgb is not None
    expected = srgb.getpixel((0, 0))
    assert isinstance(expected, tuple)
    assert max(abs(a - b) for a, b in zip(expected, colour, strict=True)) > 20
    result = process_image(encoded(source, "JPEG", quality=95, icc_profile=profile))
    for variant in result.variants:
        assert_no_metadata(variant.data)
        shown = decoded(variant.data).convert("RGB").getpixel((150, 100))
        assert isinstance(shown, tuple)
        assert max(abs(a - b) for a, b in zip(shown, expected, strict=True)) <= 6, shown


def test_cmyk_jpeg_becomes_rgb() -> None:
    result = process_image(encoded(Image.new("CMYK", (100, 80), (0, 255, 255, 0)), "JPEG"))
    for variant in result.variants:
        shown = decoded(variant.data).convert("RGB").getpixel((50, 40))
        assert isinstance(shown, tuple)
        assert shown[0] > 200 and shown[1] < 60 and shown[2] < 60


def test_unreadable_colour_profile_is_an_image_error() -> None:
    data = encoded(Image.new("RGB", (50, 50)), "JPEG", icc_profile=b"not a profile" * 20)
    with pytest.raises(ImageError, match="colour profile"):
        process_image(data)


# ---------------------------------------------------------------------------------------------
# Same input, same bytes.


def test_same_input_gives_same_bytes_across_processes(tmp_path: Path) -> None:
    """Two processes with other hash seeds and time zones make byte-identical variants."""
    transparent = photo(700, 500, seed=2).convert("RGBA")
    transparent.putpixel((0, 0), (0, 0, 0, 0))
    wide_gamut = encoded(photo(500, 300, seed=3), "JPEG", icc_profile=adobe_rgb_profile())
    inputs = [jpeg_with_gps(photo(1700, 1100)), encoded(transparent, "PNG"), wide_gamut]
    for number, data in enumerate(inputs):
        (tmp_path / f"{number}.bin").write_bytes(data)
    script = (
        "import hashlib, json, pathlib, sys\n"
        "from generator.render.images import process_image\n"
        "out = []\n"
        "for path in sorted(pathlib.Path(sys.argv[1]).glob('*.bin')):\n"
        "    for v in process_image(path.read_bytes()).variants:\n"
        "        out.append([v.format, v.width, v.height, hashlib.sha256(v.data).hexdigest()])\n"
        "print(json.dumps(out))\n"
    )
    runs = []
    for seed, zone in (("1", "UTC"), ("4242", "Pacific/Auckland")):
        env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": zone, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, "-c", script, str(tmp_path)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(done.stdout))
    assert len(runs[0]) == 14  # 3 + 3 for the photo, 2 + 2 each for the 700 and 500 px ones
    assert runs[0] == runs[1]
    here = [
        [v.format, v.width, v.height, hashlib.sha256(v.data).hexdigest()]
        for data in inputs
        for v in process_image(data).variants
    ]
    assert here == runs[0]


def test_cache_key_depends_on_digest_widths_and_version(monkeypatch: pytest.MonkeyPatch) -> None:
    file_digest = digest(b"a file")
    key = cache_key(file_digest)
    assert re.fullmatch("[0-9a-f]{64}", key)
    assert key == cache_key(file_digest, (1600, 480, 960))
    assert key != cache_key(digest(b"another file"))
    assert key != cache_key(file_digest, (480, 960))
    monkeypatch.setattr(images, "ENCODING_VERSION", images.ENCODING_VERSION + 1)
    assert key != cache_key(file_digest)


# ---------------------------------------------------------------------------------------------
# Bad input: one typed error, never a traceback from Pillow.


def test_truncated_jpeg_is_an_image_error(big_photo: bytes) -> None:
    with pytest.raises(ImageError, match="truncated or corrupt") as caught:
        process_image(big_photo[: len(big_photo) // 3])
    assert caught.value.hint


def test_corrupt_png_is_an_image_error() -> None:
    data = bytearray(encoded(photo(200, 100), "PNG"))
    start = data.index(b"IDAT") + 40
    data[start : start + 200] = bytes(200)
    with pytest.raises(ImageError, match="truncated or corrupt"):
        process_image(bytes(data))


@pytest.mark.parametrize(
    "data",
    [b"", b"GIF89a" + bytes(40), encoded(Image.new("RGB", (20, 20)), "TIFF"), b"<svg/>"],
    ids=["empty", "gif-header", "tiff", "svg"],
)
def test_other_file_types_are_refused(data: bytes) -> None:
    with pytest.raises(ImageError, match="not a JPEG, PNG or WebP image"):
        process_image(data)


def test_one_by_100000_strip_is_refused_before_decoding() -> None:
    data = encoded(Image.new("L", (1, 100_000)), "PNG")
    with pytest.raises(ImageError, match=r"1 × 100,000 pixels, longer than 12,000 on a side"):
        process_image(data)


def test_pixel_count_over_the_cap_is_refused_before_decoding() -> None:
    with pytest.raises(ImageError, match=r"9,000 × 8,000 pixels, more than 50,000,000"):
        process_image(png_claiming(9_000, 8_000))


def test_pillow_pixel_limit_is_an_error_not_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ImageError, match="pixels"):
        process_image(encoded(Image.new("RGB", (40, 40)), "PNG"))


def test_file_over_the_byte_cap_is_refused_unread() -> None:
    with pytest.raises(ImageError, match="MB, more than the 30 MB accepted"):
        process_image(b"\xff\xd8" + bytes(images.MAX_INPUT_BYTES))


def test_palette_png_with_transparency_keeps_it() -> None:
    image = Image.new("P", (120, 80), 0)
    image.putpalette([200, 30, 30, 0, 0, 0])
    image.paste(1, (0, 0, 60, 80))
    result = process_image(encoded(image, "PNG", transparency=1))
    assert result.transparent
    for variant in result.variants:
        back = decoded(variant.data).convert("RGBA")
        assert back.getpixel((20, 40))[3] < 8
        assert back.getpixel((100, 40))[3] == 255


def test_sixteen_bit_grey_png_keeps_its_tones() -> None:
    image = Image.new("I;16", (100, 50), 32768)
    image.paste(65535, (50, 0, 100, 50))
    result = process_image(encoded(image, "PNG"))
    back = decoded(result.fallback[0].data).convert("L")
    assert abs(back.getpixel((20, 25)) - 128) <= 3
    assert back.getpixel((80, 25)) >= 250


SMALL_FILES = [
    encoded(photo(64, 48, seed=5), "JPEG"),
    encoded(photo(64, 48, seed=6).convert("RGBA"), "PNG"),
    encoded(photo(64, 48, seed=7), "WEBP"),
]


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(range(len(SMALL_FILES))),
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), min_size=1, max_size=8),
    st.integers(0, 10_000),
)
def test_damaged_file_gives_variants_or_an_image_error(
    which: int, changes: list[tuple[int, int]], cut: int
) -> None:
    """Bytes overwritten and the end cut off: never an exception from inside Pillow."""
    data = bytearray(SMALL_FILES[which])
    for position, value in changes:
        data[position % len(data)] = value
    try:
        result = process_image(bytes(data[: max(1, len(data) - cut % len(data))]))
    except ImageError as error:
        assert error.message and error.hint
    else:
        assert result.variants


# ---------------------------------------------------------------------------------------------
# The size budget: a variant over it is encoded again at a lower quality.


@pytest.fixture(scope="module")
def noisy() -> tuple[Image.Image, images.ProcessedImage]:
    """A 3000 × 2000 photo of pure noise (seeded), the hardest thing to compress: its pixels
    as decoded, and its variants."""
    rnd = random.Random(21)
    image = Image.frombytes("RGB", (3000, 2000), rnd.randbytes(3000 * 2000 * 3))
    data = encoded(image, "JPEG", quality=90)
    return Image.open(io.BytesIO(data)).convert("RGB"), process_image(data)


def test_noisy_photo_variants_each_fit_their_budget(
    noisy: tuple[Image.Image, images.ProcessedImage],
) -> None:
    _, result = noisy
    assert [v.width for v in result.modern] == list(DEFAULT_WIDTHS)
    for variant in result.variants:
        assert len(variant.data) <= images.variant_budget(variant.width), (
            variant.format,
            variant.width,
            len(variant.data),
        )
    assert images.variant_budget(960) == VARIANT_BUDGET == 200 * 1024


def test_noisy_photo_is_stepped_down_only_where_over(
    noisy: tuple[Image.Image, images.ProcessedImage],
) -> None:
    """At 1600 px the first quality is over the budget, so a lower one was used; at 480 px the
    first fits and was kept."""
    image, result = noisy
    for variant in result.modern:
        scaled = image.resize((variant.width, variant.height), Image.Resampling.LANCZOS)
        first = encoded(scaled, "WEBP", **images.WEBP_SETTINGS)
        if len(first) <= images.variant_budget(variant.width):
            assert variant.data == first, variant.width
        else:
            assert len(variant.data) < len(first), variant.width
    widest = result.modern[-1]
    scaled = image.resize((widest.width, widest.height), Image.Resampling.LANCZOS)
    assert len(encoded(scaled, "WEBP", **images.WEBP_SETTINGS)) > images.variant_budget(1600)


def test_budget_steps_give_the_same_bytes_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    data = encoded(photo(400, 300, seed=5), "PNG")
    (webp,) = process_image(data).modern
    budget = len(webp.data) * 9 // 10
    monkeypatch.setattr(images, "VARIANT_BUDGETS", ((960, budget),))
    first, second = process_image(data), process_image(data)
    assert [v.data for v in first.variants] == [v.data for v in second.variants]
    assert all(len(v.data) <= budget for v in first.variants)
    assert first.modern[0].data != webp.data


def test_image_over_the_budget_at_the_lowest_quality_is_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    small = Image.frombytes("RGB", (600, 400), random.Random(6).randbytes(600 * 400 * 3))
    monkeypatch.setattr(images, "VARIANT_BUDGETS", ((960, 2 * 1024),))
    with pytest.raises(ImageError, match=r"at 480 px wide its WebP takes \d+ KB") as caught:
        process_image(encoded(small, "PNG"))
    assert "more than the 2 KB allowed" in caught.value.message
    assert "noise" in caught.value.hint


def test_transparent_noise_steps_its_png_palette_down(monkeypatch: pytest.MonkeyPatch) -> None:
    small = photo(400, 300, seed=7).convert("RGBA")
    small.putalpha(Image.linear_gradient("L").resize((400, 300)))
    data = encoded(small, "PNG")
    (full,) = process_image(data).fallback
    monkeypatch.setattr(images, "VARIANT_BUDGETS", ((960, len(full.data) - 1),))
    (reduced,) = process_image(data).fallback
    assert reduced.format == "png" and len(reduced.data) < len(full.data)
    assert len(Image.open(io.BytesIO(reduced.data)).getpalette() or []) < 3 * images.PNG_COLOURS


def test_cache_key_covers_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache_key(digest(b"x"))
    monkeypatch.setattr(images, "VARIANT_BUDGETS", ((960, 1024),))
    assert cache_key(digest(b"x")) != before
