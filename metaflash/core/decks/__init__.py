"""The deck format: the typed model (decks, cards, diagrams, the prompts a card is studied
as), safe YAML reading with positions, each card type's fields, cloze syntax, citations, one
deck file's loader and the writer that turns a deck back into YAML.

May import: ``core.util``.
"""
