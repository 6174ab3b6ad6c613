"""What a desired retention costs: how the review workload grows as retention rises.

FSRS-6 predicts recall after ``t`` days at stability ``S`` as
``R = (1 + F * t / S) ** -w20`` with ``F = 0.9 ** (-1 / w20) - 1``. The interval that keeps
recall at ``r`` is therefore ``t(r) = S / F * (r ** (-1 / w20) - 1)``: its ratio to the
interval at 90% does not depend on the card, only on ``r`` and the decay ``w20``.

A card is reviewed about once per interval, and each lapse (a share ``1 - r`` of reviews)
adds its relearning steps, so the workload per card per day is about
``(1 + (1 - r) * (1 + len(relearning steps))) / t(r)``. :func:`relative_workload` is that
estimate relative to another retention: a simple steady-state model (it leaves out the
stability a lapse costs), meant to show the trade-off, not to predict a number exactly.
"""

from __future__ import annotations

import math

from metaflash.core.scheduling.scheduler import SchedulerSettings

REFERENCE_RETENTION = 0.90


def interval_ratio(retention: float, decay: float, reference: float = REFERENCE_RETENTION) -> float:
    """The interval at ``retention`` divided by the interval at ``reference``."""
    if not (0 < retention < 1 and 0 < reference < 1 and decay > 0):
        raise ValueError("retention must lie strictly between 0 and 1, and decay be positive")
    return float((retention ** (-1 / decay) - 1) / (reference ** (-1 / decay) - 1))


def relative_workload(
    retention: float, settings: SchedulerSettings, reference: float = REFERENCE_RETENTION
) -> float:
    """Reviews per day at ``retention``, relative to ``reference`` (1.0 at the reference)."""
    decay = settings.parameters[20]
    relearning = 1 + len(settings.relearning_steps)

    def per_interval(r: float) -> float:
        return 1 + (1 - r) * relearning

    ratio = per_interval(retention) / per_interval(reference)
    return ratio / interval_ratio(retention, decay, reference)


def describe_retention(retention: float, settings: SchedulerSettings) -> str:
    """One or two sentences on what ``retention`` means for recall and for the workload."""
    forgotten = max(1, round(1 / (1 - retention))) if retention < 1 else 0
    workload = relative_workload(retention, settings)
    intervals = interval_ratio(retention, settings.parameters[20])
    text = (
        f"At {retention:.0%} you should recall {retention:.0%} of the cards that come due "
        f"(about 1 in {forgotten} forgotten). "
    )
    if math.isclose(retention, REFERENCE_RETENTION, abs_tol=1e-9):
        return text + "This is the usual choice: a good balance of recall and time."
    longer = "longer" if intervals > 1 else "shorter"
    factor = intervals if intervals > 1 else 1 / intervals
    reviews = f"{workload:.1f}×" if workload >= 1 else f"{workload:.0%} of"
    return text + (
        f"Compared with 90%, intervals are {factor:.1f}× {longer}, and you would do about "
        f"{reviews} the reviews a day (an estimate from the forgetting curve)."
    )
