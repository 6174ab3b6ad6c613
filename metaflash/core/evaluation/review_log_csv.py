"""Read a review log CSV: ``card_id, review_rating, review_time, review_duration``.

The format of py-fsrs's test data (and of ``tests/data/review-logs``): one
review a line, a header row naming the columns (in any order; other columns are ignored),
ratings 1-4, times in ISO 8601 with a UTC offset, durations in milliseconds (may be empty).
Every problem is reported as ``file:line: what is wrong``.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from metaflash.core.evaluation.review_history import HistoryError, ReviewRecord

COLUMNS = ("card_id", "review_rating", "review_time", "review_duration")
_REQUIRED = ("card_id", "review_rating", "review_time")
_MAX_PROBLEMS = 10


class ReviewLogError(ValueError):
    """The file cannot be read as a review log; the message lists the problems."""


def _record(row: dict[str, str], where: str) -> ReviewRecord:
    card_id = (row.get("card_id") or "").strip()
    if not card_id:
        raise HistoryError(f"{where}: card_id is empty")
    rating_text = (row.get("review_rating") or "").strip()
    if rating_text not in {"1", "2", "3", "4"}:
        raise HistoryError(
            f"{where}: review_rating must be 1, 2, 3 or 4 (Again, Hard, Good, Easy), "
            f"got {rating_text!r}"
        )
    time_text = (row.get("review_time") or "").strip()
    try:
        time = datetime.fromisoformat(time_text)
    except ValueError:
        raise HistoryError(
            f"{where}: review_time {time_text!r} is not an ISO 8601 time "
            "(like 2024-03-29T20:32:32+00:00)"
        ) from None
    if time.tzinfo is None:
        raise HistoryError(
            f"{where}: review_time {time_text!r} has no UTC offset; add one (like +00:00)"
        )
    duration_text = (row.get("review_duration") or "").strip()
    if duration_text and not duration_text.isdigit():
        raise HistoryError(
            f"{where}: review_duration must be whole milliseconds or empty, got {duration_text!r}"
        )
    return ReviewRecord(card_id, int(rating_text), time, int(duration_text or "0"))


def read_review_log(path: Path) -> list[ReviewRecord]:
    """Every review in ``path``, in file order; :class:`ReviewLogError` if any line is bad."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as file:
            reader = csv.DictReader(file)
            header = reader.fieldnames or []
            missing = [column for column in _REQUIRED if column not in header]
            if missing:
                raise ReviewLogError(
                    f"{path}:1: the header lacks {', '.join(missing)}; a review log needs the "
                    f"columns {', '.join(COLUMNS)}"
                )
            records: list[ReviewRecord] = []
            problems: list[str] = []
            for row in reader:
                where = f"{path}:{reader.line_num}"
                try:
                    records.append(_record(row, where))
                except HistoryError as error:
                    problems.append(str(error))
    except OSError as error:
        raise ReviewLogError(f"{path}: cannot read the review log: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise ReviewLogError(
            f"{path}: not UTF-8 text ({error.reason}); save it as UTF-8"
        ) from error
    except csv.Error as error:
        raise ReviewLogError(f"{path}: not a readable CSV file: {error}") from error
    if problems:
        shown = problems[:_MAX_PROBLEMS]
        more = len(problems) - len(shown)
        suffix = f"\n... and {more} more" if more else ""
        raise ReviewLogError("\n".join(shown) + suffix)
    if not records:
        raise ReviewLogError(f"{path}: the review log has a header but no reviews")
    return records
