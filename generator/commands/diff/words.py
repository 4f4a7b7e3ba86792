"""A word-level diff of two texts, for prose fields: what a reviewer reads as "these words
went, these came"."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

_WORD = re.compile(r"\S+\s*")
"""A word with the spaces after it; words are compared without them."""
_PIECE = re.compile(r"\S+|\s+")
CONTEXT_WORDS = 6
"""Unchanged words kept on each side of a change; longer unchanged runs are cut to `…`."""
_WORTH_CUTTING = 8
"""Tokens (four words) a cut must leave out to be worth a `…`."""


@dataclass(frozen=True)
class WordRun:
    """A run of words kept, removed or added."""

    op: Literal["same", "removed", "added"]
    text: str


def word_diff(before: str, after: str) -> tuple[WordRun, ...]:
    """The runs of words that turn `before` into `after`, compared word by word whatever
    the spaces between them; long unchanged runs are shortened to their ends around `…`."""
    old, new = _WORD.findall(before.lstrip()), _WORD.findall(after.lstrip())
    keys = [word.rstrip() for word in old], [word.rstrip() for word in new]
    matcher = difflib.SequenceMatcher(None, *keys, autojunk=False)
    runs: list[WordRun] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(WordRun("same", "".join(new[j1:j2])))
            continue
        if i2 > i1:
            runs.append(WordRun("removed", "".join(old[i1:i2])))
        if j2 > j1:
            runs.append(WordRun("added", "".join(new[j1:j2])))
    return tuple(_shortened(_spaces_outside(runs)))


def _spaces_outside(runs: list[WordRun]) -> list[WordRun]:
    """The spaces at either end of a run removed or added, moved into the unchanged runs
    beside it: "The law {+plainly+} does", not "The law{+ plainly+} does"."""
    runs = list(runs)
    for index, run in enumerate(runs):
        if run.op == "same":
            continue
        if index > 0 and runs[index - 1].op == "same":
            lead = run.text[: len(run.text) - len(run.text.lstrip())]
            if lead and run.text.strip():
                runs[index - 1] = WordRun("same", runs[index - 1].text + lead)
                runs[index] = run = WordRun(run.op, run.text[len(lead) :])
        if index + 1 < len(runs) and runs[index + 1].op == "same":
            trail = run.text[len(run.text.rstrip()) :]
            if trail and run.text.strip():
                runs[index + 1] = WordRun("same", trail + runs[index + 1].text)
                runs[index] = WordRun(run.op, run.text[: len(run.text) - len(trail)])
    return runs


def _shortened(runs: list[WordRun]) -> list[WordRun]:
    shown = []
    for index, run in enumerate(runs):
        if run.op != "same":
            shown.append(run)
            continue
        tokens = _PIECE.findall(run.text)
        keep = 2 * CONTEXT_WORDS  # tokens: words and the spaces between them
        first, last = index == 0, index == len(runs) - 1
        if first and len(tokens) > keep + _WORTH_CUTTING:
            run = WordRun("same", "… " + "".join(tokens[-keep:]).lstrip())
        elif last and len(tokens) > keep + _WORTH_CUTTING:
            run = WordRun("same", "".join(tokens[:keep]).rstrip() + " …")
        elif not first and not last and len(tokens) > 2 * keep + _WORTH_CUTTING:
            head = "".join(tokens[:keep]).rstrip()
            tail = "".join(tokens[-keep:]).lstrip()
            run = WordRun("same", f"{head} … {tail}")
        shown.append(run)
    return shown
