"""Every colour the pathway diagram draws with, in one place.

A handful of *semantic* hues (what a tumour cell, a platelet, a lymph vessel look like; what
"mastered" or "wrong" look like) are named once in :data:`HUES`. Everything else comes from
the widget's :class:`QPalette`: tissue fills are the hues mixed into the palette's base colour,
so the same figure reads as a pale plate in the light theme and a dark one in the dark theme.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette

from metaflash.core.stats.mastery import StepMastery


@dataclass(frozen=True, slots=True)
class SemanticHues:
    """The named colours of the figure (hex). The only literal colours in the diagram code."""

    tumour: str = "#8e44ad"
    immune: str = "#2f6fd6"
    platelet: str = "#e0a020"
    red_cell: str = "#cc3340"
    blood: str = "#c0392b"
    lymph: str = "#3f9b57"
    epithelium: str = "#e08aa0"
    membrane: str = "#7b3fa0"
    stroma: str = "#e8b98f"
    organ_tissue: str = "#d98f6c"
    liver: str = "#9c4a32"
    bone: str = "#cbb994"
    lung: str = "#e07a84"
    node: str = "#5fa463"
    mastered: str = "#1e9e55"
    learning: str = "#c98a00"
    weak: str = "#d23c33"
    not_started: str = "#8a94a3"


HUES = SemanticHues()


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` (0..1) of the way to ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
        a.alphaF() + (b.alphaF() - a.alphaF()) * amount,
    )


def with_alpha(colour: QColor, alpha: float) -> QColor:
    result = QColor(colour)
    result.setAlphaF(alpha)
    return result


@dataclass(frozen=True, slots=True)
class DiagramColours:
    """The concrete colours of the figure for one palette."""

    dark: bool
    text: QColor
    muted_text: QColor
    plate: QColor  # behind labels
    plate_border: QColor
    focus: QColor
    surface: QColor  # the free surface above the epithelium
    epithelium: QColor
    epithelium_line: QColor
    nucleus: QColor
    membrane: QColor
    stroma: QColor
    fibre: QColor
    organ_tissue: QColor
    organ_line: QColor
    vessel_wall: QColor
    vessel_lumen: QColor
    endothelium: QColor
    lymph_wall: QColor
    lymph_lumen: QColor
    link: QColor
    blood_link: QColor
    lymph_link: QColor
    tumour: QColor
    tumour_line: QColor
    tumour_nucleus: QColor
    immune: QColor
    immune_line: QColor
    platelet: QColor
    red_cell: QColor
    red_cell_line: QColor
    liver: QColor
    bone: QColor
    lung: QColor
    node: QColor
    track: QColor  # the empty part of a mastery ring
    mastered: QColor
    learning: QColor
    weak: QColor
    not_started: QColor

    @staticmethod
    def from_palette(palette: QPalette) -> DiagramColours:
        role = QPalette.ColorRole
        base = palette.color(role.Base)
        text = palette.color(role.Text)
        dark = base.lightnessF() < 0.5

        def hue(value: str) -> QColor:
            colour = QColor(value)
            return colour.lighter(125) if dark else colour

        def tint(value: str, light: float, dark_amount: float) -> QColor:
            return mix(base, QColor(value), dark_amount if dark else light)

        def line(value: str) -> QColor:
            return mix(QColor(value), text, 0.25)

        return DiagramColours(
            dark=dark,
            text=text,
            muted_text=mix(text, base, 0.35),
            plate=with_alpha(palette.color(role.Base), 0.9),
            plate_border=mix(base, text, 0.22),
            focus=palette.color(role.Highlight),
            surface=mix(base, palette.color(role.Window), 0.5),
            epithelium=tint(HUES.epithelium, 0.32, 0.30),
            epithelium_line=tint(HUES.epithelium, 0.75, 0.6),
            nucleus=tint(HUES.membrane, 0.45, 0.55),
            membrane=hue(HUES.membrane),
            stroma=tint(HUES.stroma, 0.2, 0.14),
            fibre=tint(HUES.stroma, 0.62, 0.38),
            organ_tissue=tint(HUES.organ_tissue, 0.22, 0.18),
            organ_line=tint(HUES.organ_tissue, 0.5, 0.4),
            vessel_wall=hue(HUES.blood),
            vessel_lumen=tint(HUES.blood, 0.14, 0.2),
            endothelium=tint(HUES.blood, 0.55, 0.6),
            lymph_wall=hue(HUES.lymph),
            lymph_lumen=tint(HUES.lymph, 0.14, 0.2),
            link=mix(text, base, 0.3),
            blood_link=line(HUES.blood),
            lymph_link=line(HUES.lymph),
            tumour=hue(HUES.tumour),
            tumour_line=mix(QColor(HUES.tumour), text, 0.45),
            tumour_nucleus=mix(hue(HUES.tumour), base if dark else text, 0.45),
            immune=hue(HUES.immune),
            immune_line=mix(QColor(HUES.immune), text, 0.4),
            platelet=hue(HUES.platelet),
            red_cell=hue(HUES.red_cell),
            red_cell_line=mix(QColor(HUES.red_cell), text, 0.35),
            liver=tint(HUES.liver, 0.78, 0.7),
            bone=tint(HUES.bone, 0.85, 0.6),
            lung=tint(HUES.lung, 0.7, 0.6),
            node=tint(HUES.node, 0.7, 0.6),
            track=mix(base, text, 0.18),
            mastered=hue(HUES.mastered),
            learning=hue(HUES.learning),
            weak=hue(HUES.weak),
            not_started=mix(QColor(HUES.not_started), text, 0.2),
        )

    def for_mastery(self, mastery: StepMastery) -> QColor:
        """The ring colour for a level; the level's word is always shown beside it."""
        match mastery.level:
            case "mastered":
                return self.mastered
            case "learning":
                return self.learning
            case "weak":
                return self.weak
            case _:
                return self.not_started

    @property
    def right(self) -> QColor:
        return self.mastered

    @property
    def wrong(self) -> QColor:
        return self.weak
