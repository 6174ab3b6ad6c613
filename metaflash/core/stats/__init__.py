"""Statistics over the loaded decks and the collection (shared by the window and ``metaflash
stats``), and the mastery of each diagram step.

May import: ``core.study`` and everything below it.
"""
