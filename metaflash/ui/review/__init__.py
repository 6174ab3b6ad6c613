"""The review screen: the card, the answer bar, the compact diagram beside the card and the
summary at the end of a session. A passive view of :class:`~metaflash.core.study.session.ReviewSession`.

May import: ``ui.diagram``, ``ui.common`` and ``metaflash.core``.
"""
