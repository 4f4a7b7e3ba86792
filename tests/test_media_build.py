"""An event's picture, end to end: processed by the build, published under URLs named by its
content, shown on the event page with its credit and licence, and kept between builds."""

from __future__ import annotations

import io
import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import ExifTags, Image

from generator.build.image_store import ImageStore, images_path, svg_size
from generator.build.site import SiteBuilder, build_site
from generator.errors import ContentErrors
from generator.load.content import load_content
from generator.render import images
from generator.validate.content import validate_content
from generator.write import MARKER
from tests.conftest import minimal_site, write_tree
from tests.test_determinism import Variant, _build, _differences

EVENT_PAGE = "demo/timeline/hearing/index.html"
MEDIA = """\
- id: courtroom
  file: courtroom.jpg
  alt: An empty courtroom seen from the public benches
  caption: The courtroom where the hearing was held.
  credit: Test Newsroom
  licence: CC-BY-4.0
  source: https://example.org/photos/courtroom
"""
EVENT = """\
- id: hearing
  date: 2014-04-25
  title: The hearing
  kind: hearing
  body: The court heard both sides.
  sources: [report]
  image: courtroom
"""
SVG_MEDIA = """\
- id: diagram
  file: diagram.svg
  alt: Two boxes joined by an arrow
  credit: Test Newsroom
  licence: permission
  licence_note: Used with the permission of its author.
"""
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 200">'
    b'<script>alert(1)</script><rect width="100" height="50" onclick="alert(2)"/></svg>\n'
)


def photo_with_gps() -> bytes:
    """A JPEG whose EXIF says where it was taken (a camera's make and a GPS latitude)."""
    image = Image.new("RGB", (1200, 800))
    image.putdata(
        [((x * 7) % 256, (y * 3) % 256, (x + y) % 256) for y in range(800) for x in range(1200)]
    )
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Camera"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (53.0, 20.0, 0.0),
    }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


@pytest.fixture(scope="module")
def photo() -> bytes:
    return photo_with_gps()


def site_files(photo: bytes, media: str = MEDIA) -> dict[str, str | bytes]:
    files = minimal_site(**{"media.yaml": media, "events.yaml": EVENT})
    files["cases/demo/media/courtroom.jpg"] = photo
    return files


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


def media_files(output: dict[str, bytes]) -> dict[str, bytes]:
    return {path: data for path, data in output.items() if path.startswith("demo/media/")}


def test_the_event_page_shows_the_picture_with_its_credit_and_licence(
    tmp_path: Path, photo: bytes
) -> None:
    content = write_tree(tmp_path / "content", site_files(photo))
    build_site(content, tmp_path / "out")
    output = snapshot(tmp_path / "out")
    page = output[EVENT_PAGE].decode()
    files = media_files(output)
    names = sorted(path.rsplit("/", 1)[1] for path in files)
    assert [re.sub(r"-[0-9a-f]{12}-", "-HASH-", n) for n in names] == [
        "courtroom-HASH-1200.jpg",
        "courtroom-HASH-1200.webp",
        "courtroom-HASH-480.jpg",
        "courtroom-HASH-480.webp",
        "courtroom-HASH-960.jpg",
        "courtroom-HASH-960.webp",
    ]
    webp = ", ".join(
        f"../../../{p} {w}w" for w in (480, 960, 1200) for p in files if p.endswith(f"-{w}.webp")
    )
    jpeg = ", ".join(
        f"../../../{p} {w}w" for w in (480, 960, 1200) for p in files if p.endswith(f"-{w}.jpg")
    )
    widest = next(p for p in files if p.endswith("-1200.jpg"))
    sizes = "(max-width: 44rem) calc(100vw - 2rem), 42rem"
    assert f'<source type="image/webp" srcset="{webp}" sizes="{sizes}">' in page
    assert (
        f'<img src="../../../{widest}" srcset="{jpeg}" sizes="{sizes}" width="1200" height="800" '
        'alt="An empty courtroom seen from the public benches" decoding="async">'
    ) in page
    assert "The courtroom where the hearing was held." in page
    assert '<link rel="stylesheet" href="../../../static/media.css">' in page
    assert b".media-figure img" in output["static/media.css"]
    assert (
        'Credit: Test Newsroom. <a href="https://creativecommons.org/licenses/by/4.0/" '
        'rel="license">CC BY 4.0</a>'
    ) in page
    (data,) = [
        json.loads(m)
        for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page)
        if '"Event"' in m
    ]
    assert data["image"] == {
        "@type": "ImageObject",
        "contentUrl": f"https://example.org/explainers/{widest}",
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "creditText": "Test Newsroom",
        "acquireLicensePage": "https://example.org/photos/courtroom",
        "width": 1200,
        "height": 800,
    }


