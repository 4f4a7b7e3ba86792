"""A site whose every free-text, Markdown and address field holds an attack (issue #7).

The fields are found by walking the models' JSON Schema (`generator.models`), so a field
added later is attacked too, without a change here. `SKELETON` is a valid case with one of
each kind of item and every optional part present; `payload_site(n)` writes it with build
`n`'s payloads: field `i` gets `PAYLOADS[(i + n) % len(PAYLOADS)]`, so over
`len(PAYLOADS)` builds every field holds every payload once. Each value also carries a
marker naming its field (`zq007q`), so a test can tell which fields reach which output.

Used by `tests/test_injection.py` and `tests/browser/test_injection_browser.py`.
"""

from __future__ import annotations

import copy
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.models import SLUG_PATTERN, Case, Model, Site

PWNED = "window.__pwned=1;alert(1)"
"""What every script payload runs: a browser test sees the flag or the dialog."""

PAYLOADS = (
    f"<script>{PWNED}</script>",
    f"</script><script>{PWNED}</script>",
    f"<!--<script>{PWNED}</script>-->",
    f'<img src=x onerror="{PWNED}">',
    f"<svg onload={PWNED}>",
    f'"><script>{PWNED}</script>',
    f"'><img src=x onerror={PWNED}>",
    f'" autofocus onfocus="{PWNED}" x="',
    f"' autofocus onfocus='{PWNED}' x='",
    f"` autofocus onfocus=`{PWNED}` x=`",
    f"[click](javascript:{PWNED})",
    f"[click](JaVaScRiPt:{PWNED})",
    f"[click](  javascript:{PWNED})",
    f"[click](&#106;avascript:{PWNED})",
    f"[click](java\tscript:{PWNED})",
    "[click](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+)",
    "[click](vbscript:msgbox(1))",
    f"<javascript:{PWNED}>",
    f"[click][r]\n\n[r]: javascript:{PWNED}",
    f'<a href="javascript:{PWNED}">click</a>',
    f'<iframe src="javascript:{PWNED}"></iframe>',
    f'<form action="javascript:{PWNED}"><button formaction="javascript:{PWNED}">go</button></form>',
    f'<meta http-equiv="refresh" content="0;url=javascript:{PWNED}">',
    '<base href="https://evil.example/">',
    "<style>body{background:url(https://evil.example/x)}</style>",
    f'<object data="javascript:{PWNED}"></object>',
    '=HYPERLINK("https://evil.example","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "{{ 7*7 }}{% raw %}${7*7}",
    "]]><x>&amp;</x>\u2028\u2029 &lt;script&gt;",
)
"""Attacks on text and Markdown fields: script elements, event handlers, attribute
breaking with each quote character, dangerous link schemes (also obfuscated), elements
that load or navigate, spreadsheet formulas, template syntax and XML/JSON specials."""

ADDRESS_PAYLOADS = (
    f"https://example.org/x'onmouseover='{PWNED}'",
    "https://example.org/?a=1&b=2&lt;#x'y",
    "https://example.org/%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
    "http://example.org/)];alert(1);//",
)
"""Attacks that are still valid web addresses (the others are refused by validation)."""

BASE_URLS = (
    "https://example.org/explainers/",
    "https://example.org/it's/",
    "https://example.org/a&b/",
)

FORMATS = ("html", "json-ld", "atom", "sitemap", "robots", "data.json", "csv")

