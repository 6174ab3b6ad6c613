"""The quick benchmarks still run against today's code (tiny sizes: no figures are checked
here; the benchmarks themselves are run by hand, side by side)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("argv", "word"),
    [
        (["bench/side_thread.py", "--cards", "200", "--answers", "20", "--runs", "1"], "ratio"),
        (["bench/deck_load.py", "--cards", "200", "--repeat", "1"], "ratio"),
        (["bench/startup.py", "--runs", "1", "--cards", "200"], "bundled / bare"),
        (["bench/diagram.py", "--seconds", "0.5"], "frame time"),
        (
            ["bench/engine.py", "--cards", "300,600", "--answers", "4", "--repeat", "1"]
            + ["--sync-cards", "100"],
            "start: deck file, open, reconcile, 1st card",
        ),
        (["bench/tables.py", "--cards", "300", "--repeat", "1"], "filter"),
        (["bench/sync.py", "--events", "600", "--cards", "100", "--runs", "1"], "merge / replay"),
    ],
    ids=["side_thread", "deck_load", "startup", "diagram", "engine", "tables", "sync"],
)
def test_the_benchmark_runs(argv: list[str], word: str) -> None:
    done = subprocess.run(
        [sys.executable, *argv],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    # 1 is a missed target, which says nothing at these sizes; a crash is 2 or a traceback
    assert done.returncode in (0, 1), done.stdout[-3000:] + done.stderr[-3000:]
    assert word in done.stdout, done.stdout[-3000:]
    qt_chatter = "This plugin does not support propagateSizeHints()"
    assert not done.stderr.replace(qt_chatter, "").strip(), done.stderr[-3000:]
