"""Settings (Ctrl+,): how the scheduler works, how much to study, and how the window looks.

Study settings are checked by the engine's own rules (``SchedulerSettings.problems()`` and
``StudySettings.problems()``) plus the learning-steps parser; each problem is shown under
its field and OK stays disabled until every field is valid. The retention field explains
what it means for recall and for the daily workload (:mod:`metaflash.core.scheduling.workload`).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from metaflash.core.scheduling.scheduler import SchedulerSettings
from metaflash.core.scheduling.step_text import StepsError, format_steps, parse_steps
from metaflash.core.scheduling.study_settings import StudySettings
from metaflash.core.scheduling.workload import describe_retention, relative_workload
from metaflash.core.sync.folder import SyncLayout
from metaflash.ui.common.theme import MAX_FONT_SCALE, MIN_FONT_SCALE, ThemeName
from metaflash.ui.common.window_geometry import keep_on_screen
from metaflash.ui.shell.open_in_editor import DesktopOpener


@dataclass(frozen=True, slots=True)
class SettingsValues:
    scheduler: SchedulerSettings
    study: StudySettings
    theme: ThemeName
    font_scale: float
    reduce_motion: bool
    sync_folder: Path | None = None  # None: not syncing
    device_name: str = ""


#: Which field each engine problem belongs to, by how its message starts.
_PROBLEM_FIELDS = (
    ("desired retention", "retention"),
    ("learning steps", "learning_steps"),
    ("relearning steps", "relearning_steps"),
    ("new cards per day", "new_per_day"),
    ("reviews per day", "reviews_per_day"),
    ("the leech threshold", "leech_threshold"),
    ("the study day", "day_start"),
)

THEME_CHOICES = (
    (ThemeName.SYSTEM, "Follow the system"),
    (ThemeName.LIGHT, "Light"),
    (ThemeName.DARK, "Dark"),
)


def percent_text(fraction: float) -> str:
    """``0.9`` as ``90%``."""
    return f"{fraction * 100:.0f}%"


def parse_percent(text: str) -> float | None:
    """A retention as people type it: ``90%``, ``90`` or ``0.9`` (to two decimals); None
    when it is not a number. Numbers above 1 are percentages, so ``1.5`` is 1.5%, which the
    field then refuses, never a silent 0.5."""
    cleaned = text.strip().removesuffix("%").strip().replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    if not math.isfinite(value) or value < 0:
        return None
    return round(value / 100 if value > 1 else value, 2)


def reviews_phrase(count: float, *, about: bool = False) -> str:
    """``1 review``, ``about 12 reviews``, ``fewer than one review``."""
    rounded = round(count)
    if rounded < 1:
        return "fewer than one review"
    words = f"{rounded} review" if rounded == 1 else f"{rounded:,} reviews"
    return f"about {words}" if about else words


def _spin(low: int, high: int, suffix: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSuffix(suffix)
    box.setAccelerated(True)
    return box


class SettingsDialog(QDialog):
    def __init__(
        self,
        values: SettingsValues,
        *,
        data_dir: Path,
        opener: DesktopOpener,
        reviews_per_day: float | None = None,
        sync_status: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self._initial = values
        self._opener = opener
        self._data_dir = data_dir
        self._recent_reviews = reviews_per_day
        self.errors: dict[str, QLabel] = {}

        self.retention = QLineEdit(percent_text(values.scheduler.desired_retention))
        self.retention.setPlaceholderText("e.g. 90%")
        self.retention_text = QLabel()
        self.retention_text.setObjectName("retentionExplanation")
        self.retention_text.setProperty("role", "muted")
        self.retention_text.setWordWrap(True)
        self.learning_steps = QLineEdit(format_steps(values.scheduler.learning_steps))
        self.learning_steps.setPlaceholderText("e.g. 1m 10m")
        self.relearning_steps = QLineEdit(format_steps(values.scheduler.relearning_steps))
        self.relearning_steps.setPlaceholderText("e.g. 10m")
        self.new_per_day = _spin(0, 99999)
        self.new_per_day.setValue(values.study.new_per_day)
        self.reviews_per_day = _spin(0, 999999)
        self.reviews_per_day.setValue(values.study.reviews_per_day)
        self.leech_threshold = _spin(0, 999, " lapses")
        self.leech_threshold.setValue(values.study.leech_threshold)
        self.day_start = _spin(0, 23, ":00")
        self.day_start.setValue(values.study.day_start_hour)
        self.bury_new = QCheckBox("&Bury new siblings until tomorrow")
        self.bury_new.setToolTip(
            "Once one side or gap of a card is answered, its other new sides and gaps wait "
            "for the next day, so that one never gives another away"
        )
        self.bury_new.setChecked(values.study.bury_new_siblings)
        self.bury_reviews = QCheckBox("B&ury review siblings until tomorrow")
        self.bury_reviews.setToolTip("The same for the card's other sides and gaps that are due")
        self.bury_reviews.setChecked(values.study.bury_review_siblings)

        self.theme = QComboBox()
        for theme, text in THEME_CHOICES:
            self.theme.addItem(text, theme.value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(values.theme.value)))
        self.font_scale = _spin(int(MIN_FONT_SCALE * 100), int(MAX_FONT_SCALE * 100), " %")
        self.font_scale.setSingleStep(10)
        self.font_scale.setValue(round(values.font_scale * 100))
        self.reduce_motion = QCheckBox(
            "Reduce motion (the diagram changes steps without animating)"
        )
        self.reduce_motion.setChecked(values.reduce_motion)

        self.data_folder = QLineEdit(str(data_dir))
        self.data_folder.setReadOnly(True)
        self.data_folder.setAccessibleName("Data folder")
        self.open_data = QPushButton("Open Folder")
        self.open_data.setAccessibleName("Open the data folder")
        self.open_data.clicked.connect(self._open_data_folder)

        self._sync_folder = values.sync_folder
        self.sync_folder = QLineEdit("" if values.sync_folder is None else str(values.sync_folder))
        self.sync_folder.setReadOnly(True)
        self.sync_folder.setPlaceholderText("Not syncing")
        self.choose_sync = QPushButton("C&hoose…")
        self.choose_sync.setAccessibleName("Choose the sync folder")
        self.choose_sync.clicked.connect(self._choose_sync_folder)
        self.stop_sync = QPushButton("Sto&p Syncing")
        self.stop_sync.clicked.connect(lambda: self.set_sync_folder(None))
        self.device_name = QLineEdit(values.device_name)
        self.device_name.setPlaceholderText("e.g. Laptop (the name other computers see)")
        self.sync_text = QLabel(
            sync_status
            or "Choose a folder that a sync tool (Syncthing, Nextcloud, Dropbox, OneDrive, git) "
            "carries between your computers; each computer writes its own files there."
        )
        self.sync_text.setObjectName("syncExplanation")
        self.sync_text.setProperty("role", "muted")
        self.sync_text.setWordWrap(True)

        study = QGroupBox("Studying")
        form = QFormLayout(study)
        self._row(form, "Desired &retention:", self.retention, "retention", self.retention_text)
        self._row(form, "&Learning steps:", self.learning_steps, "learning_steps")
        self._row(form, "Re&learning steps:", self.relearning_steps, "relearning_steps")
        self._row(form, "&New cards a day:", self.new_per_day, "new_per_day")
        self._row(form, "Re&views a day:", self.reviews_per_day, "reviews_per_day")
        self._row(form, "Lee&ch after:", self.leech_threshold, "leech_threshold")
        self._row(form, "The &day starts at:", self.day_start, "day_start")
        form.addRow("", self.bury_new)
        form.addRow("", self.bury_reviews)
        looks = QGroupBox("Appearance")
        looks_form = QFormLayout(looks)
        self._row(looks_form, "&Theme:", self.theme, "theme")
        self._row(looks_form, "&Font size:", self.font_scale, "font_scale")
        looks_form.addRow("", self.reduce_motion)
        data = QGroupBox("Your data")
        data_row = QHBoxLayout(data)
        data_row.addWidget(self.data_folder, 1)
        data_row.addWidget(self.open_data)
        sync = QGroupBox("Sync with your other computers")
        sync_form = QFormLayout(sync)
        folder_row = QWidget()
        folder_layout = QHBoxLayout(folder_row)
        folder_layout.setContentsMargins(0, 0, 0, 0)
        folder_layout.addWidget(self.sync_folder, 1)
        folder_layout.addWidget(self.choose_sync)
        folder_layout.addWidget(self.stop_sync)
        self._row(sync_form, "&Sync folder:", folder_row, "sync_folder", self.sync_text)
        self.sync_folder.setAccessibleName("Sync folder")
        self._row(sync_form, "This &device:", self.device_name, "device_name")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        # the groups scroll when the screen is too small for them (1024x700, 200% scaling);
        # the buttons stay in view
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(study)
        body_layout.addWidget(looks)
        body_layout.addWidget(data)
        body_layout.addWidget(sync)
        body_layout.addStretch(1)
        self.body_scroll = QScrollArea()
        self.body_scroll.setWidgetResizable(True)
        self.body_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.body_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body_scroll.setWidget(body)
        self._body = body
        layout = QVBoxLayout(self)
        layout.addWidget(self.body_scroll, 1)
        layout.addWidget(self.buttons)

        for box in (self.new_per_day, self.reviews_per_day, self.leech_threshold, self.day_start):
            box.valueChanged.connect(self.validate)
        self.retention.textChanged.connect(self.validate)
        self.bury_new.toggled.connect(self.validate)
        self.bury_reviews.toggled.connect(self.validate)
        self.learning_steps.textChanged.connect(self.validate)
        self.relearning_steps.textChanged.connect(self.validate)
        self.device_name.textChanged.connect(self.validate)
        self.stop_sync.setEnabled(values.sync_folder is not None)
        self.validate()

    def _row(
        self, form: QFormLayout, label: str, field: QWidget, key: str, extra: QWidget | None = None
    ) -> None:
        error = QLabel()
        error.setObjectName(f"{key}Error")
        error.setProperty("role", "error")
        error.setWordWrap(True)
        error.hide()
        self.errors[key] = error
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(field)
        if extra is not None:
            column.addWidget(extra)
        column.addWidget(error)
        caption = QLabel(label)
        caption.setBuddy(field)
        field.setAccessibleName(label.replace("&", "").rstrip(":"))
        form.addRow(caption, column)

    # --- values ---------------------------------------------------------------------------

    def _steps(
        self, key: str, field: QLineEdit, problems: dict[str, list[str]]
    ) -> tuple[timedelta, ...]:
        try:
            return parse_steps(field.text())
        except StepsError as error:
            problems[key].append(str(error))
            return ()

    def _collect(self) -> tuple[SettingsValues, dict[str, list[str]]]:
        problems: dict[str, list[str]] = {key: [] for key in self.errors}
        learning = self._steps("learning_steps", self.learning_steps, problems)
        relearning = self._steps("relearning_steps", self.relearning_steps, problems)
        retention = parse_percent(self.retention.text())
        if retention is None:  # a range the engine refuses is said by the engine, below
            problems["retention"].append("Give a percentage, e.g. 90% (or 0.9)")
            retention = self._initial.scheduler.desired_retention
        scheduler = dataclasses.replace(
            self._initial.scheduler,
            desired_retention=retention,
            learning_steps=learning,
            relearning_steps=relearning,
        )
        study = dataclasses.replace(
            self._initial.study,
            new_per_day=self.new_per_day.value(),
            reviews_per_day=self.reviews_per_day.value(),
            leech_threshold=self.leech_threshold.value(),
            day_start_hour=self.day_start.value(),
            bury_new_siblings=self.bury_new.isChecked(),
            bury_review_siblings=self.bury_reviews.isChecked(),
        )
        for message in (*scheduler.problems(), *study.problems()):
            key = next((k for prefix, k in _PROBLEM_FIELDS if message.startswith(prefix)), None)
            if key is not None and not problems[key]:
                problems[key].append(message[:1].upper() + message[1:])
        if not learning and not problems["learning_steps"]:
            problems["learning_steps"].append("Give at least one learning step, e.g. 10m")
        name = " ".join(self.device_name.text().split())
        if len(name) > 80:
            problems["device_name"].append("Use at most 80 characters")
        problem = None if self._sync_folder is None else SyncLayout(self._sync_folder).problem()
        if problem is not None:
            problems["sync_folder"].append(problem[:1].upper() + problem[1:])
        values = SettingsValues(
            scheduler,
            study,
            ThemeName(str(self.theme.currentData())),
            self.font_scale.value() / 100,
            self.reduce_motion.isChecked(),
            self._sync_folder,
            name,
        )
        return values, problems

    @Slot()
    def validate(self) -> bool:
        """Show each field's problems; True when every field is valid."""
        values, problems = self._collect()
        for key, label in self.errors.items():
            label.setText("\n".join(problems[key]))
            label.setVisible(bool(problems[key]))
        valid = not any(problems.values())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(valid)
        self._explain(values.scheduler)
        return valid

    def values(self) -> SettingsValues | None:
        """The settings chosen, or None while a field is invalid."""
        values, problems = self._collect()
        return None if any(problems.values()) else values

    def _explain(self, scheduler: SchedulerSettings) -> None:
        retention = scheduler.desired_retention
        if not 0.70 <= retention <= 0.99:
            self.retention_text.setText("")
            return
        text = describe_retention(retention, scheduler)
        current = self._initial.scheduler
        if self._recent_reviews and retention != current.desired_retention:
            ratio = relative_workload(retention, current) / relative_workload(
                current.desired_retention, current
            )
            text += (
                f" Lately you have done {reviews_phrase(self._recent_reviews)} a day; at "
                f"{percent_text(retention)} that would be "
                f"{reviews_phrase(self._recent_reviews * ratio, about=True)} a day."
            )
        self.retention_text.setText(text)
        self._fit_explanation()

    def _fit_explanation(self) -> None:
        """Give the explanation the height its text needs at its width: word-wrapped labels
        do not ask for it themselves, and would be cut off."""
        label = self.retention_text
        width = label.width() if label.width() > 0 else label.sizeHint().width()
        label.setMinimumHeight(label.heightForWidth(width) if label.text() else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_explanation()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_explanation()
        screen = self.screen()
        room = screen.availableGeometry().size() if screen is not None else None
        body = self._body.sizeHint()
        width = max(self.width(), body.width() + 40)
        height = body.height() + self.buttons.sizeHint().height() + 60
        if room is not None:
            width, height = min(width, room.width() - 16), min(height, room.height() - 48)
        self.resize(width, height)
        keep_on_screen(self)

    def accept(self) -> None:
        if self.validate():
            super().accept()

    @Slot()
    def _open_data_folder(self) -> None:
        self._opener.open_folder(self._data_dir)

    @Slot()
    def _choose_sync_folder(self) -> None:
        start = str(self._sync_folder or Path.home())
        chosen = QFileDialog.getExistingDirectory(self, "Choose the Sync Folder", start)
        if chosen:
            self.set_sync_folder(Path(chosen))

    def set_sync_folder(self, folder: Path | None) -> None:
        """Sync through ``folder`` once OK is pressed (None: stop syncing)."""
        self._sync_folder = folder
        self.sync_folder.setText("" if folder is None else str(folder))
        self.stop_sync.setEnabled(folder is not None)
        self.validate()
