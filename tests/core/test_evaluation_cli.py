"""``metaflash evaluate`` and ``metaflash optimize`` on a CSV file and on a real collection.

The collection is a real SQLite collection filled through its own API: the first reviews of
the shared learner's log are answered with the scheduler, plus an answer that is undone and a
cram answer, which the commands must leave out.
"""

from __future__ import annotations

import argparse
import json
from datetime import timedelta
from pathlib import Path

import pytest
from engine_testing import Clock

from metaflash.commands import evaluate, optimize
from metaflash.core.collection.reconcile import reconcile
from metaflash.core.collection.store import Collection
from metaflash.core.decks.model import BasicContent, Card, CardId, Deck, DeckId, PromptKey
from metaflash.core.evaluation.optimizer import MIN_CROSS_DAY_REVIEWS
from metaflash.core.evaluation.prediction import ModelName, evaluate_review_log
from metaflash.core.evaluation.review_history import ReviewRecord
from metaflash.core.evaluation.review_log_csv import read_review_log
from metaflash.core.scheduling.scheduler import (
    DEFAULT_PARAMETERS,
    Rating,
    SchedulerSettings,
    next_states,
)
from metaflash.core.scheduling.study_day import StudyDay, local_timezone

JOSH = Path(__file__).resolve().parents[1] / "data/review-logs/py-fsrs-josh.csv"
#: Enough of the log for the fitting threshold (about 1,100 cross-day reviews).
COLLECTION_REVIEWS = 4000
DECK = DeckId("josh")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run a command as ``metaflash`` does: its parser with the global --data-dir."""
    parser = argparse.ArgumentParser(prog="metaflash")
    parser.add_argument("--data-dir")
    commands = parser.add_subparsers(dest="command")
    evaluate.register(commands)
    optimize.register(commands)
    args = parser.parse_args(argv)
    args.clock = Clock()
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def josh() -> list[ReviewRecord]:
    return read_review_log(JOSH)


@pytest.fixture(scope="module")
def collection_dir(josh: list[ReviewRecord], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A collection holding the first reviews of the log as answers, one prompt per card."""
    records = sorted(josh, key=lambda r: r.time)[:COLLECTION_REVIEWS]
    cards = sorted({r.card_key for r in records})
    deck = Deck(
        DECK,
        "Josh",
        tuple(Card(CardId(f"c{key}"), BasicContent(f"front {key}", "back")) for key in cards),
    )
    data_dir = tmp_path_factory.mktemp("collection")
    start = records[0].time
    collection = Collection.open(data_dir, start)
    try:
        reconcile(collection, deck, start)
        settings = SchedulerSettings(desired_retention=0.85)
        collection.set_scheduler_settings(settings)
        for index, review in enumerate(records):
            record = collection.record(PromptKey(DECK, CardId(f"c{review.card_key}"), ""))
            assert record is not None
            outcome = next_states(record.state, review.time, settings, index)[Rating(review.rating)]
            collection.record_answer(record, outcome, review.time, review.duration_ms, settings)
        # an answer taken back, and a cram answer: neither is part of the history
        last = records[-1]
        record = collection.record(PromptKey(DECK, CardId(f"c{last.card_key}"), ""))
        assert record is not None
        later = last.time + timedelta(days=3)
        outcome = next_states(record.state, later, settings, 0)[Rating.AGAIN]
        receipt = collection.record_answer(record, outcome, later, 900, settings)
        collection.undo(receipt.review_id, later + timedelta(seconds=5))
        collection.record_cram_answer(record, Rating.AGAIN, later + timedelta(days=1), 800)
    finally:
        collection.close(records[-1].time + timedelta(days=2))
    return data_dir


# --- evaluate -----------------------------------------------------------------------------


def test_evaluate_json_reports_the_split(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["evaluate", str(JOSH), "--json"], capsys)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert list(data) == ["n_scored", "models"]
    assert data["n_scored"] == 3507
    assert list(data["models"]) == ["fsrs6_fitted", "fsrs6_default", "sm2"]
    for figures in data["models"].values():
        assert list(figures) == ["log_loss", "rmse_bins", "auc"]
    assert round(data["models"]["fsrs6_default"]["log_loss"], 4) == 0.4388
    assert round(data["models"]["sm2"]["rmse_bins"], 4) == 0.0914
    assert data["models"]["fsrs6_fitted"]["log_loss"] <= 0.4341


