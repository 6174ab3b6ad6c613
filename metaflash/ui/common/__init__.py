"""What every part of the window shares: the themes, the injected clock, the window's
preferences, card text and its rendering, the counts label, bar charts and time texts, and
what keeps every screen size usable: window and dialog sizes that fit the screen, rows that
wrap (FlowLayout) and labels that elide with a tooltip.

May import: ``metaflash.core``; no other part of ``metaflash.ui``.
"""
