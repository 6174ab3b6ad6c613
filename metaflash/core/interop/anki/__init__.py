"""Anki packages: reading a collection file inside a package, Anki's note types mapped to
card types, and decks turned into Anki notes and an ``.apkg``.
"""
