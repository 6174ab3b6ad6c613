"""What an import returns, the limits it keeps to, and how it reports progress.

Imports take a progress callback and a cancel check, so that a window can show a progress bar
with a Cancel button. A cancelled or failed import writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from metaflash.core.decks.model import Problem


@dataclass(frozen=True, slots=True)
class ImportProgress:
    """``done`` of ``total`` items of the current ``phase`` (``total`` 0: unknown)."""

    phase: str
    done: int
    total: int


ProgressCallback = Callable[[ImportProgress], None]
CancelCheck = Callable[[], bool]


def no_progress(progress: ImportProgress) -> None:
    """The default progress callback: report nothing."""


def never_cancelled() -> bool:
    return False


@dataclass(frozen=True, slots=True)
class ImportLimits:
    """Hard limits for untrusted packages. Sizes are bytes of real (decompressed) data."""

    #: everything the members of a package expand to, together (checked before reading any)
    max_total_bytes: int = 1024**3
    max_member_bytes: int = 512 * 1024**2
    #: the media files copied from one package, together
    max_media_bytes: int = 1024**3
    max_members: int = 200_000
    #: a member, and the whole package, larger than ``ratio_floor`` bytes may expand at most
    #: this many times (images and sound are compressed already: they barely shrink)
    max_ratio: int = 250
    ratio_floor: int = 4 * 1024**2
    max_csv_bytes: int = 256 * 1024**2


DEFAULT_LIMITS = ImportLimits()


@dataclass(frozen=True, slots=True)
class ImportResult:
    """A finished import: the deck files and media files written, and any warnings."""

    decks: tuple[Path, ...]
    media: tuple[Path, ...]
    cards: int
    warnings: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class ImportFailure:
    """An import that wrote nothing: its errors (and warnings), or a cancellation."""

    problems: tuple[Problem, ...]
    cancelled: bool = False


class ImportCancelled(Exception):
    """Raised inside an import when the cancel check says so; imports return ImportFailure."""


class ImportAborted(Exception):
    """Raised inside an import on a fatal problem; imports return it as ImportFailure."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def fail(
    file: str | Path, message: str, hint: str = "", line: int = 1, column: int = 1
) -> ImportAborted:
    return ImportAborted(Problem(str(file), line, column, message, hint))