SKELETON: dict[str, Any] = {
    "site": {
        "title": "T",
        "base_url": "https://example.org/explainers/",
        "language": "en",
        "description": "D",
        "publisher": "P",
        "search": True,
    },
    "case": {
        "title": "T",
        "official_name": "O",
        "summary": "S",
        "status": "ongoing",
        "in_brief": ["B", "B", "B"],
        "next_step": "N",
        "questions": ["Q"],
        "key_facts": [{"label": "L", "value": "V", "sources": ["src-one"]}],
        "tags": ["privacy"],
        "updates": [
            {"date": "2014-08-01", "kind": "update", "text": "U"},
            {"date": "2014-09-01", "kind": "correction", "text": "C"},
        ],
        "conflicts": [{"id": "c1", "title": "T", "text": "T", "sources": ["src-one"]}],
        "sources": ["src-one"],
    },
    # A picture and a document, both shown by event e1. Each is attacked in the fields it
    # has (a picture has no `title`, a document no `alt`), except `file`, a path inside media/
    # that `payload_site` writes (validate refuses paths leading out: tests/test_media.py).
    "media": [
        {
            "id": "m1",
            "file": "m1.png",
            "alt": "A",
            "caption": "C",
            "credit": "R",
            "licence": "permission",
            "licence_note": "L",
            "source": "https://example.org/m1",
            "date": "2014-08-01",
            "creator": "P",
            "copyright_notice": "N",
        },
        {
            "id": "d1",
            "file": "d1.pdf",
            "title": "T",
            "caption": "C",
            "credit": "R",
            "licence": "CC-BY-4.0",
            "pages": 1,
            "excerpts": [{"page": 1, "quote": "Q", "sources": ["src-one"]}],
        },
    ],
    "glossary": [
        {
            "id": "g1",
            "term": "T",
            "forms": ["F"],
            "definition": "D",
            "sources": ["src-one"],
        }
    ],
    "parties": [
        {
            "id": "ann",
            "name": "N",
            "kind": "person",
            "role": "R",
            "title": "T",
            "side": "S",
            "member_of": "org",
            "summary": "S",
            "sources": ["src-one"],
        },
        {"id": "org", "name": "N", "kind": "organization", "role": "R", "side": "S"},
        {"id": "court", "name": "N", "kind": "court", "role": "R"},
        {"id": "gov", "name": "N", "kind": "government", "role": "R"},
    ],
    "rulings": [
        {
            "id": "r1",
            "title": "T",
            "court": "court",
            "stage": "district",
            "judges": ["ann"],
            "date": "2014-07-31",
            "citation": "C",
            "outcome": "O",
            "outcome_plain": "P",
            "holding": "H",
            "favours": "gov",
            "next_step": "N",
            "sources": ["src-one"],
        }
    ],
    "events": [
        {
            "id": "e1",
            "date": "2014-07-31",
            "title": "T",
            "kind": "ruling",
            "body": "B",
            "parties": ["ann", "org"],
            "ruling": "r1",
            "quotes": ["q1"],
            "sources": ["src-one"],
            "image": "m1",
            "documents": ["d1"],
        },
        {
            "id": "e2",
            "date": {"date": "2015", "approximate": True},
            "title": "T",
            "kind": "legislation",
            "body": "B",
            "sources": ["src-two"],
        },
    ],
    "periods": [
        {
            "id": "p1",
            "title": "T",
            "start": "2014-07",
            "end": "2015",
            "body": "B",
            "sources": ["src-one"],
        },
    ],
    "quotes": [
        {
            "id": "q1",
            "text": "T",
            "language": "de",  # words in another language, so that `translation` is shown
            "speaker": "ann",
            "speaker_role": "R",
            "said_on": "2014-07-31",
            "venue": "V",
            "context": "C",
            "note": "N",
            "key": True,
            "sources": ["src-one"],
            "verbatim_in": "src-one",
        },
        {
            "id": "q2",
            "text": "T",
            "language": "fr",
            "speaker": "org",
            "said_on": "2014-08",
            "venue": "V",
            "sources": ["src-two"],
            "verbatim_in": "src-two",
        },
    ],
    "polls": [
        {
            "id": "p1",
            "title": "T",
            "pollster": "org",
            "commissioned_by": "gov",
            "fieldwork": {"start": "2014-07-07", "end": "2014-07-08"},
            "published": "2014-07-16",
            "population": "P",
            "sample_size": 800,
            "margin_of_error": 3.5,
            "mode": "M",
            "summary": "S",
            "questions": [
                {
                    "id": "qa",
                    "text": "T",
                    "wording": "W",
                    "results": [{"answer": "A", "percent": 60}, {"answer": "B", "percent": 30}],
                    "sources": ["src-two"],
                }
            ],
            "sources": ["src-one"],
        }
    ],
    "sources": [
        {
            "id": "src-one",
            "title": "T",
            "publisher": "P",
            "author": "A",
            "url": "https://example.org/one",
            "published": "2014-08-29",
            "accessed": "2025-01-31",
            "note": "N",
        },
        {"id": "src-two", "title": "T", "publisher": "P", "url": "https://example.org/two"},
    ],
}
"""One valid case with every kind of item and every optional part (see the module doc)."""

CASE_SLUG = "demo"


def _models() -> dict[str, type[Model]]:
    from generator import models

    return {
        name: value
        for name, value in vars(models).items()
        if isinstance(value, type) and issubclass(value, Model) and value is not Model
    }


@dataclass(frozen=True)
class Field:
    """One attackable field of one item of the skeleton."""

    path: tuple[str | int, ...]
    """Where in `SKELETON` it is, e.g. ("case", "key_facts", 0, "label")."""
    role: str
    """`text` (plain or Markdown), `address` (a source's url) or `base_url`."""


