"""Notes on their way in from Anki or CSV, before they become cards, and their card ids.

Card ids come from the note's GUID so that importing the same file again gives the same ids
(and so keeps the student's progress): a GUID that is already a slug is kept as it is; any
other becomes a slug of it plus a short hash of the exact GUID (Anki's GUIDs are
case-sensitive, slugs are not), for example ``b{4Vw5Gq3x`` → ``b-4vw5gq3x-k2m7qd``.
Notes exported by metaflash carry ``deck-id/card-id`` in their ``ID`` field, which wins.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from dataclasses import dataclass

from metaflash.core.decks.model import SLUG_PATTERN, CardType

_SLUG = re.compile(SLUG_PATTERN)
_IDENT = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)/([a-z0-9]+(?:-[a-z0-9]+)*)$")
MAX_SLUG = 48


@dataclass(frozen=True, slots=True)
class IncomingNote:
    """One note to import. Texts are HTML when ``is_html``, else plain text."""

    file: str
    line: int  # the CSV row's line, or 1 for notes in a package
    label: str  # how messages name the note: "row 12", "note 1651234 (Basic)"
    guid: str
    card_type: CardType
    first: str  # front, cloze text or sequence prompt
    second: str  # back ("" for cloze)
    steps: tuple[str, ...]  # sequence steps
    notes: str
    extras: tuple[tuple[str, str], ...]  # other non-empty fields: (name, text), kept in notes
    source: str
    image: str  # the metaflash "Image" field (HTML with one <img>)
    ident: str  # "deck-id/card-id" when exported by metaflash, else ""
    tags: tuple[str, ...]
    deck: tuple[str, ...]  # the Anki deck path, [] for the import's own deck
    is_html: bool = True


def slugify(text: str) -> str:
    """A slug (a-z, 0-9, single hyphens) for ``text``; "" when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:MAX_SLUG].strip("-")


def short_hash(text: str, length: int = 6) -> str:
    digest = hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:length]


def card_id_for_guid(guid: str) -> str:
    """A stable card id for an Anki GUID (or a CSV id)."""
    if _SLUG.match(guid) and len(guid) <= 64:
        return guid
    slug = slugify(guid)
    return f"{slug}-{short_hash(guid)}" if slug else f"note-{short_hash(guid, 10)}"


def split_ident(ident: str) -> tuple[str, str] | None:
    """``("deck-id", "card-id")`` from a metaflash ``ID`` field, when it is one."""
    match = _IDENT.match(ident.strip())
    return (match.group(1), match.group(2)) if match else None
