"""A new case from commented templates: every file of a case, one placeholder item in each.

The placeholders are valid together, so the new case builds at once, and every value says
"replace". A comment above each field says what it is, what it takes and whether it is
required. Optional fields are commented out, written so that deleting the `# ` in front of
their lines makes them YAML again; the tests rely on that to check every template against
the content model.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from pathlib import Path

from generator.models import SLUG_PATTERN
from generator.validate.content import RESERVED_CASE_SLUGS

__all__ = ["ScaffoldError", "is_placeholder", "new_case"]

_SLUG = re.compile(SLUG_PATTERN)
_CONTENT_HINT = "`--content` names the content folder, the one that holds site.yaml"
PLACEHOLDER_STARTS = ("Replace with", "New case: replace")
PLACEHOLDER_ID = "replace-me"


def is_placeholder(value: str) -> bool:
    """Whether a value is one of the scaffold's examples, left in place."""
    return value.startswith(PLACEHOLDER_STARTS) or PLACEHOLDER_ID in value


class ScaffoldError(Exception):
    """A new case cannot be made; the message is for editors."""


CASE_YAML = """\
# The case as a whole, shown on its overview page.
# Replace every value below. An optional field is shown commented out: delete the `# ` in
# front of its lines to use it. `explainer schema --kind case` describes every field.

# Required. The case as readers know it, e.g. `Microsoft Ireland email warrant`.
title: "New case: replace this title"
# Optional. The caption used by the courts, if different from the title.
# official_name: Replace with the caption used by the courts
# Required. What the case is about, in a few sentences of your own (Markdown).
summary: Replace with what the case is about, in a few sentences of your own.
# Required. Whether the case is still open: `ongoing` or `resolved`.
status: ongoing
# Optional. The questions at stake, each one sentence.
# questions:
#   - Replace with a question at stake, in one sentence.
# Optional. Short labelled facts shown on the overview.
# key_facts:
#   # Required. What the fact is about, e.g. `Court docket`.
#   - label: Replace with what the fact is about
#     # Required. The fact itself, short, e.g. `No. 17-2`.
#     value: Replace with the fact
#     # Optional. Ids of sources in sources.yaml that support the fact.
#     sources: [replace-me-source]
# Optional. Lowercase topic slugs, e.g. `privacy`, `cloud`.
# tags: [replace-me-tag]
# Optional. Dated log of updates and corrections, newest last or first.
# updates:
#   # Required. When the change was published: `2014-07-31`, `2014-07` or `2014`, or when
#   # uncertain `{date: 2013-06, approximate: true}`.
#   - date: 2000-01-01
#     # Optional. `update` (the default), or `correction` for fixes of errors readers saw.
#     kind: update
#     # Required. What changed, in a sentence or two (Markdown).
#     text: Replace with what changed.
# Optional. Points on which sources disagree, shown to readers rather than silently resolved.
# conflicts:
#   # Required. Lowercase slug, unique among the case's conflicts.
#   - id: replace-me-conflict
#     # Required. What the disagreement is about, e.g. `Date of the contempt order`.
#     title: Replace with what the disagreement is about
#     # Required. What each source says, and what the explainer uses (Markdown).
#     text: Replace with what each source says, and what the explainer uses.
#     # Required. Ids of the sources that disagree (at least one).
#     sources: [replace-me-source]
# Optional. Ids of sources in sources.yaml about the case as a whole.
sources: [replace-me-source]
"""

PARTIES_YAML = """\
# Parties: the people, organizations, courts and governments in the case.
# Replace every value below. For each new party, copy the example from `- id:` to the end.
# An optional field is shown commented out: delete the `# ` in front of its lines to use it.
# `explainer schema --kind parties` describes every field.

# Required. Lowercase slug (letters, digits and single hyphens, up to 80 characters), unique
# among the case's parties; it becomes the party's address, e.g. `brendon-lynch`.
- id: replace-me-party
  # Required. The name as readers should see it.
  name: Replace with the party's name
  # Required. What sort of party this is: `person`, `organization`, `court` or `government`.
  # A ruling's court must be a `court` and its judges each a `person`; the example is a
  # court so that the example ruling can name it.
  kind: court
  # Required. The part this party plays in the case, e.g. `Chief Privacy Officer, Microsoft`.
  role: Replace with the part this party plays in the case
  # Optional. Job title or office, for people.
  # title: Replace with the job title or office
  # Optional. Which side the party is on, as a short label, e.g. `Microsoft`, `Government`,
  # `Neutral` or `Court`; the parties page groups parties by it.
  # side: Replace with a side
  # Optional. Id of the organization, court or government this party belongs to.
  # member_of: replace-me-organization
  # Optional. A few sentences about the party in this case (Markdown).
  # summary: Replace with a few sentences about the party in this case.
  # Optional. Ids of sources in sources.yaml that support what is said about the party.
  sources: [replace-me-source]
"""

