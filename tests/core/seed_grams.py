"""Runs of 8 words from the source documents, kept as hashes so that the documents' own
sentences never enter the project: a card that copies 8 or more words in a row is found by
hashing its own runs of 8 words.

``python tests/core/seed_grams.py ../shared/seeds`` writes the hashes afresh (the test also
compares them with the documents when ``../shared/seeds`` is beside the checkout).
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable
from pathlib import Path

RUN = 8
HASHES = Path(__file__).parent.parent / "data" / "seed-grams" / "runs-of-8.txt"
#: British and American spellings, so that "tumour" copies "tumor".
SPELLINGS = {
    "tumor": "tumour",
    "tumors": "tumours",
    "colonization": "colonisation",
    "favorable": "favourable",
    "localized": "localised",
    "metastasize": "metastasise",
    "metastasizing": "metastasising",
}


def words(text: str) -> list[str]:
    text = re.sub(r"\{\{c\d+::([^}]*)\}\}", r"\1", text.replace("\\n", " "))
    return [SPELLINGS.get(word, word) for word in re.findall(r"[a-z0-9]+", text.lower())]


def runs(text: str) -> Iterable[tuple[str, str]]:
    """Each run of :data:`RUN` words in ``text``, with its hash."""
    found = words(text)
    for start in range(len(found) - RUN + 1):
        run = " ".join(found[start : start + RUN])
        yield run, hashlib.sha256(run.encode()).hexdigest()[:16]


def document_hashes(folder: Path) -> set[str]:
    return {digest for path in sorted(folder.glob("*.md")) for _, digest in runs(path.read_text())}


def stored_hashes() -> set[str]:
    return set(HASHES.read_text(encoding="utf-8").split())


if __name__ == "__main__":
    HASHES.write_text("\n".join(sorted(document_hashes(Path(sys.argv[1])))) + "\n")
