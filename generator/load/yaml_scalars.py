"""Scalars: which tag PyYAML's resolver gives a plain word, and the value of each tag.

Only plain data is read: null, booleans, numbers and strings. Timestamps stay the strings the
editor wrote, for `PartialDate` to read; any other tag is `Unsupported`.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger("generator")

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    logger.warning(
        "PyYAML was built without libyaml: loading will be several times slower. "
        "Reinstall PyYAML on a machine with libyaml (Debian: libyaml-dev)."
    )

Loader = _Loader

STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
    STR,
}
MAP = "tag:yaml.org,2002:map"
SEQ = "tag:yaml.org,2002:seq"
_BOOL_WORDS = {"true", "yes", "on", "y", "false", "no", "off", "n"}

_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
MERGE = "tag:yaml.org,2002:merge"
_TRUE_WORDS = {"true", "yes", "on", "y"}

_IMPLICIT = Loader.yaml_implicit_resolvers
_WILDCARD = tuple(_IMPLICIT.get(None, ()))
RESOLVERS: dict[str, tuple[tuple[str, Any], ...]] = {
    first: (*resolvers, *_WILDCARD) for first, resolvers in _IMPLICIT.items() if first is not None
}
MERGE_FIRSTS = {first for first, resolvers in RESOLVERS.items() if MERGE in dict(resolvers)}


def resolve_plain(value: str) -> str:
    """Return the tag PyYAML's resolver gives a plain scalar (as `Resolver.resolve` does)."""
    for tag, pattern in RESOLVERS.get(value[:1], _WILDCARD):
        if pattern.match(value):
            return tag  # type: ignore[no-any-return]
    return STR


class Unsupported(Exception):
    """A scalar this loader does not read: (message, hint)."""


class UnsupportedTag(Unsupported):
    """A scalar whose tag this loader does not read: (tag,)."""


_STANDARD = "tag:yaml.org,2002:"


def unsupported_tag(tag: str, shorthand: bool) -> tuple[str, str]:
    """The message and hint for a tag this loader does not read.

    A `shorthand` tag, written `!!name`, is shown so; any other in full, as the parser read it.
    """
    shown = "!!" + tag.removeprefix(_STANDARD) if shorthand and tag.startswith(_STANDARD) else tag
    if tag.startswith(_STANDARD + "python/"):
        return (
            f"unsupported YAML tag `{shown}`",
            "remove the tag: tags that make Python objects are never read, as they could run code",
        )
    return (
        f"unsupported YAML tag `{shown}`",
        "remove the tag: only text, numbers, dates, true or false, lists and mappings are read",
    )


def scalar(tag: str, value: str) -> Any:
    """Return the plain value of a scalar with a tag other than `str`."""
    if tag not in _SCALAR_TAGS:
        raise UnsupportedTag(tag)
    if tag == _NULL:
        return None
    if tag == _BOOL:
        if value.lower() not in _BOOL_WORDS:
            raise Unsupported(f"`{value}` is not true or false")
        return value.lower() in _TRUE_WORDS
    if tag == _INT:
        try:
            return _yaml_int(value)
        except ValueError:
            raise Unsupported(f"`{value}` is not a number") from None
    if tag == _FLOAT:
        try:
            return _yaml_float(value)
        except ValueError:
            raise Unsupported(f"`{value}` is not a number") from None
    return value  # timestamps stay as written; PartialDate reads them


def _yaml_int(text: str) -> int:
    cleaned = text.replace("_", "")
    sign = -1 if cleaned.startswith("-") else 1
    digits = cleaned.lstrip("+-")
    if digits.startswith("0b"):
        return sign * int(digits[2:], 2)
    if digits.startswith("0x"):
        return sign * int(digits[2:], 16)
    if ":" in digits:
        total = 0
        for part in digits.split(":"):
            total = total * 60 + int(part)
        return sign * total
    if digits.startswith("0") and len(digits) > 1:
        return sign * int(digits, 8)
    return sign * int(digits)


def _yaml_float(text: str) -> float:
    cleaned = text.replace("_", "").lower()
    if cleaned in {".nan"}:
        return float("nan")
    if cleaned.lstrip("+-") == ".inf":
        return float("-inf") if cleaned.startswith("-") else float("inf")
    if ":" in cleaned:
        sign = -1.0 if cleaned.startswith("-") else 1.0
        total = 0.0
        for part in cleaned.lstrip("+-").split(":"):
            total = total * 60 + float(part)
        return sign * total
    return float(cleaned)
