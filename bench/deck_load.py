"""Benchmark: loading a large deck with metaflash's loader against a bare PyYAML load.

Generates a deck of ``--cards`` cards (default 20,000: a mix of basic, reverse, cloze and
sequence cards with realistic text lengths, tags, stages, source citations and notes) plus
the diagram its stages name, then times, in the same run and interleaved:

- ``parse_deck(text)``: metaflash's full load (safe composition with positions, every field
  checked, typed dataclasses built), and
- ``yaml.load(text, Loader=yaml.CSafeLoader)``: PyYAML's C loader building plain dicts, with
  no checking at all (the baseline).

Each is timed ``--repeat`` times with ``time.perf_counter``; the best times and their ratio
are printed. The target is a ratio of at most 1.5; the exit status is 1 when it is missed.

    python bench/deck_load.py [--cards N] [--repeat R] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from metaflash.core.decks.loader import parse_deck
from metaflash.core.decks.model import Deck, Diagram
from metaflash.core.decks.yaml_source import LOADER_NAME, MAX_FILE_BYTES
from metaflash.core.diagrams.loader import parse_diagram
from metaflash.core.util.gc_pause import collector_paused

TARGET_RATIO = 1.5
STEPS = 12
# Filler words: the benchmark measures parsing, so its text carries no facts.
SYLLABLES = (
    "ka",
    "lo",
    "mi",
    "ten",
    "sar",
    "vo",
    "ri",
    "del",
    "an",
    "po",
    "qua",
    "zen",
    "tor",
    "bel",
    "us",
    "em",
    "ir",
    "sol",
    "na",
    "fe",
)
TAGS = ("definition", "order", "mechanism", "site", "factor", "clinic", "review", "hard")


class _Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def word(self) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(1, 4)))

    def words(self, low: int, high: int) -> str:
        return " ".join(self.word() for _ in range(self.rng.randint(low, high)))

    def sentence(self, low: int, high: int, end: str = ".") -> str:
        text = self.words(low, high)
        return text[:1].upper() + text[1:] + end


def generate_diagram() -> str:
    lines = [
        "format: 1",
        "kind: diagram",
        "id: bench-pathway",
        "title: Benchmark pathway",
        "sources:",
        "  - {id: qa, title: Questions and answers}",
        "steps:",
    ]
    for number in range(1, STEPS + 1):
        lines += [
            f"  - id: step-{number}",
            f"    label: Step {number}",
            f"    summary: The benchmark's step number {number}.",
            f"    order: {number}",
            f"    position: {{x: {number * 7}, y: {30 + number % 3 * 20}}}",
            "    source: {document: qa, section: Steps}",
        ]
    lines.append("links:")
    lines += [f"  - {{from: step-{n}, to: step-{n + 1}}}" for n in range(1, STEPS)]
    return "\n".join(lines) + "\n"


def generate_deck(cards: int, seed: int = 7) -> str:
    """A deck of ``cards`` cards in the block style people write, naming ``bench.diagram.yaml``."""
    rng = random.Random(seed)
    say = _Writer(rng)
    lines = [
        "# yaml-language-server: $schema=../resources/schema/deck.schema.json",
        "format: 1",
        "id: bench-deck",
        "title: Benchmark deck",
        "description: >-",
        f"  {say.sentence(20, 40)}",
        f"  {say.sentence(20, 40)}",
        "authors: [metaflash benchmark]",
        'version: "1.0.0"',
        "licence: CC0-1.0",
        "diagram: bench.diagram.yaml",
        "sources:",
        "  - id: qa",
        "    title: Questions and answers",
        "    file: questions.md",
        "  - id: notes",
        "    title: Study notes",
        "    url: https://example.org/notes",
        "cards:",
    ]
    for number in range(cards):
        kind = rng.random()
        lines.append(f"  - id: card-{number}")
        if kind < 0.4:
            lines += [
                "    type: basic",
                f"    front: {say.sentence(6, 14, '?')}",
                f"    back: {say.sentence(8, 30)}",
            ]
        elif kind < 0.55:
            lines += [
                "    type: reverse",
                f"    front: {say.words(1, 4)}",
                f"    back: {say.sentence(6, 16)}",
            ]
        elif kind < 0.85:
            first, second = say.sentence(3, 9), say.words(3, 9)
            gap1, gap2 = say.word(), say.words(1, 3)
            lines += [
                "    type: cloze",
                f'    text: "{first} {{{{c1::{gap1}}}}} {second} {{{{c2::{gap2}::{say.word()}}}}}."',
            ]
        else:
            lines += ["    type: sequence", f"    prompt: {say.sentence(4, 9)}", "    steps:"]
            lines += [f"      - {say.sentence(2, 7)}" for _ in range(rng.randint(3, 7))]
        tags = rng.sample(TAGS, rng.randint(1, 3))
        lines.append(f"    tags: [{', '.join(tags)}]")
        lines.append(f"    stage: step-{rng.randint(1, STEPS)}")
        document = rng.choice(("qa", "notes"))
        lines.append(f'    source: {{document: {document}, section: "{say.sentence(1, 4, "")}"}}')
        if rng.random() < 0.3:
            lines += [
                "    notes: |-",
                f"      {say.sentence(10, 25)}",
                f"      {say.sentence(5, 15)}",
            ]
    return "\n".join(lines) + "\n"


def timed(run: Callable[[], object], timings: list[float]) -> None:
    start = time.perf_counter()
    run()
    timings.append(time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=20_000, help="cards in the deck (20000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each (5)")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the generated text")
    args = parser.parse_args(argv)
    if args.cards < 1 or args.repeat < 1:
        parser.error("--cards and --repeat must be at least 1")
    if not hasattr(yaml, "CSafeLoader"):
        print("PyYAML was built without LibYAML: the baseline needs yaml.CSafeLoader")
        return 2

    text = generate_deck(args.cards, args.seed)
    size = len(text.encode())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.yaml"
        diagram = parse_diagram(generate_diagram(), Path(folder) / "bench.diagram.yaml")
        deck = parse_deck(text, path)
        if not isinstance(deck, Deck) or not isinstance(diagram, Diagram):
            problems = deck if isinstance(deck, tuple) else diagram
            print("the generated files do not load:", *problems[:5], sep="\n  ")
            return 2
        steps = {step.id for step in diagram.steps}
        assert len(deck.cards) == args.cards and all(c.stage in steps for c in deck.cards)

        ours: list[float] = []
        baseline: list[float] = []
        base_loader: list[float] = []
        events: list[float] = []
        # interleaved, so drift affects all alike; the cyclic collector is held off for the
        # baselines as parse_deck holds it off for itself (fair: else they pay for it alone)
        for _ in range(args.repeat):
            timed(lambda: parse_deck(text, path), ours)
            with collector_paused():
                timed(lambda: yaml.load(text, Loader=yaml.CSafeLoader), baseline)
                timed(lambda: yaml.load(text, Loader=yaml.CBaseLoader), base_loader)
                timed(lambda: sum(1 for _ in yaml.parse(text, Loader=yaml.CSafeLoader)), events)

    median = statistics.median
    ratio = median(ours) / median(baseline)
    print(
        f"deck: {args.cards:,} cards, {len(deck.prompts()):,} prompts, {size / 2**20:.1f} MiB "
        f"(limit {MAX_FILE_BYTES / 2**20:.0f} MiB); metaflash's parser: {LOADER_NAME}"
    )
    rows = (
        ("parse_deck (every field checked, typed values)", median(ours)),
        ("yaml.load, CSafeLoader (plain dicts, no checks)", median(baseline)),
        ("yaml.load, CBaseLoader (strings only, no checks)", median(base_loader)),
        ("yaml.parse, LibYAML's event stream alone", median(events)),
    )
    for label, seconds in rows:
        print(f"{label:<50} median {seconds:.3f} s of {args.repeat}")
    verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
    print(f"ratio to CSafeLoader: {ratio:.2f}x (target at most {TARGET_RATIO}x: {verdict})")
    print(f"ratio to the event stream: {median(ours) / median(events):.2f}x")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
