"""What the collection remembers about the classes its student shares progress with: a random
pseudonym per class (so that two classes cannot tell they have the same student), and the
folders shared with."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from metaflash.core.collection.store import Collection

_CLASSES_KEY = "classes"


def _classes(collection: Collection) -> dict[str, dict[str, str]]:
    row = collection.db.execute(
        "SELECT value FROM config WHERE key = ?", (_CLASSES_KEY,)
    ).fetchone()
    try:
        found = json.loads(row[0]) if row is not None else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _store(collection: Collection, classes: dict[str, dict[str, str]]) -> None:
    with collection.transaction() as db:
        db.execute(
            "INSERT INTO config (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (_CLASSES_KEY, json.dumps(classes, sort_keys=True)),
        )


def pseudonym(collection: Collection, class_id: str) -> str:
    """This student's pseudonym in the class ``class_id`` (made on first use, then kept)."""
    classes = _classes(collection)
    entry = classes.get(class_id)
    if isinstance(entry, dict) and isinstance(entry.get("pseudonym"), str):
        return entry["pseudonym"]
    name = f"student-{secrets.token_hex(6)}"
    classes[class_id] = {"pseudonym": name}
    _store(collection, classes)
    return name


def shared_folders(collection: Collection) -> dict[str, Path]:
    """The class folders this student shares progress with, by class id."""
    return {
        class_id: Path(entry["folder"])
        for class_id, entry in _classes(collection).items()
        if isinstance(entry, dict) and isinstance(entry.get("folder"), str)
    }


def set_shared_folder(collection: Collection, class_id: str, folder: Path | None) -> None:
    """Share with the class in ``folder`` from now on (None: stop; the pseudonym is kept)."""
    classes = _classes(collection)
    entry = dict(classes.get(class_id) or {})
    entry.setdefault("pseudonym", pseudonym(collection, class_id))
    if folder is None:
        entry.pop("folder", None)
    else:
        entry["folder"] = str(folder)
    classes = _classes(collection)
    classes[class_id] = entry
    _store(collection, classes)
