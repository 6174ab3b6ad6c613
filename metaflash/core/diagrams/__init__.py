"""Pathway diagrams: loading a diagram file, a deck's references to its steps, and the pure
geometry the window draws (layout, decorations, a cell's journey, what a review shows).

May import: ``core.decks``, ``core.util``.
"""
