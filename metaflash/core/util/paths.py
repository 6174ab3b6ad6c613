"""Where metaflash finds its bundled files and keeps the user's data."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "metaflash"
DATA_DIR_ENV = "METAFLASH_DATA_DIR"

_PACKAGE_DIR = Path(__file__).resolve().parents[2]


def _bundled(name: str) -> Path:
    """A bundled top-level folder: inside the installed wheel, else in the source checkout."""
    installed = _PACKAGE_DIR / "_bundled" / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE_DIR.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        f"metaflash cannot find its bundled {name!r} folder (looked in {installed} and "
        f"{checkout}); reinstall metaflash"
    )


def bundled_decks_dir() -> Path:
    """The folder of decks and diagrams shipped with metaflash."""
    return _bundled("decks")


def resources_dir() -> Path:
    """The folder of icons, themes and the deck JSON Schema."""
    return _bundled("resources")


def bundled_docs_dir() -> Path:
    """The folder of user documentation shipped with metaflash (the deck format guide)."""
    return _bundled("docs")


def resolve_data_dir(
    cli_value: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Path:
    """The data directory: ``--data-dir``, else ``$METAFLASH_DATA_DIR``, else the platform's."""
    env = os.environ if environ is None else environ
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    from_env = env.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
