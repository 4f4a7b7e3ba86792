"""Media: the licence list, how media files are told apart, where media entries may be written,
and what `explainer check` says about a picture nothing shows. The located errors of bad media
are in tests/bad_inputs/media/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.commands.check import run_check
from generator.errors import ContentErrors, Location
from generator.load.content import load_content
from generator.models import LICENCES, MEDIA_TYPES, Media
from generator.validate.content import validate_content
from generator.validate.media import media_type_of, sniffed_type
from tests.conftest import minimal_site, write_tree

PNG = b"\x89PNG\r\n\x1a\n" + bytes(16)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3"></svg>\n'
MAP = """\
- id: map
  file: maps/dublin.png
  alt: A map of Dublin
  credit: Case Explainers
  licence: CC-BY-4.0
"""
EVENT = """\
- id: hearing
  date: 2014
  title: Hearing
  kind: hearing
  body: The court heard both sides.
  sources: [report]
  image: map
"""


# --- The licence list -------------------------------------------------------------------


def test_the_licences_are_the_vetted_five() -> None:
    assert list(LICENCES) == ["CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "public-domain", "permission"]


@pytest.mark.parametrize("licence", sorted(set(LICENCES) - {"permission"}))
def test_each_open_licence_links_to_its_deed_on_creativecommons_org(licence: str) -> None:
    deed = LICENCES[licence].deed
    assert deed is not None
    assert re.fullmatch(
        r"https://creativecommons\.org/(licenses|publicdomain)/[a-z-]+/1?\d\.0/", deed
    )
    assert LICENCES[licence].name


def test_the_spdx_ids_name_their_deeds() -> None:
    """`CC-BY-SA-4.0` is the deed `by-sa/4.0/`: the id and the address cannot drift apart."""
    for licence in ("CC-BY-4.0", "CC-BY-SA-4.0"):
        kind, version = licence.removeprefix("CC-").rsplit("-", 1)
        assert LICENCES[licence].deed == (
            f"https://creativecommons.org/licenses/{kind.lower()}/{version}/"
        )
    assert LICENCES["CC0-1.0"].deed == "https://creativecommons.org/publicdomain/zero/1.0/"


def test_permission_has_no_deed_and_its_note_is_the_terms() -> None:
    assert LICENCES["permission"].deed is None
    assert "licence_note" in Media.model_fields


def test_the_schema_offers_exactly_the_licences() -> None:
    schema = Media.model_json_schema()
    assert schema["properties"]["licence"]["enum"] == list(LICENCES)


# --- Kinds of file ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
        (PNG, "image/png"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
        (SVG, "image/svg+xml"),
        (b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- a map -->\n<svg>', "image/svg+xml"),
        (b"GIF89a\x01\x00\x01\x00", None),
        (b"<html><body>not a picture</body></html>", None),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
        (b"", None),
    ],
    ids=[
        "jpeg",
        "png",
        "webp",
        "pdf",
        "svg",
        "svg-after-declaration",
        "gif",
        "html",
        "wav",
        "empty",
    ],
)
def test_the_first_bytes_tell_the_kind_of_file(head: bytes, kind: str | None) -> None:
    assert sniffed_type(head) == kind


def test_every_accepted_ending_names_its_kind_in_any_case() -> None:
    for kind, suffixes in MEDIA_TYPES.items():
        for suffix in suffixes:
            assert media_type_of(f"a/b{suffix}") == kind
            assert media_type_of(f"B{suffix.upper()}") == kind
    assert media_type_of("notes.txt") is None
    assert media_type_of("picture") is None


# --- Where entries and files live ---------------------------------------------------------


def test_a_valid_picture_in_a_subfolder_validates(tmp_path: Path) -> None:
    files = minimal_site(**{"media.yaml": MAP, "events.yaml": EVENT})
    files["cases/demo/media/maps/dublin.png"] = PNG
    content = validate_content(load_content(write_tree(tmp_path / "content", files)))
    (case,) = content.cases
    assert [m.id for m in case.media] == ["map"]
    assert case.events[0].image == "map"
    assert case.media_folder is not None
    assert (Path(case.media_folder) / case.media[0].file).read_bytes() == PNG


def test_entries_may_be_yaml_files_beside_the_files_in_media(tmp_path: Path) -> None:
    entry = MAP.replace("- id", "id").replace("\n  ", "\n")
    files = minimal_site(**{"events.yaml": EVENT})
    files["cases/demo/media/maps/dublin.png"] = PNG
    files["cases/demo/media/map.yaml"] = entry
    content = validate_content(load_content(write_tree(tmp_path / "content", files)))
    assert [m.file for m in content.cases[0].media] == ["maps/dublin.png"]


def test_a_media_yaml_beside_a_folder_of_files_only_is_no_conflict(tmp_path: Path) -> None:
    files = minimal_site(**{"media.yaml": MAP, "events.yaml": EVENT})
    files["cases/demo/media/maps/dublin.png"] = PNG
    files["cases/demo/media/.DS_Store"] = b"\x00\x00\x00\x01Bud1"
    files["cases/demo/media/_draft.psd"] = b"8BPS"
    raw = load_content(write_tree(tmp_path / "content", files))
    assert raw.cases[0].media is not None
    assert list(raw.cases[0].media.files) == ["maps/dublin.png"]


def test_a_link_to_a_file_inside_the_media_folder_is_followed(tmp_path: Path) -> None:
    files = minimal_site(**{"media.yaml": MAP.replace("maps/dublin.png", "dublin.png")})
    files["cases/demo/media/maps/dublin.png"] = PNG
    root = write_tree(tmp_path / "content", files)
    (root / "cases/demo/media/dublin.png").symlink_to("maps/dublin.png")
    content = validate_content(load_content(root))
    assert content.cases[0].media[0].file == "dublin.png"


def test_a_case_without_media_has_no_media_folder(tmp_path: Path) -> None:
    raw = load_content(write_tree(tmp_path / "content", minimal_site()))
    assert raw.cases[0].media is None
    assert validate_content(raw).cases[0].media == ()
    assert validate_content(raw).cases[0].media_folder is None


def test_validation_writes_nothing_in_the_content_folder(tmp_path: Path) -> None:
    files = minimal_site(**{"media.yaml": MAP.replace("dublin.png", "dublin.svg")})
    files["cases/demo/media/maps/dublin.png"] = PNG
    root = write_tree(tmp_path / "content", files)
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*")}
    with pytest.raises(ContentErrors):
        validate_content(load_content(root))
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*")} == before


def test_every_media_mistake_of_an_item_is_reported_at_once(tmp_path: Path) -> None:
    bad = """\
