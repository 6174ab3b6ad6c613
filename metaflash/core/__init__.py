"""The Qt-free core of metaflash: decks, scheduling, the collection, sessions, statistics.

This package's names are the public API for scripts (``docs/scripting.md`` shows a complete
example): load decks, open a collection, bring it in line with the decks, study and answer.

    from metaflash.core import Collection, ReviewSession, Rating, deck_scope, load_library

The names load on first use, so importing one sub-package stays cheap. Everything else lives
in the sub-packages (each ``__init__`` says what it holds and what it may import); nothing
under this package imports Qt (``tests/core/test_no_qt.py`` and the import-linter contracts
in ``pyproject.toml`` enforce it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from metaflash.core.util.lazy_names import lazy_names

if TYPE_CHECKING:
    from metaflash.core.collection.card_moves import LibraryReconcile, reconcile_library
    from metaflash.core.collection.errors import CollectionError, DamagedCollectionError
    from metaflash.core.collection.store import Collection
    from metaflash.core.decks.model import (
        Card,
        CardId,
        Deck,
        DeckId,
        Diagram,
        Problem,
        Prompt,
        PromptKey,
        StepId,
    )
    from metaflash.core.library.snapshot import Library, load_library
    from metaflash.core.scheduling.scheduler import Rating
    from metaflash.core.scheduling.study_day import StudyDay, local_timezone
    from metaflash.core.stats.statistics import Statistics, collect_statistics
    from metaflash.core.study.scope import StudyScope, deck_scope, step_scope
    from metaflash.core.study.session import ReviewSession
    from metaflash.core.util.paths import bundled_decks_dir, resolve_data_dir

#: Each public name and the module it comes from.
_WHERE: dict[str, str] = {
    "Card": "metaflash.core.decks.model",
    "CardId": "metaflash.core.decks.model",
    "Collection": "metaflash.core.collection.store",
    "CollectionError": "metaflash.core.collection.errors",
    "DamagedCollectionError": "metaflash.core.collection.errors",
    "Deck": "metaflash.core.decks.model",
    "DeckId": "metaflash.core.decks.model",
    "Diagram": "metaflash.core.decks.model",
    "Library": "metaflash.core.library.snapshot",
    "LibraryReconcile": "metaflash.core.collection.card_moves",
    "Problem": "metaflash.core.decks.model",
    "Prompt": "metaflash.core.decks.model",
    "PromptKey": "metaflash.core.decks.model",
    "Rating": "metaflash.core.scheduling.scheduler",
    "ReviewSession": "metaflash.core.study.session",
    "Statistics": "metaflash.core.stats.statistics",
    "StepId": "metaflash.core.decks.model",
    "StudyDay": "metaflash.core.scheduling.study_day",
    "StudyScope": "metaflash.core.study.scope",
    "bundled_decks_dir": "metaflash.core.util.paths",
    "collect_statistics": "metaflash.core.stats.statistics",
    "deck_scope": "metaflash.core.study.scope",
    "load_library": "metaflash.core.library.snapshot",
    "local_timezone": "metaflash.core.scheduling.study_day",
    "reconcile_library": "metaflash.core.collection.card_moves",
    "resolve_data_dir": "metaflash.core.util.paths",
    "step_scope": "metaflash.core.study.scope",
}

__all__ = [
    "Card",
    "CardId",
    "Collection",
    "CollectionError",
    "DamagedCollectionError",
    "Deck",
    "DeckId",
    "Diagram",
    "Library",
    "LibraryReconcile",
    "Problem",
    "Prompt",
    "PromptKey",
    "Rating",
    "ReviewSession",
    "Statistics",
    "StepId",
    "StudyDay",
    "StudyScope",
    "bundled_decks_dir",
    "collect_statistics",
    "deck_scope",
    "load_library",
    "local_timezone",
    "reconcile_library",
    "resolve_data_dir",
    "step_scope",
]


__getattr__ = lazy_names(globals(), _WHERE)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
