"""The ``sources`` a deck or diagram declares, and the ``source`` citations that name them."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Final

from metaflash.core.decks.model import SourceDocument, SourceRef
from metaflash.core.decks.yaml_fields import FieldReader, suggest
from metaflash.core.decks.yaml_source import Node, ScalarNode, SequenceNode

SOURCE_KEYS: Final = frozenset({"id", "title", "file", "url", "sections"})
REF_KEYS: Final = frozenset({"document", "section"})
_URL: Final = re.compile(r"https?://\S+")
_REF_EXAMPLE: Final = '{document: qa, section: "Stages of Metastasis"}'


#: Each declared source id and the passages its citations may name (empty: any passage).
Declared = Mapping[str, frozenset[str]]


def read_sources(reader: FieldReader, node: Node) -> tuple[tuple[SourceDocument, ...], Declared]:
    """The declared documents, and every well-formed id declared (also of a source with other
    problems, so that citations of it are not reported too) with its declared passages;
    problems are recorded."""
    items = reader.items(node, "sources", example="- {id: qa, title: The document's title}")
    if items is None:
        return (), {}
    documents: list[SourceDocument] = []
    first_line: dict[str, int] = {}
    passages: dict[str, frozenset[str]] = {}
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
        sections = _sections(reader, entries["sections"][1]) if "sections" in entries else ()
        if source_id is not None and source_id not in passages:
            passages[source_id] = frozenset(sections)
        if source_id is not None and title is not None:
            documents.append(SourceDocument(source_id, title, file, url, sections))
    return tuple(documents), passages


def _sections(reader: FieldReader, node: Node) -> tuple[str, ...]:
    """A source's ``sections``: the names of its passages, each once."""
    seen: dict[str, int] = {}

    def once(item: Node, value: str) -> bool:
        if value in seen:
            reader.error(
                item,
                f"the section '{value}' is listed twice (first at line {seen[value]})",
                "list each passage once",
            )
            return False
        seen[value] = item.line + 1
        return True

    values = reader.text_list(node, "sections", check=once)
    if values is not None and not values:
        reader.error(
            node,
            "'sections' is an empty list",
            'name the passages citations may use, e.g. sections: ["Introduction"], or remove it',
        )
    return values or ()


def read_citations(reader: FieldReader, node: Node, declared: Declared) -> tuple[SourceRef, ...]:
    """A ``source:`` value: one ``{document, section}`` mapping or a list of them.

    ``document`` must name one of the ``declared`` source ids, and ``section`` one of the
    passages that source declares (when it declares any)."""
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
        passages = declared[document]
        if section and passages and section not in passages:
            _unknown_section(reader, entries["section"][1], document, section, passages)
            continue
        refs.append(SourceRef(document, section))
    return tuple(refs)


def _unknown_section(
    reader: FieldReader, node: Node, document: str, section: str, passages: Collection[str]
) -> None:
    names = "; ".join(sorted(passages))
    hint = suggest(section, passages) or f"its sections are: {names}"
    reader.error(node, f"'{section}' is not one of the sections declared for '{document}'", hint)


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
