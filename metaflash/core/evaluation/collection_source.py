"""Where ``evaluate`` and ``optimize`` get the learner's own history: the collection.

The answers that count are the scheduled ones (kind 0) that were not undone; cram answers
leave the schedule alone and are left out, as Anki leaves them out of FSRS. A prompt (one
card of a deck in one variant) is one card for the models. Days start at the collection's
day-start hour in the user's time zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from metaflash.core.collection import queries
from metaflash.core.collection.errors import CollectionError
from metaflash.core.collection.records import from_millis
from metaflash.core.collection.store import Collection
from metaflash.core.evaluation.review_history import ReviewRecord
from metaflash.core.scheduling.study_day import StudyDay, local_timezone
from metaflash.core.util.paths import resolve_data_dir


class CollectionUnavailable(Exception):
    """The collection cannot be read or written; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class CollectionHistory:
    records: list[ReviewRecord]
    study_day: StudyDay
    parameters: tuple[float, ...]
    name: str


def read_collection_history(data_dir: str | None) -> CollectionHistory:
    """The collection's effective answers, its study day and the FSRS parameters in force."""
    directory = resolve_data_dir(data_dir)
    try:
        collection = Collection.open_read_only(directory)
    except CollectionError as error:
        raise CollectionUnavailable(
            f"{error}; answer some cards first, or give a review log CSV file (see --help)"
        ) from error
    try:
        records = [
            ReviewRecord(str(prompt), rating, from_millis(millis), duration)
            for prompt, rating, millis, duration in queries.effective_answers(collection)
        ]
        study_day = StudyDay(local_timezone(), collection.study_settings().day_start_hour)
        parameters = collection.scheduler_settings().parameters
    except (CollectionError, ValueError) as error:
        raise CollectionUnavailable(
            f"{collection.path}: cannot read the review log: {error}"
        ) from error
    finally:
        collection.db.close()
    if not records:
        raise CollectionUnavailable(
            f"the collection in {directory} has no answers yet; study some cards first"
        )
    return CollectionHistory(records, study_day, parameters, f"your collection ({directory})")


def save_parameters(data_dir: str | None, parameters: Sequence[float], now: datetime) -> None:
    """Make ``parameters`` the collection's FSRS parameters from now on (the rest unchanged)."""
    directory = resolve_data_dir(data_dir)
    try:
        collection = Collection.open(directory, now.astimezone(UTC))
    except CollectionError as error:
        raise CollectionUnavailable(str(error)) from error
    try:
        current = collection.scheduler_settings()
        collection.set_scheduler_settings(replace(current, parameters=tuple(parameters)))
    except (CollectionError, ValueError) as error:
        raise CollectionUnavailable(f"the parameters were not saved: {error}") from error
    finally:
        collection.close(now.astimezone(UTC))
