"""A private X server with a window manager, for tests that need a real window.

``Xvfb -displayfd`` picks a free display number itself; ``openbox`` manages the windows (it
adds frames and title bars and places dialogs, as a desktop does). Both are Debian packages
(``xvfb``, ``openbox``) that ``.ci/run`` installs.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TOOLS = ("Xvfb", "openbox")


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


@contextmanager
def x_server(width: int, height: int) -> Iterator[str]:
    """Run an X server of ``width``×``height`` with a window manager; yields its DISPLAY."""
    read, write = os.pipe()
    server = subprocess.Popen(
        [
            "Xvfb",
            "-displayfd",
            str(write),
            "-screen",
            "0",
            f"{width}x{height}x24",
            "-nolisten",
            "tcp",
        ],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    manager: subprocess.Popen[bytes] | None = None
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start (no display number)")
        display = f":{number}"
        env = {**os.environ, "DISPLAY": display}
        with tempfile.TemporaryDirectory() as scratch:
            ready = Path(scratch) / "ready"
            # openbox runs its --startup command once it manages the screen: windows shown
            # before that would be taken over (unmapped and framed again) while a test looks
            manager = subprocess.Popen(
                ["openbox", "--startup", f"touch {shlex.quote(str(ready))}"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + 20
            while not ready.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            if not ready.exists():
                raise RuntimeError("openbox did not start managing the X server in 20 s")
            time.sleep(0.2)  # its startup command runs as it takes over: a little more
            yield display
    finally:
        for process in (manager, server):
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
