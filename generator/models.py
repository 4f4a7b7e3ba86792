"""The content model: what an editor may write in each YAML file, field by field.

These pydantic models are the single source of truth for the YAML format. Field descriptions
and examples travel into `explainer schema`, so editors' tools can offer them as they type.
Cross-references between items (a quote's `speaker`, an event's `ruling`) are checked in
`validate`, which knows every id of the case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
    create_model,
    model_validator,
)
from pydantic_core import PydanticCustomError

from generator.dates import DateError, PartialDate

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$"
"""A BCP 47 language tag as content writes it: `en`, `de`, `pt-BR`."""
WEB_ADDRESS_PATTERN = r"^https?://[^\s\"<>`]+$"
"""What a source's `url` may be: an http(s) address, without the characters that cannot
appear in one (spaces, quotes, angle brackets, backticks). Other schemes (`javascript:`,
`data:`, `vbscript:`, `file:`) are refused, so no address in the content can run code."""

_UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters no page, feed or data file can carry: control characters (but tab and line
breaks), lone surrogates and the two non-characters XML forbids. YAML lets an editor write
them as escapes (`"\x01"`) and copied text sometimes brings them along; the Atom feed would
no longer be XML."""


def _char_name(char: str) -> str:
    return f"U+{ord(char):04X}"


def _showable(value: str) -> str:
    """Refuse text holding characters that no output format can show (`_UNSHOWABLE`)."""
    found = _UNSHOWABLE.search(value)
    if found is not None:
        raise PydanticCustomError(
            "text_character",
            "contains the invisible control character {char}, which pages and the feed "
            "cannot show — delete it (it often comes with copied text)",
            {"char": _char_name(found.group())},
        )
    return value


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_NOT_IN_ADDRESS = re.compile(r"[\s\"<>`]")
_PERCENT_CODES = {'"': "%22", "<": "%3C", ">": "%3E", "`": "%60"}


def _shown(value: str) -> str:
    """The value for a message: control characters named, not printed (a terminal would
    act on them), and long values shortened."""
    text = "".join(_char_name(c) if _UNSHOWABLE.match(c) or c in "\n\r\t" else c for c in value)
    return text if len(text) <= 80 else text[:79] + "…"


def _web_address(value: str) -> str:
    """Accept an http(s) address, or say in editors' words what is wrong with it."""
    shown = _shown(value)
    scheme = _SCHEME.match(value)
    if scheme is None:
        problem = "is not a web address: it should start with https:// or http://"
    elif scheme.group(1).lower() not in {"http", "https"}:
        problem = f"is a `{scheme.group(1)}:` address; only https:// and http:// are allowed"
    elif scheme.group(1) not in {"http", "https"}:
        problem = f"should start with `{scheme.group(1).lower()}://`, in lowercase"
    elif not re.match(r"^https?://[^/?#\s]", value):
        problem = "has no site name after the `//`"
    else:
        bad = _NOT_IN_ADDRESS.search(value) or _UNSHOWABLE.search(value)
        if bad is None:
            return value
        char = bad.group()
        if char == " ":
            problem = "contains a space, which a web address cannot contain — write it as %20"
        elif char in _PERCENT_CODES:
            what = "a backtick" if char == "`" else f"`{char}`"
            problem = (
                f"contains {what}, which a web address cannot contain — "
                f"write it as {_PERCENT_CODES[char]}"
            )
        else:
            problem = f"contains the invisible character {_char_name(char)} — delete it"
        raise PydanticCustomError("web_address", f"`{shown}` {problem}")
    raise PydanticCustomError(
        "web_address",
        f"`{shown}` {problem} — copy the full address from the browser's address bar",
    )


def _site_address(value: str) -> str:
    """Check `base_url` beyond its pattern: a web address with no query or fragment, whose
    path has no empty segment (`//` would make the 404 page load from another site)."""
    _web_address(value)
    rest = value.split("://", 1)[1]
    path = rest[rest.find("/") :]
    if "?" in value or "#" in value or "//" in path:
        raise PydanticCustomError(
            "web_address",
            f"`{_shown(value)}` should be the address of the site's folder, without `?`, `#` "
            "or `//` after the site name — e.g. `https://example.org/explainers/`",
        )
    return value


def _read_date(value: Any) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    approximate = False
    if isinstance(value, dict):
        unknown = set(value) - {"date", "approximate"}
        if unknown or "date" not in value:
            raise PydanticCustomError(
                "date_form",
                "a date is written `2014-07-31` or as `{date: 2014-07, approximate: true}`",
            )
        approximate = value.get("approximate", False)
        if not isinstance(approximate, bool):
            raise PydanticCustomError("date_form", "`approximate` is true or false")
        value = value["date"]
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise PydanticCustomError(
            "date_form", "a date is written YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2014-07-31)"
        )
    try:
        return PartialDate.parse(str(value), approximate)
    except DateError as exc:
        raise PydanticCustomError("date_value", str(exc)) from None


