"""The views the main window's centre can show, by name."""

from __future__ import annotations

from enum import StrEnum


class ViewName(StrEnum):
    DECKS = "decks"
    REVIEW = "review"
    DIAGRAM = "diagram"
    STATS = "stats"
    EDITOR = "editor"


VIEW_TITLES = {
    ViewName.DECKS: "Decks",
    ViewName.REVIEW: "Review",
    ViewName.DIAGRAM: "Diagram",
    ViewName.STATS: "Statistics",
    ViewName.EDITOR: "Editor",
}
