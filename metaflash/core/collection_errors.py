"""What can go wrong with the collection, each said so a person knows what to do."""

from __future__ import annotations

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