_DATE_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
        {"type": "integer", "minimum": 1000, "maximum": 9999},
        {
            "type": "object",
            "properties": {
                "date": {
                    "type": ["string", "integer"],
                    "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
                    "description": "The date, as precise as the sources give it.",
                    "examples": ["2013-06"],
                },
                "approximate": {
                    "type": "boolean",
                    "description": "`true` when the sources give the date only roughly; "
                    'shown as "c. June 2013".',
                    "examples": [True],
                },
            },
            "required": ["date"],
            "additionalProperties": False,
        },
    ],
    "examples": ["2014-07-31", "2014-07", 2014, {"date": "2014-06", "approximate": True}],
}


def _write_date(value: PartialDate) -> str | dict[str, Any]:
    """Serialize a date the way an editor writes it, so data.json reads back as content."""
    if value.approximate:
        return {"date": value.iso, "approximate": True}
    return value.iso


Date = Annotated[
    PartialDate,
    PlainValidator(_read_date),
    PlainSerializer(_write_date),
    WithJsonSchema(_DATE_SCHEMA),
]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]
Words = Annotated[str, AfterValidator(_showable)]
"""Text an editor writes, shown as written (never interpreted as HTML)."""
Text = Annotated[Words, Field(min_length=1)]
Markdown = Annotated[Words, Field(min_length=1, json_schema_extra={"format": "markdown"})]
WebAddress = Annotated[
    str,
    AfterValidator(_web_address),
    WithJsonSchema({"type": "string", "pattern": WEB_ADDRESS_PATTERN, "format": "uri"}),
]
SourceIds = Annotated[
    list[Slug],
    Field(
        description="Ids of entries in sources.yaml that support this item.",
        examples=[["reuters-2014-08-29"]],
    ),
]
RequiredSourceIds = Annotated[
    list[Slug],
    Field(
        min_length=1,
        description="Ids of entries in sources.yaml that support this item (at least one).",
        examples=[["reuters-2014-08-29"]],
    ),
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Site(Model):
    """content/site.yaml: the site as a whole."""

    title: Text = Field(
        description="The site's name, shown in every page header.", examples=["Case Explainers"]
    )
    base_url: Annotated[str, AfterValidator(_site_address)] = Field(
        description="Where the site is published, ending in `/`; "
        "used for canonical links, feed and sitemap.",
        pattern=r"^https?://[^\s]+/$",
        examples=["https://example.org/explainers/"],
    )
    language: str = Field(
        "en",
        description="Language of the content (BCP 47).",
        pattern=LANGUAGE_PATTERN,
        examples=["en"],
    )
    languages: list[Annotated[str, Field(pattern=LANGUAGE_PATTERN)]] = Field(
        [],
        description="The languages the site is published in (BCP 47), the first being the "
        "default: the content files are written in it, and each other language has its "
        "translation files beside them (`events.de.yaml`). Without it, the site has one "
        "language, `language` (which, given with `languages`, must be the first of them).",
        examples=[["en", "de"]],
    )
    description: Text = Field(
        description="One sentence about the site, for search engines and the feed.",
        examples=[
            "Plain-language explainers of legal and policy cases, with timelines, rulings, "
            "quotes, polls and the sources behind every fact."
        ],
    )
    publisher: Text = Field(
        description="Who publishes the site (a newsroom, an organization).",
        examples=["Case Explainers"],
    )
    embeds: bool = Field(
        True,
        description="Make embeddable versions of each case's timeline and of each quote "
        "(`<case>/embed/…`, with oEmbed discovery), and offer their code on the pages.",
        examples=[False],
    )
    share_cards: bool = Field(
        True,
        description="Make a picture of each page for links shared on social sites.",
        examples=[False],
    )
    search: bool = Field(
        False,
        description="Add a search page that finds events, quotes and parties in the browser.",
        examples=[True],
    )

    @model_validator(mode="before")
    @classmethod
    def _default_language(cls, data: Any) -> Any:
        """Make `languages` and `language` agree: either one gives the other. (Whether both
        were written and differ is reported where they are written, by `validate`.)"""
        if not isinstance(data, dict):
            return data
        languages, language = data.get("languages"), data.get("language")
        if isinstance(languages, list) and languages and isinstance(languages[0], str):
            if language is None:
                return {**data, "language": languages[0]}
            return data
        if isinstance(language, str) and languages is None:
            valid = re.match(LANGUAGE_PATTERN, language) is not None
            return {**data, "languages": [language] if valid else []}
        if language is None and languages is None:
            return {**data, "languages": ["en"]}
        return data


class Update(Model):
    """One dated entry of a case's updates log."""

    date: Date = Field(description="When the change was published.")
    kind: Literal["update", "correction"] = Field(
        "update",
        description="`correction` for fixes of errors readers saw.",
        examples=["update", "correction"],
    )
    text: Markdown = Field(
        description="What changed, in a sentence or two (Markdown).",
        examples=["First published."],
    )


class KeyFact(Model):
    """A short labelled fact shown in the case overview."""

    label: Text = Field(description="What the fact is about.", examples=["Court docket"])
    value: Text = Field(description="The fact itself, short.", examples=["No. 17-2"])
    sources: SourceIds = []


class Conflict(Model):
    """A point on which sources disagree, shown to readers rather than silently resolved."""

    id: Slug = Field(
        description="Lowercase slug, unique among the case's conflicts.",
        examples=["contempt-date"],
    )
    title: Text = Field(
        description="What the disagreement is about.", examples=["Date of the contempt order"]
    )
    text: Markdown = Field(
        description="What each source says, and what the explainer uses (Markdown).",
        examples=[
            "The contempt order is dated 8 September 2014, as the government's Supreme Court "
            "petition and news reports show.\n\n**This explainer uses** 8 September 2014."
        ],
    )
    sources: RequiredSourceIds


IN_BRIEF_POINTS = (3, 5)
"""How many points `in_brief` holds: enough to tell the case, few enough for one phone screen."""
IN_BRIEF_POINT_LENGTH = 160
"""The most characters a point of `in_brief` may have, as written: about four lines on a
phone, so that the first point shows in the first screen of the overview."""


def _brief_point(value: str) -> str:
    """Refuse a point of `in_brief` longer than `IN_BRIEF_POINT_LENGTH`."""
    if len(value) > IN_BRIEF_POINT_LENGTH:
        raise PydanticCustomError(
            "brief_point_length",
            "this point is {length} characters long, at most {limit} — shorten it to one "
            "short sentence and leave the detail to the summary",
            {"length": len(value), "limit": IN_BRIEF_POINT_LENGTH},
        )
    return value


def _brief_count(points: list[str]) -> list[str]:
    """Refuse an `in_brief` of fewer or more points than `IN_BRIEF_POINTS` allows."""
    least, most = IN_BRIEF_POINTS
    if least <= len(points) <= most:
        return points
    if len(points) > most:
        hint = f"keep the {most} a reader needs most"
    elif points:
        hint = "add a point, or delete `in_brief` to start the overview with the summary"
    else:
        hint = "write the points, or delete `in_brief`"
    raise PydanticCustomError(
        "brief_count",
        "has {count} points; it should have {least} to {most} — {hint}",
        {"count": len(points), "least": least, "most": most, "hint": hint},
    )


BriefPoint = Annotated[
    Words,
    Field(
        min_length=1,
        json_schema_extra={"format": "markdown", "maxLength": IN_BRIEF_POINT_LENGTH},
    ),
    AfterValidator(_brief_point),
]
"""One point of `in_brief`: a short sentence, plain text or inline Markdown."""


class Case(Model):
    """content/cases/<case>/case.yaml: the case as a whole."""

    title: Text = Field(
        description="The case as readers know it.", examples=["Microsoft Ireland email warrant"]
    )
    official_name: Words | None = Field(
        None,
        description="The caption used by the courts, if different.",
        examples=["Microsoft Corp. v. United States (2d Cir.)"],
    )
    summary: Markdown = Field(
        description="What the case is about, in a few sentences of your own (Markdown).",
        examples=[
            "In December 2013 a federal magistrate judge in New York issued a warrant under the "
            "Stored Communications Act, a 1986 law, for the emails of an MSN.com account, finding "
            "probable cause that it was being used for drug trafficking."
        ],
    )
    status: Literal["ongoing", "resolved"] = Field(
        description="Whether the case is still open.", examples=["ongoing", "resolved"]
    )
    in_brief: Annotated[
        list[BriefPoint],
        AfterValidator(_brief_count),
        WithJsonSchema(
            {
                "type": "array",
                "items": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": IN_BRIEF_POINT_LENGTH,
                    "format": "markdown",
                },
                "minItems": IN_BRIEF_POINTS[0],
                "maxItems": IN_BRIEF_POINTS[1],
            }
        ),
    ] = Field(
        [],
        description="The case in 3 to 5 short points, each a sentence of at most 160 "
        "characters (plain text or inline Markdown), shown first on the overview.",
        examples=[
            [
                "In 2013 a U.S. judge issued a warrant for emails that Microsoft kept in Dublin.",
                "Microsoft refused to hand them over; the case reached the Supreme Court.",
                "Congress passed the CLOUD Act in 2018; the case ended without an answer.",
            ]
        ],
    )
    next_step: Words | None = Field(
        None,
        description="While the case is ongoing: what happens next, in a sentence. Without "
        "it, the overview shows the latest ruling's `next_step`.",
        examples=["The Supreme Court hears argument on 27 February 2018."],
    )
    questions: list[Text] = Field(
        [],
        description="The questions at stake, each one sentence.",
        examples=[
            ["Should the courts or Congress bring a 1986 law up to date for cloud computing?"]
        ],
    )
    key_facts: list[KeyFact] = Field(
        [],
        description="Short labelled facts for the overview.",
        examples=[
            [
                {
                    "label": "Law at issue",
                    "value": "Stored Communications Act (1986), section 2703",
                    "sources": ["ca2-opinion-2016-07-14"],
                }
            ]
        ],
    )
    tags: list[Slug] = Field(
        [], description="Lowercase topic slugs.", examples=[["privacy", "cloud"]]
    )
    updates: list[Update] = Field(
        [],
        description="Dated log of updates and corrections, newest last or first.",
        examples=[[{"date": "2026-11-27", "kind": "update", "text": "First published."}]],
    )
    conflicts: list[Conflict] = Field(
        [],
        description="Points where sources disagree.",
        examples=[
            [
                {
                    "id": "contempt-date",
                    "title": "Date of the contempt order",
                    "text": "**This explainer uses** 8 September 2014.",
                    "sources": ["cert-petition-2017-06", "reuters-2014-08-29"],
                }
            ]
        ],
    )
    sources: SourceIds = []
    image: Slug | None = Field(
        None,
        description="Id of the picture (an entry of the case's media.yaml) that stands for the "
        "case on its overview and in shared links.",
        examples=["where-the-data-sat"],
    )