def test_evaluate_text_shows_both_tables(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["evaluate", str(JOSH)], capsys)
    assert code == 0
    assert "12,580 reviews of 1,205 cards" in out
    all_reviews, split = out.split("Split by time at the median review (2024-09-05")
    assert "6,276 reviews" in all_reviews
    assert "FSRS-6, default parameters     0.4650      0.0832  0.7270" in all_reviews
    assert "SM-2 (p = 0.9^(t/interval))    0.5610      0.1057  0.5929" in all_reviews
    assert "3,507 cross-day reviews" in split
    assert "FSRS-6, fitted on the earlier half" in split
    assert "0.4388      0.0634  0.6727" in split
    assert "0.5049      0.0914  0.5323" in split


def test_evaluate_help_says_what_json_holds(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run(["evaluate", "--help"], capsys)
    out = capsys.readouterr().out
    assert "--json prints the split evaluation" in out
    assert "04:00 UTC" in out


def test_evaluate_names_a_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("card_id,review_rating,review_time\n7,3,noon\n", encoding="utf-8")
    code, out, err = run(["evaluate", str(bad)], capsys)
    assert (code, out) == (1, "")
    assert f"{bad}:2: review_time 'noon' is not an ISO 8601 time" in err


def test_evaluate_without_a_collection_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["--data-dir", str(tmp_path), "evaluate"], capsys)
    assert code == 1
    assert "there is no collection in" in err
    assert "review log CSV" in err
    assert not (tmp_path / "collection.sqlite").exists()


def test_evaluate_reads_the_collections_answers(
    collection_dir: Path, josh: list[ReviewRecord], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["--data-dir", str(collection_dir), "evaluate", "--json"], capsys)
    assert (code, err) == (0, "")
    # the same answers straight from the CSV, in the collection's study day
    records = sorted(josh, key=lambda r: r.time)[:COLLECTION_REVIEWS]
    expected = evaluate_review_log(records, StudyDay(local_timezone(), 4))
    assert expected.split is not None
    data = json.loads(out)
    assert data["n_scored"] == expected.split.evaluation.n_scored
    for model in ModelName:
        scores = expected.split.evaluation[model]
        assert data["models"][str(model)]["log_loss"] == pytest.approx(scores.log_loss)
        assert data["models"][str(model)]["rmse_bins"] == pytest.approx(scores.rmse_bins)


# --- optimize -----------------------------------------------------------------------------


def test_optimize_a_csv_prints_without_saving(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["optimize", str(JOSH), "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["used_defaults"] is False
    assert data["saved"] is False
    assert data["n_reviews"] == 6276
    assert len(data["parameters"]) == 21
    assert data["after"]["log_loss"] < data["before"]["log_loss"]
    assert data["after"]["rmse_bins"] < data["before"]["rmse_bins"]


def test_optimize_saves_the_fit_in_the_collection(
    collection_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["--data-dir", str(collection_dir), "optimize", "--dry-run"], capsys)
    assert (code, err) == (0, "")
    assert "Not saved (--dry-run)." in out
    code, out, err = run(["--data-dir", str(collection_dir), "optimize", "--json"], capsys)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["n_reviews"] >= MIN_CROSS_DAY_REVIEWS
    assert (data["used_defaults"], data["saved"]) == (False, True)
    collection = Collection.open_read_only(collection_dir)
    try:
        stored = collection.scheduler_settings()
    finally:
        collection.close(Clock().now)
    assert stored.parameters == tuple(data["parameters"])
    assert stored.parameters != DEFAULT_PARAMETERS
    assert stored.desired_retention == 0.85  # the rest of the settings untouched
    # fitting again from what is now in force finds nothing better and changes nothing
    code, out, _ = run(["--data-dir", str(collection_dir), "optimize"], capsys)
    assert code == 0
    assert "Parameters (kept: the ones in force)" in out


def test_optimize_with_too_little_history_keeps_the_defaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "short.csv"
    log.write_text(
        "card_id,review_rating,review_time,review_duration\n"
        "1,3,2024-03-01T10:00:00+00:00,100\n1,3,2024-03-03T10:00:00+00:00,100\n",
        encoding="utf-8",
    )
    code, out, _ = run(["optimize", str(log)], capsys)
    assert code == 0
    assert f"fitting needs at least {MIN_CROSS_DAY_REVIEWS}" in out
    assert "Parameters (kept: FSRS-6's defaults)" in out
