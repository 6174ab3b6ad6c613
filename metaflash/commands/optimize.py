"""``metaflash optimize``: fit FSRS-6's parameters to your own review history."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from metaflash.core.evaluation import optimizer
from metaflash.core.evaluation.collection_source import (
    CollectionUnavailable,
    read_collection_history,
    save_parameters,
)
from metaflash.core.evaluation.metrics import Scores
from metaflash.core.evaluation.optimizer import FitResult, fit_parameters
from metaflash.core.evaluation.review_history import UTC_0400, HistoryError, build_history
from metaflash.core.evaluation.review_log_csv import ReviewLogError, read_review_log
from metaflash.core.scheduling.scheduler import DEFAULT_PARAMETERS

DESCRIPTION = f"""\
Fit FSRS-6's 21 parameters to your review history (with fsrs-rs, the FSRS authors'
optimiser) so that the scheduler predicts your memory rather than an average learner's.

The fit learns from reviews made on a later study day than the card's previous review.
Until there are {optimizer.MIN_CROSS_DAY_REVIEWS} of them, the parameters stay as they are (the defaults at
first): fewer outcomes cannot pin 21 parameters down. A fit is kept only if it predicts
your history better (lower log loss) than the parameters in force. Log loss and
RMSE(bins) are shown before and after, measured on those same reviews; see
`metaflash evaluate` for a fairer test on reviews the fit has not seen.

Without REVLOG.csv, fits your collection's history and saves the parameters in it (new
answers are then scheduled with them; every review records the settings in force).
With REVLOG.csv, fits that file and only prints the result.

--json prints {{"n_reviews", "used_defaults", "reason", "parameters", "before", "after",
"saved"}}; before and after hold n, log_loss, rmse_bins and auc, or null when there is
no review to score.
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "optimize",
        help="fit FSRS-6's parameters to your review history",
        description=DESCRIPTION,
        epilog="Exit status: 0 done (fitted or kept), 1 the history cannot be read.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "revlog",
        metavar="REVLOG.csv",
        nargs="?",
        type=Path,
        help="fit this review log CSV instead of your collection (prints only)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="fit and report, but do not save the parameters"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(func=run)


def _scores_json(scores: Scores | None) -> dict[str, float | int | None] | None:
    if scores is None:
        return None
    return {
        "n": scores.n,
        "log_loss": scores.log_loss,
        "rmse_bins": scores.rmse_bins,
        "auc": scores.auc,
    }


def _text(result: FitResult, saved: str) -> str:
    lines = [result.reason[0].upper() + result.reason[1:] + "."]
    rows = [("before", result.before), ("after", result.after)]
    if result.before is not None:
        lines.append(f"  {'':<7}{'log loss':>9}  {'RMSE(bins)':>10}")
        for label, scores in rows:
            if scores is not None:
                lines.append(f"  {label:<7}{scores.log_loss:>9.4f}  {scores.rmse_bins:>10.4f}")
    if not result.used_defaults:
        which = "fitted"
    elif result.parameters == DEFAULT_PARAMETERS:
        which = "kept: FSRS-6's defaults"
    else:
        which = "kept: the ones in force"
    lines.append(f"Parameters ({which}):")
    lines.append("  " + ", ".join(f"{value:.4f}" for value in result.parameters))
    if saved:
        lines.append(saved)
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    revlog: Path | None = args.revlog
    try:
        if revlog is not None:
            history = build_history(read_review_log(revlog), UTC_0400)
            result = fit_parameters(history)
        else:
            own = read_collection_history(args.data_dir)
            history = build_history(own.records, own.study_day)
            result = fit_parameters(history, current=own.parameters)
    except (ReviewLogError, HistoryError, CollectionUnavailable) as error:
        print(f"metaflash optimize: {error}", file=sys.stderr)
        return 1
    saved = ""
    stored = False
    if revlog is None and not result.used_defaults:
        if args.dry_run:
            saved = "Not saved (--dry-run)."
        else:
            try:
                save_parameters(args.data_dir, result.parameters, args.clock())
            except CollectionUnavailable as error:
                print(f"metaflash optimize: {error}", file=sys.stderr)
                return 1
            stored = True
            saved = "Saved in your collection: answers from now on are scheduled with them."
    if args.json:
        data = {
            "n_reviews": result.n_reviews,
            "used_defaults": result.used_defaults,
            "reason": result.reason,
            "parameters": list(result.parameters),
            "before": _scores_json(result.before),
            "after": _scores_json(result.after),
            "saved": stored,
        }
        print(json.dumps(data))
    else:
        print(_text(result, saved))
    return 0
