"""The core modules the window uses, imported before PySide6 (``app`` imports this first).

Once PySide6 is imported, its import hook reads the source of each module an import statement
names (looking for ``from __feature__ import``) and leaves it in memory (``linecache``).
Imported first, the core's libraries (YAML, Markdown, FSRS, the file lock...) and the core
modules no view names are spared that: 270 sources read at start became 90, and the
window's peak memory fell by 7 MiB (``bench/startup.py``; ``tests/test_cli_imports.py``
keeps the libraries out of it).
"""

import metaflash.core.collection.backups
import metaflash.core.collection.card_moves
import metaflash.core.collection.store
import metaflash.core.decks.loader
import metaflash.core.decks.markdown
import metaflash.core.diagrams.cues
import metaflash.core.diagrams.loader
import metaflash.core.library.snapshot
import metaflash.core.library.sources
import metaflash.core.scheduling.workload
import metaflash.core.stats.mastery
import metaflash.core.stats.statistics
import metaflash.core.study.counts
import metaflash.core.study.session
import metaflash.core.util.desktop
import metaflash.core.util.paths  # noqa: F401
