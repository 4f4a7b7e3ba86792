"""`explainer translations`: stamp translations with what they were translated from, and count
how far each language has come.

`stamp_translations` writes each translated item's `translated_from:` line (inserting or
updating it), by field the fingerprint of the text it translates (`{title: 3f2a9c1b, body:
untranslated}`), and leaves every other byte of the translation files as it was.
`translation_status` counts, per language and case, the items translated, stale, not stamped
and missing (text in the default language with no translation), and names each stale item's
stale fields. Both read the content through load and validate, so content errors are raised
as `ContentErrors`, as `check` reports them.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import ExplainerError, did_you_mean
from generator.load.content import load_content
from generator.load.yaml_scalars import STR, resolve_plain
from generator.models import TRANSLATABLE, Model
from generator.validate.content import SiteContent, validate_content
from generator.validate.translations import TranslatedItem, Translation, translatable_fields

STAMP_KEY = "translated_from"
_SCALAR = re.compile(r"""'[^']*'|"[^"]*"|[^\s#]*""")
"""The stamp's value as written: quoted, or plain up to a space or a comment."""
_FLOW = re.compile(r"\{[^{}]*\}")
"""A stamp written as a flow mapping on one line."""
_NUMBER_1_2 = re.compile(r"^[0-9]+(e[0-9]+)?$")


class TranslationsError(ExplainerError):
    """A translations command cannot do what it was asked; the message says why."""


@dataclass(frozen=True)
class Stamped:
    """What `stamp_translations` did."""

    items: int
    """Items whose stamp was written or updated."""
    files: list[Path]
    """The translation files changed, sorted."""


@dataclass(frozen=True)
class StaleItem:
    """A translated item with fields stamped from source text that has changed since."""

    collection: str
    """`case` for the case itself (`id` its slug)."""
    id: str
    fields: list[str]
    """The stale fields (for a stamp of the whole item, written before stamps were kept per
    field: every field it translates)."""


@dataclass(frozen=True)
class StatusRow:
    """How far one case (or the site-wide glossary) is translated into one language."""

    language: str
    case: str
    translated: int
    """Stamped from the text as it is now."""
    stale: int
    not_stamped: int
    """Items not stamped, or with a field translated after the stamp (and none stale)."""
    missing: int
    """Items with text in the default language and no translation at all."""
    stale_items: list[StaleItem]
    """The stale items, each with its stale fields, in the order of the translation files."""


def stamp_translations(content_dir: Path, language: str, case: str | None = None) -> Stamped:
    """Stamp every item translated into `language` (of one case, or of all and the site's
    glossary) with the fingerprint of each field's source text as it is now."""
    content = validate_content(load_content(content_dir))
    translation = _translation(content, language)
    if case is not None and case not in {c.slug for c in content.cases}:
        hint = did_you_mean(case, [c.slug for c in content.cases])
        raise TranslationsError(f"there is no case `{case}`" + (f" — {hint}" if hint else ""))
    items = [
        item
        for slug, translated in translation.cases.items()
        if case is None or slug == case
        for item in translated.items.values()
    ]
    if case is None:
        items += translation.glossary.values()
    edits: dict[str, list[_StampEdit]] = {}
    count = 0
    for item in items:
        wanted = item.wanted_stamp
        if item.stamp == wanted:
            continue
        edit = _stamp_place(item, _stamp_text(wanted))
        edits.setdefault(edit.file, []).append(edit)
        count += 1
    for file, file_edits in edits.items():
        _rewrite(Path(file), file_edits)
    return Stamped(count, sorted(Path(f) for f in edits))


def _translation(content: SiteContent, language: str) -> Translation:
    others = content.languages[1:]
    if language not in others:
        if language == content.languages[0]:
            problem = f"`{language}` is the site's default language, which is not translated"
        else:
            problem = f"`{language}` is not one of the languages in site.yaml"
        listed = ", ".join(others) or "none (site.yaml has no `languages` beyond the default)"
        raise TranslationsError(f"{problem} — the translated languages: {listed}")
    return content.translations.get(language) or Translation(language, {}, {})


def _stamp_text(stamp: dict[str, str]) -> str:
    """A stamp as one line of YAML: a flow mapping of field to fingerprint."""
    return "{" + ", ".join(f"{name}: {_plain_or_quoted(v)}" for name, v in stamp.items()) + "}"


@dataclass(frozen=True, order=True)
class _StampEdit:
    """Where and how to write one item's stamp."""

    line: int
    column: int
    """Where the stamp's value starts (`replace`), or where the item's first key starts."""
    file: str
    value: str
    """The stamp as written after `translated_from: `."""
    replace: bool
    """Replace the value written at line and column; else insert a line before it."""
    last_line: int = 0
    """For a stamp written as a block under its key (at `line`): its last line, the lines
    from `line` to it replaced by one."""


