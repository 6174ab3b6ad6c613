"""A class: students share anonymous summaries; the report's figures match a hand count and
hide every figure that rests on fewer than five students."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from engine_testing import PARIS, Clock, basic_card, open_with, run_command

from metaflash.commands import class_ as class_command
from metaflash.core.classroom.report import MIN_STUDENTS, class_report
from metaflash.core.classroom.summary import (
    ClassFolderError,
    init_class,
    read_class,
    share,
    stop_sharing,
    student_summary,
)
from metaflash.core.collection.store import Collection
from metaflash.core.decks.model import Deck, DeckId
from metaflash.core.scheduling.scheduler import Rating
from metaflash.core.scheduling.study_day import StudyDay
from metaflash.core.study.scope import deck_scope
from metaflash.core.study.session import ReviewSession

DECK = Deck(
    DeckId("cascade"),
    "Cascade",
    (
        basic_card("invasion-1", "invasion", front="What does invasion mean here?"),
        basic_card("invasion-2", "invasion"),
        basic_card("intravasation-1", "intravasation"),
        basic_card("no-step"),
    ),
)


def studied(data_dir: Path, clock: Clock, ratings: list[Rating]) -> Collection:
    collection = open_with(data_dir, clock, DECK)
    session = ReviewSession(
        collection, [DECK], deck_scope([DECK], DECK.id), StudyDay(PARIS), clock.now
    )
    for rating in ratings:
        if session.current is None:
            break
        session.answer(rating, clock.advance(seconds=30), 4000)
    return collection


def test_a_summary_holds_counts_and_recall_and_nothing_else(tmp_path: Path) -> None:
    clock = Clock()
    info = init_class(tmp_path / "class", "Oncology 2027")
    collection = studied(tmp_path / "data", clock, [Rating.GOOD, Rating.AGAIN, Rating.GOOD])
    summary = student_summary(collection, info, clock.advance(days=1), PARIS)
    text = json.dumps(summary)
    assert "What does invasion mean here" not in text and "Answer" not in text  # no texts
    assert summary["day"] == "2026-03-03" and "T" not in summary["day"]  # a day, no time
    assert summary["class"] == info.id and summary["student"].startswith("student-")
    cards = {(c["card"], c["reviews"], c["lapses"]) for c in summary["cards"]}
    assert cards == {("invasion-1", 1, 0), ("invasion-2", 1, 0), ("intravasation-1", 1, 0)}
    again = next(c for c in summary["cards"] if c["card"] == "invasion-2")
    assert again["recall"] == 0.0  # just forgotten: not known, whatever FSRS predicts
    (step,) = [s for s in summary["steps"] if s["step"] == "invasion"]
    first = next(c for c in summary["cards"] if c["card"] == "invasion-1")
    assert step["cards"] == 2 and step["reviews"] == 2
    assert step["recall"] == pytest.approx((first["recall"] + 0.0) / 2, abs=0.01)
    assert {s["step"] for s in summary["steps"]} == {"invasion", "intravasation"}
    collection.close(clock.now)


def test_sharing_writes_exactly_the_preview_under_a_name_per_class(tmp_path: Path) -> None:
    clock = Clock()
    first = tmp_path / "first-class"
    second = tmp_path / "second-class"
    init_class(first, "First")
    init_class(second, "Second")
    collection = studied(tmp_path / "data", clock, [Rating.GOOD])
    preview = student_summary(collection, read_class(first), clock.now, PARIS)
    path = share(collection, first, clock.now, PARIS)
    assert json.loads(path.read_text()) == preview
    other = share(collection, second, clock.now, PARIS)
    assert other.name != path.name  # classes cannot tell they share a student
    assert share(collection, first, clock.advance(days=2), PARIS) == path  # the same name again
    assert stop_sharing(collection, first) == path and not path.exists()
    collection.close(clock.now)


def write_student(
    folder: Path,
    class_id: str,
    name: str,
    steps: list[dict[str, Any]],
    cards: list[dict[str, Any]],
    day: str = "2026-03-02",
    file: str | None = None,
) -> None:
    path = folder / "students" / f"{file or name}.json"
    path.write_text(
        json.dumps(
            {
                "format": 1,
                "class": class_id,
                "student": name,
                "day": day,
                "steps": steps,
                "cards": cards,
            }
        )
    )


def card(name: str, reviews: int, lapses: int, recall: float) -> dict[str, Any]:
    return {
        "deck": "cascade",
        "card": name,
        "variant": "",
        "reviews": reviews,
        "lapses": lapses,
        "recall": recall,
    }


def step(name: str, reviews: int, lapses: int, recall: float) -> dict[str, Any]:
    return {"step": name, "cards": 1, "reviews": reviews, "lapses": lapses, "recall": recall}


def test_the_report_matches_a_hand_count_and_hides_small_groups(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    info = init_class(folder, "Oncology")
    recalls = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4]
    for index, recall in enumerate(recalls):
        cards = [card("hard", 4, 2, recall), card("easy", 3, 0, 0.95)]
        steps = [step("invasion", 7, 2, recall)]
        if index < 4:  # only four students reached this step: too few to show
            steps.append(step("extravasation", 2, 1, 0.5))
            cards.append(card("rare", 2, 1, 0.5))
        write_student(folder, info.id, f"student-{index}", steps, cards)
    # a sync tool's older copy of one student's file does not count twice
    write_student(
        folder,
        info.id,
        "student-0",
        [step("invasion", 1, 1, 0.0)],
        [],
        day="2026-02-01",
        file="student-0 (conflicted copy)",
    )
    report = class_report(folder)
    assert report.students == 6
    figures = {s.step: s.figure for s in report.steps}
    assert figures["invasion"].students == 6
    assert figures["invasion"].recall == pytest.approx(sum(recalls) / 6)
    assert figures["invasion"].lapse_rate == pytest.approx(12 / 42)
    assert figures["extravasation"].students == 4 < MIN_STUDENTS
    assert figures["extravasation"].hidden and figures["extravasation"].recall is None
    assert [c.card for c in report.cards] == ["hard", "easy"]  # forgotten most first
    assert report.cards[0].figure.lapse_rate == pytest.approx(12 / 24)
    assert report.hidden_cards == 1


def test_files_that_are_not_this_classes_summaries_are_skipped_and_said(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    info = init_class(folder, "Oncology")
    write_student(folder, "another-class", "student-x", [], [])
    (folder / "students" / "broken.json").write_text("{not json")
    write_student(folder, info.id, "student-y", [step("invasion", 1, 0, 2.0)], [])
    report = class_report(folder)
    assert report.students == 0
    reasons = {path.name: reason for path, reason in report.problems}
    assert reasons["student-x.json"] == "a summary for another class"
    assert "cannot be read" in reasons["broken.json"]
    assert "out of range" in reasons["student-y.json"]


def test_a_folder_that_is_not_a_class_folder_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(ClassFolderError, match="metaflash class init FOLDER"):
        class_report(tmp_path)


def test_the_class_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clock = Clock()
    folder = tmp_path / "class"
    assert (
        run_command(class_command, tmp_path / "t", "class", "init", str(folder), "--title", "Onco")
        == 0
    )
    assert "class folder of “Onco”" in capsys.readouterr().out
    studied(tmp_path / "data", clock, [Rating.GOOD]).close(clock.now)
    assert (
        run_command(
            class_command,
            tmp_path / "data",
            "class",
            "share",
            str(folder),
            "--preview",
            clock=clock,
        )
        == 0
    )
    preview = json.loads(capsys.readouterr().out)
    assert not list((folder / "students").iterdir())  # a preview shares nothing
    assert (
        run_command(class_command, tmp_path / "data", "class", "share", str(folder), clock=clock)
        == 0
    )
    assert f"as {preview['student']}.json" in capsys.readouterr().out
    assert run_command(class_command, tmp_path / "t", "class", "report", str(folder), "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["students"] == 1
    assert all(s["hidden"] == "fewer than 5 students" for s in report["steps"])
    assert report["cards"] == [] and report["hidden_cards"] == 1
    assert run_command(class_command, tmp_path / "t", "class", "report", str(folder)) == 0
    assert "invasion: fewer than 5 students" in capsys.readouterr().out
    assert (
        run_command(
            class_command, tmp_path / "data", "class", "share", str(folder), "--stop", clock=clock
        )
        == 0
    )
    assert not list((folder / "students").iterdir())
    assert run_command(class_command, tmp_path / "t", "class", "report", str(tmp_path)) == 1
    assert "is not a class folder" in capsys.readouterr().err


def test_a_summary_handed_in_as_a_file_counts_like_a_shared_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = Clock()
    folder = tmp_path / "class"
    init_class(folder, "Onco")
    studied(tmp_path / "data", clock, [Rating.GOOD]).close(clock.now)
    handed = tmp_path / "mine.json"
    assert (
        run_command(
            class_command,
            tmp_path / "data",
            "class",
            "share",
            str(folder / "class.json"),
            "--file",
            str(handed),
            clock=clock,
        )
        == 0
    )
    assert "hand it in" in capsys.readouterr().out
    assert not list((folder / "students").iterdir())  # nothing written in the folder
    handed.rename(folder / "students" / handed.name)  # the educator files it
    assert class_report(folder).students == 1
