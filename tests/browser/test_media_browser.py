"""In a real browser: the real case with two pictures added (a large photo that carries its
camera's GPS position, on an event, and a second one on a ruling), built once and served.

The browser asks for the `srcset` candidate that fits its width and pixel density (the
requests are checked, not the DOM); a picture below the first screenful is asked for only
when scrolled to; the event page keeps the site's standards (axe, no third-party request,
JavaScript off, the 14 KB first render); and no published picture carries metadata.
Screenshots of the event page go to test-artifacts/screenshots/media-event-*.png.
"""

from __future__ import annotations

import io
import random
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml
from PIL import ExifTags, Image

from tests.browser.conftest import (
    SCHEMES,
    SCREENSHOTS,
    WIDTHS,
    ContextFactory,
    Site,
    axe_violations,
    open_page,
    served,
    shown,
)
from tests.browser.test_budget import BUDGET, first_render
from tests.conftest import REAL_CONTENT

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

CASE = "microsoft-ireland"
PHOTO, SECOND, PORTRAIT = "fixture-photo", "fixture-second", "fixture-portrait"
LATE_SPEAKER = "noel-francisco"
"""A person quoted only in 2018, whose portrait is a thumbnail far down the quotes index."""
SECRET = "Secret Street 1, Dublin"
MEDIA_ITEMS = f"""
- id: {PHOTO}
  file: fixture/photo.jpg
  alt: Colour fields under a fine grain, a picture made for the tests
  caption: A picture made for the tests, *large* and with its camera's position.
  credit: The test suite
  licence: CC0-1.0
- id: {SECOND}
  file: fixture/second.jpg
  alt: A second picture made for the tests
  credit: The test suite
  licence: CC-BY-4.0
- id: {PORTRAIT}
  file: fixture/portrait.jpg
  alt: A portrait made for the tests
  credit: The test suite
  licence: CC0-1.0
"""


def _picture(width: int, height: int, seed: int) -> Image.Image:
    rnd = random.Random(seed)
    fields = Image.frombytes("RGB", (16, 12), rnd.randbytes(16 * 12 * 3))
    smooth = fields.resize((width, height), Image.Resampling.BICUBIC)
    grain = Image.frombytes("L", (width, height), rnd.randbytes(width * height)).convert("RGB")
    return Image.blend(smooth, grain, 0.1)


def _jpeg_with_gps(image: Image.Image) -> bytes:
    """A JPEG with a camera, a GPS position, a description, an XMP packet and a comment."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Camera Maker"
    exif[ExifTags.Base.ImageDescription] = SECRET
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (53.0, 20.0, 41.0),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (6.0, 15.0, 2.0),
    }
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
        b'22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
        b"<dc:creator>Secret Person</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif, xmp=xmp, comment=SECRET)
    return out.getvalue()


def _name_image(path: Path, ident: str) -> str:
    """Give the first item of `path` without an `image` the picture `ident`; its id."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    target = next(item["id"] for item in items if "image" not in item)
    text = path.read_text(encoding="utf-8")
    anchor = f"- id: {target}\n"
    count = text.count(anchor)
    text = text.replace(anchor, f"{anchor}  image: {ident}\n", 1)
    assert count == 1, target
    path.write_text(text, encoding="utf-8")
    return str(target)


@pytest.fixture(scope="session")
def media_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, str, str]]:
    """The real content plus the two pictures, built and served: the site, the event's page
    and the ruling's page (relative to the base)."""
    from generator.build.site import build_site

    root = tmp_path_factory.mktemp("media-site")
    content = root / "content"
    shutil.copytree(REAL_CONTENT, content)
    case = content / "cases" / CASE
    fixture = case / "media" / "fixture"
    fixture.mkdir(parents=True)
    (fixture / "photo.jpg").write_bytes(_jpeg_with_gps(_picture(2400, 1600, 1)))
    (fixture / "second.jpg").write_bytes(_jpeg_with_gps(_picture(1600, 1000, 2)))
    (fixture / "portrait.jpg").write_bytes(_jpeg_with_gps(_picture(600, 800, 3)))
    media_yaml = case / "media.yaml"
    before = media_yaml.read_text(encoding="utf-8") if media_yaml.exists() else ""
    media_yaml.write_text(before.rstrip("\n") + "\n" + MEDIA_ITEMS, encoding="utf-8")
    event = _name_image(case / "events.yaml", PHOTO)
    ruling = _name_image(case / "rulings.yaml", SECOND)
    parties = case / "parties.yaml"
    anchor = f"- id: {LATE_SPEAKER}\n"
    assert anchor in parties.read_text(encoding="utf-8")
    parties.write_text(
        parties.read_text(encoding="utf-8").replace(anchor, f"{anchor}  portrait: {PORTRAIT}\n"),
        encoding="utf-8",
    )
    output = root / "output"
    build_site(content, output, workers=1)

    with served(output) as site:
        yield site, f"{CASE}/timeline/{event}/", f"{CASE}/rulings/{ruling}/"


def _picture_requests(requests: list[str], ident: str) -> list[str]:
    return [url.rsplit("/", 1)[1] for url in requests if f"/media/{ident}-" in url]


