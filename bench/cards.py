"""Share-card drawing speed: `generator.render.cards.draw_card` on synthetic quotes and events.

Draws N cards in one process, two quotes for every event as a site has them (N quotes and
N/2 events), from deterministic text of bench/synthetic.py's vocabulary: quotes of 3 to 150
words (most near 40), speakers with and without roles, event titles of 4 to 25 words. Prints
the cost of the first card (loading the fonts, rasterising the first glyphs) apart from the
median and 95th percentile per card (wall clock), the total (wall clock, and CPU time, which
a busy machine inflates less) and the PNG bytes per card.

    python -m bench.cards [--count 3000] [--seed 1] [--out /tmp/cards]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

from bench.synthetic import FIRST_NAMES, LAST_NAMES, WORDS
from generator.plan.card_text import CardText, event_card_text, quote_card_text
from generator.render.cards import draw_card

ROLES = (None, "Magistrate Judge, S.D.N.Y.", "General Counsel", "Minister of Justice", None)
CASE_TITLES = ("Microsoft Ireland", "United States v. Microsoft Corp. (the Ireland email case)")
SITE_NAME = "Case Explainers"


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[:1].upper() + text[1:]


def card_texts(count: int, seed: int) -> list[CardText]:
    """`count` cards, every third an event, the same for the same count and seed."""
    rng = random.Random(seed)
    texts = []
    for number in range(count):
        case_title = CASE_TITLES[number % len(CASE_TITLES)]
        if number % 3 == 2:
            title = _sentence(rng, rng.randint(4, 25))
            date = f"{rng.randint(1, 28)} March {rng.randint(2013, 2024)}"
            texts.append(event_card_text(title, date, case_title, SITE_NAME))
        else:
            length = min(150, max(3, round(rng.lognormvariate(3.6, 0.6))))
            speaker = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            words = _sentence(rng, length) + "."
            said_on = f"{rng.randint(1, 28)} March {rng.randint(2013, 2024)}"
            role = rng.choice(ROLES)
            texts.append(quote_card_text(words, speaker, role, said_on, case_title, SITE_NAME))
    return texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.cards", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--count", type=int, default=3000, help="cards to draw (default 3000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="also write the cards into this folder")
    args = parser.parse_args(argv)
    if args.count < 2:
        parser.error("--count must be at least 2")
    texts = card_texts(args.count, args.seed)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    times = []
    sizes = []
    started, started_cpu = time.perf_counter(), time.process_time()
    for number, text in enumerate(texts):
        before = time.perf_counter()
        data = draw_card(text)
        times.append(time.perf_counter() - before)
        sizes.append(len(data))
        if args.out:
            (args.out / f"card-{number:05d}.png").write_bytes(data)
    total, total_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    rest = sorted(times[1:])
    print(
        f"share cards: {args.count:,} drawn (seed {args.seed}), {total:.2f} s in all "
        f"({total_cpu:.2f} s of CPU)"
    )
    print(f"  first card: {times[0] * 1000:.1f} ms (fonts loaded, first glyphs rasterised)")
    print(
        f"  per card after it: median {statistics.median(rest) * 1000:.2f} ms, "
        f"95th percentile {rest[int(len(rest) * 0.95)] * 1000:.2f} ms"
    )
    print(
        f"  PNG bytes per card: mean {statistics.fmean(sizes):,.0f}, median "
        f"{statistics.median(sizes):,.0f} (min {min(sizes):,}, max {max(sizes):,})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
