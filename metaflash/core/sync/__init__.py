"""Sync between a student's devices through a folder that a file-sync tool carries.

Each device appends its own events to files in its own folder of the sync folder; every
device reads all of them and merges them into its collection (:mod:`metaflash.core.collection.merge`).
No live database is ever shared, and no server is needed.

May import: ``core.collection`` and everything below it.
"""
