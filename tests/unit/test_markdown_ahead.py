"""Markdown converted by another process while the builder plans: the same HTML as
converting here, every text converted once the build renders, whatever the converter does."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable

import pytest

from generator.build import markdown_ahead
from generator.build.markdown_ahead import CHUNK_TEXTS, MarkdownAhead, claimed
from generator.render import markdown


def _texts(count: int) -> list[str]:
    """Texts no test has converted in this process yet, of the kinds editors write."""
    token = uuid.uuid4().hex
    kinds = [
        "Plain words {n} {token}.",
        "*Emphasis* and **strong** {n} [a link](https://example.org/{token}/{n}).",
        "- a list {n}\n- of two {token}",
        "A <script>alert({n})</script> {token} and [bad](javascript:alert({n}))",
    ]
    return [kinds[n % len(kinds)].format(n=n, token=token) for n in range(count)]


def _converted_here(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts this process converts through `markdown_ahead`, from now on."""
    here: list[str] = []

    def convert_all(texts: Iterable[str]) -> dict[str, str]:
        texts = list(texts)
        here.extend(texts)
        return markdown.convert_all(texts)

    monkeypatch.setattr(markdown_ahead, "convert_all", convert_all)
    return here


def _wait_for_a_claim(ahead: MarkdownAhead) -> None:
    deadline = time.monotonic() + 60
    while markdown_ahead._COUNT.unpack_from(ahead._count)[0] == 0:
        assert time.monotonic() < deadline, "the converter claimed nothing in a minute"
        time.sleep(0.01)


def _expected(texts: list[str]) -> dict[str, str]:
    return {text: markdown._convert(text) for text in texts}


def test_claims_share_out_every_chunk_once_between_two_processes() -> None:
    chunks = [[str(n)] for n in range(7)]
    count = bytearray(4)
    first, second = claimed(chunks, count), claimed(chunks, count)
    taken = []
    for chunk in first:
        taken.append(chunk)
        if (other := next(second, None)) is not None:
            taken.append(other)
    assert sorted(taken) == sorted(chunks)
    assert list(second) == []


def test_the_converter_gives_the_html_this_process_would(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts(5 * CHUNK_TEXTS + 3)
    here = _converted_here(monkeypatch)
    ahead = MarkdownAhead(texts)
    ahead._converter.result()  # it has claimed every chunk: none was left here
    ahead.finish()
    assert here == []
    assert all(markdown.is_converted(text) for text in texts)
    assert {text: markdown.markdown_to_html(text) for text in texts} == _expected(texts)


def test_what_is_left_when_rendering_starts_is_converted_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = _texts(40 * CHUNK_TEXTS)
    here = _converted_here(monkeypatch)
    ahead = MarkdownAhead(texts)
    _wait_for_a_claim(ahead)
    ahead.finish()
    assert all(markdown.is_converted(text) for text in texts)
    assert {text: markdown.markdown_to_html(text) for text in texts} == _expected(texts)
    assert len(here) < len(texts)  # the converter took its share


def test_a_converter_that_fails_leaves_every_text_to_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(markdown_ahead, "_CONVERTER", "raise SystemExit(3)  # {path}")
    texts = _texts(3 * CHUNK_TEXTS)
    here = _converted_here(monkeypatch)
    ahead = MarkdownAhead(texts)
    ahead._converter.result()
    ahead.finish()
    assert sorted(here) == sorted(texts)
    assert {text: markdown.markdown_to_html(text) for text in texts} == _expected(texts)


def test_closing_ends_the_converter() -> None:
    ahead = MarkdownAhead(_texts(200 * CHUNK_TEXTS))
    process = ahead._converter._process
    assert process is not None
    ahead.close()
    assert process.returncode is not None
    assert ahead._file.closed


@pytest.mark.parametrize(("count", "workers"), [(markdown_ahead.AHEAD_FROM_TEXTS, 1), (3, 2)])
def test_no_converter_for_one_process_or_few_texts(count: int, workers: int) -> None:
    assert MarkdownAhead.start(_texts(count), workers) is None


def test_texts_converted_already_are_not_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markdown_ahead, "AHEAD_FROM_TEXTS", 2)
    texts = _texts(3)
    markdown.convert_all(texts[:2])
    assert MarkdownAhead.start(texts, 2) is None
    ahead = MarkdownAhead.start([*texts, *_texts(1)], 2)
    assert ahead is not None
    assert [text for chunk in ahead._chunks for text in chunk][0] == texts[2]
    ahead.finish()