RULINGS_YAML = """\
# Rulings: every decision of a court in the case.
# Replace every value below. For each new ruling, copy the example from `- id:` to the end.
# An optional field is shown commented out: delete the `# ` in front of its lines to use it.
# `explainer schema --kind rulings` describes every field.

# Required. Lowercase slug (letters, digits and single hyphens, up to 80 characters), unique
# among the case's rulings; it becomes the ruling's address, e.g. `magistrate-denies-motion`.
- id: replace-me-ruling
  # Required. A short name for the ruling, e.g. `Magistrate upholds the warrant`.
  title: Replace with a short name for the ruling
  # Required. Id of the court that ruled: a party of kind `court`.
  court: replace-me-party
  # Required. Where in the procedural path the ruling sits: `magistrate`, `district`,
  # `appeals`, `appeals-en-banc`, `supreme` or `other`.
  stage: other
  # Optional. Id, or list of ids, of the judges: parties of kind `person`. Leave it out for
  # unsigned rulings.
  # judges: [replace-me-judge]
  # Required. When the ruling was issued: `2014-07-31`, `2014-07` or `2014`, or when
  # uncertain `{date: 2013-06, approximate: true}`.
  date: 2000-01-01
  # Optional. Docket number or reporter citation, e.g. `829 F.3d 197`.
  # citation: Replace with the docket number or citation
  # Required. What the court did, in a few words, e.g. `Motion to vacate denied`.
  outcome: Replace with what the court did, in a few words
  # Required. What the court decided and why, in your own words (Markdown).
  holding: Replace with what the court decided and why, in your own words.
  # Optional. Id of the party the ruling favours, if any.
  # favours: replace-me-party
  # Optional. What happened next, in a sentence.
  # next_step: Replace with what happened next, in a sentence.
  # Required. Ids of sources in sources.yaml that report the ruling (at least one).
  sources: [replace-me-source]
"""

EVENTS_YAML = """\
# Events: the timeline of the case.
# Replace every value below. For each new event, copy the example from `- id:` to the end.
# An optional field is shown commented out: delete the `# ` in front of its lines to use it.
# `explainer schema --kind events` describes every field.

# Required. Lowercase slug (letters, digits and single hyphens, up to 80 characters), unique
# among the case's events; it becomes the event's address, e.g. `motion-to-vacate`. Not
# `kind`, `party` or `page`: the timeline's filters and pages use those addresses.
- id: replace-me-event
  # Required. When it happened, to the day, month or year: `2014-07-31`, `2014-07` or
  # `2014`, or when uncertain `{date: 2013-06, approximate: true}`. The timeline sorts a
  # month before the days inside it.
  date: 2000-01-01
  # Required. A short headline.
  title: Replace with a short headline
  # Required. What sort of event this is: `filing`, `hearing`, `ruling`, `order`, `brief`,
  # `statement`, `legislation`, `deadline`, `poll` or `context`.
  kind: ruling
  # Required. What happened, in your own words (Markdown).
  body: Replace with what happened, in your own words.
  # Optional. Ids of the parties involved.
  parties: [replace-me-party]
  # Optional. Id of the ruling this event is about, if any.
  ruling: replace-me-ruling
  # Optional. Ids of quotes said at this event.
  quotes: [replace-me-quote]
  # Required. Ids of sources in sources.yaml that report the event (at least one).
  sources: [replace-me-source]
"""

