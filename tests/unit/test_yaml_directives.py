"""Stage 1, load: `%YAML` and `%TAG` directives are read as YAML 1.2 writes them, or refused.

libyaml lets a `%YAML` version run straight into a `#` (`%YAML 1.1#x`), which the YAML test
suite (case MUS6-0) and PyYAML's own scanner refuse: a comment needs a space or tab before its
`#`. The loader refuses it too, worded and located as every other bad directive.
"""

from __future__ import annotations

import pytest
import yaml

from generator.load.yaml_events import parse
from generator.load.yaml_messages import yaml_error

BAD_DIRECTIVE = (
    "invalid YAML: a line starting with `%` is read as a YAML directive, and this one is not "
    "valid — remove the line, or put the text in quotes"
)


def refusal(text: str) -> str:
    with pytest.raises(yaml.YAMLError) as exc:
        parse(text)
    return str(yaml_error("f.yaml", exc.value, text))


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("%YAML 1.1#x\n---\na: 1\n", "1:10"),
        ("%YAML  1.1#x\n---\na: 1\n", "1:11"),
        ("%YAML\t1.1#x\n---\na: 1\n", "1:10"),
        ("%YAML 1.2#\n---\na: 1\n", "1:10"),
        ("%YAML 1.1#x\n---\n", "1:10"),
        ("# a comment\n\n%TAG !e! tag:example.org,2000:\n%YAML 1.1#x\n---\na: 1\n", "4:10"),
        ("# a comment\r\n%TAG !e! tag:example.org,2000:\r%YAML 1.1#x\r\n---\r\na: 1\r\n", "3:10"),
        ("%YAML 1.1#x\n---\n- &a one\n- *a\n", "1:10"),
    ],
    ids=["one-space", "two-spaces", "tab", "nothing-after", "empty", "after-lines", "cr", "anchor"],
)
def test_version_directive_is_refused_when_a_hash_follows_the_version(
    text: str, where: str
) -> None:
    assert refusal(text) == f"f.yaml:{where}: {BAD_DIRECTIVE}"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("%YAML 1.1 x\n---\na: 1\n", "1:11"),
        ("%YAML 1.1.1\n---\na: 1\n", "1:10"),
        ("%YAML 1\n---\na: 1\n", "1:8"),
        ("%TAG !e! tag:example.org,2000:#x\n---\na: 1\n", "1:31"),
        ("%TAG !e!\n---\na: 1\n", "1:9"),
        ("%YAML 1.1\n%YAML 1.1\n---\na: 1\n", "2:1"),
        ("%YAMLL 1.1\n---\na: 1\n", "1:7"),
    ],
    ids=["extra-word", "three-numbers", "one-number", "tag-hash", "tag-no-prefix", "twice", "name"],
)
def test_malformed_directive_is_refused_in_the_words_of_every_bad_directive(
    text: str, where: str
) -> None:
    assert refusal(text) == f"f.yaml:{where}: {BAD_DIRECTIVE}"


@pytest.mark.parametrize(
    "text",
    [
        "%YAML 1.2\na: 1\n",
        "%TAG !e! tag:example.org,2000:\n# no document marker\n\na: 1\n",
        "%YAML 1.2\n...\n",
    ],
    ids=["yaml", "tag", "document-end"],
)
def test_directive_without_document_start_asks_for_the_marker(text: str) -> None:
    assert refusal(text).endswith(
        ": invalid YAML: a line starting with `%` is read as a YAML directive, which must be "
        "followed by a `---` line — add a `---` line after the directives, or remove the line "
        "starting with `%`"
    )


def test_text_after_document_end_still_says_so_without_a_directive() -> None:
    assert refusal("a: 1\n...\nb: 2\n") == (
        "f.yaml:3:1: invalid YAML: more text after the end of the document (`...`) — "
        "remove the `...` line, or the text after it"
    )


@pytest.mark.parametrize(
    "text",
    [
        "%YAML 1.1\n---\na: 1\n",
        "%YAML 1.1 #x\n---\na: 1\n",
        "%YAML 1.1\t# x\n---\na: 1\n",
        "%YAML 1.1   \n---\na: 1\n",
        "%YAML 1.1\n# %YAML 1.1#x is a comment\n---\na: 1\n",
        '%YAML 1.1\n---\na: "one\n%YAML 1.1#x"\n',
    ],
    ids=["plain", "space-comment", "tab-comment", "trailing-spaces", "in-a-comment", "in-a-value"],
)
def test_version_directive_is_read_when_written_as_yaml_allows(text: str) -> None:
    assert parse(text).data["a"] in {1, "one %YAML 1.1#x"}
