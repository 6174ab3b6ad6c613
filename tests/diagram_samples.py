"""Diagrams the diagram tests share: the bundled metastatic cascade, and a small pathway of
another process written here, so that the same code is seen to draw any diagram."""

from __future__ import annotations

from pathlib import Path

from metaflash.core.decks.model import Diagram
from metaflash.core.diagrams.loader import parse_diagram

REPO_ROOT = Path(__file__).resolve().parent.parent
CASCADE_FILE = REPO_ROOT / "decks" / "metastasis" / "metastatic-cascade.diagram.yaml"

#: Four steps of another process, with no vessels and no organs.
WOUND_HEALING = """\
format: 1
kind: diagram
id: wound-healing
title: Wound healing
steps:
  - {id: injury, label: Injury, summary: The skin is cut., order: 1, kind: step, position: {x: 10, y: 30}}
  - {id: clotting, label: Clotting, summary: A clot closes the wound., order: 2, kind: step, position: {x: 35, y: 60}}
  - {id: repair, label: Repair, summary: New tissue fills the gap., order: 3, kind: step, position: {x: 65, y: 40}}
  - {id: remodelling, label: Remodelling, summary: The scar matures., order: 4, kind: step, position: {x: 90, y: 70}}
links:
  - {from: injury, to: clotting}
  - {from: clotting, to: repair}
  - {from: repair, to: remodelling}
"""

#: A small cascade: a route with a stage inside it, an organ reached by a named vein.
SMALL_CASCADE = """\
format: 1
kind: diagram
id: small-cascade
title: A small cascade
steps:
  - {id: origin, label: Origin, summary: Where cells start., order: 1, kind: step, position: {x: 10, y: 20}}
  - {id: escape, label: Escape, summary: Cells get into a vessel., order: 2, kind: step, position: {x: 30, y: 50}}
  - {id: vessel, label: Vessel, summary: The blood., order: 3, kind: route, position: {x: 45, y: 58}}
  - {id: drift, label: Drift, summary: Cells ride the blood., order: 4, kind: step, position: {x: 55, y: 52}}
  - {id: landing, label: Landing, summary: Cells leave the vessel., order: 5, kind: step, position: {x: 70, y: 45}}
  - {id: settling, label: Settling, summary: Cells multiply., order: 6, kind: step, position: {x: 78, y: 30}}
  - {id: feeding, label: Feeding, summary: Vessels grow in., order: 7, kind: step, position: {x: 85, y: 22}}
  - {id: new-growth, label: New growth, summary: A new tumour., order: 8, kind: step, position: {x: 92, y: 14}}
  - {id: liver, label: Liver, summary: An organ., order: 9, kind: organ, position: {x: 85, y: 80}}
links:
  - {from: origin, to: escape}
  - {from: escape, to: drift}
  - {from: escape, to: vessel, kind: blood}
  - {from: vessel, to: drift, kind: blood}
  - {from: drift, to: landing}
  - {from: landing, to: settling}
  - {from: settling, to: feeding}
  - {from: feeding, to: new-growth}
  - {from: vessel, to: liver, kind: blood, label: portal vein}
"""


def parse(text: str, name: str) -> Diagram:
    result = parse_diagram(text, Path(name))
    assert isinstance(result, Diagram), "\n".join(str(problem) for problem in result)
    return result


def cascade() -> Diagram:
    return parse(CASCADE_FILE.read_text(encoding="utf-8"), str(CASCADE_FILE))


def wound_healing() -> Diagram:
    return parse(WOUND_HEALING, "wound-healing.diagram.yaml")


def small_cascade() -> Diagram:
    return parse(SMALL_CASCADE, "small-cascade.diagram.yaml")
