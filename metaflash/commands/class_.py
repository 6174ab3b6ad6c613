"""``metaflash class``: share an anonymous summary with a class, and read the class's report."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from metaflash.core.classroom.report import MIN_STUDENTS, ClassReport, Figure, class_report
from metaflash.core.classroom.summary import (
    ClassFolderError,
    init_class,
    read_class,
    save_summary,
    share,
    stop_sharing,
    student_summary,
)
from metaflash.core.collection.errors import CollectionError
from metaflash.core.collection.store import Collection
from metaflash.core.scheduling.study_day import local_timezone
from metaflash.core.util.paths import resolve_data_dir

DESCRIPTION = f"""\
A class shares a folder (the same kinds of tools as `metaflash sync`: Syncthing, a cloud
folder, git). The educator makes it a class folder once:

  metaflash class init FOLDER --title "Oncology 2027"

Each student who wants to share reads what would be shared, then shares it:

  metaflash class share FOLDER --preview
  metaflash class share FOLDER            (again later to bring it up to date; --stop to stop)
  metaflash class share class.json --file mine.json   (a file to hand in instead)

What is shared: for every studied card (its deck and card id, never its text) and every step
of the pathway, how many answers, how many lapses and the predicted recall today, with the
day; under a random name that differs from class to class. Nothing else.

The educator reads the class:

  metaflash class report FOLDER [--json]

Any figure that rests on fewer than {MIN_STUDENTS} students is hidden.
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "class",
        help="share progress with a class anonymously, or read a class's report",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(dest="class_action", metavar="ACTION", required=True)
    init = actions.add_parser("init", help="make FOLDER a class folder (for the educator)")
    init.add_argument("folder", metavar="FOLDER")
    init.add_argument("--title", required=True, help="the class's title, e.g. 'Oncology 2027'")
    shared = actions.add_parser(
        "share",
        help="share your summary with the class in FOLDER",
        description="Share an anonymous summary of your progress with the class in FOLDER "
        "(--preview first to read exactly what would be shared).",
    )
    shared.add_argument(
        "folder", metavar="FOLDER", help="the class folder (or its class.json, with --file)"
    )
    how = shared.add_mutually_exclusive_group()
    how.add_argument(
        "--file",
        metavar="OUT.json",
        help="write your summary to OUT.json to hand in, instead of into the class folder",
    )
    how.add_argument(
        "--preview", action="store_true", help="print exactly what would be shared; share nothing"
    )
    how.add_argument("--stop", action="store_true", help="stop sharing: your file is removed")
    report = actions.add_parser("report", help="the class's mastery per step and card")
    report.add_argument("folder", metavar="FOLDER")
    report.add_argument("--json", action="store_true", help="print a JSON object for tools")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    folder = Path(args.folder).expanduser()
    try:
        if args.class_action == "init":
            info = init_class(folder, args.title)
            print(f"{folder} is the class folder of “{info.title}”. Share it with your students.")
            return 0
        if args.class_action == "report":
            return _report(class_report(folder), as_json=args.json)
        return _share(args, folder)
    except ClassFolderError as error:
        print(f"metaflash class: {error}", file=sys.stderr)
        return 1


def _share(args: argparse.Namespace, folder: Path) -> int:
    now = args.clock()
    info = read_class(folder)
    try:
        collection = Collection.open(resolve_data_dir(args.data_dir), now, clock=args.clock)
    except CollectionError as error:
        print(f"metaflash class: {error}", file=sys.stderr)
        return 1
    try:
        if args.stop:
            removed = stop_sharing(collection, folder)
            print(
                f"Stopped sharing with “{info.title}”"
                + (f"; {removed} was removed." if removed else ".")
            )
        elif args.file is not None:
            out = Path(args.file).expanduser()
            save_summary(collection, info, out, now, local_timezone())
            print(
                f"Wrote your summary for “{info.title}” to {out}: hand it in; your educator puts "
                "it in the class folder's students/ folder."
            )
        elif args.preview:
            print(json.dumps(student_summary(collection, info, now, local_timezone()), indent=1))
        else:
            path = share(collection, folder, now, local_timezone())
            print(f"Shared your summary with “{info.title}” as {path.name}.")
    finally:
        collection.close(args.clock())
    return 0


def _value(figure: Figure) -> dict[str, Any]:
    if figure.hidden:
        return {"students": figure.students, "hidden": f"fewer than {MIN_STUDENTS} students"}
    return {
        "students": figure.students,
        "recall": None if figure.recall is None else round(figure.recall, 3),
        "lapse_rate": None if figure.lapse_rate is None else round(figure.lapse_rate, 3),
    }


def _text(figure: Figure) -> str:
    if figure.hidden:
        return f"fewer than {MIN_STUDENTS} students"
    assert figure.recall is not None and figure.lapse_rate is not None
    return (
        f"{round(figure.recall * 100)}% recall, {round(figure.lapse_rate * 100)}% of answers "
        f"lapses ({figure.students} students)"
    )


def _report(report: ClassReport, *, as_json: bool) -> int:
    if as_json:
        print(
            json.dumps(
                {
                    "class": report.info.id,
                    "title": report.info.title,
                    "students": report.students,
                    "steps": [{"step": s.step, **_value(s.figure)} for s in report.steps],
                    "cards": [
                        {"deck": c.deck, "card": c.card, "variant": c.variant, **_value(c.figure)}
                        for c in report.cards
                    ],
                    "hidden_cards": report.hidden_cards,
                    "problems": [{"file": str(p), "problem": r} for p, r in report.problems],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        print(
            f"{report.info.title}: {report.students} student{'s' if report.students != 1 else ''} shared"
        )
        print("Steps:")
        for step in report.steps:
            print(f"  {step.step}: {_text(step.figure)}")
        print("Cards the class forgets most:")
        for card in report.cards[:15]:
            name = f"{card.deck}/{card.card}" + (f" ({card.variant})" if card.variant else "")
            print(f"  {name}: {_text(card.figure)}")
        if report.hidden_cards:
            print(
                f"  ({report.hidden_cards} more cards studied by fewer than {MIN_STUDENTS} students)"
            )
    for path, reason in report.problems:
        print(f"metaflash class: {path}: skipped: {reason}", file=sys.stderr)
    return 0
