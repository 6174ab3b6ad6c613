"""metaflash: flashcards and an animated pathway diagram for learning a process."""

__version__ = "0.1.0"