@pytest.mark.parametrize(
    ("width", "density", "candidate"),
    [(375, 1, 480), (375, 2, 960), (1280, 1, 960), (1280, 2, 1600)],
)
def test_the_browser_asks_for_the_candidate_that_fits(
    media_site: tuple[Site, str, str], browser: Browser, width: int, density: int, candidate: int
) -> None:
    """`sizes` says the picture is 100vw - 2rem wide up to 44rem, then 42rem (672 px): at
    375 px that is 343 CSS px, so 480 at density 1 and 960 at 2; at 1280 px, 672, so 960
    and 1600. Only the WebP is asked for, once."""
    site, event_page, _ = media_site
    context = browser.new_context(
        viewport={"width": width, "height": WIDTHS[width]}, device_scale_factor=density
    )
    try:
        page, traffic = open_page(context, site, event_page)
        asked = _picture_requests(traffic.requests, PHOTO)
        assert len(asked) == 1 and re.fullmatch(
            rf"{PHOTO}-[0-9a-f]{{12}}-{candidate}\.webp", asked[0]
        ), asked
        loaded = page.evaluate("document.querySelector('.media-figure img').currentSrc")
        assert loaded.endswith(f"-{candidate}.webp"), loaded
        assert traffic.failed == []
    finally:
        context.close()


LAZY_MARGIN = 3000
"""CSS pixels below the first screenful beyond which Chromium surely defers a lazy picture
(it starts loading one 1,250 to 2,500 px ahead, by connection speed)."""


def _lazy_pictures(site: Site) -> Iterator[tuple[str, str]]:
    """(page, picture id) of each fixture picture a page shows with `loading="lazy"`."""
    for relative in site.html_pages():
        html = (site.root / relative).read_text(encoding="utf-8")
        for ident in (PHOTO, SECOND, PORTRAIT):
            tags = re.findall(rf"<img [^>]*/{ident}-[^>]*>", html)
            if any('loading="lazy"' in tag for tag in tags):
                yield Site.page_url_path(relative), ident


def test_a_picture_below_the_fold_is_asked_for_only_when_scrolled_to(
    media_site: tuple[Site, str, str], browser: Browser
) -> None:
    """The first page showing a fixture picture lazily, far enough down: the picture is not
    asked for until the reader scrolls to it."""
    site, _, _ = media_site
    context = browser.new_context(viewport={"width": 375, "height": 667})
    try:
        for relative, ident in _lazy_pictures(site):
            page, traffic = open_page(context, site, relative)
            picture = page.locator(f"img[src*='/{ident}-']").first
            if picture.evaluate("e => e.getBoundingClientRect().top") < 667 + LAZY_MARGIN:
                page.close()
                continue
            assert _picture_requests(traffic.requests, ident) == []
            picture.scroll_into_view_if_needed()
            page.wait_for_function(
                "e => e.complete && e.naturalWidth > 0", arg=picture.element_handle()
            )
            assert len(_picture_requests(traffic.requests, ident)) == 1
            return
    finally:
        context.close()
    pytest.skip(f"no page shows a picture lazily more than {LAZY_MARGIN} px below the fold")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_event_page_with_a_picture_keeps_the_standards(
    media_site: tuple[Site, str, str], context_for: ContextFactory, width: int, scheme: str
) -> None:
    site, event_page, _ = media_site
    page, traffic = open_page(context_for(width, scheme), site, event_page)
    try:
        image = page.locator(".media-figure img")
        assert shown(image) and image.evaluate("e => e.complete && e.naturalWidth > 0")
        assert axe_violations(page) == []
        assert traffic.foreign() == [] and traffic.failed == []
        assert traffic.page_console_errors() == []
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / f"media-event-{width}-{scheme}.png"
        page.screenshot(path=str(shot), full_page=True)
    finally:
        page.close()


def test_the_event_page_shows_its_picture_without_javascript(
    media_site: tuple[Site, str, str], context_for: ContextFactory
) -> None:
    site, event_page, _ = media_site
    page, traffic = open_page(context_for(375, "light", javascript=False), site, event_page)
    try:
        image = page.locator(".media-figure img")
        assert shown(image)
        assert image.evaluate("e => e.naturalWidth") > 0
        assert shown(page.locator(".media-credit a[rel=license]"))
        assert len(_picture_requests(traffic.requests, PHOTO)) == 1
    finally:
        page.close()


def test_the_event_page_first_render_fits_in_14_kb(
    media_site: tuple[Site, str, str], browser: Browser
) -> None:
    site, event_page, _ = media_site
    html = (site.root / event_page / "index.html").read_bytes()
    measured = first_render(browser, site, site.url(event_page), html)
    assert measured.first_render_gz <= BUDGET, measured


def test_no_published_picture_carries_metadata(media_site: tuple[Site, str, str]) -> None:
    site, _, _ = media_site
    folder = site.root / CASE / "media"
    published = sorted(p for p in folder.iterdir() if p.suffix in (".webp", ".jpg", ".png"))
    names = {p.name.split("-")[0] + "-" + p.name.split("-")[1] for p in published}
    assert {PHOTO, SECOND} <= names
    assert len([p for p in published if p.name.startswith(f"{PHOTO}-")]) == 6
    for path in published:
        data = path.read_bytes()
        image = Image.open(io.BytesIO(data))
        assert len(image.getexif()) == 0, path.name
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile"} & set(
            image.info
        ), (path.name, set(image.info))
        assert SECRET.encode() not in data and b"Secret Person" not in data, path.name
        assert b"Camera Maker" not in data, path.name