class Party(Model):
    """A person, organization, court or government that takes part in the case."""

    id: Slug = Field(
        description="Lowercase slug, unique among the case's parties; becomes the URL.",
        examples=["brendon-lynch"],
    )
    name: Text = Field(description="Name as readers should see it.", examples=["Brendon Lynch"])
    kind: Literal["person", "organization", "court", "government"] = Field(
        description="What sort of party this is; rulings name courts and judges by kind.",
        examples=["person", "organization", "court", "government"],
    )
    role: Text = Field(
        description="The part this party plays in the case.",
        examples=["Wrote Microsoft's blog posts on the case in 2014"],
    )
    title: Words | None = Field(
        None,
        description="Job title or office, for people.",
        examples=["Chief Privacy Officer, Microsoft"],
    )
    side: Words | None = Field(
        None,
        description="Which side the party is on, as a short label; parties are grouped by it.",
        examples=["Microsoft", "United States", "Court", "Neutral"],
    )
    member_of: Slug | None = Field(
        None,
        description="Id of the organization, court or government this party belongs to.",
        examples=["microsoft"],
    )
    summary: Markdown | None = Field(
        None,
        description="A few sentences about the party in this case (Markdown).",
        examples=[
            "Microsoft's Chief Privacy Officer blogged on 30 July and 27 August 2014 that "
            "customers' email deserves the same protection as paper mail wherever it is stored."
        ],
    )
    sources: SourceIds = []
    image: Slug | None = Field(
        None,
        description="Id of a picture of the party (an entry of the case's media.yaml), such as a"
        " building or a seal; a person's picture is their `portrait`.",
        examples=["where-the-data-sat"],
    )
    portrait: Slug | None = Field(
        None,
        description="For a person: id of an entry in the case's media.yaml, their picture, "
        "shown beside their quotes.",
        examples=["brendon-lynch-portrait"],
    )


