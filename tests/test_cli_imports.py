"""The command line imports only what it runs: `--version` and `validate` load no Qt and no
export chain (Anki packages, HTML), and the one-line summaries `--help` lists without
importing a command are the commands' own."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

import pytest

from metaflash import cli
from metaflash.core.util.paths import bundled_decks_dir

HEAVY = ("PySide6", "bs4", "genanki", "markdown_it", "markdownify", "fsrs_rs_python")


def imported_by(*args: str) -> set[str]:
    """The top-level packages a fresh ``python -m metaflash ARGS`` imports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "metaflash", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


@pytest.mark.parametrize(
    "args", [("--version",), ("validate", str(bundled_decks_dir())), ("--help",)]
)
def test_light_commands_import_no_qt_and_no_export_chain(args: tuple[str, ...]) -> None:
    names = imported_by(*args)
    assert "metaflash" in names  # the probe works
    assert not names & set(HEAVY), sorted(names & set(HEAVY))


def test_export_does_import_its_chain() -> None:  # the probe can see a heavy import
    assert "genanki" in imported_by("export", "--help")


def test_the_listed_summaries_are_the_commands_own() -> None:
    for name, module_name, summary in cli.COMMANDS:
        module = importlib.import_module(f"metaflash.commands.{module_name}")
        parser = argparse.ArgumentParser()
        subparsers = parser.add_subparsers(dest="command")
        module.register(subparsers)
        (action,) = [a for a in subparsers._choices_actions if a.dest == name]
        assert action.help == summary, name


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["validate", "x"], "validate"),
        (["--data-dir", "validate", "stats"], "stats"),  # a folder named "validate"
        (["--theme", "dark"], None),
        (["--version"], None),
        (["import", "deck.apkg"], "import"),
        (["--", "validate"], None),
    ],
)
def test_the_command_is_found_without_importing_it(argv: list[str], command: str | None) -> None:
    assert cli.command_in(argv) == command


def test_every_command_still_parses_its_own_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", str(bundled_decks_dir())]) == 0
    assert "no problems" in capsys.readouterr().out


def test_the_window_imports_the_core_and_its_libraries_before_qt() -> None:
    # once PySide6 is imported, its import hook reads (and linecache keeps) the source of
    # every module imported after it: the core's libraries come first, spared that
    probe = (
        "import linecache\n"
        "import {}\n"
        "read = {{name.split('site-packages/')[1].split('/')[0]\n"
        "        for name in linecache.cache if 'site-packages/' in name}}\n"
        "print(*sorted(read - {{'PySide6', 'shiboken6'}}))\n"
    )

    def libraries_read(module: str) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", probe.format(module)],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout.split()

    assert libraries_read("metaflash.ui.shell.app") == []
    # the probe can see a library read after PySide6
    assert "yaml" in libraries_read("PySide6.QtCore, metaflash.core.decks.loader")


def test_the_window_starts_without_the_figure_the_class_view_or_the_sync_files() -> None:
    # the pathway figure's modules, the class view (which draws it) and one sync's file work
    # are imported when first used, never by the window's start
    probe = "import sys\nimport metaflash.ui.shell.app\nprint(*sorted(sys.modules))\n"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    loaded = set(done.stdout.split())
    assert "metaflash.ui.shell.main_window" in loaded  # the probe works
    late = (
        "metaflash.ui.diagram.canvas",
        "metaflash.ui.shell.class_window",
        "metaflash.core.classroom",
        "metaflash.core.sync.exchange",
    )
    assert [name for name in late if name in loaded] == []
