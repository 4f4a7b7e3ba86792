"""Synthetic, valid content of any size, for benchmarks.

One case with N quotes, N/2 events, N/20 parties, N/50 rulings, N/20 sources and a few polls
(with small floors so that N = 100 still has courts, judges and pollsters), written one file
per collection (`quotes.yaml`, `events.yaml`, ...) the way editors write them: folded text,
Markdown in literal blocks, dates as `2014-07-31`. Quote texts are about 40 words, quote
contexts about 80 words of Markdown, event bodies about 100 words of Markdown with bold,
emphasis, links and lists. Every item cites 1–3 sources; events name parties, quotes and
rulings; rulings name courts and judges of the right kind, so `explainer check` passes.

With `images=K` (`--images K`) the case also has K pictures: K JPEGs of `IMAGE_SIZE` in
media/, each distinct (colour fields drawn from the seed under a shared grain, about as
costly to encode as a photo), described in media.yaml and each shown by one of the first K
events. The YAML of the other collections is the same with or without them, but for those
events' `image` lines.

With `languages=("de",)` (`--languages de`) the site is also in those languages: each gets a
translation of the case's overview, of every event's title and body, of every party's role
and of every fourth quote (its translation beside the original words), written as an editor
would (`events.de.yaml`, ...) in German-looking words of its own, unstamped; rulings, polls
and the other quotes fall back to English, so both states are built. The default files are
the same bytes with or without them, but for site.yaml's `languages` line.

The same N, K, languages and seed always give the same bytes.

    python -m bench.synthetic 1000 /dev/shm/content [--seed 1] [--images 100] [--languages de]
"""

from __future__ import annotations

import argparse
import json
import random
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from generator.models import EVENT_KINDS

CASE_SLUG = "synthetic"
STAGES = ("magistrate", "district", "appeals", "appeals-en-banc", "supreme", "other")
SIDES = ("Applicant", "Government", "Neutral", "Other")

_WORDS_TEXT = (
    "the court held that a warrant issued under the statute reaches data stored abroad when the "
    "provider controls it and the government argued that disclosure happens at home while the "
    "company answered that the search itself takes place where the servers are so the law "
    "cannot apply outside the country without clear words from the legislature and the judges "
    "weighed comity sovereignty treaty procedure privacy evidence jurisdiction appeal petition "
    "motion hearing record opinion dissent majority precedent argument counsel brief amicus "
    "filing order stay contempt remedy subpoena custody possession control location email "
    "account content metadata cloud service customer investigation prosecutor agency officer "
    "minister parliament congress statute section provision amendment reform policy public "
    "interest balance rights protection access request mutual assistance foreign domestic "
    "federal national regional district circuit supreme magistrate panel rehearing review "
    "certiorari moot vacated remanded affirmed reversed granted denied dismissed pending "
    "deadline schedule notice letter statement press release interview report survey poll "
    "voters respondents majority minority support oppose concern trust security safety crime "
    "drug trafficking terrorism fraud technology industry market competition trade diplomacy "
    "negotiation agreement framework standard principle test factor focus territory border "
    "network storage transfer copy produce disclose comply refuse challenge defend reply"
)
WORDS = tuple(_WORDS_TEXT.split())
_TRANSLATED_WORDS_TEXT = (
    "das gericht entschied dass ein beschluss nach dem gesetz daten im ausland erreicht wenn der "
    "anbieter sie kontrolliert und die regierung argumentierte dass die herausgabe im inland "
    "geschieht während das unternehmen antwortete dass die durchsuchung dort stattfindet wo die "
    "server stehen richter abwägung souveränität abkommen verfahren datenschutz beweis "
    "zuständigkeit berufung antrag anhörung akte urteil mehrheit vorrang schriftsatz anordnung "
    "aufschub beugehaft konto inhalt wolke dienst kunde ermittlung staatsanwalt behörde minister "
    "parlament kongress abschnitt vorschrift änderung reform öffentlichkeit interesse rechte "
    "schutz zugang ersuchen rechtshilfe ausländisch bundes bezirk aufgehoben zurückverwiesen "
    "bestätigt abgewiesen frist mitteilung erklärung presse umfrage wähler sicherheit handel"
)
TRANSLATED_WORDS = tuple(_TRANSLATED_WORDS_TEXT.split())
_FIRST_NAMES_TEXT = (
    "Ada Brendan Carla Dmitri Elena Farid Greta Hiro Ines Jonas Kira Luis Maya Nils Olga Pavel "
    "Quinn Rosa Samir Tara Uma Viktor Wanda Xavier Yara Zoltan"
)
FIRST_NAMES = tuple(_FIRST_NAMES_TEXT.split())
_LAST_NAMES_TEXT = (
    "Adler Brennan Costa Duarte Eriksen Fischer Garcia Hoffmann Ito Jansen Kowalski Larsen "
    "Moreau Novak Okafor Petrov Quist Rossi Schmidt Tanaka Ueda Varga Weber Xu Young Zimmer"
)
LAST_NAMES = tuple(_LAST_NAMES_TEXT.split())
PUBLISHERS = (
    "Associated Press",
    "Reuters",
    "The Law Review",
    "Court Records Office",
    "Policy Weekly",
    "The Daily Ledger",
    "Tech Policy Journal",
    "Public Broadcaster",
)
VENUES = (
    "Press conference",
    "Blog post",
    "Op-ed in a national newspaper",
    "From the bench, oral argument",
    "Written opinion",
    "Television interview",
    "Statement to the press",
    "Parliamentary hearing",
)


