"""`explainer translations`: stamp translations with what they were translated from, and count
how far each language has come.

`stamp_translations` writes each translated item's `translated_from:` line (inserting or
updating it) and leaves every other byte of the translation files as it was. `translation_status`
counts, per language and case, the items translated, stale, not stamped and missing (text in
the default language with no translation). Both read the content through load and validate, so
content errors are raised as `ContentErrors`, as `check` reports them.
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
class StatusRow:
    """How far one case (or the site-wide glossary) is translated into one language."""

    language: str
    case: str
    translated: int
    """Stamped from the text as it is now."""
    stale: int
    not_stamped: int
    missing: int
    """Items with text in the default language and no translation at all."""


def stamp_translations(content_dir: Path, language: str, case: str | None = None) -> Stamped:
    """Stamp every item translated into `language` (of one case, or of all and the site's
    glossary) with the fingerprint of its source text as it is now."""
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
    edits: dict[str, list[tuple[int, int, str | None, str]]] = {}
    count = 0
    for item in items:
        if item.stamp == item.fingerprint:
            continue
        file, line, column, insert = _stamp_place(item)
        edits.setdefault(file, []).append((line, column, insert, item.fingerprint))
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


def _stamp_place(item: TranslatedItem) -> tuple[str, int, int, str | None]:
    """Where to write an item's stamp: (file, line, column, indentation to insert a line
    with, or None to replace the value at line and column)."""
    if item.stamp is not None:
        return item.at.file, item.at.line, item.at.column, None
    sidecar = item.sidecar
    first = next(iter(sidecar.data))
    where = sidecar.locate_key((first,))
    return where.file, where.line, where.column, " " * (where.column - 1)


def _rewrite(path: Path, edits: Iterable[tuple[int, int, str | None, str]]) -> None:
    """Write the stamps into one file, every other byte kept, bottom up so lines stay put."""
    lines = path.read_bytes().splitlines(keepends=True)
    for line, column, insert, fingerprint in sorted(edits, reverse=True):
        value = _plain_or_quoted(fingerprint)
        text = lines[line - 1].decode("utf-8")
        if insert is None:
            start = column - 1
            written = _SCALAR.match(text, start)
            end = written.end() if written else start
            lines[line - 1] = (text[:start] + value + text[end:]).encode("utf-8")
            continue
        if text[: column - 1].strip():
            raise TranslationsError(
                f"{path}:{line}:{column}: cannot stamp an item written on one line "
                "(`id: {title: …}`) — write its fields on lines of their own"
            )
        ending = text[len(text.rstrip("\r\n")) :] or "\n"
        lines.insert(line - 1, f"{insert}{STAMP_KEY}: {value}{ending}".encode())
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
    (`123456789012`; also `12e456789012`, a number to YAML 1.2 tools)."""
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
    stale = sum(1 for i in items if i.stale)
    not_stamped = sum(1 for i in items if i.stamp is None)
    return StatusRow(language, case, len(items) - stale - not_stamped, stale, not_stamped, missing)


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
