"""What the collection remembers about the classes its student shares progress with: the
folders shared with, and the name last written in each. A student's pseudonym in a class is
derived from the class's id and the student's secret (a setting all their devices share), so
it is the same on every device of theirs and differs from class to class."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from metaflash.core.collection.store import Collection

_CLASSES_KEY = "classes"


def _classes(collection: Collection) -> dict[str, dict[str, str]]:
    text = collection.config_value(_CLASSES_KEY)
    try:
        found = json.loads(text) if text is not None else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _store(collection: Collection, classes: dict[str, dict[str, str]]) -> None:
    collection.set_config_value(_CLASSES_KEY, json.dumps(classes, sort_keys=True))


def pseudonym(collection: Collection, class_id: str) -> str:
    """This student's pseudonym in the class ``class_id``: the same on all their devices."""
    secret = collection.student_secret()
    digest = hashlib.blake2b(f"{secret}\0{class_id}".encode(), digest_size=6).hexdigest()
    return f"student-{digest}"


def written_name(collection: Collection, class_id: str) -> str | None:
    """The pseudonym this device last wrote in the class (its secret may have changed since,
    when another of the student's devices made one first)."""
    entry = _classes(collection).get(class_id)
    name = entry.get("written") if isinstance(entry, dict) else None
    return name if isinstance(name, str) else None


def shared_folders(collection: Collection) -> dict[str, Path]:
    """The class folders this student shares progress with, by class id."""
    return {
        class_id: Path(entry["folder"])
        for class_id, entry in _classes(collection).items()
        if isinstance(entry, dict) and isinstance(entry.get("folder"), str)
    }


def set_shared_folder(
    collection: Collection, class_id: str, folder: Path | None, written: str | None = None
) -> None:
    """Share with the class in ``folder`` from now on, having written ``written`` there
    (None: stop)."""
    classes = _classes(collection)
    entry = dict(classes.get(class_id) or {})
    if folder is None:
        entry.pop("folder", None)
        entry.pop("written", None)
    else:
        entry["folder"] = str(folder)
        if written is not None:
            entry["written"] = written
    classes[class_id] = entry
    _store(collection, classes)
