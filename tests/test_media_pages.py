"""Pictures beyond events: a ruling's, a party's, a case's and a person's portrait beside
their quotes, with their credit and licence; their JSON-LD, `data.json`'s media list, and
share cards that show them, redrawn only when the picture's file changes."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image

from generator.build.site import SiteBuilder, build_site
from generator.plan.card_text import CARD_HEIGHT, CardPicture, event_card_text
from generator.render.cards import BACKGROUND_COLOUR, PICTURE_BOX, card_fingerprint, draw_card
from tests.conftest import minimal_site, write_tree
from tests.test_media_build import snapshot

CASE = """\
title: A test case
summary: What the test case is about.
status: ongoing
sources: [report]
image: building
"""
MEDIA = """\
- id: courtroom
  file: courtroom.jpg
  alt: An empty courtroom seen from the public benches
  caption: The courtroom where the ruling was read.
  credit: Test Newsroom
  licence: CC-BY-4.0
  creator: Jane Photographer
  copyright_notice: © 2014 Jane Photographer
  source: https://example.org/photos/courtroom
  date: 2014-04-25
- id: building
  file: building.png
  alt: The front of a court building
  credit: Test Agency
  licence: CC0-1.0
- id: judge-portrait
  file: judge.jpg
  alt: Head and shoulders of Judge Ann Example
  credit: The Court's press office
  licence: public-domain
"""
PARTIES = """\
- id: judge
  name: Ann Example
  kind: person
  role: The judge
  side: court
  portrait: judge-portrait
- id: court
  name: The Court
  kind: court
  role: The court that decided
  side: court
  image: building
"""
RULING = """\
- id: decision
  title: The court decides
  court: court
  stage: district
  judges: [judge]
  date: 2014-04-25
  outcome: Motion denied
  holding: The court denied the motion.
  sources: [report]
  image: courtroom
"""
QUOTES = """\
- id: first
  text: The first thing the judge said.
  speaker: judge
  said_on: 2014-04-25
  venue: In court
  sources: [report]
  verbatim_in: report
- id: second
  text: The second thing the judge said.
  speaker: judge
  said_on: 2014-05-02
  venue: In court
  sources: [report]
  verbatim_in: report
"""
EVENT = """\
- id: hearing
  date: 2014-04-25
  title: The hearing
  kind: hearing
  body: The court heard both sides.
  sources: [report]
  image: courtroom
- id: filing
  date: 2014-05-01
  title: A filing
  kind: filing
  body: A party filed a brief.
  sources: [report]
