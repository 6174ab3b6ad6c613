"""Studying: what a session covers (its scope), today's queue in Anki's order, the counts the
deck list shows, and the review session the review screen displays.

May import: ``core.collection`` and everything below it.
"""