def _stamp_place(item: TranslatedItem, value: str) -> _StampEdit:
    """Where to write an item's stamp: in place of the one written, else before its first key."""
    sidecar = item.sidecar
    if item.stamp is None:
        where = sidecar.locate_key((next(iter(sidecar.data)),))
        return _StampEdit(where.line, where.column, where.file, value, replace=False)
    key = sidecar.locate_key((STAMP_KEY,))
    if key.line == item.at.line:
        return _StampEdit(item.at.line, item.at.column, key.file, value, replace=True)
    # Written as a block under its key: from the key to the last of its fields.
    names = item.stamp if isinstance(item.stamp, dict) else []
    last = max([item.at.line] + [sidecar.locate((STAMP_KEY, n)).line for n in names])
    return _StampEdit(key.line, key.column, key.file, value, replace=False, last_line=last)


def _rewrite(path: Path, edits: Iterable[_StampEdit]) -> None:
    """Write the stamps into one file, every other byte kept, bottom up so lines stay put."""
    lines = path.read_bytes().splitlines(keepends=True)
    for edit in sorted(edits, reverse=True):
        line, column, value = edit.line, edit.column, edit.value
        text = lines[line - 1].decode("utf-8")
        if edit.replace:
            start = column - 1
            written = (_FLOW if text[start : start + 1] == "{" else _SCALAR).match(text, start)
            if written is None:
                raise TranslationsError(
                    f"{path}:{line}:{column}: cannot restamp a `{STAMP_KEY}` written over "
                    "several lines — delete it, then stamp again"
                )
            lines[line - 1] = (text[:start] + value + text[written.end() :]).encode("utf-8")
            continue
        if text[: column - 1].strip():
            raise TranslationsError(
                f"{path}:{line}:{column}: cannot stamp an item written on one line "
                "(`id: {title: …}`) — write its fields on lines of their own"
            )
        last = lines[max(edit.last_line, line) - 1].decode("utf-8")
        ending = last[len(last.rstrip("\r\n")) :] or "\n"
        stamp = f"{' ' * (column - 1)}{STAMP_KEY}: {value}{ending}".encode()
        lines[line - 1 : edit.last_line] = [stamp]
    data = b"".join(lines)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _plain_or_quoted(fingerprint: str) -> str:
    """The fingerprint as YAML reads it back as text: quoted when it looks like a number
    (`12345678`; also `12e45678`, a number to YAML 1.2 tools)."""
    number = resolve_plain(fingerprint) != STR or _NUMBER_1_2.match(fingerprint)
    return f'"{fingerprint}"' if number else fingerprint


def translation_status(content_dir: Path) -> list[StatusRow]:
    """Per language and case (then the site-wide glossary): translated, stale, not stamped
    and missing counts."""
    content = validate_content(load_content(content_dir))
    default = content.languages[0]
    site_terms = content.glossary  # compared by value: a term's `forms` make it unhashable
    rows = []
    for language in content.languages[1:]:
        translation = content.translations.get(language) or Translation(language, {}, {})
        for case in content.cases:
            items = translation.cases.get(case.slug)
            found = items.items if items is not None else {}
            wanted: list[tuple[str, str, Model]] = [("case", case.slug, case.case)]
            for name in TRANSLATABLE:
                if name == "case":
                    continue
                wanted += [
                    (name, m.id, m)
                    for m in getattr(case, name)
                    if not (name == "glossary" and m in site_terms)
                ]
            rows.append(_row(language, case.slug, found, wanted, default))
        if content.glossary:
            terms = {("glossary", k): v for k, v in translation.glossary.items()}
            wanted = [("glossary", t.id, t) for t in content.glossary]
            rows.append(_row(language, "(site glossary)", terms, wanted, default))
    return rows


def _row(
    language: str,
    case: str,
    found: dict[tuple[str, str], TranslatedItem],
    wanted: list[tuple[str, str, Model]],
    default: str,
) -> StatusRow:
    missing = sum(
        1
        for collection, ident, model in wanted
        if (collection, ident) not in found
        and translatable_fields(model, collection, language, default)
    )
    items = list(found.values())
    stale = [StaleItem(c, i, item.stale_fields) for (c, i), item in found.items() if item.stale]
    not_stamped = sum(1 for i in items if i.not_stamped and not i.stale)
    translated = len(items) - len(stale) - not_stamped
    return StatusRow(language, case, translated, len(stale), not_stamped, missing, stale)


def format_status(rows: list[StatusRow]) -> str:
    """The counts as a table for people, ending in a newline."""
    if not rows:
        return "the site has one language: nothing is translated\n"
    header = ("language", "case", "translated", "stale", "not stamped", "missing")
    table = [header] + [
        (r.language, r.case, str(r.translated), str(r.stale), str(r.not_stamped), str(r.missing))
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in table
    ]
    return "\n".join(lines) + "\n"