def _property_role(schema: dict[str, Any]) -> str | None:
    """What a property of a model's JSON Schema holds: text, address, slug, a nested model
    ($ref), a list of those, or None for anything else (dates, numbers, choices)."""
    options = [s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"]
    if len(options) != 1:
        return None  # a date, written in several forms
    option = options[0]
    if "$ref" in option:
        return "model:" + str(option["$ref"]).rsplit("/", 1)[1]
    kind = option.get("type")
    if kind == "array":
        inner = _property_role(option["items"])
        return None if inner is None else "list:" + inner
    if kind != "string" or "enum" in option or "const" in option:
        return None
    if option.get("format") == "uri":
        return "address"
    if option.get("pattern") == SLUG_PATTERN:
        return "slug"
    if "pattern" in option:
        return "patterned"
    return "text"


def model_fields(model: type[Model]) -> dict[str, str]:
    """Field name → role (see `_property_role`) for every field of `model`."""
    schema = model.model_json_schema()
    roles = {}
    for name, prop in schema["properties"].items():
        role = _property_role(prop)
        if role is not None:
            roles[name] = role
    return roles


def attackable_fields() -> list[Field]:
    """Every text, Markdown and address field of every item of the skeleton."""
    models = _models()
    found: list[Field] = [Field(("site", "base_url"), "base_url")]

    def walk(model: type[Model], data: dict[str, Any], path: tuple[str | int, ...]) -> None:
        for name, role in model_fields(model).items():
            if path[0] == "media" and (name in NOT_ATTACKED or name not in data):
                continue
            here = (*path, name)
            base = role.removeprefix("list:")
            if base.startswith("model:"):
                items = data.get(name)
                items = items if isinstance(items, list) else [items]
                assert items and items[0] is not None, (
                    f"add an example of `{name}` to SKELETON at {path}: its fields go unattacked"
                )
                for index, item in enumerate(items):
                    item_path = (*here, index) if role.startswith("list:") else here
                    walk(models[base.removeprefix("model:")], item, item_path)
            elif base == "text":
                found.append(Field((*here, 0) if role.startswith("list:") else here, "text"))
            elif base == "address":
                found.append(Field(here, "address"))

    walk(Site, SKELETON["site"], ("site",))
    walk(Case, SKELETON["case"], ("case",))
    from generator.models import COLLECTION_MODELS

    for collection, model in COLLECTION_MODELS.items():
        for index, item in enumerate(SKELETON[collection]):
            walk(model, item, (collection, index))
    unattacked = set(model_fields(models["Media"])) - NOT_ATTACKED
    unattacked -= {name for item in SKELETON["media"] for name in item}
    assert not unattacked, f"add {sorted(unattacked)} to a media item of SKELETON"
    return found


NOT_ATTACKED = {"file"}
"""Fields of a media item left as `SKELETON` has them (see its comment there)."""


def marker(index: int) -> str:
    return f"zq{index:03d}q"


MARKER = re.compile(r"zq(\d{3})q")


def with_marker(payload: str, index: int) -> str:
    """The payload and its field's marker; before it when the payload has several lines,
    so that a Markdown block at its end stays a block."""
    return f"{marker(index)} {payload}" if "\n" in payload else f"{payload} {marker(index)}"


@dataclass
class PayloadSite:
    content: Path
    fields: list[Field]
    values: dict[int, str] = field(default_factory=dict)
    """Field index → the value written."""
    base_url: str = ""


def _set(data: Any, path: tuple[str | int, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    last = path[-1]
    if isinstance(data, list) and isinstance(last, int):
        while len(data) <= last:
            data.append(None)
    data[last] = value


def payload_site(root: Path, build: int) -> PayloadSite:
    """Write build `build`'s payload site under `root`; return where and what it holds."""
    fields = attackable_fields()
    data = copy.deepcopy(SKELETON)
    site = PayloadSite(root, fields)
    for index, where in enumerate(fields):
        if where.role == "text":
            value = with_marker(PAYLOADS[(index + build) % len(PAYLOADS)], index)
        elif where.role == "address":
            value = ADDRESS_PAYLOADS[(index + build) % len(ADDRESS_PAYLOADS)] + marker(index)
        else:
            value = site.base_url = BASE_URLS[build % len(BASE_URLS)]
        site.values[index] = value
        _set(data, where.path, value)
    dump = {"default_flow_style": False, "allow_unicode": True, "sort_keys": False, "width": 10**6}
    files = {"site.yaml": data["site"], f"cases/{CASE_SLUG}/case.yaml": data["case"]}
    collections = (
        "parties",
        "rulings",
        "events",
        "periods",
        "quotes",
        "polls",
        "sources",
        "glossary",
    )
    for collection in (*collections, "media"):
        files[f"cases/{CASE_SLUG}/{collection}.yaml"] = data[collection]
    for name, value in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(value, **dump), encoding="utf-8")  # type: ignore[call-overload]
    for item in data["media"]:
        (root / "cases" / CASE_SLUG / "media").mkdir(exist_ok=True)
        kind = _DOCUMENT if item["file"].endswith(".pdf") else _PICTURE
        (root / "cases" / CASE_SLUG / "media" / item["file"]).write_bytes(kind)
    return site


_PICTURE = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a73"
    "0000001649444154789c63d4885ac0c0c0c0c4c0c0c0c0c000000d4a0126a342eb"
    "c20000000049454e44ae426082"
)
"""A 2 × 2 PNG, the picture of every picture item."""


def _one_page_pdf() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (60, 80), "white").save(out, "PDF")
    return out.getvalue()


_DOCUMENT = _one_page_pdf()
"""A one-page PDF, the file of every document item."""
