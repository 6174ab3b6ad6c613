"""The real-window lane: Qt on a real X server, and the audit it runs, tested offscreen."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def qapp_args() -> list[str]:
    return ["metaflash-tests", "-platform", "offscreen"]
