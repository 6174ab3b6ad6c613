"""The diagram view's keys: bound there, and listed in the keyboard shortcuts dialog."""

from __future__ import annotations

#: The diagram view's keys: (keys, what they do as an action name, what they do in words).
#: The view makes its shortcuts from this table, and Help › Keyboard Shortcuts lists it.
DIAGRAM_KEYS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("K", "Toggle Media Play/Pause"), "play", "play or pause the journey"),
    ((".",), "forward", "next step"),
    ((",",), "back", "previous step"),
    (("R",), "restart", "start the journey again"),
    (("+", "="), "faster", "faster"),
    (("-",), "slower", "slower"),
    (("S",), "step_mode", "stop at every step, or play through"),
    (("M",), "reduce_motion", "reduce motion (change steps without animating)"),
    (("A",), "account", "show the next account: every step, then each source's own steps"),
    (("Esc",), "escape", "close the step panel"),
    (("Left", "Right", "Up", "Down", "Home", "End"), "", "move between the steps of the figure"),
    (("Enter", "Space"), "", "open the step under the focus (or pick it, on a diagram card)"),
)
