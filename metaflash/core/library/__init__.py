"""The library: every deck and diagram found in a set of files and folders, loaded once per
reload into one immutable snapshot (:class:`~metaflash.core.library.snapshot.Library`) with
the checks that span files, and where the window's decks come from.

May import: ``core.diagrams``, ``core.decks``, ``core.util``.
"""
