"""The one change-notification mechanism of the core: a typed list of callbacks.

Core models (the review session, the collection) own a :class:`Signal` per kind of change;
views subscribe with :meth:`Signal.connect` and unsubscribe with the handle it returns. The
Qt layer forwards these to Qt signals where it needs to; the core never imports Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(eq=False, slots=True)
class Subscription(Generic[T]):
    """What :meth:`Signal.connect` returns: call :meth:`disconnect` to stop listening."""

    _signal: Signal[T] | None
    _callback: Callable[[T], None]

    def disconnect(self) -> None:
        if self._signal is not None:
            self._signal._remove(self)
            self._signal = None

    @property
    def connected(self) -> bool:
        return self._signal is not None


@dataclass(eq=False, slots=True)
class Signal(Generic[T]):
    """Callbacks called in the order they connected, with one value describing the change.

    A callback that raises is not swallowed: the error reaches whoever caused the change,
    after the remaining callbacks have been called (the first error is re-raised).
    """

    _subscriptions: list[Subscription[T]] = field(default_factory=list)

    def connect(self, callback: Callable[[T], None]) -> Subscription[T]:
        subscription = Subscription(self, callback)
        self._subscriptions.append(subscription)
        return subscription

    def emit(self, value: T) -> None:
        first_error: Exception | None = None
        for subscription in tuple(self._subscriptions):
            if not subscription.connected:
                continue
            try:
                subscription._callback(value)
            except Exception as error:  # noqa: BLE001 - re-raised below, once every view has been told
                if first_error is None:
                    first_error = error
        if first_error is not None:
            raise first_error

    def _remove(self, subscription: Subscription[T]) -> None:
        self._subscriptions = [s for s in self._subscriptions if s is not subscription]

    def __len__(self) -> int:
        return len(self._subscriptions)
