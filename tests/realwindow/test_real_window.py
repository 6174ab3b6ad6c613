"""Every view and dialog in a real window, at the screen sizes students have, clips nothing.

Each case starts a private X server of that size with a window manager, and runs
``probe.py`` in it with the xcb platform (the one Linux desktops use) and the scale under
test. The probe opens the app as a user does, visits every view (the review on both sides of
two cards, the diagram with a step's panel open, the Problems panel) and every dialog, and
audits each with :mod:`layout_audit`. A case fails listing every widget that was cut off.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from x_server import missing_tools, x_server

HERE = Path(__file__).parent

#: (screen width, height, QT_SCALE_FACTOR): a small netbook, the most common student laptop,
#: a desktop, and a 200% laptop screen (1366x768 logical pixels).
SCREENS = [(1024, 700, 1), (1366, 768, 1), (1920, 1080, 1), (2732, 1536, 2)]

#: The places the probe must visit: a probe that skipped one would pass without seeing it.
PLACES = {
    "decks",
    "review",
    "diagram",
    "stats",
    "editor",
    "decks-with-problems",
    "review-metastasis-definition-question",
    "review-metastasis-definition-answer",
    "review-multistep-order-question",
    "review-multistep-order-answer",
    "diagram-step-panel",
    "diagram-study-note-steps",
    "decks-after-step-panel",
    "dialog-settings",
    "dialog-shortcuts",
    "dialog-export",
    "dialog-import",
    "dialog-import-csv",
    "dialog-new-deck",
    "dialog-conflict",
    "dialog-about",
    "dialog-class",
    "dialog-share-class",
    "dialog-damaged-collection",
    "dialog-deck-format",
}


@pytest.fixture(scope="module", autouse=True)
def needs_x_tools() -> None:
    missing = missing_tools()
    if missing:
        message = f"the real-window lane needs {', '.join(missing)} (Debian: xvfb, openbox)"
        if os.environ.get("CI"):
            pytest.fail(message + "; .ci/run installs them")
        pytest.skip(message)


#: Every size in the light theme; the dark theme shares the layout, so one size shows it.
CASES = [(*screen, "light") for screen in SCREENS] + [(1366, 768, 1, "dark")]


@pytest.mark.parametrize(("width", "height", "scale", "theme"), CASES, ids=lambda v: str(v))
def test_nothing_is_clipped(
    width: int, height: int, scale: int, theme: str, tmp_path: Path
) -> None:
    with x_server(width, height) as display:
        env = {
            **os.environ,
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
            "QT_SCALE_FACTOR": str(scale),
        }
        env.pop("WAYLAND_DISPLAY", None)
        done = subprocess.run(
            [sys.executable, str(HERE / "probe.py"), str(tmp_path / "data"), "", theme],
            env=env,
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["scale"] == scale
    logical = [round(width / scale), round(height / scale)]
    assert report["screen"][0] == logical[0] and report["screen"][1] <= logical[1]
    places: dict[str, list[str]] = report["places"]
    assert set(places) == PLACES
    clipped = [f"{place}: {clip}" for place, clips in places.items() for clip in clips]
    assert not clipped, "\n".join(clipped)
    if report["unframed"]:  # on the screen, but measured without a title bar: say so
        warnings.warn(
            f"Qt gave no frame to the window of {', '.join(report['unframed'])}: "
            "checked without its title bar",
            stacklevel=1,
        )
