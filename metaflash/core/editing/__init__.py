"""Round-trip editing of deck files for the deck editor: the file's text as edits change it,
keeping the author's comments and layout, where each card and field is written, the values
the editor's forms hold, and the edit session behind the editor.

May import: ``core.library``, ``core.decks``, ``core.util``.
"""
