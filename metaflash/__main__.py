"""Allow ``python -m metaflash``."""

import sys

from metaflash.cli import main

sys.exit(main())