@dataclass(frozen=True)
class Counts:
    quotes: int
    events: int
    parties: int
    rulings: int
    sources: int
    polls: int

    @classmethod
    def for_size(cls, n: int) -> Counts:
        """N quotes, N/2 events, N/20 parties, N/50 rulings, N/20 sources, a few polls."""
        if n < 10:
            raise ValueError("N must be at least 10")
        return cls(
            quotes=n,
            events=max(5, n // 2),
            parties=max(12, n // 20),
            rulings=max(2, n // 50),
            sources=max(5, n // 20),
            polls=3,
        )


@dataclass(frozen=True)
class Written:
    counts: Counts
    files: dict[str, int]
    """Bytes written per file, relative to the content folder."""
    pictures: int = 0
    picture_bytes: int = 0
    """How many pictures were written to media/, and their bytes (not in `files`)."""

    @property
    def total_bytes(self) -> int:
        return sum(self.files.values())


QUOTE_EDIT_ID = "quote-{:05d}"
PICTURE_ID = "picture-{:05d}"
"""Picture i is `media/picture-0000i.jpg`, shown by `event-0000i`."""
IMAGE_SIZE = (1600, 1000)


def edit_quote(quotes_yaml: Path, quote_id: str, tag: str) -> None:
    """Change one quote's text in place: prefix its first text line with `tag`.

    Used by the benchmark for "rebuild after editing one quote"; `tag` should differ on
    every call so each rebuild sees new bytes.
    """
    text = quotes_yaml.read_text(encoding="utf-8")
    anchor = f"- id: {quote_id}\n  text: >-\n    "
    if anchor not in text:  # an item file of a folder collection
        anchor = f"id: {quote_id}\ntext: >-\n  "
    start = text.index(anchor) + len(anchor)
    end = text.index("\n", start)
    line = text[start:end]
    words = line.split(" ")
    if words and words[0].startswith("edit"):
        words = words[1:]
    quotes_yaml.write_text(text[:start] + " ".join([tag, *words]) + text[end:], encoding="utf-8")


def edit_caption(media_yaml: Path, picture_id: str, tag: str) -> None:
    """Change one picture's caption in place: prefix it with `tag` (replacing an earlier
    tag), as `edit_quote` does a quote's text."""
    text = media_yaml.read_text(encoding="utf-8")
    anchor = f"- id: {picture_id}\n"
    start = text.index("  caption: ", text.index(anchor)) + len("  caption: ")
    end = text.index("\n", start)
    words = text[start:end].split(" ")
    if words and words[0].startswith("edit"):
        words = words[1:]
    media_yaml.write_text(text[:start] + " ".join([tag, *words]) + text[end:], encoding="utf-8")


FOLDERS_FROM = 15_000
"""From this many quotes the collections are written as folders, one file per item: past
about 17,000 quotes, quotes.yaml would exceed the loader's 20 MiB per-file limit."""
FOLDER_COLLECTIONS = ("sources", "parties", "rulings", "quotes", "events", "polls")


def generate(
    n: int,
    out: Path,
    seed: int = 1,
    images: int = 0,
    languages: tuple[str, ...] = (),
    folders: bool | None = None,
) -> Written:
    """Write site.yaml and one case of size `n` into `out` (created; must be empty or absent),
    with `images` pictures (at most one per event) and translations into `languages`; the
    collections as folders of one item per file with `folders` (by default from
    `FOLDERS_FROM` quotes), else one file each."""
    rng = random.Random(seed)
    counts = Counts.for_size(n)
    out.mkdir(parents=True, exist_ok=True)
    case_dir = out / "cases" / CASE_SLUG
    case_dir.mkdir(parents=True, exist_ok=True)
    gen = _Generator(rng, counts)
    documents = {
        "site.yaml": gen.site(),
        f"cases/{CASE_SLUG}/case.yaml": gen.case(n),
        f"cases/{CASE_SLUG}/sources.yaml": gen.sources(),
        f"cases/{CASE_SLUG}/parties.yaml": gen.parties(),
        f"cases/{CASE_SLUG}/rulings.yaml": gen.rulings(),
        f"cases/{CASE_SLUG}/quotes.yaml": gen.quotes(),
        f"cases/{CASE_SLUG}/events.yaml": gen.events(),
        f"cases/{CASE_SLUG}/polls.yaml": gen.polls(),
    }
    picture_bytes = 0
    if images:
        if not 0 < images <= counts.events:
            raise ValueError(f"at most one picture per event: {counts.events} events")
        events = f"cases/{CASE_SLUG}/events.yaml"
        documents[events] = _shown_by_events(documents[events], images)
        documents[f"cases/{CASE_SLUG}/media.yaml"] = _media_yaml(images)
        picture_bytes = write_pictures(case_dir / "media", images, seed)
    if languages:
        documents["site.yaml"] += f"languages: {_list(['en', *languages])}\n"
        for offset, language in enumerate(languages, start=1):
            translator = _Translator(random.Random(seed * 1000 + offset), counts, gen)
            for collection, text in translator.documents().items():
                documents[f"cases/{CASE_SLUG}/{collection}.{language}.yaml"] = text
    if folders if folders is not None else n >= FOLDERS_FROM:
        documents = _in_folders(documents)
    written = {}
    for name, text in documents.items():
        data = text.encode("utf-8")
        path = out / name
        if path.parent != case_dir:
            path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        written[name] = len(data)
    return Written(counts, written, images, picture_bytes)


def _in_folders(documents: dict[str, str]) -> dict[str, str]:
    """The documents with each collection file of the case (`FOLDER_COLLECTIONS`, not their
    translations) split into a folder of one file per item, `quotes/quote-00001.yaml`."""
    split: dict[str, str] = {}
    for name, text in documents.items():
        folder, _, file_name = name.rpartition("/")
        collection = file_name.removesuffix(".yaml")
        if folder != f"cases/{CASE_SLUG}" or collection not in FOLDER_COLLECTIONS:
            split[name] = text
            continue
        for item in text.split("\n- id: ")[1:]:
            ident, _, rest = item.partition("\n")
            body = "".join(line[2:] + "\n" for line in rest.rstrip("\n").split("\n"))
            split[f"{folder}/{collection}/{ident}.yaml"] = f"id: {ident}\n{body}"
    return split


def collection_text(case_dir: Path, name: str) -> str:
    """The collection `name` of the case in `case_dir` as one YAML list, whether it is a file
    or a folder of one item per file (for the peers, which read lists)."""
    file = case_dir / f"{name}.yaml"
    if file.is_file():
        return file.read_text(encoding="utf-8")
    items = []
    for path in sorted((case_dir / name).glob("*.yaml")):
        first, _, rest = path.read_text(encoding="utf-8").partition("\n")
        indented = "".join(("  " + line if line else line) + "\n" for line in rest.split("\n"))
        items.append(f"- {first}\n{indented.rstrip(chr(10))}\n")
    return "\n".join(items)


def quote_file(quotes: Path, quote_id: str) -> Path:
    """The file that holds `quote_id` in a case's quotes: `quotes.yaml`, or its file in the
    `quotes/` folder beside it."""
    if quotes.is_file():
        return quotes
    return quotes.with_suffix("") / f"{quote_id}.yaml"


def _shown_by_events(events: str, images: int) -> str:
    for i in range(1, images + 1):
        anchor = f"- id: event-{i:05d}\n"
        events = events.replace(anchor, f"{anchor}  image: {PICTURE_ID.format(i)}\n", 1)
    return events


def _media_yaml(images: int) -> str:
    lines = ["# The synthetic case's pictures, each shown by one event.", ""]
    for i in range(1, images + 1):
        ident = PICTURE_ID.format(i)
        lines += [
            f"- id: {ident}",
            f"  file: {ident}.jpg",
            f"  alt: Colour fields under a fine grain, synthetic picture {i}",
            f"  caption: Synthetic picture {i}, made for the benchmark.",
            "  credit: Synthetic Newsroom",
            "  licence: CC-BY-4.0",
            "",
        ]
    return "\n".join(lines)


def write_pictures(folder: Path, count: int, seed: int = 1) -> int:
    """Write `count` distinct JPEGs of `IMAGE_SIZE` into `folder`; return their bytes."""
    from PIL import Image

    rng = random.Random(f"pictures {seed}")  # apart from the YAML's, which stays the same
    width, height = IMAGE_SIZE
    folder.mkdir(parents=True, exist_ok=True)
    grain = Image.frombytes("L", (width, height), rng.randbytes(width * height)).convert("RGB")
    total = 0
    for i in range(1, count + 1):
        fields = Image.frombytes("RGB", (16, 10), rng.randbytes(16 * 10 * 3))
        picture = Image.blend(fields.resize(IMAGE_SIZE, Image.Resampling.BICUBIC), grain, 0.08)
        path = folder / f"{PICTURE_ID.format(i)}.jpg"
        picture.save(path, "JPEG", quality=85)
        total += path.stat().st_size
    return total


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _folded(key: str, text: str, indent: int) -> list[str]:
    """`key: >-` and the text wrapped below it."""
    pad = " " * (indent + 2)
    lines = textwrap.wrap(text, 88 - len(pad), break_long_words=False, break_on_hyphens=False)
    return [f"{' ' * indent}{key}: >-", *(pad + line for line in lines)]


def _literal(key: str, markdown: str, indent: int) -> list[str]:
    """`key: |-` and the Markdown below it, line for line."""
    pad = " " * (indent + 2)
    return [
        f"{' ' * indent}{key}: |-",
        *((pad + line) if line else "" for line in markdown.split("\n")),
    ]


def _list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


class _Generator:
    vocabulary = WORDS

    def __init__(self, rng: random.Random, counts: Counts) -> None:
        self.rng = rng
        self.counts = counts
        self.source_ids = [f"source-{i:05d}" for i in range(1, counts.sources + 1)]
        self.quote_ids = [QUOTE_EDIT_ID.format(i) for i in range(1, counts.quotes + 1)]
        self.ruling_ids = [f"ruling-{i:04d}" for i in range(1, counts.rulings + 1)]
        self.party_ids: list[str] = []
        self.courts: list[str] = []
        self.judges: list[str] = []
        self.organizations: list[str] = []
        self.pollsters: list[str] = []
        self.speakers: list[str] = []
        self.party_names: dict[str, str] = {}
        self.start = date(2000, 1, 1)
        self.span_days = (date(2024, 12, 31) - self.start).days

    # --- pieces of text ---------------------------------------------------------------

    def words(self, count: int) -> str:
        choice = self.rng.choice
        return " ".join(choice(self.vocabulary) for _ in range(count))

    def sentence(self, count: int) -> str:
        text = self.words(count)
        return text[0].upper() + text[1:] + "."

    def sentences(self, total: int) -> str:
        parts = []
        left = total
        while left > 0:
            length = min(left, self.rng.randint(8, 16))
            parts.append(self.sentence(length))
            left -= length
        return " ".join(parts)

    def link(self) -> str:
        text = self.words(self.rng.randint(2, 4))
        return f"[{text}](https://example.org/x/{self.rng.randint(1, 99999)})"

    def markdown_paragraph(self, total: int) -> str:
        """About `total` words with one **bold** run, one *emphasis* and one link."""
        text = self.sentences(max(6, total - 8)).split(" ")
        at = sorted(self.rng.sample(range(1, len(text)), 3))
        text.insert(at[2], self.link())
        text.insert(at[1], f"*{self.words(2)}*")
        text.insert(at[0], f"**{self.words(2)}**")
        return " ".join(text)

    def markdown_list(self, items: int, ordered: bool) -> str:
        marks = [f"{index + 1}." if ordered else "-" for index in range(items)]
        return "\n".join(f"{mark} {self.sentence(self.rng.randint(4, 7))}" for mark in marks)

    def markdown_body(self, total: int) -> str:
        """Two paragraphs and a list, about `total` words (an event body, a quote context)."""
        list_items = self.rng.randint(2, 4)
        list_words = list_items * 6
        first = (total - list_words) // 2
        return "\n\n".join(
            [
                self.markdown_paragraph(first),
                self.markdown_list(list_items, ordered=self.rng.random() < 0.3),
                self.markdown_paragraph(total - list_words - first),
            ]
        )

    def day(self) -> date:
        return self.start + timedelta(days=self.rng.randrange(self.span_days))

    def cite(self) -> str:
        return _list(self.cited_ids())

    def cited_ids(self) -> list[str]:
        return sorted(self.rng.sample(self.source_ids, self.rng.randint(1, 3)))

    def name(self, index: int) -> str:
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        last = LAST_NAMES[(index // len(FIRST_NAMES) + index * 7) % len(LAST_NAMES)]
        return f"{first} {last}"

    # --- documents --------------------------------------------------------------------

    def site(self) -> str:
        return "\n".join(
            [
                "title: Synthetic Explainers",
                'base_url: "https://example.org/explainers/"',
                "language: en",
                "description: >-",
                "  A synthetic site for benchmarks: one case of generated quotes, events,",
                "  parties, rulings, polls and sources.",
                "publisher: Benchmark Desk",
                "# Off, as Hugo's and Eleventy's sites have none: bench/features.py measures them.",
                "share_cards: false",
                "embeds: false",
                "search: false",
                "",
            ]
        )

    def case(self, n: int) -> str:
        lines = [
            f"title: {_q(f'Synthetic case (N = {n:,})')}",
            f"official_name: {_q('In re Synthetic Benchmark, No. 00-0000')}",
            *_literal("summary", self.markdown_body(120), 0),
            "status: ongoing",
            "questions:",
            *(f"  - {_q(self.sentence(14))}" for _ in range(3)),
            "key_facts:",
        ]
        for index in range(4):
            lines += [
                f"  - label: {_q(f'Key fact {index + 1}')}",
                f"    value: {_q(self.sentence(8))}",
                f"    sources: {self.cite()}",
            ]
        lines += ["tags: [privacy, cloud, warrants, benchmark]", "updates:"]
        for index in range(3):
            lines += [
                f"  - date: 2024-0{index + 1}-15",
                f"    kind: {'correction' if index == 1 else 'update'}",
                f"    text: {_q(self.sentence(12))}",
            ]
        lines += [
            "conflicts:",
            "  - id: date-of-filing",
            f"    title: {_q('Date of the first filing')}",
            *_literal("text", self.markdown_paragraph(40), 4),
            f"    sources: {_list(self.source_ids[:2])}",
            f"sources: {self.cite()}",
            "",
        ]
        return "\n".join(lines)

    def sources(self) -> str:
        lines = ["# Every document cited by the synthetic case.", ""]
        for index, ident in enumerate(self.source_ids, start=1):
            lines += [
                f"- id: {ident}",
                f"  title: {_q(self.sentence(self.rng.randint(5, 10)).rstrip('.'))}",
                f"  publisher: {_q(PUBLISHERS[index % len(PUBLISHERS)])}",
            ]
            if index % 3 == 0:
                lines.append(f"  author: {_q(self.name(index))}")
            lines.append(f'  url: "https://example.org/sources/{index}"')
            lines.append(f"  published: {self.day().isoformat()}")
            if index % 4 == 0:
                lines.append("  accessed: 2025-01-10")
            if index % 5 == 0:
                lines.append(f"  note: {_q(self.sentence(8))}")
            lines.append("")
        return "\n".join(lines)

    def parties(self) -> str:
        total = self.counts.parties
        n_courts = max(2, total // 10)
        n_judges = max(3, total // 5)
        n_pollsters = 3
        n_orgs = max(2, total // 8)
        lines = ["# People, organizations, courts and governments of the synthetic case.", ""]
        index = 0

        def add(ident: str, name: str, kind: str, side: str, extra: list[str]) -> None:
            nonlocal index
            index += 1
            self.party_ids.append(ident)
            self.party_names[ident] = name
            lines.extend(
                [
                    f"- id: {ident}",
                    f"  name: {_q(name)}",
                    f"  kind: {kind}",
                    *_folded("role", self.sentence(self.rng.randint(6, 12)).rstrip("."), 2),
                    f"  side: {side}",
                    *extra,
                ]
            )
            if index % 2 == 0:
                lines.extend(_literal("summary", self.markdown_paragraph(40), 2))
            lines.extend([f"  sources: {self.cite()}", ""])

        for i in range(1, n_courts + 1):
            ident = f"court-{i:03d}"
            self.courts.append(ident)
            add(ident, f"Court of {self.words(1).capitalize()} No. {i}", "court", "Court", [])
        for i in range(1, n_judges + 1):
            ident = f"judge-{i:04d}"
            self.judges.append(ident)
            add(
                ident,
                f"Judge {self.name(i)}",
                "person",
                "Court",
                ["  title: Judge", f"  member_of: {self.courts[i % n_courts]}"],
            )
        for i in range(1, n_pollsters + 1):
            ident = f"pollster-{i}"
            self.pollsters.append(ident)
            add(ident, f"Pollster {i} Research", "organization", "Neutral", [])
        for i in range(1, n_orgs + 1):
            ident = f"org-{i:04d}"
            self.organizations.append(ident)
            kind = "government" if i % 5 == 0 else "organization"
            add(
                ident,
                f"{self.words(1).capitalize()} {kind.capitalize()} {i}",
                kind,
                SIDES[i % 4],
                [],
            )
        people = total - n_courts - n_judges - n_pollsters - n_orgs
        for i in range(1, max(2, people) + 1):
            ident = f"person-{i:05d}"
            extra = [f"  title: {_q(self.words(2).capitalize())}"]
            if i % 3 == 0:
                extra.append(f"  member_of: {self.organizations[i % n_orgs]}")
            self.speakers.append(ident)
            add(ident, self.name(i + 1000), "person", SIDES[i % 4], extra)
        self.speakers += self.judges + self.organizations
        return "\n".join(lines)

    def rulings(self) -> str:
        lines = ["# Every decision of a court in the synthetic case.", ""]
        for ident in self.ruling_ids:
            judges = self.rng.sample(self.judges, self.rng.randint(1, 3))
            lines += [
                f"- id: {ident}",
                f"  title: {_q(self.sentence(self.rng.randint(4, 8)).rstrip('.'))}",
                f"  court: {self.rng.choice(self.courts)}",
                f"  stage: {self.rng.choice(STAGES)}",
                f"  judges: {_list(judges)}",
                f"  date: {self.day().isoformat()}",
                f'  citation: "No. {self.rng.randint(10, 99)}-{self.rng.randint(100, 9999)}"',
                f"  outcome: {_q(self.sentence(4).rstrip('.'))}",
                *_literal("holding", self.markdown_body(80), 2),
                f"  favours: {self.rng.choice(self.party_ids)}",
                f"  next_step: {_q(self.sentence(10))}",
                f"  sources: {self.cite()}",
                "",
            ]
        return "\n".join(lines)

    def quotes(self) -> str:
        lines = ["# Words of others, exactly as the cited source shows them.", ""]
        for index, ident in enumerate(self.quote_ids):
            lines += [
                f"- id: {ident}",
                *_folded("text", self.sentences(self.rng.randint(34, 46)), 2),
                f"  speaker: {self.rng.choice(self.speakers)}",
            ]
            if index % 4 == 0:
                lines.append(f"  speaker_role: {_q(self.words(3).capitalize())}")
            lines += [
                f"  said_on: {self.day().isoformat()}",
                f"  venue: {_q(self.rng.choice(VENUES))}",
                *_literal("context", self.markdown_body(self.rng.randint(70, 90)), 2),
            ]
            if index % 10 == 0:
                lines.append(f"  note: {_q(self.sentence(10))}")
            if index < 6:
                lines.append("  key: true")
            # Chosen without a draw, so that the rest of the site is what the seed makes it.
            sources = self.cited_ids()
            verbatim_in = sources[index % len(sources)]
            lines += [f"  sources: {_list(sources)}", f"  verbatim_in: {verbatim_in}", ""]
        return "\n".join(lines)

    def events(self) -> str:
        lines = ["# The timeline of the synthetic case.", ""]
        total = self.counts.events
        # Each ruling is the subject of one event, spread over the timeline.
        ruling_at = {
            (i * total) // len(self.ruling_ids): ruling for i, ruling in enumerate(self.ruling_ids)
        }
        for index in range(total):
            ruling = ruling_at.get(index)
            kind = "ruling" if ruling else self.rng.choice(EVENT_KINDS)
            parties = self.rng.sample(self.party_ids, self.rng.randint(1, 4))
            quotes = self.rng.sample(self.quote_ids, self.rng.choice((0, 0, 1, 1, 2, 3)))
            lines += [
                f"- id: event-{index + 1:05d}",
                f"  date: {self.day().isoformat()}",
                f"  title: {_q(self.sentence(self.rng.randint(5, 9)).rstrip('.'))}",
                f"  kind: {kind}",
                *_literal("body", self.markdown_body(self.rng.randint(90, 110)), 2),
                f"  parties: {_list(parties)}",
            ]
            if ruling:
                lines.append(f"  ruling: {ruling}")
            if quotes:
                lines.append(f"  quotes: {_list(quotes)}")
            lines += [f"  sources: {self.cite()}", ""]
        return "\n".join(lines)

    def polls(self) -> str:
        lines = ["# Polls with their methodology and results.", ""]
        for index in range(1, self.counts.polls + 1):
            start = self.day()
            lines += [
                f"- id: poll-{index}",
                f"  title: {_q(f'Survey {index}: ' + self.words(5))}",
                f"  pollster: {self.pollsters[(index - 1) % len(self.pollsters)]}",
                f"  commissioned_by: {self.rng.choice(self.organizations)}",
                "  fieldwork:",
                f"    start: {start.isoformat()}",
                f"    end: {(start + timedelta(days=2)).isoformat()}",
                f"  published: {(start + timedelta(days=9)).isoformat()}",
                "  population: Adults (national sample)",
                f"  sample_size: {self.rng.randint(500, 3000)}",
            ]
            if index % 2:
                lines.append(f"  margin_of_error: {self.rng.choice((2.5, 3.1, 3.5))}")
            lines += [*_literal("summary", self.markdown_paragraph(50), 2), "  questions:"]
            for q in range(1, self.rng.randint(2, 5) + 1):
                answers = self.rng.randint(2, 4)
                cuts = sorted(self.rng.sample(range(5, 95), answers - 1))
                shares = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
                lines += [
                    f"    - id: question-{q}",
                    f"      text: {_q(self.sentence(12))}",
                    f"      wording: {_q(self.sentence(10).rstrip('.') + '?')}",
                    "      results:",
                    *(
                        f"        - {{answer: {_q(f'Answer {a + 1}')}, percent: {share}}}"
                        for a, share in enumerate(shares)
                    ),
                    f"      sources: {self.cite()}",
                ]
            lines += [f"  sources: {self.cite()}", ""]
        return "\n".join(lines)


class _Translator(_Generator):
    """Translation files for one language, of the items `source` generated, from a draw of
    its own (so the default files stay the bytes they are without it)."""

    vocabulary = TRANSLATED_WORDS

    def __init__(self, rng: random.Random, counts: Counts, source: _Generator) -> None:
        super().__init__(rng, counts)
        self.source = source

    def documents(self) -> dict[str, str]:
        return {
            "case": self.case_translation(),
            "events": self.keyed(
                [f"event-{index + 1:05d}" for index in range(self.counts.events)],
                lambda: [
                    f"  title: {_q(self.sentence(self.rng.randint(5, 9)).rstrip('.'))}",
                    *_literal("body", self.markdown_body(self.rng.randint(90, 110)), 2),
                ],
            ),
            "parties": self.keyed(
                self.source.party_ids,
                lambda: _folded("role", self.sentence(self.rng.randint(6, 12)).rstrip("."), 2),
            ),
            "quotes": self.keyed(
                self.source.quote_ids[::4],
                lambda: [
                    *_folded("translation", self.sentences(self.rng.randint(34, 46)), 2),
                    "  translated_by: Benchmark Desk",
                ],
            ),
        }

    def case_translation(self) -> str:
        return "\n".join(
            [
                "translated_by: Benchmark Desk",
                "translated_on: 2024-06-01",
                f"title: {_q('Synthetischer Fall')}",
                *_literal("summary", self.markdown_body(120), 0),
                "questions:",
                *(f"  - {_q(self.sentence(14))}" for _ in range(3)),
                "",
            ]
        )

    def keyed(self, idents: list[str], fields: Callable[[], list[str]]) -> str:
        lines: list[str] = []
        for ident in idents:
            lines += [f"{ident}:", *fields(), ""]
        return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Write synthetic, valid content of size N.")
    parser.add_argument("n", type=int, help="number of quotes (events N/2, parties N/20, ...)")
    parser.add_argument("out", type=Path, help="content folder to write (site.yaml, cases/)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--images", type=int, default=0, help="pictures, one per event")
    parser.add_argument(
        "--languages", default="", help="comma-separated languages besides English, e.g. de"
    )
    parser.add_argument(
        "--folders",
        action=argparse.BooleanOptionalAction,
        help=f"collections as folders of one file per item (default: from N = {FOLDERS_FROM:,})",
    )
    args = parser.parse_args()
    languages = tuple(code.strip() for code in args.languages.split(",") if code.strip())
    written = generate(args.n, args.out, args.seed, args.images, languages, args.folders)
    print(
        f"wrote {written.total_bytes:,} bytes of YAML in {len(written.files)} files "
        f"and {written.pictures} pictures ({written.picture_bytes:,} bytes) "
        f"into {args.out}: {written.counts}"
    )


if __name__ == "__main__":
    main()