def test_a_site_without_pictures_has_no_picture_stylesheet(tmp_path: Path) -> None:
    build_site(write_tree(tmp_path / "content", minimal_site()), tmp_path / "out")
    output = snapshot(tmp_path / "out")
    assert "static/style.css" in output and "static/media.css" not in output
    assert not any(b"media.css" in data for data in output.values())


def test_no_published_file_carries_the_photo_metadata(tmp_path: Path, photo: bytes) -> None:
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    content = write_tree(tmp_path / "content", site_files(photo))
    build_site(content, tmp_path / "out")
    files = media_files(snapshot(tmp_path / "out"))
    assert len(files) == 6
    for path, data in files.items():
        image = Image.open(io.BytesIO(data))
        assert len(image.getexif()) == 0, path
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo), path
        assert "exif" not in image.info and "xmp" not in image.info, path
        assert b"Camera" not in data, path


def test_two_builds_give_the_same_bytes(tmp_path: Path, photo: bytes) -> None:
    content = write_tree(tmp_path / "content", site_files(photo))
    build_site(content, tmp_path / "one")
    build_site(content, tmp_path / "two")
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert media_files(one)
    assert one == two


def test_a_caption_edit_reencodes_nothing_and_equals_a_clean_build(
    tmp_path: Path, photo: bytes
) -> None:
    content = write_tree(tmp_path / "content", site_files(photo))
    output = tmp_path / "site/out"
    first = SiteBuilder.for_command_line(content, output)
    first.build()
    assert first.images.processed == 1
    media_yaml = content / "cases/demo/media.yaml"
    media_yaml.write_text(MEDIA.replace("where the hearing was held", "of the hearing"))
    again = SiteBuilder.for_command_line(content, output)
    result = again.build()
    assert again.images.processed == 0
    assert result.incremental
    build_site(content, tmp_path / "clean/out")
    built, clean = snapshot(output), snapshot(tmp_path / "clean/out")
    assert "The courtroom of the hearing." in built[EVENT_PAGE].decode()
    assert built == clean


def test_a_swapped_file_is_processed_again_and_its_old_files_go(
    tmp_path: Path, photo: bytes
) -> None:
    content = write_tree(tmp_path / "content", site_files(photo))
    output = tmp_path / "site/out"
    SiteBuilder.for_command_line(content, output).build()
    before = media_files(snapshot(output))
    flipped = io.BytesIO()
    Image.open(io.BytesIO(photo)).transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(flipped, "JPEG")
    (content / "cases/demo/media/courtroom.jpg").write_bytes(flipped.getvalue())
    again = SiteBuilder.for_command_line(content, output)
    again.build()
    assert again.images.processed == 1
    after = media_files(snapshot(output))
    assert len(after) == 6 and not set(after) & set(before)
    kept = {name.split("-")[0].split(".")[0] for name in os.listdir(images_path(output))}
    assert len(kept) == 1  # the old picture's files are forgotten
    build_site(content, tmp_path / "clean/out")
    assert snapshot(output) == snapshot(tmp_path / "clean/out")


