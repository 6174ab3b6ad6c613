"""A student's anonymous summary for a class, and the class folder it goes to.

The educator makes a class folder (``metaflash class init``): its ``class.json`` gives the
class a random id and a title. A student who opts in writes one file there,
``students/<pseudonym>.json``, replaced whole at each share: for every studied card (deck
and card id, never its text) and every diagram step, how many answers, how many lapses and
the predicted recall today, and the day it was made. No names, no times finer than a day,
no card texts; the pseudonym is random and differs from class to class.
:func:`student_summary` is exactly what would be written, so the student can read it first.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from metaflash.core.collection import class_state, queries
from metaflash.core.collection.records import state_from_column
from metaflash.core.collection.store import Collection
from metaflash.core.scheduling.scheduler import Rating
from metaflash.core.scheduling.study_day import require_utc
from metaflash.core.stats.mastery import prompt_recall
from metaflash.core.util.atomic_file import fsync_directory, temporary_sibling

CLASS_FORMAT = 1
CLASS_FILE = "class.json"
STUDENTS_FOLDER = "students"


class ClassFolderError(Exception):
    """The class folder cannot be used; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class ClassInfo:
    id: str
    title: str


def init_class(folder: Path, title: str) -> ClassInfo:
    """Make ``folder`` a class folder (the educator's step); an existing one is kept."""
    if folder.exists() and not folder.is_dir():
        raise ClassFolderError(f"{folder} is a file: give a folder to make the class folder")
    if (folder / CLASS_FILE).exists():
        return read_class(folder)
    title = " ".join(title.split())
    if not title:
        raise ClassFolderError("a class needs a title, e.g. --title 'Oncology 2027'")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ClassFolderError(
            f"cannot make the class folder {folder}: {error.strerror or error}"
        ) from error
    info = ClassInfo(secrets.token_hex(8), title)
    _write_json(folder / CLASS_FILE, {"format": CLASS_FORMAT, "class": info.id, "title": title})
    (folder / STUDENTS_FOLDER).mkdir(exist_ok=True)
    return info


def read_class(folder: Path) -> ClassInfo:
    """The class of a class folder, or of its ``class.json`` given alone (a student who hands
    in a file gets it from the educator); a :class:`ClassFolderError` says what is wrong."""
    path = folder if folder.is_file() else folder / CLASS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ClassFolderError(
            f"{folder} is not a class folder: it has no {CLASS_FILE}. The educator makes one "
            "with `metaflash class init FOLDER --title TITLE`."
        ) from None
    except (OSError, ValueError) as error:
        raise ClassFolderError(f"{path}: cannot be read ({error})") from error
    if not isinstance(data, dict) or data.get("format") != CLASS_FORMAT:
        raise ClassFolderError(
            f"{path}: not a class file this metaflash reads (format {data.get('format') if isinstance(data, dict) else '?'})"
        )
    class_id, title = data.get("class"), data.get("title")
    if not isinstance(class_id, str) or not class_id or not isinstance(title, str):
        raise ClassFolderError(f'{path}: it needs a "class" id and a "title"')
    return ClassInfo(class_id, title)


def student_summary(
    collection: Collection, info: ClassInfo, now: datetime, timezone: tzinfo
) -> dict[str, Any]:
    """What this student shares with the class, as it would be written."""
    now = require_utc(now)
    settings = collection.scheduler_settings()
    cards: list[dict[str, Any]] = []
    steps: dict[str, dict[str, Any]] = {}
    for deck, card, variant, step, state_text, reviews, last in queries.studied_prompts(collection):
        state = state_from_column(state_text)
        recall = prompt_recall(state, last == Rating.AGAIN, now, settings)
        cards.append(
            {
                "deck": deck,
                "card": card,
                "variant": variant,
                "reviews": reviews,
                "lapses": state.lapses,
                "recall": round(recall, 2),
            }
        )
        if step is not None:
            entry = steps.setdefault(
                step, {"step": step, "cards": 0, "reviews": 0, "lapses": 0, "recall": 0.0}
            )
            entry["cards"] += 1
            entry["reviews"] += reviews
            entry["lapses"] += state.lapses
            entry["recall"] += recall
    for entry in steps.values():
        entry["recall"] = round(entry["recall"] / entry["cards"], 2)
    return {
        "format": CLASS_FORMAT,
        "class": info.id,
        "student": class_state.pseudonym(collection, info.id),
        "day": now.astimezone(timezone).date().isoformat(),
        "cards": cards,
        "steps": sorted(steps.values(), key=lambda entry: entry["step"]),
    }


def share(collection: Collection, folder: Path, now: datetime, timezone: tzinfo) -> Path:
    """Write this student's summary into the class folder (and remember to keep it current)."""
    info = read_class(folder)
    summary = student_summary(collection, info, now, timezone)
    students = folder / STUDENTS_FOLDER
    name = summary["student"]
    try:
        students.mkdir(exist_ok=True)
        path = students / f"{name}.json"
        _write_json(path, summary)
        before = class_state.written_name(collection, info.id)
        if before is not None and before != name:  # another device's secret won: one file
            (students / f"{before}.json").unlink(missing_ok=True)
    except OSError as error:
        raise ClassFolderError(
            f"cannot write in the class folder {folder}: {error.strerror or error}"
        ) from error
    class_state.set_shared_folder(collection, info.id, folder, name)
    return path


def save_summary(
    collection: Collection, info: ClassInfo, path: Path, now: datetime, timezone: tzinfo
) -> dict[str, Any]:
    """Write this student's summary to a file of their choice, to hand in (the educator puts
    it in the class folder's ``students/``); nothing is remembered."""
    summary = student_summary(collection, info, now, timezone)
    try:
        _write_json(path, summary)
    except OSError as error:
        raise ClassFolderError(f"cannot write {path}: {error.strerror or error}") from error
    return summary


def stop_sharing(collection: Collection, folder: Path) -> Path | None:
    """Stop sharing with the class in ``folder``: this student's file there is removed."""
    info = read_class(folder)
    names = {
        class_state.pseudonym(collection, info.id),
        class_state.written_name(collection, info.id),
    }
    class_state.set_shared_folder(collection, info.id, None)
    removed = None
    for name in sorted(n for n in names if n):
        path = folder / STUDENTS_FOLDER / f"{name}.json"
        if path.exists():
            path.unlink()
            removed = path
    return removed


def _write_json(path: Path, data: dict[str, Any]) -> None:
    with temporary_sibling(path) as temporary:
        with open(temporary, "w", encoding="utf-8") as stream:
            json.dump(data, stream, ensure_ascii=False, indent=1)
            stream.write("\n")
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    fsync_directory(path.parent)
