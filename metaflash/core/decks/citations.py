"""The ``sources`` a deck or diagram declares, and the ``source`` citations that name them."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Final

from metaflash.core.decks.model import SourceDocument, SourceRef
from metaflash.core.decks.yaml_fields import FieldReader, suggest
from metaflash.core.decks.yaml_source import Node, ScalarNode, SequenceNode

SOURCE_KEYS: Final = frozenset({"id", "title", "file", "url"})
REF_KEYS: Final = frozenset({"document", "section"})
_URL: Final = re.compile(r"https?://\S+")
_REF_EXAMPLE: Final = '{document: qa, section: "Stages of Metastasis"}'


def read_sources(
    reader: FieldReader, node: Node
) -> tuple[tuple[SourceDocument, ...], frozenset[str]]:
    """The declared documents, and every well-formed id declared (also of a source with other
    problems, so that citations of it are not reported too); problems are recorded."""
    items = reader.items(node, "sources", example="- {id: qa, title: The document's title}")
    if items is None:
        return (), frozenset()
    documents: list[SourceDocument] = []
    first_line: dict[str, int] = {}
    for item in items:
        entries = reader.fields(
            item,
            "a source",
            SOURCE_KEYS,
            ("id", "title"),
            example="{id: qa, title: The document's title}",
        )
        if entries is None:
            continue
        source_id = title = None
        file = url = ""
        if "id" in entries:
            id_node = entries["id"][1]
            source_id = reader.slug(id_node, "id")
            if source_id is not None:
                if source_id in first_line:
                    reader.error(
                        id_node,
                        f"duplicate source id '{source_id}' (first used at line "
                        f"{first_line[source_id]})",
                        "give each source its own id",
                    )
                else:
                    first_line[source_id] = id_node.line + 1
        if "title" in entries:
            title = reader.text(entries["title"][1], "title")
        if "file" in entries:
            file = reader.text(entries["file"][1], "file") or ""
        if "url" in entries:
            url_node = entries["url"][1]
            url = reader.text(url_node, "url") or ""
            if url and _URL.fullmatch(url) is None:
                reader.error(
                    url_node, f"'url' is not a web address: '{url}'", "start it with https://"
                )
                url = ""
        if source_id is not None and title is not None:
            documents.append(SourceDocument(source_id, title, file, url))
    return tuple(documents), frozenset(first_line)


def read_citations(
    reader: FieldReader, node: Node, declared: Collection[str]
) -> tuple[SourceRef, ...]:
    """A ``source:`` value: one ``{document, section}`` mapping or a list of them.

    ``document`` must name one of the ``declared`` source ids."""
    items: list[Node]
    if type(node) is SequenceNode:
        items = reader.items(node, "source") or []
        if not items:
            reader.error(
                node, "'source' is an empty list", f"cite a document: source: {_REF_EXAMPLE}"
            )
    else:
        items = [node]
    refs: list[SourceRef] = []
    for item in items:
        entries = reader.fields(
            item, "a source citation", REF_KEYS, ("document",), example=_REF_EXAMPLE
        )
        if entries is None or "document" not in entries:
            continue
        document_node = entries["document"][1]
        document = reader.text(document_node, "document")
        section = ""
        if "section" in entries:
            section = reader.text(entries["section"][1], "section") or ""
        if document is None:
            continue
        if document not in declared:
            _unknown_document(reader, document_node, document, declared)
            continue
        refs.append(SourceRef(document, section))
    return tuple(refs)


def _unknown_document(
    reader: FieldReader, node: Node, document: str, declared: Collection[str]
) -> None:
    if not declared:
        reader.error(
            node,
            f"the source document '{document}' is not declared: this file has no 'sources'",
            "declare it under 'sources:' with an id and a title",
        )
        return
    assert isinstance(node, ScalarNode)
    known = ", ".join(sorted(declared))
    hint = suggest(document, declared) or f"the declared sources are: {known}"
    reader.error(node, f"'{document}' is not one of this file's sources", hint)