- id: map
  file: maps/dublin.png
  alt: A map
  decorative: true
  credit: Case Explainers
  licence: permission
  pages: 3
"""
    files = minimal_site(**{"media.yaml": bad, "events.yaml": EVENT})
    files["cases/demo/media/maps/dublin.png"] = PNG
    root = write_tree(tmp_path / "content", files)
    with pytest.raises(ContentErrors) as raised:
        validate_content(load_content(root))
    media_yaml = str(root / "cases/demo/media.yaml")
    assert [(e.location, e.message.split(" ")[0]) for e in raised.value.errors] == [
        (Location(media_yaml, 3, 8), "a"),
        (Location(media_yaml, 6, 12), "`licence:"),
        (Location(media_yaml, 7, 10), "only"),
    ]


# --- check ----------------------------------------------------------------------------------


def test_a_media_item_nothing_shows_is_warned_about_at_its_id(tmp_path: Path) -> None:
    files = minimal_site(**{"media.yaml": MAP})
    files["cases/demo/media/maps/dublin.png"] = PNG
    root = write_tree(tmp_path / "content", files)
    unused = [w for w in run_check(root).warnings if "not shown" in w.message]
    assert [(w.location, w.message) for w in unused] == [
        (
            Location(str(root / "cases/demo/media.yaml"), 1, 7),
            "media item `map` is not shown by anything",
        )
    ]


@pytest.mark.parametrize(
    ("file", "text"),
    [
        ("events.yaml", EVENT),
        (
            "parties.yaml",
            "- id: someone\n  name: Someone\n  kind: person\n  role: Speaks\n  portrait: map\n",
        ),
        (
            "parties.yaml",
            "- id: acme\n  name: Acme\n  kind: organization\n  role: R\n  image: map\n",
        ),
    ],
    ids=["event-image", "portrait", "party-image"],
)
def test_a_media_item_shown_anywhere_is_not_warned_about(
    tmp_path: Path, file: str, text: str
) -> None:
    files = minimal_site(**{"media.yaml": MAP, file: text})
    files["cases/demo/media/maps/dublin.png"] = PNG
    root = write_tree(tmp_path / "content", files)
    assert [w for w in run_check(root).warnings if "not shown" in w.message] == []


def test_an_excerpt_cites_its_sources_so_they_are_not_uncited(tmp_path: Path) -> None:
    document = """\
- id: opinion
  file: opinion.pdf
  title: The opinion
  credit: A court
  licence: public-domain
  pages: 2
  excerpts:
    - page: 2
      quote: the words
      sources: [opinion-text]
"""
    second = "- id: opinion-text\n  title: The opinion\n  publisher: A court\n"
    second += "  url: https://example.org/opinion\n"
    files = minimal_site(**{"media.yaml": document})
    files["cases/demo/sources.yaml"] = str(files["cases/demo/sources.yaml"]) + second
    files["cases/demo/media/opinion.pdf"] = b"%PDF-1.7\n"
    root = write_tree(tmp_path / "content", files)
    warnings = run_check(root).warnings
    assert [w.message for w in warnings] == ["media item `opinion` is not shown by anything"]
