"""SM-2 (SuperMemo 2, 1987) as a baseline predictor of recall, replayed from four-button ratings.

metaflash never schedules with SM-2; it only measures FSRS against it. The conventions, those
of the open-spaced-repetition srs-benchmark (they reproduce its figures):

* SM-2 schedules in days, so only a card's first review and its reviews on a later day than
  the previous one count; repeats within a day are left out.
* A rating maps to SM-2's quality ``q = rating + 1``: Again 2 (a failure), Hard 3, Good 4,
  Easy 5.
* The easiness factor starts at 2.5 and after every counted review becomes
  ``max(1.3, EF + 0.1 - (5 - q) * (0.08 + (5 - q) * 0.02))``.
* A failure sets the interval to 1 day and restarts the repetition count. Success number one
  gives 1 day, number two 6 days, later ones the previous interval times the easiness factor
  as it was before this review, rounded to whole days (halves up, within ``1..36500``).
* The predicted recall after ``t`` days is ``0.9 ** (t / interval)``: SM-2 aims at recall of
  about 90% when a card falls due.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

INITIAL_EASE = 2.5
MINIMUM_EASE = 1.3
MAXIMUM_INTERVAL = 36500
#: The recall SM-2 is taken to expect when a card falls due.
RECALL_AT_DUE = 0.9


@dataclass(frozen=True, slots=True)
class Sm2State:
    interval: int = 0  # days; 0 before the first review
    ease: float = INITIAL_EASE
    repetitions: int = 0  # successes in a row


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def review(state: Sm2State, rating: int) -> Sm2State:
    """The SM-2 state after one counted review rated ``rating`` (1 Again .. 4 Easy)."""
    if not 1 <= rating <= 4:
        raise ValueError(f"a rating must be 1..4, got {rating}")
    quality = rating + 1
    if quality > 2:
        repetitions = state.repetitions + 1
        if repetitions == 1:
            interval = 1.0
        elif repetitions == 2:
            interval = 6.0
        else:
            interval = state.interval * state.ease
    else:
        repetitions = 0
        interval = 1.0
    shortfall = 5 - quality
    ease = max(MINIMUM_EASE, state.ease + 0.1 - shortfall * (0.08 + shortfall * 0.02))
    days = min(max(1, _round_half_up(interval)), MAXIMUM_INTERVAL)
    return Sm2State(interval=days, ease=ease, repetitions=repetitions)


def predicted_recall(state: Sm2State, elapsed_days: int) -> float:
    """SM-2's implied recall ``elapsed_days`` after its last review."""
    if state.interval < 1:
        raise ValueError("SM-2 predicts nothing before a card's first review")
    return float(RECALL_AT_DUE ** (elapsed_days / state.interval))
