"""Fit FSRS-6's parameters to a learner's own review history, with ``fsrs-rs-python`` (no torch).

The training set is fsrs-rs's usual one: for every cross-day review, the card's history up to
and including it. Two choices of metaflash's own:

* **Enough history first.** Fewer than :data:`MIN_CROSS_DAY_REVIEWS` cross-day reviews keep
  the parameters in force: a few hundred outcomes cannot pin down 21 parameters, and
  fsrs-rs itself hands back its defaults for small sets.
* **Train to convergence.** fsrs-rs's default schedule (5 epochs of batches of 512) is sized
  for large collections; on a learner's first thousand or two reviews it stops after a few
  dozen optimiser steps, short of the optimum and dependent on the shuffling seed. metaflash
  keeps the batch size and raises the number of epochs until the optimiser takes at least
  :data:`MIN_OPTIMISER_STEPS` steps (at most :data:`MAX_EPOCHS` epochs); beyond that the
  training loss no longer improves.

A fit is adopted only if it predicts the history better (lower log loss) than the parameters
in force; :class:`FitResult` reports both scores, measured on every cross-day review.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import fsrs_rs_python
from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

from metaflash.core.evaluation.metrics import Scores, score
from metaflash.core.evaluation.recall_models import cross_day_reviews, fsrs_item, fsrs_recall
from metaflash.core.evaluation.review_history import ReviewHistory
from metaflash.core.scheduling.scheduler import DEFAULT_PARAMETERS

#: Below this many cross-day reviews the parameters in force are kept.
MIN_CROSS_DAY_REVIEWS = 400
#: fsrs-rs's batch size, kept.
BATCH_SIZE = 512
#: fsrs-rs's default number of epochs: the least metaflash trains for.
MIN_EPOCHS = 5
MIN_OPTIMISER_STEPS = 200
MAX_EPOCHS = 64


@dataclass(frozen=True, slots=True)
class FitResult:
    """The outcome of :func:`fit_parameters`.

    ``parameters`` are the ones to use: the fit when it was adopted, else the parameters in
    force (``used_defaults`` is then True; they are FSRS-6's defaults unless the caller passed
    others as ``current``). ``n_reviews`` counts the cross-day reviews of the history, the
    fitting set. ``before`` scores the parameters in force on them, ``after`` the returned
    parameters; both are None when there is no cross-day review to score. ``reason`` says in
    a sentence what happened.
    """

    parameters: tuple[float, ...]
    n_reviews: int
    before: Scores | None
    after: Scores | None
    used_defaults: bool
    reason: str


def training_items(history: ReviewHistory) -> list[fsrs_rs_python.FSRSItem]:
    """fsrs-rs's training set: each cross-day review with the card's reviews before it."""
    ended: list[tuple[int, fsrs_rs_python.FSRSItem]] = []
    for card in history.cards:
        pairs = [(review.rating, review.elapsed_days) for review in card.reviews]
        for position, review in enumerate(card.reviews):
            if position > 0 and review.elapsed_days > 0:
                ended.append((review.order, fsrs_item(pairs[: position + 1])))
    ended.sort(key=lambda pair: pair[0])
    return [item for _, item in ended]


def training_epochs(n_items: int) -> int:
    """How many epochs reach :data:`MIN_OPTIMISER_STEPS` optimiser steps for ``n_items``."""
    batches = max(1, math.ceil(n_items / BATCH_SIZE))
    return min(MAX_EPOCHS, max(MIN_EPOCHS, math.ceil(MIN_OPTIMISER_STEPS / batches)))


def within_bounds(parameters: Sequence[float]) -> tuple[float, ...]:
    """``parameters`` clamped into the ranges py-fsrs's scheduler accepts."""
    return tuple(
        min(max(float(value), low), high)
        for value, low, high in zip(parameters, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS)
    )


def _scores(history: ReviewHistory, parameters: Sequence[float]) -> Scores | None:
    reviews = cross_day_reviews(history)
    if not reviews:
        return None
    predictions = fsrs_recall(history, parameters, reviews)
    return score([review.scored(p) for review, p in zip(reviews, predictions)])


def fit_parameters(
    history: ReviewHistory, current: Sequence[float] = DEFAULT_PARAMETERS
) -> FitResult:
    """Fit FSRS-6 to ``history``; keep ``current`` unless there is enough history and the fit
    predicts it better. Deterministic: fsrs-rs shuffles with a fixed seed."""
    in_force = tuple(float(value) for value in current)
    items = training_items(history)
    before = _scores(history, in_force)

    def kept(reason: str) -> FitResult:
        return FitResult(in_force, len(items), before, before, True, reason)

    if len(items) < MIN_CROSS_DAY_REVIEWS:
        return kept(
            f"{len(items):,} reviews on a later day than the card's previous review; "
            f"fitting needs at least {MIN_CROSS_DAY_REVIEWS}, so the parameters stay as they are"
        )
    config = fsrs_rs_python.TrainingConfig(
        num_epochs=training_epochs(len(items)), batch_size=BATCH_SIZE
    )
    raw = fsrs_rs_python.FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(
        items, training_config=config
    )
    if len(raw) != len(DEFAULT_PARAMETERS):
        return kept(f"the optimiser returned {len(raw)} parameters instead of 21; nothing changed")
    fitted = within_bounds(raw)
    after = _scores(history, fitted)
    if before is None or after is None or after.log_loss >= before.log_loss:
        return kept(
            f"fitted on {len(items):,} reviews, but the fit predicts them no better than the "
            "parameters in force, so those stay"
        )
    return FitResult(
        fitted,
        len(items),
        before,
        after,
        False,
        f"fitted on {len(items):,} reviews: log loss {before.log_loss:.4f} -> {after.log_loss:.4f}",
    )
