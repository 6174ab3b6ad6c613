"""The statistics screen, computed from the real collection after studying in the window."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from window_testing import FakeClock, RecordingOpener, WindowRig

from metaflash.core.decks.model import DeckId
from metaflash.core.scheduling.scheduler import Rating
from metaflash.core.util import paths
from metaflash.ui.shell.views import ViewName
from metaflash.ui.stats.statistics_view import StatisticsView


def test_statistics_after_a_few_days_of_study(qtbot: QtBot, tmp_path: Path) -> None:
    rig = WindowRig(tmp_path / "data", paths.bundled_decks_dir(), FakeClock(), RecordingOpener())
    with rig.window(qtbot) as main:
        main.deck_manager.select_deck(DeckId("metastasis-stages"))
        for day in range(3):
            main.study.study_deck("metastasis-stages")
            review = main.review
            for index in range(6):
                if review.session is None or review.session.current is None:
                    break
                review.reveal()
                rig.clock.advance(seconds=10)
                review.grade(Rating.AGAIN if index == 0 and day == 2 else Rating.EASY)
            rig.clock.advance(days=1)
        assert main.show_view(ViewName.STATS) is ViewName.STATS
        stats = main.view(ViewName.STATS)
        assert isinstance(stats, StatisticsView)
        assert stats.deck_id() == "metastasis-stages"
        statistics = stats.statistics
        assert statistics is not None
        assert [bar.value for bar in stats.forecast.bars] == [d.count for d in statistics.forecast]
        assert sum(bar.value for bar in stats.forecast.bars) > 0
        answered = [bar for bar in stats.reviews.bars if bar.value]
        assert len(answered) == 3 and "answers" in answered[-1].tooltip
        assert "1 Again" in answered[-1].tooltip
        labels = [bar.label for bar in stats.mastery.bars]
        assert "Intravasation" in labels and "Local invasion" in labels
        studied = [bar for bar in stats.mastery.bars if bar.text != "not started"]
        assert studied and all("%" in bar.text for bar in studied)
        periods = [bar.label for bar in stats.retention.bars]
        assert periods[0] == "Today" and periods[-1] == "All time"
        stats.show_deck(None)
        assert stats.deck_id() is None
        assert (
            stats.statistics is not None
            and stats.statistics.overall.total > statistics.overall.total
        )