QUOTES_YAML = """\
# Quotes: words of others, exactly as a source reports them.
# Replace every value below. For each new quote, copy the example from `- id:` to the end.
# An optional field is shown commented out: delete the `# ` in front of its lines to use it.
# `explainer schema --kind quotes` describes every field.

# Required. Lowercase slug (letters, digits and single hyphens, up to 80 characters), unique
# among the case's quotes; it becomes the quote's address, e.g. `smith-wsj-oped`. Not
# `page`: the quotes' further pages use that address.
- id: replace-me-quote
  # Required. The exact words, without surrounding quotation marks.
  text: Replace with the words exactly as the source reports them.
  # Required. Id of the party who said or wrote it.
  speaker: replace-me-party
  # Optional. The speaker's role at the time, if not their current one.
  # speaker_role: Replace with the speaker's role at the time
  # Required. When it was said or published: `2014-07-31`, `2014-07` or `2014`, or when
  # uncertain `{date: 2013-06, approximate: true}`.
  said_on: 2000-01-01
  # Required. Where it was said or published, e.g. `Microsoft blog post`.
  venue: Replace with where it was said or published
  # Optional. What the words respond to, in your own words (Markdown).
  # context: Replace with what the words respond to, in your own words.
  # Optional. A note on the wording, e.g. variants between sources.
  # note: Replace with a note on the wording
  # Optional. `true` features the quote on the case overview; `false` (the default) does not.
  key: true
  # Required. Ids of sources in sources.yaml that report the words (at least one).
  sources: [replace-me-source]
"""

POLLS_YAML = """\
# Polls: opinion polls with their methodology and results.
# Replace every value below. For each new poll, copy the example from `- id:` to the end.
# An optional field is shown commented out: delete the `# ` in front of its lines to use it.
# Leave out what no source reports; the site shows it as "not reported".
# `explainer schema --kind polls` describes every field.

# Required. Lowercase slug (letters, digits and single hyphens, up to 80 characters), unique
# among the case's polls; it becomes the poll's address, e.g. `microsoft-privacy-poll-2014`.
- id: replace-me-poll
  # Required. A short name for the poll.
  title: Replace with a short name for the poll
  # Required. Id of the polling firm (a party).
  pollster: replace-me-party
  # Optional. Id of the party that paid for the poll, if reported.
  # commissioned_by: replace-me-party
  # Optional. First and last day of interviews, if reported.
  # fieldwork:
  #   # Required. First day of interviews: `2014-07-31`, `2014-07` or `2014`, or when
  #   # uncertain `{date: 2013-06, approximate: true}`.
  #   start: 2000-01-01
  #   # Required. Last day of interviews (the same as start for one day): `2014-07-31`,
  #   # `2014-07` or `2014`, or when uncertain `{date: 2013-06, approximate: true}`.
  #   end: 2000-01-01
  # Optional. When the results were released, if reported: `2014-07-31`, `2014-07` or
  # `2014`, or when uncertain `{date: 2013-06, approximate: true}`.
  # published: 2000-01-01
  # Optional. Who was asked, e.g. `registered voters in the US`.
  # population: Replace with who was asked
  # Optional. Number of respondents, a whole number above 0, if reported.
  # sample_size: 1
  # Optional. Margin of error in percentage points, a number above 0, if reported.
  # margin_of_error: 1
  # Optional. How people were interviewed (phone, online), if reported.
  # mode: Replace with how people were interviewed
  # Optional. What the poll is and how it was used (Markdown).
  # summary: Replace with what the poll is and how it was used.
  # Required. The questions or findings reported (at least one), each with its results.
  questions:
    # Required. Lowercase slug, unique within the poll.
    - id: replace-me-question
      # Required. The finding or question as the source reports it.
      text: Replace with the finding or question as the source reports it
      # Optional. The exact question put to respondents, if a source reports it.
      # wording: Replace with the exact question put to respondents
      # Required. The reported answers (at least one); leave out what is not reported.
      results:
        # Required. The answer, as the source words it, e.g. `Agree`.
        - answer: Replace with the answer as the source words it
          # Required. Share of respondents, in percent: a number from 0 to 100.
          percent: 0
      # Optional. Ids of sources in sources.yaml that report this question's results.
      sources: [replace-me-source]
  # Required. Ids of sources in sources.yaml that report the poll (at least one).
  sources: [replace-me-source]
"""

