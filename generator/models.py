"""The content model: what an editor may write in each YAML file, field by field.

These pydantic models are the single source of truth for the YAML format. Field descriptions
and examples travel into `explainer schema`, so editors' tools can offer them as they type.
Cross-references between items (a quote's `speaker`, an event's `ruling`) are checked in
`validate`, which knows every id of the case.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from generator.dates import DateError, PartialDate

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


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
                "date": {"type": ["string", "integer"], "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
                "approximate": {"type": "boolean"},
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
Text = Annotated[str, Field(min_length=1)]
Markdown = Annotated[str, Field(min_length=1, json_schema_extra={"format": "markdown"})]
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
    base_url: str = Field(
        description="Where the site is published, ending in `/`; "
        "used for canonical links, feed and sitemap.",
        pattern=r"^https?://[^\s]+/$",
        examples=["https://example.org/explainers/"],
    )
    language: str = Field(
        "en",
        description="Language of the content (BCP 47).",
        pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$",
    )
    description: Text = Field(
        description="One sentence about the site, for search engines and the feed."
    )
    publisher: Text = Field(description="Who publishes the site (a newsroom, an organization).")


class Update(Model):
    """One dated entry of a case's updates log."""

    date: Date = Field(description="When the change was published.")
    kind: Literal["update", "correction"] = Field(
        "update", description="`correction` for fixes of errors readers saw."
    )
    text: Markdown = Field(description="What changed, in a sentence or two (Markdown).")


class KeyFact(Model):
    """A short labelled fact shown in the case overview."""

    label: Text = Field(description="What the fact is about.", examples=["Court docket"])
    value: Text = Field(description="The fact itself, short.", examples=["No. 17-2"])
    sources: SourceIds = []


class Conflict(Model):
    """A point on which sources disagree, shown to readers rather than silently resolved."""

    id: Slug = Field(description="Lowercase slug, unique among the case's conflicts.")
    title: Text = Field(
        description="What the disagreement is about.", examples=["Date of the contempt order"]
    )
    text: Markdown = Field(
        description="What each source says, and what the explainer uses (Markdown)."
    )
    sources: RequiredSourceIds


class Case(Model):
    """content/cases/<case>/case.yaml: the case as a whole."""

    title: Text = Field(
        description="The case as readers know it.", examples=["Microsoft Ireland email warrant"]
    )
    official_name: str | None = Field(
        None, description="The caption used by the courts, if different."
    )
    summary: Markdown = Field(
        description="What the case is about, in a few sentences of your own (Markdown)."
    )
    status: Literal["ongoing", "resolved"] = Field(description="Whether the case is still open.")
    questions: list[Text] = Field([], description="The questions at stake, each one sentence.")
    key_facts: list[KeyFact] = Field([], description="Short labelled facts for the overview.")
    tags: list[Slug] = Field(
        [], description="Lowercase topic slugs.", examples=[["privacy", "cloud"]]
    )
    updates: list[Update] = Field(
        [], description="Dated log of updates and corrections, newest last or first."
    )
    conflicts: list[Conflict] = Field([], description="Points where sources disagree.")
    sources: SourceIds = []


class Party(Model):
    """A person, organization, court or government that takes part in the case."""

    id: Slug = Field(
        description="Lowercase slug, unique among the case's parties; becomes the URL.",
        examples=["brendon-lynch"],
    )
    name: Text = Field(description="Name as readers should see it.", examples=["Brendon Lynch"])
    kind: Literal["person", "organization", "court", "government"] = Field(
        description="What sort of party this is; rulings name courts and judges by kind."
    )
    role: Text = Field(
        description="The part this party plays in the case.",
        examples=["Chief Privacy Officer, Microsoft"],
    )
    title: str | None = Field(None, description="Job title or office, for people.")
    side: str | None = Field(
        None,
        description="Which side the party is on, as a short label; parties are grouped by it.",
        examples=["Microsoft", "Government", "Neutral", "Court"],
    )
    member_of: Slug | None = Field(
        None, description="Id of the organization, court or government this party belongs to."
    )
    summary: Markdown | None = Field(
        None, description="A few sentences about the party in this case (Markdown)."
    )
    sources: SourceIds = []


