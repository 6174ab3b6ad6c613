"""Room in Qt's pixmap cache for the figures on screen.

The figure's items keep device-pixel bitmaps of themselves (``DeviceCoordinateCache``) in the
application's ``QPixmapCache``, 10 MiB by default. At 2560x1600 device pixels one
full-figure layer alone is 16 MiB: bitmaps pushed out are redrawn at every frame (0.6 of a
core, 55 ms frames, measured by ``bench/diagram.py``). The limit only grows, to what the
figures on screen need with room to spare; memory is taken only by the bitmaps actually made.
"""

from __future__ import annotations

from PySide6.QtGui import QPixmapCache
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView

#: What each view on screen needs (bytes), by view: the cache is the application's.
_needs: dict[int, float] = {}
ROOM = 1.5  # the share kept to spare


def make_room(view: QGraphicsView) -> None:
    """Grow the pixmap cache to hold every cached item of ``view``'s scene as shown now."""
    scene = view.scene()
    if scene is None:
        return
    key = id(view)
    if key not in _needs:
        view.destroyed.connect(lambda *_: _needs.pop(key, None))
    ratio = view.devicePixelRatioF()
    transform = view.transform()
    needed = 0.0
    for item in scene.items():
        if item.cacheMode() is QGraphicsItem.CacheMode.NoCache or not item.isVisible():
            continue
        rect = transform.mapRect(item.sceneBoundingRect())
        needed += rect.width() * rect.height() * ratio * ratio * 4  # bytes, ARGB32
    _needs[key] = needed
    wanted = round(sum(_needs.values()) * ROOM / 1024)  # KiB
    if wanted > QPixmapCache.cacheLimit():
        QPixmapCache.setCacheLimit(wanted)