SOURCES_YAML = """\
# Sources: every document cited in the case.
# Replace every value below. For each new source, copy the example from `- id:` to the end.
# An optional field is shown commented out: delete the `# ` in front of its lines to use it.
# `explainer schema --kind sources` describes every field.

# Required. Lowercase slug (letters, digits and single hyphens, up to 80 characters), unique
# among the case's sources; the other files cite a source by it, e.g. `reuters-2014-08-29`.
- id: replace-me-source
  # Required. The title as published; describe the document in [brackets] when it shows none.
  title: Replace with the title as published
  # Required. Who published it.
  publisher: Replace with who published it
  # Optional. The author, if shown.
  # author: Replace with the author
  # Required. The address of the document, starting with `https://` or `http://`.
  url: https://example.org/replace-me
  # Optional. The publication date, if shown: `2014-07-31`, `2014-07` or `2014`, or when
  # uncertain `{date: 2013-06, approximate: true}`.
  # published: 2000-01-01
  # Optional. When the address was last checked: `2014-07-31`, `2014-07` or `2014`, or when
  # uncertain `{date: 2013-06, approximate: true}`.
  # accessed: 2000-01-01
  # Optional. What kind of copy this is, or what to know about it.
  # note: Replace with what kind of copy this is
"""

TEMPLATES: dict[str, str] = {
    "case.yaml": CASE_YAML,
    "parties.yaml": PARTIES_YAML,
    "rulings.yaml": RULINGS_YAML,
    "events.yaml": EVENTS_YAML,
    "quotes.yaml": QUOTES_YAML,
    "polls.yaml": POLLS_YAML,
    "sources.yaml": SOURCES_YAML,
}
"""File name → the text of a new case's file."""


def new_case(content_dir: Path, slug: str) -> list[Path]:
    """Create `content_dir/cases/<slug>/` with every file of a case; return the files, sorted.

    Nothing that exists is ever written over: the checks come before any file is written,
    and a write that fails half-way removes what it had written.
    """
    _check_slug(slug)
    _check_content_dir(content_dir)
    case_dir = content_dir / "cases" / slug
    if _exists(case_dir):
        raise ScaffoldError(_exists_message(slug))
    return sorted(_write_case(case_dir, slug))


def _check_slug(slug: str) -> None:
    shape = "use lowercase letters, digits and single hyphens, e.g. `microsoft-ireland`"
    if not slug:
        raise ScaffoldError(f"a new case needs a slug — {shape}")
    if not _SLUG.fullmatch(slug):
        raise ScaffoldError(f"`{slug}` is not a valid case slug — {shape}")
    if slug in RESERVED_CASE_SLUGS:
        raise ScaffoldError(
            f"`{slug}` cannot be a case slug: the site uses that address — choose another slug"
        )


def _check_content_dir(content_dir: Path) -> None:
    if not content_dir.is_dir():
        missing = "is not a folder" if _exists(content_dir) else "does not exist"
        raise ScaffoldError(f"content folder {content_dir} {missing} — {_CONTENT_HINT}")
    if not any((content_dir / name).is_file() for name in ("site.yaml", "site.yml")):
        raise ScaffoldError(
            f"{content_dir} has no site.yaml, so it is not a content folder — {_CONTENT_HINT}"
        )


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _exists_message(slug: str) -> str:
    return f"cases/{slug} already exists — choose another slug or edit that case"


def _write_case(case_dir: Path, slug: str) -> list[Path]:
    """Write every file into a folder made for them, or leave nothing behind."""
    made_cases = made_case = False
    written: list[Path] = []
    try:
        made_cases = _make_folder(case_dir.parent)
        case_dir.mkdir()
        made_case = True
        for name, text in TEMPLATES.items():
            path = case_dir / name
            with path.open("x", encoding="utf-8", newline="\n") as file:
                written.append(path)
                file.write(text)
    except BaseException as exc:
        _undo(case_dir if made_case else None, case_dir.parent if made_cases else None)
        if isinstance(exc, FileExistsError) and not made_case:
            raise ScaffoldError(_exists_message(slug)) from None
        if isinstance(exc, OSError):
            where = exc.filename or f"cases/{slug}"
            raise ScaffoldError(
                f"could not write {where}: {exc.strerror or exc} — nothing of the new case was kept"
            ) from exc
        raise
    return written


def _make_folder(folder: Path) -> bool:
    """Make `folder` unless it exists; return whether this call made it."""
    try:
        folder.mkdir()
    except FileExistsError:
        return False
    return True


def _undo(case_dir: Path | None, cases_dir: Path | None) -> None:
    """Remove the folders this call made: the case folder whole, the cases folder if empty."""
    if case_dir is not None:
        shutil.rmtree(case_dir, ignore_errors=True)
    if cases_dir is not None:
        with contextlib.suppress(OSError):
            cases_dir.rmdir()
