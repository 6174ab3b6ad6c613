"""The Qt-free core of metaflash: decks, scheduling, the collection, sessions, statistics.

Nothing under this package may import Qt; ``tests/core/test_no_qt.py`` enforces it.
"""
