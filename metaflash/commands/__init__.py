"""Subcommands of the ``metaflash`` command line; each module has ``register(subparsers)``."""
