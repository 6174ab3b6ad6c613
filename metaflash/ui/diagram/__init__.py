"""The animated pathway diagram: a figure drawn from a diagram file, linked to study.

``DiagramView`` is the full screen (figure, playback, step panel); ``CompactDiagramView``
is the figure alone for the review screen (highlight a step, answer by picking one).

The names below are imported when first used: the window starts on the deck list, and the
figure's modules (about 30 ms to import) wait until a diagram is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from metaflash.core.util.lazy_names import lazy_names

if TYPE_CHECKING:
    from metaflash.ui.diagram.canvas import DiagramCanvas
    from metaflash.ui.diagram.view import (
        CardsForStep,
        CompactDiagramView,
        DiagramView,
        prompts_by_step,
    )

__all__ = ["CardsForStep", "CompactDiagramView", "DiagramCanvas", "DiagramView", "prompts_by_step"]

_HOMES = {
    "CardsForStep": "metaflash.ui.diagram.view",
    "CompactDiagramView": "metaflash.ui.diagram.view",
    "DiagramCanvas": "metaflash.ui.diagram.canvas",
    "DiagramView": "metaflash.ui.diagram.view",
    "prompts_by_step": "metaflash.ui.diagram.view",
}


__getattr__ = lazy_names(globals(), _HOMES)
