"""The deck side of the window: the deck manager and its tree, the deck overview with its
study panel and welcome, the card table, and the library controller that reloads deck files
when they change and keeps the collection in step.

May import: ``ui.common`` and ``metaflash.core``.
"""
