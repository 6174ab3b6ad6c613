"""The window's own preferences, in ``<data dir>/window.ini`` (never in the real home).

What the study engine needs (retention, limits, learning steps, the day start) lives in the
collection; this file keeps what only the window uses: its geometry and splitters, the
theme, the font scale, reduced motion, the folders opened, the deck files removed from the
library, the welcome's state and the last deck selected.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from metaflash.core.decks.model import DeckId
from metaflash.ui.common.theme import MAX_FONT_SCALE, MIN_FONT_SCALE, ThemeName

SETTINGS_FILE_NAME = "window.ini"


def _as_bool(value: object, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes"}
    return default


def _as_paths(value: object) -> tuple[Path, ...]:
    if isinstance(value, str):
        value = [value] if value else []
    if not isinstance(value, list):
        return ()
    return tuple(Path(item) for item in value if isinstance(item, str) and item)


class WindowSettings:
    """Typed access to ``window.ini``. Unknown or damaged values fall back to the defaults."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / SETTINGS_FILE_NAME
        self._settings = QSettings(str(self.path), QSettings.Format.IniFormat)

    def sync(self) -> None:
        self._settings.sync()

    # --- appearance ---------------------------------------------------------------------

    @property
    def theme(self) -> ThemeName:
        value = self._settings.value("appearance/theme", ThemeName.SYSTEM.value)
        try:
            return ThemeName(str(value))
        except ValueError:
            return ThemeName.SYSTEM

    @theme.setter
    def theme(self, theme: ThemeName) -> None:
        self._settings.setValue("appearance/theme", theme.value)

    @property
    def font_scale(self) -> float:
        value = self._settings.value("appearance/font_scale", 1.0)
        try:
            scale = float(str(value))
        except ValueError:
            return 1.0
        return scale if MIN_FONT_SCALE <= scale <= MAX_FONT_SCALE else 1.0

    @font_scale.setter
    def font_scale(self, scale: float) -> None:
        self._settings.setValue("appearance/font_scale", round(scale, 2))

    @property
    def reduce_motion(self) -> bool:
        return _as_bool(self._settings.value("appearance/reduce_motion", False), False)

    @reduce_motion.setter
    def reduce_motion(self, on: bool) -> None:
        self._settings.setValue("appearance/reduce_motion", on)

    # --- the library ----------------------------------------------------------------------

    @property
    def extra_folders(self) -> tuple[Path, ...]:
        return _as_paths(self._settings.value("library/folders", []))

    @extra_folders.setter
    def extra_folders(self, folders: tuple[Path, ...]) -> None:
        self._settings.setValue("library/folders", [str(folder) for folder in folders])

    @property
    def excluded_files(self) -> tuple[Path, ...]:
        return _as_paths(self._settings.value("library/excluded", []))

    @excluded_files.setter
    def excluded_files(self, files: tuple[Path, ...]) -> None:
        self._settings.setValue("library/excluded", sorted(str(file) for file in files))

    @property
    def last_deck(self) -> DeckId | None:
        value = self._settings.value("library/last_deck", "")
        return DeckId(str(value)) if value else None

    @last_deck.setter
    def last_deck(self, deck_id: DeckId | None) -> None:
        self._settings.setValue("library/last_deck", deck_id or "")

    # --- the welcome and the window ---------------------------------------------------------

    @property
    def welcome_dismissed(self) -> bool:
        return _as_bool(self._settings.value("welcome/dismissed", False), False)

    @welcome_dismissed.setter
    def welcome_dismissed(self, dismissed: bool) -> None:
        self._settings.setValue("welcome/dismissed", dismissed)

    def state(self, name: str) -> QByteArray | None:
        """A saved geometry or splitter state (``geometry``, ``window_state``, ...)."""
        value = self._settings.value(f"window/{name}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_state(self, name: str, value: QByteArray) -> None:
        self._settings.setValue(f"window/{name}", value)
