"""``metaflash evaluate``: how well FSRS-6 and SM-2 predict a review log."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC
from pathlib import Path

from metaflash.core.evaluation.collection_source import (
    CollectionUnavailable,
    read_collection_history,
)
from metaflash.core.evaluation.metrics import Scores
from metaflash.core.evaluation.prediction import Evaluation, EvaluationReport, evaluate_review_log
from metaflash.core.evaluation.review_history import UTC_0400, HistoryError, ReviewRecord
from metaflash.core.evaluation.review_log_csv import ReviewLogError, read_review_log
from metaflash.core.scheduling.study_day import StudyDay

DESCRIPTION = """\
Score how well each model predicts recall on a review log: FSRS-6 with its default
parameters, FSRS-6 fitted on the earlier half of the log, and SM-2.

Only reviews made on a later study day than the card's previous review are scored; a
prediction uses the whole days elapsed. Two evaluations:

  all reviews   every such review, for default FSRS-6 and SM-2 (nothing fitted);
  split         the log is cut in time at its median review; FSRS-6 is fitted on the
                earlier half (as `metaflash optimize` fits), every card's whole history
                is replayed, and the later half's reviews are scored for all three models.

Figures: log loss (lower is better), RMSE(bins) as defined by the open-spaced-repetition
srs-benchmark (bins by elapsed days, review count and lapse count; lower is better), and
AUC (higher is better). SM-2 predicts 0.9^(t/interval) with its intervals replayed from
the ratings.

The text output shows both tables. --json prints the split evaluation:
  {"n_scored": N, "models": {"fsrs6_fitted": {"log_loss": .., "rmse_bins": .., "auc": ..},
                             "fsrs6_default": {..}, "sm2": {..}}}
(auc is null when every scored review had the same outcome). When the later half has no
review to score, --json prints the all-reviews evaluation instead, without fsrs6_fitted.
"""

EPILOG = """\
A REVLOG.csv has the columns card_id, review_rating (1 Again, 2 Hard, 3 Good, 4 Easy),
review_time (ISO 8601 with a UTC offset) and review_duration (milliseconds); its days start
at 04:00 UTC. Your own collection's days start at your day-start hour, local time.
Exit status: 0 scored, 1 the log cannot be read or has nothing to score.
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="score FSRS-6 and SM-2 on a review log (yours by default)",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "revlog",
        metavar="REVLOG.csv",
        nargs="?",
        type=Path,
        help="a review log CSV (default: the review log of your collection)",
    )
    parser.add_argument("--json", action="store_true", help="print the split evaluation as JSON")
    parser.set_defaults(func=run)


def _scores_json(scores: Scores) -> dict[str, float | None]:
    return {"log_loss": scores.log_loss, "rmse_bins": scores.rmse_bins, "auc": scores.auc}


def _evaluation_json(evaluation: Evaluation) -> str:
    data = {
        "n_scored": evaluation.n_scored,
        "models": {str(row.model): _scores_json(row.scores) for row in evaluation.rows},
    }
    return json.dumps(data)


def _table(evaluation: Evaluation) -> list[str]:
    width = max(len(row.model.label) for row in evaluation.rows)
    lines = [f"  {'model':<{width}}  {'log loss':>8}  {'RMSE(bins)':>10}  {'AUC':>6}"]
    for row in evaluation.rows:
        auc = "-" if row.scores.auc is None else f"{row.scores.auc:.4f}"
        lines.append(
            f"  {row.model.label:<{width}}  {row.scores.log_loss:>8.4f}  "
            f"{row.scores.rmse_bins:>10.4f}  {auc:>6}"
        )
    return lines


def _text(report: EvaluationReport, source: str) -> str:
    lines = [
        f"{source}: {report.n_reviews:,} reviews of {report.n_cards:,} cards.",
        "",
        (
            f"All reviews: {report.all_reviews.n_scored:,} reviews on a later day than the card's "
            "previous review, scored with the defaults."
        ),
        *_table(report.all_reviews),
        "",
    ]
    split = report.split
    if split is None:
        lines.append(f"Split by time: not possible; {report.split_note}.")
    else:
        when = split.split_time.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        lines += [
            (
                f"Split by time at the median review ({when}): FSRS-6 fitted on the "
                f"{split.n_training_reviews:,} earlier reviews; the later half's "
                f"{split.evaluation.n_scored:,} cross-day reviews scored."
            ),
            *_table(split.evaluation),
            f"  Fit: {split.fit.reason}.",
        ]
    lines += ["", "Lower log loss and RMSE(bins) are better; higher AUC is better."]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    revlog: Path | None = args.revlog
    study_day: StudyDay = UTC_0400
    records: list[ReviewRecord]
    try:
        if revlog is not None:
            records = read_review_log(revlog)
            source = str(revlog)
        else:
            own = read_collection_history(args.data_dir)
            records, study_day, source = own.records, own.study_day, own.name
        report = evaluate_review_log(records, study_day)
    except (ReviewLogError, HistoryError, CollectionUnavailable) as error:
        print(f"metaflash evaluate: {error}", file=sys.stderr)
        return 1
    if args.json:
        chosen = report.split.evaluation if report.split is not None else report.all_reviews
        print(_evaluation_json(chosen))
    else:
        print(_text(report, source))
    return 0
