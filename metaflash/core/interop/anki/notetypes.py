"""The Anki note types metaflash exports to, and the stable ids of notes, decks and note types.

Every id is derived from metaflash ids with a hash, never from the clock, so a second export
of an edited deck updates the notes, decks and note types a student already has in Anki.

Note types (each also has ``Notes``, ``Source``, ``Image`` and ``ID`` fields):

- ``metaflash Basic``: ``Front`` → ``Back``;
- ``metaflash Reverse``: two templates, ``Front`` → ``Back`` and ``Back`` → ``Front``;
- ``metaflash Cloze``: Anki's own cloze note type shape, ``{{cloze:Text}}``;
- ``metaflash Sequence``: a cloze note whose ``Steps`` field is a numbered list with one
  deletion per step after the first (``c1`` hides step 2, ``c2`` step 3, ...), under the
  ``Prompt``. On the question side, the steps after the hidden one are hidden too (CSS
  ``:has()``, which current Anki clients support; older ones show them), so each card asks
  "what comes after step *k*?" in context. The "put these in order" prompt has no Anki
  equivalent and is not exported.

Diagram cards have no note type of their own: Anki has no diagram to pick a step on, so they
are ``metaflash Basic`` notes (the question, then the step's label and summary).

``ID`` holds ``deck-id/card-id``: re-importing an Anki package made by metaflash gets the
original ids back, and with them the student's progress.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import genanki

from metaflash.core.decks.model import CardId, CardType, DeckId

MODEL_NAME_PREFIX = "metaflash "
EXTRA_FIELDS = ("Notes", "Source", "Image", "ID")

#: The first fields of each note type; EXTRA_FIELDS follow.
MAIN_FIELDS: dict[CardType, tuple[str, str]] = {
    CardType.BASIC: ("Front", "Back"),
    CardType.REVERSE: ("Front", "Back"),
    CardType.CLOZE: ("Text", ""),
    CardType.SEQUENCE: ("Prompt", "Steps"),
}

MODEL_NAMES: dict[CardType, str] = {
    CardType.BASIC: "metaflash Basic",
    CardType.REVERSE: "metaflash Reverse",
    CardType.CLOZE: "metaflash Cloze",
    CardType.SEQUENCE: "metaflash Sequence",
}

CSS = """\
.card {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  font-size: 20px;
  line-height: 1.45;
  text-align: left;
  max-width: 42em;
  margin: 0 auto;
  padding: 0 0.6em;
}
.mf-prompt { font-weight: 600; margin-bottom: 0.5em; }
.mf-image { margin: 0.8em 0; text-align: center; }
img { max-width: 100%; height: auto; }
.cloze { font-weight: bold; color: #1a56b8; }
.nightMode .cloze, .night_mode .cloze { color: #8ab4f8; }
.mf-steps li { margin: 0.2em 0; }
.mf-asking li:has(.cloze) ~ li { visibility: hidden; }
.mf-notes {
  margin-top: 1em;
  padding-top: 0.6em;
  border-top: 1px solid rgba(128, 128, 128, 0.45);
}
.mf-source { margin-top: 0.8em; font-size: 0.8em; opacity: 0.75; }
.mf-source a { color: inherit; }
table { border-collapse: collapse; }
td, th { border: 1px solid rgba(128, 128, 128, 0.45); padding: 0.2em 0.5em; }
"""

_IMAGE = '{{#Image}}<div class="mf-image">{{Image}}</div>{{/Image}}'
_AFTERWORD = (
    '{{#Notes}}<div class="mf-notes">{{Notes}}</div>{{/Notes}}\n'
    '{{#Source}}<div class="mf-source">{{Source}}</div>{{/Source}}'
)


def _template(name: str, question: str, answer: str) -> dict[str, str]:
    return {"name": name, "qfmt": question, "afmt": answer}


def _front_to_back(front: str, back: str, name: str) -> dict[str, str]:
    return _template(
        name,
        f'<div class="mf-question">{{{{{front}}}}}</div>\n{_IMAGE}',
        f'{{{{FrontSide}}}}\n<hr id="answer">\n<div class="mf-answer">{{{{{back}}}}}</div>\n'
        + _AFTERWORD,
    )


_TEMPLATES: dict[CardType, list[dict[str, str]]] = {
    CardType.BASIC: [_front_to_back("Front", "Back", "Card 1")],
    CardType.REVERSE: [
        _front_to_back("Front", "Back", "Front to back"),
        _front_to_back("Back", "Front", "Back to front"),
    ],
    CardType.CLOZE: [
        _template(
            "Cloze",
            f"{{{{cloze:Text}}}}\n{_IMAGE}",
            f"{{{{cloze:Text}}}}\n{_IMAGE}\n{_AFTERWORD}",
        )
    ],
    CardType.SEQUENCE: [
        _template(
            "What comes next",
            '<div class="mf-prompt">{{Prompt}}</div>\n'
            f'<div class="mf-steps mf-asking">{{{{cloze:Steps}}}}</div>\n{_IMAGE}',
            '<div class="mf-prompt">{{Prompt}}</div>\n'
            f'<div class="mf-steps">{{{{cloze:Steps}}}}</div>\n{_IMAGE}\n{_AFTERWORD}',
        )
    ],
}


def field_names(card_type: CardType) -> tuple[str, ...]:
    first, second = MAIN_FIELDS[card_type]
    return tuple(name for name in (first, second) if name) + EXTRA_FIELDS


def stable_id(*parts: str, low: int = 1 << 30, high: int = 1 << 31) -> int:
    """An integer in ``[low, high)`` from a hash of ``parts`` (genanki's recommended range)."""
    digest = hashlib.sha256("\0".join(("metaflash",) + parts).encode("utf-8")).digest()
    return low + int.from_bytes(digest[:8], "big") % (high - low)


def model_id(card_type: CardType) -> int:
    return stable_id("model", card_type.value, "1")


def deck_anki_id(deck_id: DeckId) -> int:
    return stable_id("deck", deck_id)


def note_guid(deck_id: DeckId, card_id: CardId) -> str:
    """The Anki GUID of a card's note: a stable hash of the deck id and the card id."""
    guid: str = genanki.guid_for("metaflash", deck_id, card_id)
    return guid


@dataclass(frozen=True, slots=True)
class NoteTypes:
    """The genanki models, made once per export."""

    models: dict[CardType, genanki.Model]

    @classmethod
    def create(cls) -> NoteTypes:
        models: dict[CardType, genanki.Model] = {}
        for card_type, name in MODEL_NAMES.items():
            is_cloze = card_type in (CardType.CLOZE, CardType.SEQUENCE)
            models[card_type] = genanki.Model(
                model_id(card_type),
                name,
                fields=[{"name": name} for name in field_names(card_type)],
                templates=_TEMPLATES[card_type],
                css=CSS,
                model_type=genanki.Model.CLOZE if is_cloze else genanki.Model.FRONT_BACK,
            )
        return cls(models)
