"""What every part of the window shares: the themes, the injected clock, the window's
preferences, card text and its rendering, the counts label, bar charts and time texts.

May import: ``metaflash.core``; no other part of ``metaflash.ui``.
"""
