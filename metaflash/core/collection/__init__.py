"""The collection: the student's prompts, their schedule and the append-only review log, in
SQLite in the data folder. It owns the schema and its migrations, the answer log, the lock,
the health check made before any write, backups and restore, Check Database, and matching
decks with the stored prompts (reconcile, cards that move between files).

May import: ``core.library``, ``core.diagrams``, ``core.decks``, ``core.scheduling``,
``core.util``.
"""