class Ruling(Model):
    """A decision of a court: an order, an opinion, a judgment."""

    id: Slug = Field(
        description="Lowercase slug, unique among the case's rulings; becomes the URL.",
        examples=["magistrate-denies-motion"],
    )
    title: Text = Field(
        description="Short name of the ruling.",
        examples=["Magistrate judge refuses to vacate the warrant"],
    )
    court: Slug = Field(description="Id of the court (a party of kind `court`).", examples=["sdny"])
    stage: Literal["magistrate", "district", "appeals", "appeals-en-banc", "supreme", "other"] = (
        Field(
            description="Where in the procedural path the ruling sits.",
            examples=["magistrate", "appeals-en-banc"],
        )
    )
    judges: Annotated[
        list[Slug],
        BeforeValidator(
            lambda value: [value] if isinstance(value, str) else value,
            json_schema_input_type=Slug | list[Slug],
        ),
    ] = Field(
        [],
        description="Id (or list of ids) of the judges (parties of kind `person`); "
        "empty for unsigned rulings.",
        examples=[["james-c-francis-iv"], ["susan-l-carney", "gerard-e-lynch", "victor-a-bolden"]],
    )
    date: Date = Field(description="When the ruling was issued.")
    citation: Words | None = Field(
        None, description="Docket number or reporter citation.", examples=["829 F.3d 197"]
    )
    outcome: Text = Field(
        description="What the court did, in a few words.", examples=["Motion to vacate denied"]
    )
    outcome_plain: Words | None = Field(
        None,
        description="What the outcome means, in one plain-English sentence for readers who "
        "do not know the legal terms.",
        examples=["The warrant stands: Microsoft must still hand over the emails."],
    )
    holding: Markdown = Field(
        description="What the court decided and why, in your own words (Markdown).",
        examples=[
            "Judge Francis held that a Stored Communications Act warrant is a hybrid of a "
            "search warrant and a subpoena."
        ],
    )
    favours: Slug | None = Field(
        None, description="Id of the party the ruling favours, if any.", examples=["united-states"]
    )
    next_step: Words | None = Field(
        None,
        description="What happened next, in a sentence.",
        examples=["Microsoft appealed to the Second Circuit (No. 14-2985)."],
    )
    sources: RequiredSourceIds
    image: Slug | None = Field(
        None,
        description="Id of a picture (an entry of the case's media.yaml) shown with the ruling; "
        "a document goes in `documents`.",
        examples=["where-the-data-sat"],
    )
    documents: list[Slug] = Field(
        [],
        description="Ids of documents (PDF entries of the case's media.yaml) shown with the "
        "ruling, such as its opinion, with their excerpts.",
        examples=[["ca2-opinion"]],
    )


EVENT_KINDS = (
    "filing",
    "hearing",
    "ruling",
    "order",
    "brief",
    "statement",
    "legislation",
    "deadline",
    "poll",
    "context",
)


