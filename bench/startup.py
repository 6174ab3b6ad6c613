"""Benchmark: the window's start and peak memory against a bare PySide6 window, in one run.

Each side is a fresh process that starts Qt, shows a window of the same size offscreen,
renders it to a PNG and exits; the wall time of the whole process and its peak resident
memory (``ru_maxrss`` of the child) are taken, ``--runs`` times each, the sides taking
turns, and the medians compared:

  bare      a QMainWindow with a label, rendered to a PNG (``python -c``): the floor, what any
            PySide6 program pays to start Qt, show a window and write a PNG
  bundled   ``metaflash --screenshot`` on the bundled decks (a data folder of its own, made
            by a first run that is not counted)
  +20k      the same with a generated 20,000-card deck added with ``--deck-dir``, unchanged
            since the previous start

Targets (issue 12): bundled <= 2x bare; +20k <= 1.3x bundled; peak memory bundled <= 1.5x
bare, and the 20,000-card deck adds <= 50%. Fairness: the bare side loads no decks, opens no
database and builds no views, which is the point: it is the cost of Qt itself. Both sides
run with compiled bytecode kept, as an installed program does.

    python bench/startup.py [--runs N] [--size WxH]

The exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from deck_load import generate_deck, generate_diagram

BARE = """
import sys
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QLabel("bare"))
window.resize({width}, {height})
window.show()
app.processEvents()
window.grab().save(sys.argv[1])
"""


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds, peak MiB) of one run of ``command``."""
    began = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    took = time.perf_counter() - began
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        assert process.stderr is not None
        raise SystemExit(f"{command[:3]} failed:\n{process.stderr.read().decode()[-2000:]}")
    return took, usage.ru_maxrss / 1024.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--cards", type=int, default=20_000, help="the added deck's size")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.split("x"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("QT_SCALE_FACTOR", None)
    # as installed: compiled bytecode is kept (pip and pipx write it at install; the first,
    # uncounted run writes it for a checkout)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        decks = root / "big"
        decks.mkdir()
        (decks / "bench.diagram.yaml").write_text(generate_diagram())
        (decks / "bench-deck.yaml").write_text(generate_deck(args.cards))
        shot = str(root / "shot.png")
        metaflash = [sys.executable, "-m", "metaflash", "--size", args.size, "--screenshot", shot]
        sides = {
            "bare": [sys.executable, "-c", BARE.format(width=width, height=height), shot],
            "bundled": [*metaflash, "--data-dir", str(root / "data-bundled")],
            "+20k": [*metaflash, "--data-dir", str(root / "data-big"), "--deck-dir", str(decks)],
        }
        for command in sides.values():  # the first start makes the data and bytecode: not counted
            measure(command, env)
        times: dict[str, list[float]] = {name: [] for name in sides}
        peaks: dict[str, list[float]] = {name: [] for name in sides}
        for _ in range(args.runs):
            for name, command in sides.items():
                took, peak = measure(command, env)
                times[name].append(took)
                peaks[name].append(peak)
    t = {name: statistics.median(values) for name, values in times.items()}
    m = {name: statistics.median(values) for name, values in peaks.items()}
    rows = (
        ("window start, bundled / bare", t["bundled"] / t["bare"], 2.0),
        ("window start, +20k / bundled", t["+20k"] / t["bundled"], 1.3),
        ("peak memory, bundled / bare", m["bundled"] / m["bare"], 1.5),
        ("peak memory, +20k / bundled", m["+20k"] / m["bundled"], 1.5),
    )
    print(f"startup benchmark: {args.size}, Qt offscreen, median of {args.runs} runs each")
    for name in sides:
        print(f"  {name:<8} {t[name] * 1000:8.0f} ms   {m[name]:6.1f} MiB peak")
    missed = 0
    for label, ratio, target in rows:
        ok = ratio <= target
        missed += not ok
        print(f"  {label:<30} {ratio:5.2f}x   target <= {target}x   {'ok' if ok else 'MISSED'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
