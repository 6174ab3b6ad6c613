"""A class: students share an anonymous summary of their progress in a folder their educator
shares with them; the educator reads the class's mastery of each step and card from it.

May import: ``core.stats``, ``core.collection`` and everything below them.
"""