class Event(Model):
    """One entry of the timeline."""

    id: Slug = Field(
        description="Lowercase slug, unique among the case's events; becomes the URL.",
        examples=["magistrate-ruling"],
    )
    date: Date = Field(description="When it happened, to the day, month or year.")
    title: Text = Field(
        description="A short headline.", examples=["Magistrate judge upholds the warrant"]
    )
    kind: Literal[EVENT_KINDS] = Field(  # type: ignore[valid-type]
        description="What sort of event this is.", examples=["ruling", "filing", "statement"]
    )
    body: Markdown = Field(
        description="What happened, in your own words (Markdown).",
        examples=[
            "Microsoft asked the magistrate judge to vacate the warrant insofar as it reached "
            "email content stored in Dublin."
        ],
    )
    parties: list[Slug] = Field(
        [], description="Ids of the parties involved.", examples=[["microsoft", "sdny"]]
    )
    ruling: Slug | None = Field(
        None,
        description="Id of the ruling this event is about, if any.",
        examples=["magistrate-denies-motion"],
    )
    quotes: list[Slug] = Field(
        [], description="Ids of quotes said at this event.", examples=[["francis-hybrid"]]
    )
    key: bool = Field(
        False,
        description="A turning point of the case: it stands out on the timeline and is shown "
        "in its key events.",
        examples=[True],
    )
    tags: list[Slug] = Field(
        [],
        description="Lowercase slugs grouping events across kinds (a TimelineJS `Group`, "
        "slugified), shown on the event's page and in data.json.",
        examples=[["court-rulings"]],
    )
    sources: RequiredSourceIds
    image: Slug | None = Field(
        None,
        description="Id of a picture (an entry of the case's media.yaml) shown with the event; "
        "a document goes in `documents`.",
        examples=["where-the-data-sat"],
    )
    documents: list[Slug] = Field(
        [],
        description="Ids of documents (PDF entries of the case's media.yaml) shown with the "
        "event, such as the brief it is about, with their excerpts.",
        examples=[["ca2-opinion"]],
    )


class Period(Model):
    """A named span of the case's time, shown on the timeline over the events it holds
    (TimelineJS's "era")."""

    id: Slug = Field(
        description="Lowercase slug, unique among the case's periods; the timeline's anchor.",
        examples=["second-circuit-appeal"],
    )
    title: Text = Field(
        description="A short name for the span.", examples=["Appeal to the Second Circuit"]
    )
    start: Date = Field(description="When the span begins, to the day, month or year.")
    end: Date = Field(
        description="When the span ends, to the day, month or year: on or after `start`."
    )
    body: Markdown | None = Field(
        None,
        description="What the span was, in a sentence or two of your own (Markdown).",
        examples=["Microsoft appealed the district court's contempt order."],
    )
    sources: SourceIds = []


class Quote(Model):
    """Words of someone else, exactly as a source reports them."""

    id: Slug = Field(
        description="Lowercase slug, unique among the case's quotes; becomes the URL.",
        examples=["francis-hybrid"],
    )
    text: Text = Field(
        description="The exact words, without surrounding quotation marks.",
        examples=["a hybrid: part search warrant and part subpoena"],
    )
    speaker: Slug = Field(
        description="Id of the party who said or wrote it.", examples=["james-c-francis-iv"]
    )
    speaker_role: Words | None = Field(
        None,
        description="The speaker's role at the time, if not their current one.",
        examples=["Magistrate Judge, S.D.N.Y."],
    )
    said_on: Date = Field(description="When it was said or published.")
    venue: Text = Field(
        description="Where it was said or published.", examples=["Blog post, Microsoft"]
    )
    context: Markdown | None = Field(
        None,
        description="What the words respond to, in your own words (Markdown).",
        examples=[
            "Published the day before the district court heard Microsoft's challenge to the "
            "warrant."
        ],
    )
    note: Words | None = Field(
        None,
        description="A note on the wording, e.g. variants between sources.",
        examples=["A phrase from the opinion, not a full sentence."],
    )
    key: bool = Field(
        False, description="Feature this quote on the case overview.", examples=[True]
    )
    sources: RequiredSourceIds
    verbatim_in: Slug = Field(
        description="Name the one source in `sources` that prints the exact words, by its id; "
        "the others corroborate them.",
        examples=["reuters-2014-08-29"],
    )
    language: Annotated[str, Field(pattern=LANGUAGE_PATTERN)] | None = Field(
        None,
        description="The language of the words (BCP 47), when it is not the site's default "
        "language. The words are always shown as said; a translation is shown beside them.",
        examples=["de"],
    )
    translation: Words | None = Field(
        None,
        description="The words translated into the site's default language, for a quote whose "
        "`language` is another; shown beside the original, never in its place. A translation "
        "into another language of the site goes in `quotes.<lang>.yaml`.",
        examples=["Data protection is not a luxury."],
    )
    translated_by: Words | None = Field(
        None,
        description="Who translated the words in `translation`.",
        examples=["Case Explainers"],
    )


class Result(Model):
    """One answer's share in a poll question."""

    answer: Text = Field(description="The answer, as the source words it.", examples=["Agree"])
    percent: float = Field(
        ge=0, le=100, description="Share of respondents, in percent.", examples=[75]
    )