"""
RULING_PAGE = "demo/rulings/decision/index.html"
PARTY_PAGE = "demo/parties/judge/index.html"
COURT_PAGE = "demo/parties/court/index.html"
QUOTE_PAGE = "demo/quotes/first/index.html"
QUOTES_PAGE = "demo/quotes/index.html"


def picture(size: tuple[int, int], colour: tuple[int, int, int], mode: str = "RGB") -> bytes:
    """A picture of stripes, so that its encodings are not trivial."""
    image = Image.new(mode, size, colour)
    for x in range(0, size[0], 40):
        image.paste((255, 255, 255), (x, 0, x + 10, size[1]))
    out = io.BytesIO()
    image.save(out, "PNG" if mode != "RGB" else "JPEG", quality=90)
    return out.getvalue()


@pytest.fixture(scope="module")
def files() -> dict[str, str | bytes]:
    site = minimal_site(
        **{
            "case.yaml": CASE,
            "media.yaml": MEDIA,
            "parties.yaml": PARTIES,
            "rulings.yaml": RULING,
            "quotes.yaml": QUOTES,
            "events.yaml": EVENT,
        }
    )
    site["cases/demo/media/courtroom.jpg"] = picture((1200, 800), (30, 60, 120))
    site["cases/demo/media/building.png"] = picture((900, 600), (120, 90, 40), "RGBA")
    site["cases/demo/media/judge.jpg"] = picture((600, 800), (90, 40, 60))
    return site


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory, files: dict[str, str | bytes]
) -> dict[str, bytes]:
    root = tmp_path_factory.mktemp("media-pages")
    content = write_tree(root / "content", files)
    build_site(content, root / "out")
    return snapshot(root / "out")


def page(built: dict[str, bytes], path: str) -> str:
    return built[path].decode()


def jsonld(html: str) -> dict[str, object]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found is not None
    return json.loads(found.group(1))


def img_tags(html: str) -> list[str]:
    return re.findall(r"<img [^>]*>", html)


def attribute(tag: str, name: str) -> str | None:
    found = re.search(rf'\s{name}="([^"]*)"', tag)
    return found.group(1) if found else None


@pytest.mark.parametrize(
    ("path", "alt", "credit", "licence"),
    [
        (
            RULING_PAGE,
            "An empty courtroom seen from the public benches",
            "Test Newsroom",
            "https://creativecommons.org/licenses/by/4.0/",
        ),
        (
            COURT_PAGE,
            "The front of a court building",
            "Test Agency",
            "https://creativecommons.org/publicdomain/zero/1.0/",
        ),
        (
            PARTY_PAGE,
            "Head and shoulders of Judge Ann Example",
            "The Court&#39;s press office",
            None,
        ),
        (
            QUOTE_PAGE,
            "Head and shoulders of Judge Ann Example",
            "The Court&#39;s press office",
            None,
        ),
        (
            "demo/index.html",
            "The front of a court building",
            "Test Agency",
            "https://creativecommons.org/publicdomain/zero/1.0/",
        ),
    ],
)
def test_each_place_shows_its_picture_with_size_alt_credit_and_licence(
    built: dict[str, bytes], path: str, alt: str, credit: str, licence: str | None
) -> None:
    html = page(built, path)
    (tag,) = [t for t in img_tags(html) if attribute(t, "alt") == alt]
    assert attribute(tag, "width") and attribute(tag, "height")
    src = attribute(tag, "src")
    assert src is not None and src.lstrip("./") in built
    assert f"Credit: {credit}." in html
    if licence is not None:
        assert f'<a href="{licence}" rel="license">' in html
    assert 'static/media.css">' in html
    assert "static/media.css" in "".join(built)


def test_a_picture_at_the_top_loads_at_once_and_the_overview_s_lower_one_lazily(
    built: dict[str, bytes],
) -> None:
    for path in (RULING_PAGE, PARTY_PAGE, QUOTE_PAGE, COURT_PAGE):
        (tag,) = img_tags(page(built, path))
        assert "loading=" not in tag, path
    (overview,) = img_tags(page(built, "demo/index.html"))
    assert 'loading="lazy"' in overview


@pytest.mark.parametrize(
    "path",
    [QUOTES_PAGE, "demo/quotes/speaker/judge/index.html", "demo/quotes/year/2014/index.html"],
)
def test_quote_lists_show_the_speaker_s_portrait_small_and_lazy(
    built: dict[str, bytes], path: str
) -> None:
    html = page(built, path)
    tags = img_tags(html)
    assert len(tags) == 2  # one per quote
    for tag in tags:
        assert attribute(tag, "alt") == "Head and shoulders of Judge Ann Example"
        assert 'loading="lazy"' in tag
        assert attribute(tag, "sizes") == "4rem"
        # 600×800 fits a 64-pixel square as 48×64: the right shape even without CSS.
        assert (attribute(tag, "width"), attribute(tag, "height")) == ("48", "64")
    assert 'static/media.css">' in html
    # Its credit is on the speaker's page, which the name beside it links to.
    assert 'href="../../demo/parties/judge/"' in html or "parties/judge/" in html


def test_pages_without_a_picture_link_no_picture_stylesheet(built: dict[str, bytes]) -> None:
    for path in ("demo/rulings/index.html", "demo/timeline/filing/index.html"):
        assert "media.css" not in page(built, path)


def test_json_ld_names_the_image_with_its_licence_credit_and_creator(
    built: dict[str, bytes],
) -> None:
    ruling = jsonld(page(built, RULING_PAGE))["primaryImageOfPage"]
    assert isinstance(ruling, dict)
    assert ruling["@type"] == "ImageObject"
    assert ruling["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert ruling["creditText"] == "Test Newsroom"
    assert ruling["creator"] == {"@type": "Person", "name": "Jane Photographer"}
    assert ruling["copyrightNotice"] == "© 2014 Jane Photographer"
    assert ruling["acquireLicensePage"] == "https://example.org/photos/courtroom"
    assert (ruling["width"], ruling["height"]) == (1200, 800)
    assert str(ruling["contentUrl"]).startswith("https://example.org/explainers/demo/media/")
    person = jsonld(page(built, PARTY_PAGE))
    assert person["@type"] == "Person"
    assert isinstance(person["image"], dict) and person["image"]["creditText"] == (
        "The Court's press office"
    )
    quote = jsonld(page(built, QUOTE_PAGE))
    assert isinstance(quote["creator"], dict) and "image" in quote["creator"]
    case = jsonld(page(built, "demo/index.html"))
    assert isinstance(case["image"], dict) and case["image"]["creditText"] == "Test Agency"


def test_data_json_lists_the_media_and_names_them_where_used(built: dict[str, bytes]) -> None:
    data = json.loads(built["demo/data.json"])
    media = {m["id"]: m for m in data["media"]}
    assert list(media) == ["courtroom", "building", "judge-portrait"]
    courtroom = media["courtroom"]
    assert courtroom["kind"] == "picture"
    assert courtroom["licence"] == "CC-BY-4.0"
    assert courtroom["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert courtroom["creator"] == "Jane Photographer"
    assert courtroom["copyright_notice"] == "© 2014 Jane Photographer"
    assert courtroom["date"] == "2014-04-25"
    assert (courtroom["width"], courtroom["height"]) == (1200, 800)
    assert len(courtroom["files"]) == 6  # WebP and JPEG at 480, 960 and 1200 pixels
    for variant in courtroom["files"]:
        assert len(built[variant["url"]]) == variant["bytes"]  # site-root-relative
    assert data["case"]["image"] == "building"
    assert data["rulings"][0]["image"] == "courtroom"
    parties = {p["id"]: p for p in data["parties"]}
    assert parties["judge"]["portrait"] == "judge-portrait"
    assert parties["court"]["image"] == "building"
    assert "portrait" not in parties["court"]
    events = {e["id"]: e for e in data["events"]}
    assert events["hearing"]["image"] == "courtroom"
    assert "image" not in events["filing"]


def test_a_site_without_pictures_has_no_media_in_its_data(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", minimal_site())
    build_site(content, tmp_path / "out")
    data = json.loads((tmp_path / "out/demo/data.json").read_bytes())
    assert "media" not in data


def card_pixels(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def test_a_card_with_a_picture_shows_it_and_gives_the_same_bytes_twice(
    built: dict[str, bytes],
) -> None:
    text = event_card_text("The hearing", "25 April 2014", "A test case", "Test Explainers")
    plain = draw_card(text)
    jpeg = next(p for p in built if p.endswith("-480.jpg") and "courtroom" in p)
    with_picture = event_card_text(
        "The hearing",
        "25 April 2014",
        "A test case",
        "Test Explainers",
        CardPicture(jpeg, "Test Newsroom", "An empty courtroom"),
    )
    drawn = draw_card(with_picture, built[jpeg])
    assert drawn == draw_card(with_picture, built[jpeg])
    assert card_pixels(drawn).size == (1200, 630)
    assert card_pixels(drawn).tobytes() != card_pixels(plain).tobytes()
    # The text's half is the text card's, in its colours; the picture fills the right.
    left = (0, 0, PICTURE_BOX.left, CARD_HEIGHT)
    assert card_pixels(drawn).crop(left).getcolors(64) is not None
    assert card_pixels(drawn).getpixel((20, 20)) == card_pixels(plain).getpixel((20, 20))
    assert card_pixels(drawn).getpixel((20, 20)) == BACKGROUND_COLOUR
    right = card_pixels(drawn).getpixel((PICTURE_BOX.left + 200, 200))
    assert right != BACKGROUND_COLOUR
    assert card_fingerprint(with_picture) != card_fingerprint(text)
    # The event's card in the build is the one drawn with its picture.
    assert built["demo/timeline/hearing/card.png"] != plain
    assert built["demo/timeline/filing/card.png"].startswith(b"\x89PNG")


def test_cards_of_a_ruling_and_a_party_with_a_picture(built: dict[str, bytes]) -> None:
    for path in (
        "demo/rulings/decision/card.png",
        "demo/parties/judge/card.png",
        "demo/parties/court/card.png",
    ):
        assert card_pixels(built[path]).size == (1200, 630), path
    ruling = page(built, RULING_PAGE)
    assert (
        'og:image" content="https://example.org/explainers/demo/rulings/decision/card.png"'
        in ruling
    )
    alt = re.search(r'og:image:alt" content="([^"]*)"', ruling)
    assert alt is not None and "An empty courtroom seen from the public benches" in alt.group(1)


def edited(files: dict[str, str | bytes], **changes: str | bytes) -> dict[str, str | bytes]:
    return {**files, **changes}


def test_a_caption_edit_redraws_no_card_and_equals_a_clean_build(
    tmp_path: Path, files: dict[str, str | bytes]
) -> None:
    content = write_tree(tmp_path / "content", files)
    output = tmp_path / "site/out"
    SiteBuilder.for_command_line(content, output).build()
    cards = tmp_path / "site/.out.explainer-cards"
    drawn_before = {p.name: p.stat().st_mtime_ns for p in cards.iterdir()}
    write_tree(content, {"cases/demo/media.yaml": MEDIA.replace("where the ruling", "where it")})
    result = SiteBuilder.for_command_line(content, output).build()
    assert result.incremental
    assert "The courtroom where it was read." in snapshot(output)[RULING_PAGE].decode()
    drawn_after = {p.name: p.stat().st_mtime_ns for p in cards.iterdir()}
    assert drawn_after == drawn_before
    clean = tmp_path / "clean/out"
    build_site(content, clean)
    assert snapshot(output) == snapshot(clean)


def test_a_file_swap_redraws_only_its_cards_and_equals_a_clean_build(
    tmp_path: Path, files: dict[str, str | bytes]
) -> None:
    content = write_tree(tmp_path / "content", files)
    output = tmp_path / "site/out"
    SiteBuilder.for_command_line(content, output).build()
    before = snapshot(output)
    write_tree(content, {"cases/demo/media/judge.jpg": picture((600, 800), (20, 140, 60))})
    result = SiteBuilder.for_command_line(content, output).build()
    assert result.incremental
    after = snapshot(output)
    changed_cards = sorted(p for p in after if p.endswith("card.png") and before.get(p) != after[p])
    assert changed_cards == ["demo/parties/judge/card.png"]
    clean = tmp_path / "clean/out"
    build_site(content, clean)
    assert after == snapshot(clean)
