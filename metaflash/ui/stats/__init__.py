"""The statistics screen: due forecast, reviews per day, true retention and step mastery.

May import: ``ui.common`` and ``metaflash.core``.
"""