class Question(Model):
    """One question of a poll with its reported results."""

    id: Slug = Field(
        description="Lowercase slug, unique within the poll.", examples=["privacy-vs-safety"]
    )
    text: Text = Field(
        description="The finding or question as the source reports it.",
        examples=[
            "Americans shouldn't have to give up privacy and freedom for safety from crime and "
            "terrorism (as reported by the Daily Dot)"
        ],
    )
    wording: Words | None = Field(
        None,
        description="The exact question put to respondents, if a source reports it.",
        examples=[
            "Americans shouldn't have to give up privacy and freedom for safety from crime and "
            "terrorism"
        ],
    )
    results: list[Result] = Field(
        min_length=1,
        description="The reported answers; leave out what is not reported.",
        examples=[[{"answer": "Agree", "percent": 67}, {"answer": "Disagree", "percent": 25}]],
    )
    sources: SourceIds = []


class Fieldwork(Model):
    """The days on which a poll's interviews were done."""

    start: Date = Field(description="First day of interviews.")
    end: Date = Field(description="Last day of interviews (the same as start for one day).")


class Poll(Model):
    """An opinion poll with its methodology and results."""

    id: Slug = Field(
        description="Lowercase slug, unique among the case's polls; becomes the URL.",
        examples=["microsoft-privacy-poll-2014"],
    )
    title: Text = Field(
        description="A short name for the poll.",
        examples=["Microsoft's privacy survey of registered voters, July 2014"],
    )
    pollster: Slug = Field(
        description="Id of the polling firm (a party).", examples=["anzalone-liszt-grove"]
    )
    commissioned_by: Slug | None = Field(
        None,
        description="Id of the party that paid for the poll, if reported.",
        examples=["microsoft"],
    )
    fieldwork: Fieldwork | None = Field(
        None,
        description="First and last day of interviews, if reported.",
        examples=[{"start": "2014-07-07", "end": "2014-07-08"}],
    )
    published: Date | None = Field(
        None, description="When the results were released, if reported.", examples=["2014-07-16"]
    )
    population: Words | None = Field(
        None,
        description="Who was asked, e.g. `registered voters in the US`.",
        examples=["Registered voters (US)"],
    )
    sample_size: int | None = Field(
        None, gt=0, description="Number of respondents, if reported.", examples=[800]
    )
    margin_of_error: float | None = Field(
        None,
        gt=0,
        description="In percentage points, if reported; leave it out when no source gives it.",
        examples=[3.5],
    )
    mode: Words | None = Field(
        None,
        description="How people were interviewed (phone, online), if reported.",
        examples=["phone", "online"],
    )
    summary: Markdown | None = Field(
        None,
        description="What the poll is and how it was used (Markdown).",
        examples=[
            "Most findings below are **Microsoft's summaries**, not the questions respondents "
            "heard."
        ],
    )
    questions: list[Question] = Field(
        min_length=1,
        description="The questions or findings reported, each with its results.",
        examples=[
            [
                {
                    "id": "privacy-vs-safety",
                    "text": "Americans shouldn't have to give up privacy and freedom for safety "
                    "from crime and terrorism (as reported by the Daily Dot)",
                    "results": [
                        {"answer": "Agree", "percent": 67},
                        {"answer": "Disagree", "percent": 25},
                    ],
                    "sources": ["dailydot-2014-07-19"],
                }
            ]
        ],
    )
    sources: RequiredSourceIds


SOURCE_KINDS = ("court-document", "filing", "news", "other")
"""The kinds of source, in the order the sources page groups them."""


class Source(Model):
    """A document that supports items of the case."""

    id: Slug = Field(
        description="Lowercase slug, unique among the case's sources; citations use it.",
        examples=["reuters-2014-08-29"],
    )
    title: Text = Field(
        description="Title as published; describe it in [brackets] when none is shown.",
        examples=[
            "Microsoft will not hand over overseas email, despite order",
            "[Government letter to Chief Judge Preska re lifting stay]",
        ],
    )
    publisher: Text = Field(description="Who published it.", examples=["Reuters"])
    author: Words | None = Field(None, description="Author, if shown.", examples=["J. Stempel"])
    url: WebAddress = Field(
        description="Address of the document.",
        examples=["http://uk.reuters.com/article/usa-microsoft-emails-idUKL1N0QZ24W20140830"],
    )
    published: Date | None = Field(
        None, description="Publication date, if shown.", examples=["2014-08-29"]
    )
    accessed: Date | None = Field(
        None, description="When the address was last checked.", examples=["2025-01-31"]
    )
    note: Words | None = Field(
        None,
        description="What kind of copy this is, or what to know about it.",
        examples=["AP story as carried by NewsOK."],
    )
    kind: Literal[SOURCE_KINDS] = Field(  # type: ignore[valid-type]
        "other",
        description=(
            "What the document is, for the sources page's groups: `court-document` (an opinion,"
            " order or transcript a court issued), `filing` (a brief, petition or letter filed"
            " with a court), `news` (a news report) or `other` (commentary, statements,"
            " legislation and the rest); `other` when left out."
        ),
        examples=["court-document", "filing", "news", "other"],
    )


class Term(Model):
    """A word or phrase of the glossary, linked from prose to its definition."""

    id: Slug = Field(
        description="Lowercase slug, unique in the glossary; the anchor of its definition.",
        examples=["certiorari"],
    )
    term: Text = Field(description="The term as the glossary lists it.", examples=["Certiorari"])
    forms: list[Text] = Field(
        [],
        description="Other ways prose writes the term (abbreviations, plurals, longer names); "
        "each is linked like the term, matched as whole words ignoring case.",
        examples=[["cert", "writ of certiorari"]],
    )
    definition: Markdown = Field(
        description="What the term means, in a sentence or two of your own (Markdown).",
        examples=["An order by which the Supreme Court agrees to review a lower court's decision."],
    )
    sources: SourceIds = Field(
        [],
        description="Ids of entries in the case's sources.yaml that the definition rests on; "
        "a site-wide term (content/glossary.yaml) cites none.",
        examples=[["scotus-order-2018-04-17"]],
    )


