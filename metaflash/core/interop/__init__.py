"""Anki and CSV in and out: exports to ``.apkg`` and CSV, imports of Anki packages and CSV/TSV
files as YAML decks (bounded, all at once or not at all), and Markdown <-> Anki HTML.

May import: ``core.library``, ``core.decks``, ``core.util``.
"""
