"""What can go wrong with the collection, each said so a person knows what to do."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum
from pathlib import Path


class CollectionError(Exception):
    """Base of every collection error; ``str()`` is the message to show."""


class SchemaTooNewError(CollectionError):
    """The file was written by a newer metaflash; it is left exactly as it is."""

    def __init__(self, path: Path, found: int, supported: int) -> None:
        self.path = path
        self.found = found
        self.supported = supported
        super().__init__(
            f"{path}: this collection has schema version {found}, written by a newer metaflash; "
            f"this version reads up to {supported}. Upgrade metaflash to open it "
            "(the file was not changed)."
        )


class NotACollectionError(CollectionError):
    """The file is not a SQLite database, or not a metaflash collection."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        #: what is wrong, without the advice (the message has both)
        self.reason = reason or message


class DamageKind(StrEnum):
    """What is wrong with a collection that metaflash refuses to open."""

    EMPTY = "empty"  # a 0-byte file where a collection was
    MISSING = "missing"  # no file, though backups (or a log or a mark) show there was one
    NOT_SQLITE = "not-sqlite"  # the file is not a SQLite database (or its header is garbled)
    NOT_A_COLLECTION = "not-a-collection"  # a SQLite database of something else
    DAMAGED = "damaged"  # SQLite finds damaged pages or cannot read the schema
    LOST_ANSWERS = "lost-answers"  # the review log ends before answers that were acknowledged


@dataclass(frozen=True, slots=True)
class GoodBackup:
    """The newest backup that passed SQLite's check, as offered for a restore."""

    name: str
    created: datetime  # UTC
    reviews: int


class DamagedCollectionError(CollectionError):
    """The collection cannot be used as it is; nothing was written to it.

    ``str()`` says what is wrong, the newest good backup with its date and answers, and the
    command that restores it. :attr:`backup` is that backup (None when there is none) and
    :attr:`lost` the number of review log entries missing (for :attr:`DamageKind.LOST_ANSWERS`).
    """

    def __init__(
        self,
        data_dir: Path,
        path: Path,
        kind: DamageKind,
        problem: str,
        backup: GoodBackup | None,
        lost: int = 0,
        timezone: tzinfo | None = None,
        answers_now: int | None = None,
    ) -> None:
        self.data_dir = data_dir
        #: answers the collection still holds (known for LOST_ANSWERS)
        self.answers_now = answers_now
        self.path = path
        self.kind = kind
        self.problem = problem
        self.backup = backup
        self.lost = lost
        self._timezone = timezone
        super().__init__(self.describe())

    @property
    def restore_command(self) -> str | None:
        if self.backup is None:
            return None
        return (
            f"metaflash --data-dir {shlex.quote(str(self.data_dir))} "
            f"restore {shlex.quote(self.backup.name)}"
        )

    @property
    def restore_loses_more(self) -> bool:
        """Whether restoring the backup would leave fewer answers than keeping the file."""
        if self.backup is None:
            return True
        return self.answers_now is not None and self.backup.reviews < self.answers_now

    def backup_line(self) -> str:
        """One sentence about the newest good backup (or that there is none)."""
        if self.backup is None:
            return "There is no good backup of it."
        when = self.backup.created.astimezone(self._timezone).strftime("%Y-%m-%d %H:%M")
        answers = f"{self.backup.reviews:,} answer{'s' if self.backup.reviews != 1 else ''}"
        return f"The newest good backup is {self.backup.name}, made {when}, with {answers}."

    def describe(self) -> str:
        lines = [f"{self.path}: {self.problem}", "Nothing was written to it.", self.backup_line()]
        command = self.restore_command
        if command is not None:
            lines.append(
                "To restore that backup, close metaflash and run:\n"
                f"    {command}\n"
                "(the collection as it is now is kept among the backups first)."
            )
        elif self.kind is DamageKind.MISSING:
            leftovers = ", ".join(
                name
                for name in ("collection.sqlite3-wal", "collection.mark")
                if (self.data_dir / name).exists()
            )
            lines.append(
                f"To start a new, empty collection, move {leftovers or 'the backups folder'} "
                f"out of {self.data_dir}."
            )
        else:
            lines.append(
                "Move the file away (keep it: SQLite's .recover command can often save its data) "
                "to start a new, empty collection, or open another data folder with --data-dir."
            )
        if self.kind is DamageKind.LOST_ANSWERS:
            if self.answers_now is not None and self.backup is not None:
                lines.append(
                    f"The collection still holds {self.answers_now:,} answers and the backup "
                    f"{self.backup.reviews:,}"
                    + (": keeping it loses fewer." if self.restore_loses_more else ".")
                )
            lines.append(
                "To keep the collection as it is instead, run "
                f"`metaflash --data-dir {shlex.quote(str(self.data_dir))} check --accept-loss` "
                "(its files are kept among the backups first)."
            )
        return "\n".join(lines)


class CollectionLockedError(CollectionError):
    """Another metaflash has this collection open."""

    def __init__(self, path: Path, holder: str) -> None:
        self.path = path
        self.holder = holder
        who = f" ({holder})" if holder else ""
        super().__init__(
            f"the collection in {path.parent} is already open in another metaflash{who}. "
            "Close that window or command first, then try again."
        )


class UndoError(CollectionError):
    """The review cannot be undone (it is not the newest of its card, or already undone)."""


class BackupError(CollectionError):
    """A backup cannot be made, read or restored."""