class Ruling(Model):
    """A decision of a court: an order, an opinion, a judgment."""

    id: Slug = Field(
        description="Lowercase slug, unique among the case's rulings; becomes the URL."
    )
    title: Text = Field(
        description="Short name of the ruling.", examples=["Magistrate upholds the warrant"]
    )
    court: Slug = Field(description="Id of the court (a party of kind `court`).")
    stage: Literal["magistrate", "district", "appeals", "appeals-en-banc", "supreme", "other"] = (
        Field(description="Where in the procedural path the ruling sits.")
    )
    judges: Annotated[
        list[Slug], BeforeValidator(lambda value: [value] if isinstance(value, str) else value)
    ] = Field(
        [],
        description="Id (or list of ids) of the judges (parties of kind `person`); "
        "empty for unsigned rulings.",
    )
    date: Date = Field(description="When the ruling was issued.")
    citation: str | None = Field(
        None, description="Docket number or reporter citation.", examples=["829 F.3d 197"]
    )
    outcome: Text = Field(
        description="What the court did, in a few words.", examples=["Motion to vacate denied"]
    )
    holding: Markdown = Field(
        description="What the court decided and why, in your own words (Markdown)."
    )
    favours: Slug | None = Field(None, description="Id of the party the ruling favours, if any.")
    next_step: str | None = Field(None, description="What happened next, in a sentence.")
    sources: RequiredSourceIds


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

    id: Slug = Field(description="Lowercase slug, unique among the case's events; becomes the URL.")
    date: Date = Field(description="When it happened, to the day, month or year.")
    title: Text = Field(description="A short headline.")
    kind: Literal[EVENT_KINDS] = Field(description="What sort of event this is.")  # type: ignore[valid-type]
    body: Markdown = Field(description="What happened, in your own words (Markdown).")
    parties: list[Slug] = Field([], description="Ids of the parties involved.")
    ruling: Slug | None = Field(None, description="Id of the ruling this event is about, if any.")
    quotes: list[Slug] = Field([], description="Ids of quotes said at this event.")
    sources: RequiredSourceIds


class Quote(Model):
    """Words of someone else, exactly as a source reports them."""

    id: Slug = Field(description="Lowercase slug, unique among the case's quotes; becomes the URL.")
    text: Text = Field(description="The exact words, without surrounding quotation marks.")
    speaker: Slug = Field(description="Id of the party who said or wrote it.")
    speaker_role: str | None = Field(
        None, description="The speaker's role at the time, if not their current one."
    )
    said_on: Date = Field(description="When it was said or published.")
    venue: Text = Field(
        description="Where it was said or published.", examples=["Microsoft blog post"]
    )
    context: Markdown | None = Field(
        None, description="What the words respond to, in your own words (Markdown)."
    )
    note: str | None = Field(
        None, description="A note on the wording, e.g. variants between sources."
    )
    key: bool = Field(False, description="Feature this quote on the case overview.")
    sources: RequiredSourceIds


class Result(Model):
    """One answer's share in a poll question."""

    answer: Text = Field(description="The answer, as the source words it.", examples=["Agree"])
    percent: float = Field(ge=0, le=100, description="Share of respondents, in percent.")


class Question(Model):
    """One question of a poll with its reported results."""

    id: Slug = Field(description="Lowercase slug, unique within the poll.")
    text: Text = Field(description="The finding or question as the source reports it.")
    wording: str | None = Field(
        None, description="The exact question put to respondents, if a source reports it."
    )
    results: list[Result] = Field(
        min_length=1, description="The reported answers; leave out what is not reported."
    )
    sources: SourceIds = []


class Fieldwork(Model):
    """The days on which a poll's interviews were done."""

    start: Date = Field(description="First day of interviews.")
    end: Date = Field(description="Last day of interviews (the same as start for one day).")


class Poll(Model):
    """An opinion poll with its methodology and results."""

    id: Slug = Field(description="Lowercase slug, unique among the case's polls; becomes the URL.")
    title: Text = Field(description="A short name for the poll.")
    pollster: Slug = Field(description="Id of the polling firm (a party).")
    commissioned_by: Slug | None = Field(
        None, description="Id of the party that paid for the poll, if reported."
    )
    fieldwork: Fieldwork | None = Field(
        None, description="First and last day of interviews, if reported."
    )
    published: Date | None = Field(None, description="When the results were released, if reported.")
    population: str | None = Field(
        None, description="Who was asked, e.g. `registered voters in the US`."
    )
    sample_size: int | None = Field(None, gt=0, description="Number of respondents, if reported.")
    margin_of_error: float | None = Field(
        None, gt=0, description="In percentage points, if reported."
    )
    mode: str | None = Field(
        None, description="How people were interviewed (phone, online), if reported."
    )
    summary: Markdown | None = Field(
        None, description="What the poll is and how it was used (Markdown)."
    )
    questions: list[Question] = Field(
        min_length=1, description="The questions or findings reported, each with its results."
    )
    sources: RequiredSourceIds


class Source(Model):
    """A document that supports items of the case."""

    id: Slug = Field(
        description="Lowercase slug, unique among the case's sources; citations use it."
    )
    title: Text = Field(
        description="Title as published; describe it in [brackets] when none is shown."
    )
    publisher: Text = Field(description="Who published it.")
    author: str | None = Field(None, description="Author, if shown.")
    url: str = Field(description="Address of the document.", pattern=r"^https?://\S+$")
    published: Date | None = Field(None, description="Publication date, if shown.")
    accessed: Date | None = Field(None, description="When the address was last checked.")
    note: str | None = Field(
        None, description="What kind of copy this is, or what to know about it."
    )


COLLECTION_MODELS: dict[str, type[Model]] = {
    "parties": Party,
    "rulings": Ruling,
    "events": Event,
    "quotes": Quote,
    "polls": Poll,
    "sources": Source,
}
