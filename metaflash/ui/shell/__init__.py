"""The window's frame: start-up (``app``), the main window, its menus and commands, the study
host that starts sessions and switches views, settings, the problems panel, help, the
damaged-collection dialog and screenshots.

May import: every other part of ``metaflash.ui``, and ``metaflash.core``.
"""