@dataclass(frozen=True)
class Licence:
    """A licence a media item may be published under, with the page that explains it."""

    name: str
    """Its name as readers see it under the image."""
    deed: str | None
    """The address of its deed (a page explaining the licence in plain words); None for
    `permission`, whose terms are the item's own `licence_note`."""


LICENCES: dict[str, Licence] = {
    "CC-BY-4.0": Licence("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": Licence("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    "CC0-1.0": Licence("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "public-domain": Licence("Public domain", "https://creativecommons.org/publicdomain/mark/1.0/"),
    "permission": Licence("Used with permission", None),
}
"""The licences a media item may have: three SPDX ids, `public-domain` for works free of
copyright (such as works of the U.S. government) and `permission` for a work its owner let the
site publish, whose terms `licence_note` gives. A picture under any other licence cannot be
published here."""

MEDIA_TYPES: dict[str, tuple[str, ...]] = {
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "image/webp": (".webp",),
    "image/svg+xml": (".svg",),
    "application/pdf": (".pdf",),
}
"""The kinds of file a media item may be, by media type, with the file name endings of each."""
DOCUMENT_TYPES = frozenset({"application/pdf"})
"""The media types that are documents: they have pages, and may be excerpted."""


class Excerpt(Model):
    """A passage of a document, shown with its page and a link to that page."""

    page: int = Field(
        ge=1, description="The page the passage is on (1 is the first).", examples=[12]
    )
    quote: Text = Field(
        description="The passage's words, exactly as printed.",
        examples=["a hybrid: part search warrant and part subpoena"],
    )
    sources: RequiredSourceIds


class Media(Model):
    """content/cases/<case>/media.yaml: a picture or a document kept in the case's media/
    folder, with what a reader must be told about it."""

    id: Slug = Field(
        description="Lowercase slug, unique among the case's media; events, rulings, parties "
        "and case.yaml name a picture in `image` (a person's `portrait`); events and rulings "
        "name a document in `documents`.",
        examples=["where-the-data-sat"],
    )
    title: Text | None = Field(
        None,
        description="For a document: its name as readers see it, such as the title on its "
        "first page. Required for a PDF.",
        examples=["Opinion of the Court of Appeals for the Second Circuit (14 July 2016)"],
    )
    file: Text = Field(
        description="The file's path inside the case's media/ folder: a JPEG, PNG, WebP or "
        "SVG picture, or a PDF document.",
        examples=["where-the-data-sat.svg", "documents/ca2-opinion.pdf"],
    )
    alt: Words | None = Field(
        None,
        description="What the picture shows, for readers who cannot see it. Required, unless "
        "`decorative` is true.",
        examples=["A map: the emails sat on a server in Dublin; Microsoft is in Redmond."],
    )
    decorative: bool = Field(
        False,
        description="`true` for a picture that adds nothing a reader needs, which then has no "
        "`alt`.",
        examples=[True],
    )
    caption: Markdown | None = Field(
        None,
        description="A sentence shown under the picture (Markdown).",
        examples=["Where the emails were kept, and who asked for them."],
    )
    credit: Text = Field(
        description="Who made it, as readers see it under the picture.",
        examples=["Case Explainers"],
    )
    licence: Literal[tuple(LICENCES)] = Field(  # type: ignore[valid-type]
        description="Under what terms it is published: `CC-BY-4.0`, `CC-BY-SA-4.0`, `CC0-1.0`, "
        "`public-domain` (e.g. a work of the U.S. government) or `permission` (then say whose "
        "and on what terms in `licence_note`).",
        examples=["CC-BY-4.0", "public-domain", "permission"],
    )
    licence_note: Words | None = Field(
        None,
        description="Who gave permission, and on what terms; required with `licence: permission`.",
        examples=["Published with the permission of the photographer."],
    )
    creator: Text | None = Field(
        None,
        description="Who made it, by a person's name, when `credit` says something else (a "
        "newsroom, an agency): machines read it as the picture's creator.",
        examples=["Jane Doe"],
    )
    copyright_notice: Text | None = Field(
        None,
        description="The copyright notice the licence asks to keep, as the rights holder words it.",
        examples=["© 2016 Jane Doe"],
    )
    source: WebAddress | None = Field(
        None,
        description="Where the file came from, if it was published elsewhere first.",
        examples=["https://www.supremecourt.gov/opinions/17pdf/17-2_1824.pdf"],
    )
    date: Date | None = Field(
        None, description="When it was made or published, if known.", examples=["2016-07-14"]
    )
    pages: int | None = Field(
        None,
        ge=1,
        description="For a document: how many pages it has; required with `excerpts`.",
        examples=[43],
    )
    excerpts: list[Excerpt] = Field(
        [],
        description="For a document: passages to show, each with its page.",
        examples=[
            [
                {
                    "page": 12,
                    "quote": "a hybrid: part search warrant and part subpoena",
                    "sources": ["magistrate-opinion-2014-04-25"],
                }
            ]
        ],
    )


COLLECTION_MODELS: dict[str, type[Model]] = {
    "parties": Party,
    "rulings": Ruling,
    "events": Event,
    "periods": Period,
    "quotes": Quote,
    "polls": Poll,
    "sources": Source,
    "glossary": Term,
    "media": Media,
}


TRANSLATABLE: dict[str, tuple[str, ...]] = {
    "case": ("title", "summary", "in_brief", "questions", "key_facts", "next_step"),
    "events": ("title", "body"),
    "periods": ("title", "body"),
    "rulings": ("title", "outcome", "outcome_plain", "holding", "next_step"),
    "parties": ("role", "title", "summary"),
    "quotes": ("translation", "translated_by", "context"),
    "polls": ("title", "summary", "questions"),
    "glossary": ("term", "forms", "definition"),
    "media": ("alt", "caption"),
}
"""The fields a translation file (`events.de.yaml`, `case.de.yaml`) may hold, per collection:
the words an editor wrote. Ids, dates, references, figures and names are written once, in the
default language's files; so are sources (titles as published) and official names. A quote's
words are never replaced: its `translation` is shown beside them."""

TRANSLATED_FROM: dict[str, dict[str, str]] = {"quotes": {"translation": "text"}}
"""The source field a translated field renders, where the names differ: a quote's
`translation` translates its `text`. (`translated_by` translates nothing.)"""
UNFINGERPRINTED = frozenset({"translated_by"})
"""Translated fields that are no translation of any source text."""

UNTRANSLATED = "untranslated"
"""A stamp's word for a field with text in the default language left untranslated."""
_FIELD_STAMP = re.compile(rf"^([0-9a-f]{{8}}|{UNTRANSLATED})$")
_ITEM_STAMP = re.compile(r"^[0-9a-f]{12}$")


def _stamp(value: Any) -> Any:
    """Take a stamp as `explainer translations stamp` writes it: by field, 8 hex digits or
    `untranslated`; or, written before stamps were kept per field, 12 hex digits."""
    if isinstance(value, str) and _ITEM_STAMP.match(value):
        return value
    if isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) and _FIELD_STAMP.match(v)
        for k, v in value.items()
    ):
        return value
    raise PydanticCustomError(
        "stamp",
        "not as `explainer translations stamp` writes it (by field, 8 hex digits or "
        f"`{UNTRANSLATED}`) — delete the line, then stamp again",
    )


