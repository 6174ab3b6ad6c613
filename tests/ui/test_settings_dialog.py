"""Settings: invalid values refused next to their field, the retention explained, and
everything kept from one start of the window to the next."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot
from window_testing import FakeClock, RecordingOpener, WindowRig, write_small_decks

from metaflash.core.decks.model import DeckId
from metaflash.core.scheduling.scheduler import SchedulerSettings
from metaflash.core.scheduling.study_settings import StudySettings
from metaflash.ui.common.theme import DARK, ThemeController, ThemeName
from metaflash.ui.shell.settings_dialog import SettingsDialog, SettingsValues, reviews_phrase


def dialog_for(qtbot: QtBot, tmp_path: Path, reviews: float | None = None) -> SettingsDialog:
    values = SettingsValues(SchedulerSettings(), StudySettings(), ThemeName.SYSTEM, 1.0, False)
    dialog = SettingsDialog(
        values, data_dir=tmp_path, opener=RecordingOpener(), reviews_per_day=reviews
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def ok_enabled(dialog: SettingsDialog) -> bool:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ("1m 10x", "'10x' is not a step"),
        ("ten minutes", "'ten' is not a step"),
        ("10m 1m", "shorter than the step before it"),
        ("2d", "at most one day"),
        ("", "at least one learning step"),
    ],
)
def test_bad_learning_steps_are_refused_next_to_the_field(
    qtbot: QtBot, tmp_path: Path, steps: str, message: str
) -> None:
    dialog = dialog_for(qtbot, tmp_path)
    assert ok_enabled(dialog)
    dialog.learning_steps.setText(steps)
    error = dialog.errors["learning_steps"]
    assert error.isVisible() and message in error.text()
    assert not ok_enabled(dialog) and dialog.values() is None
    dialog.learning_steps.setText("1m 10m 1h")
    assert not error.isVisible() and ok_enabled(dialog)
    values = dialog.values()
    assert values is not None
    assert values.scheduler.learning_steps == (
        timedelta(minutes=1),
        timedelta(minutes=10),
        timedelta(hours=1),
    )


def test_engine_limits_are_refused_with_the_engines_message(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = dialog_for(qtbot, tmp_path)
    dialog.retention.setText("60%")
    assert "Desired retention 0.6 lies outside 0.70..0.99" in dialog.errors["retention"].text()
    assert not ok_enabled(dialog)
    dialog.retention.setText("85%")
    dialog.new_per_day.setValue(12000)
    assert "New cards per day must be 0..9999" in dialog.errors["new_per_day"].text()
    dialog.new_per_day.setValue(15)
    dialog.leech_threshold.setValue(0)
    assert "leech threshold" in dialog.errors["leech_threshold"].text()
    dialog.leech_threshold.setValue(6)
    assert ok_enabled(dialog)


def test_the_retention_says_what_it_costs(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = dialog_for(qtbot, tmp_path, reviews=40)
    assert "usual choice" in dialog.retention_text.text()
    dialog.retention.setText("95%")
    text = dialog.retention_text.text()
    assert "about 1 in 20 forgotten" in text
    assert "intervals are 2.5× shorter" in text and "2.3× the reviews" in text
    assert "Lately you have done 40 reviews a day; at 95% that would be about 91 reviews" in text
    dialog.retention.setText("80%")
    assert "longer" in dialog.retention_text.text()


def test_the_workload_sentence_reads_naturally_for_any_number(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = dialog_for(qtbot, tmp_path, reviews=1)
    dialog.retention.setText("70%")
    text = dialog.retention_text.text()
    assert "Lately you have done 1 review a day" in text
    assert "at 70% that would be fewer than one review a day." in text
    assert reviews_phrase(0.3) == "fewer than one review" and reviews_phrase(2) == "2 reviews"


@pytest.mark.parametrize(
    ("typed", "stored", "error"),
    [
        ("85%", 0.85, ""),
        ("85", 0.85, ""),
        ("0.85", 0.85, ""),
        ("0,85", 0.85, ""),
        ("1.5", None, "outside"),  # 1.5%: refused, never a silent 50%
        ("ninety", None, "Give a percentage"),
    ],
)
def test_the_retention_is_read_as_people_type_it(
    qtbot: QtBot, tmp_path: Path, typed: str, stored: float | None, error: str
) -> None:
    dialog = dialog_for(qtbot, tmp_path)
    dialog.retention.clear()
    qtbot.keyClicks(dialog.retention, typed)
    assert dialog.retention.text() == typed  # kept as typed
    values = dialog.values()
    if stored is None:
        assert values is None and not ok_enabled(dialog)
        assert error in dialog.errors["retention"].text()
    else:
        assert values is not None and values.scheduler.desired_retention == stored


def test_the_data_folder_is_shown_and_opens(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = dialog_for(qtbot, tmp_path)
    assert dialog.data_folder.text() == str(tmp_path)
    assert dialog.data_folder.isReadOnly()
    qtbot.mouseClick(dialog.open_data, Qt.MouseButton.LeftButton)
    opener = dialog._opener
    assert isinstance(opener, RecordingOpener) and opener.urls == [str(tmp_path)]


def test_settings_persist_across_a_restart(
    qtbot: QtBot, tmp_path: Path, qapp: QApplication
) -> None:
    rig = WindowRig(
        tmp_path / "data", write_small_decks(tmp_path / "decks"), FakeClock(), RecordingOpener()
    )
    theme = ThemeController(qapp)
    with rig.window(qtbot, theme=theme) as main:
        main.study.study_deck("small")
        dialog = main.commands.open_settings()
        assert dialog.isVisible()
        dialog.retention.setText("85%")
        dialog.learning_steps.setText("2m 15m")
        dialog.new_per_day.setValue(2)
        dialog.day_start.setValue(6)
        dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
        dialog.font_scale.setValue(120)
        dialog.reduce_motion.setChecked(True)
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
        assert qapp.palette().color(QPalette.ColorRole.Window).name() == DARK.window
        assert theme.font_scale == 1.2
        # the running session started again with the new limit
        session = main.review.session
        assert session is not None and session.counts.new == 2
        assert main.deck_manager.tree.counts_shown(DeckId("small"))[0] == "2"
        main.theme = None
        shiboken6.delete(theme)  # stop following the desktop's scheme in later tests
    with rig.window(qtbot) as again:
        scheduler = again.collection.scheduler_settings()
        study = again.collection.study_settings()
        assert scheduler.desired_retention == 0.85
        assert scheduler.learning_steps == (timedelta(minutes=2), timedelta(minutes=15))
        assert (study.new_per_day, study.day_start_hour) == (2, 6)
        assert again.settings.theme is ThemeName.DARK
        assert again.settings.font_scale == 1.2 and again.settings.reduce_motion
        current = again.commands.current_settings()
        assert current.theme is ThemeName.DARK


def test_the_retention_explanation_is_never_cut_off(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = dialog_for(qtbot, tmp_path, reviews=40)
    dialog.show()
    qtbot.waitExposed(dialog)
    label = dialog.retention_text
    for typed in ("90%", "95%", "75%"):
        dialog.retention.setText(typed)
        qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))


def test_the_two_sibling_settings_are_kept(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = dialog_for(qtbot, tmp_path)
    assert dialog.bury_new.isChecked() and dialog.bury_reviews.isChecked()  # on by default
    dialog.bury_reviews.setChecked(False)
    values = dialog.values()
    assert values is not None
    assert values.study.bury_new_siblings and not values.study.bury_review_siblings
    again = StudySettings.from_json(values.study.to_json())
    assert (again.bury_new_siblings, again.bury_review_siblings) == (True, False)
    assert StudySettings.from_json('{"v": 1}').bury_new_siblings  # older settings: on
