"""The standalone bundle's program: the same ``metaflash`` command as an installed one."""

import sys

from metaflash.cli import main

if __name__ == "__main__":
    sys.exit(main())