TranslatedFrom = Annotated[
    dict[str, str] | str,
    BeforeValidator(_stamp),
    Field(
        description="What each field was translated from: by field, the fingerprint of its "
        f"default-language text, or `{UNTRANSLATED}` for a field left in the default language; "
        "written by `explainer translations stamp LANG`, not by hand. (One fingerprint of the "
        "whole item, 12 hex digits, is a stamp from before stamps were kept per field.)",
        examples=[{"title": "3f2a9c1b", "body": "77d0e4aa"}],
    ),
]


class KeyFactTranslation(Model):
    """A key fact's words translated; its sources stay in case.yaml."""

    label: Text = Field(description="What the fact is about.", examples=["Aktenzeichen"])
    value: Text = Field(description="The fact itself, short.", examples=["Nr. 17-2"])


class QuestionTranslation(Model):
    """A poll question's finding translated; its id and results stay in the poll."""

    text: Text = Field(
        description="The finding or question, translated.", examples=["Privatsphäre vor Sicherheit"]
    )


_NESTED_TRANSLATIONS: dict[tuple[str, str], Any] = {
    ("case", "key_facts"): list[KeyFactTranslation],
    ("polls", "questions"): list[QuestionTranslation],
}


def _translation_model(collection: str, source: type[Model]) -> type[Model]:
    """The model of one item of a translation file: the collection's translatable fields,
    each optional, and the stamp; any other field is a mistake (`extra="forbid"`)."""
    fields: dict[str, Any] = {}
    for name in TRANSLATABLE[collection]:
        info = source.model_fields[name]
        annotation: Any = _NESTED_TRANSLATIONS.get((collection, name), info.annotation)
        if type(None) not in get_args(annotation):
            annotation = annotation | None
        description = info.description or ""
        fields[name] = (annotation, Field(None, description=description))
    fields["translated_from"] = (TranslatedFrom | None, None)
    if collection == "case":
        fields["translated_by"] = (
            Text,
            Field(
                description="Who translated this case into the language, as readers see it.",
                examples=["Case Explainers"],
            ),
        )
        fields["translated_on"] = (
            Date,
            Field(description="When the translation was made or last brought up to date."),
        )
    name = f"{source.__name__}Translation"
    model = create_model(name, __base__=Model, **fields)
    model.__doc__ = f"One item of a translation of {collection}: its words in another language."
    return model


TRANSLATION_SOURCES: dict[str, type[Model]] = {"case": Case, **COLLECTION_MODELS}
"""The model each translation file translates, by collection (and `case`)."""
TRANSLATION_MODELS: dict[str, type[Model]] = {
    collection: _translation_model(collection, TRANSLATION_SOURCES[collection])
    for collection in TRANSLATABLE
}
"""The model of one translated item, per collection (and `case`)."""