def test_a_corrupt_picture_is_a_located_error_and_the_output_stays(
    tmp_path: Path, photo: bytes
) -> None:
    content = write_tree(tmp_path / "content", site_files(photo))
    output = tmp_path / "out"
    SiteBuilder.for_command_line(content, output).build()
    before = snapshot(output)
    (content / "cases/demo/media/courtroom.jpg").write_bytes(photo[: len(photo) // 3])
    with pytest.raises(ContentErrors) as raised:
        SiteBuilder.for_command_line(content, output).build()
    (error,) = raised.value.errors
    assert str(error.location) == f"{content / 'cases/demo/media.yaml'}:2:9"
    assert error.message.startswith("`courtroom.jpg` cannot be published: ")
    assert snapshot(output) == before


def test_an_svg_is_published_sanitized_with_its_licence_note(tmp_path: Path) -> None:
    files = minimal_site(
        **{"media.yaml": SVG_MEDIA, "events.yaml": EVENT.replace("courtroom", "diagram")}
    )
    files["cases/demo/media/diagram.svg"] = SVG
    build_site(write_tree(tmp_path / "content", files), tmp_path / "out")
    output = snapshot(tmp_path / "out")
    (path,) = media_files(output)
    assert re.fullmatch(r"demo/media/diagram-[0-9a-f]{12}\.svg", path)
    published = output[path]
    assert b"script" not in published and b"onclick" not in published and b"<rect" in published
    page = output[EVENT_PAGE].decode()
    assert (
        f'<img src="../../../{path}" width="320" height="200" alt="Two boxes joined by an arrow" '
        'decoding="async">'
    ) in page
    assert "<source" not in page
    assert (
        "Credit: Test Newsroom. Used with permission: Used with the permission of its author."
        in page
    )


def test_a_store_without_a_folder_keeps_the_files_in_memory(tmp_path: Path, photo: bytes) -> None:
    store = ImageStore(None)
    content = write_tree(tmp_path / "content", site_files(photo))
    validated = validate_content(load_content(content))
    first = store.process(validated)
    second = store.process(validated)
    assert store.processed == 1
    assert {p: read() for p, read in first.outputs.items()} == {
        p: read() for p, read in second.outputs.items()
    }


def test_pictures_processed_in_workers_give_the_same_bytes_as_in_one_process(
    tmp_path: Path, photo: bytes
) -> None:
    badge = io.BytesIO()
    Image.new("RGBA", (300, 200), (200, 30, 30, 128)).save(badge, "PNG")
    media = MEDIA + SVG_MEDIA + MEDIA.replace("courtroom", "badge").replace(".jpg", ".png")
    files = site_files(photo, media)
    files["cases/demo/media/diagram.svg"] = SVG
    files["cases/demo/media/badge.png"] = badge.getvalue()
    content = write_tree(tmp_path / "content", files)
    serial = SiteBuilder.once(content, tmp_path / "one/out", workers=1)
    serial.build()
    parallel = SiteBuilder.once(content, tmp_path / "two/out", workers=2)
    parallel.build()
    assert serial.images.processed == parallel.images.processed == 3
    one, two = snapshot(tmp_path / "one/out"), snapshot(tmp_path / "two/out")
    assert len(media_files(one)) == 6 + 1 + 2  # the badge is narrower than 480 px: its own width
    assert one == two


def test_the_preview_follows_a_caption_edit_and_a_file_swap(tmp_path: Path, photo: bytes) -> None:
    content = write_tree(tmp_path / "content", site_files(photo))
    preview = SiteBuilder.for_preview(content, tmp_path / "preview")
    preview.build()
    media_yaml = content / "cases/demo/media.yaml"
    media_yaml.write_text(MEDIA.replace("where the hearing was held", "of the hearing"))
    preview.build()
    assert preview.images.processed == 1  # kept in memory: the caption edit re-encoded nothing
    build_site(content, tmp_path / "clean/one")
    assert snapshot(tmp_path / "preview") == snapshot(tmp_path / "clean/one")
    flipped = io.BytesIO()
    Image.open(io.BytesIO(photo)).transpose(Image.Transpose.FLIP_TOP_BOTTOM).save(flipped, "JPEG")
    (content / "cases/demo/media/courtroom.jpg").write_bytes(flipped.getvalue())
    preview.build()
    assert preview.images.processed == 2
    build_site(content, tmp_path / "clean/two")
    assert snapshot(tmp_path / "preview") == snapshot(tmp_path / "clean/two")


@pytest.mark.parametrize(
    ("svg", "size"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="150px"/>', (300, 150)),
        (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320.4 200"/>', (320, 200)),
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="50%" viewBox="0,0,40,30"/>', (40, 30)),
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="10em" height="5em"/>', (None, None)),
        (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 0 10"/>', (None, None)),
    ],
)
def test_an_svg_states_its_size_in_pixels_or_not_at_all(
    svg: bytes, size: tuple[int | None, int | None]
) -> None:
    assert svg_size(svg) == size


def test_two_items_of_one_file_are_processed_once(tmp_path: Path, photo: bytes) -> None:
    media = MEDIA + MEDIA.replace("id: courtroom", "id: courtroom-again")
    content = write_tree(tmp_path / "content", site_files(photo, media))
    store = ImageStore(None)
    processed = store.process(validate_content(load_content(content)), workers=2)
    assert store.processed == 1
    assert set(processed.files) == {("demo", "courtroom"), ("demo", "courtroom-again")}
    assert len(processed.outputs) == 12 and len(processed.keys) == 1


def twin_pngs() -> tuple[bytes, bytes]:
    """Two PNGs of the same size whose first 512 bytes are the same: stored uncompressed,
    they differ only in their lower half's pixels (and the checksums at the end)."""
    twins = []
    for shade in (40, 200):
        image = Image.new("RGB", (1000, 600), (30, 90, 160))
        image.paste((shade, shade, shade), (0, 300, 1000, 600))
        out = io.BytesIO()
        image.save(out, "PNG", compress_level=0)
        twins.append(out.getvalue())
    one, two = twins
    assert len(one) == len(two) and one[:512] == two[:512] and one != two
    return one, two


def test_the_preview_follows_a_swap_to_a_file_of_the_same_size_and_beginning(
    tmp_path: Path,
) -> None:
    """Neither the size nor the first bytes tell the two pictures apart: the digest of the
    whole file does, so the preview processes the new one and equals a clean build."""
    one, two = twin_pngs()
    files = minimal_site(
        **{"media.yaml": MEDIA.replace(".jpg", ".png"), "events.yaml": EVENT},
    )
    files["cases/demo/media/courtroom.png"] = one
    content = write_tree(tmp_path / "content", files)
    preview = SiteBuilder.for_preview(content, tmp_path / "preview")
    preview.build()
    before = media_files(snapshot(tmp_path / "preview"))
    (content / "cases/demo/media/courtroom.png").write_bytes(two)
    preview.build()
    assert preview.images.processed == 2
    build_site(content, tmp_path / "clean/out")
    after = snapshot(tmp_path / "preview")
    assert not set(media_files(after)) & set(before)
    assert after == snapshot(tmp_path / "clean/out")


def test_pictures_are_byte_identical_across_hash_seeds_and_time_zones(
    tmp_path: Path, photo: bytes
) -> None:
    """One pair of `explainer build` processes, differing in hash seed and time zone (and
    locale, folder): the same output, a photo's variants and a sanitized SVG included."""
    media = MEDIA + SVG_MEDIA
    files = site_files(photo, media)
    files["cases/demo/media/diagram.svg"] = SVG
    files["cases/demo/events.yaml"] = (
        EVENT + "\n" + EVENT.replace("id: hearing", "id: appeal").replace("courtroom", "diagram")
    )
    content = write_tree(tmp_path / "content", files)
    pair = (
        Variant("seed 0, UTC", {"PYTHONHASHSEED": "0", "TZ": "UTC"}, elsewhere=False),
        Variant(
            "seed 4242, Auckland, C locale",
            {"PYTHONHASHSEED": "4242", "TZ": "Pacific/Auckland", "LC_ALL": "C"},
            elsewhere=True,
        ),
    )
    with ThreadPoolExecutor(max_workers=2) as pool:
        one, two = pool.map(
            lambda i: _build(content, tmp_path / f"run{i}/out", pair[i], tmp_path / f"cwd{i}"),
            range(2),
        )
    pictures = sorted(media_files(one))
    assert [Path(p).suffix for p in pictures].count(".svg") == 1
    assert len(pictures) == 6 + 1, pictures
    assert _differences(one, two) == []


def test_a_picture_over_the_size_budget_is_a_located_error(
    tmp_path: Path, photo: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A picture no quality step brings within its budget stops the build at its `file`,
    output untouched (the budget is made tiny here: a real one takes a picture of noise)."""
    monkeypatch.setattr(images, "VARIANT_BUDGETS", ((960, 1024),))
    content = write_tree(tmp_path / "content", site_files(photo))
    with pytest.raises(ContentErrors) as raised:
        SiteBuilder.once(content, tmp_path / "out", workers=1).build()
    (error,) = raised.value.errors
    assert str(error.location) == f"{content / 'cases/demo/media.yaml'}:2:9"
    assert error.message.startswith(
        "`courtroom.jpg` cannot be published: the image is too detailed to publish within the "
        "size budget: at 480 px wide its WebP takes "
    )
    assert error.message.endswith("more than the 1 KB allowed")
    assert not (tmp_path / "out").exists()
