"""metaflash: flashcards and an animated pathway diagram for learning a process."""

__version__ = "0.1.0"
#: When this version was released (the AppStream metainfo's release date).
__released__ = "2026-12-06"
