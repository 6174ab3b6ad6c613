"""The animated pathway diagram: a figure drawn from a diagram file, linked to study.

``DiagramView`` is the full screen (figure, playback, step panel); ``CompactDiagramView``
is the figure alone for the review screen (highlight a step, answer by picking one).
"""

from metaflash.ui.diagram.canvas import DiagramCanvas
from metaflash.ui.diagram.view import (
    CardsForStep,
    CompactDiagramView,
    DiagramView,
    prompts_by_step,
)

__all__ = ["CardsForStep", "CompactDiagramView", "DiagramCanvas", "DiagramView", "prompts_by_step"]
