"""A port built on its first use."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Lazy(Generic[T]):
    """Build a port once, when a use case first needs it: a signer reads the authorities' keys,
    a verifier its trust anchors; a service that never signs never reads them."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._value: T | None = None
        self._lock = threading.Lock()

    def __call__(self) -> T:
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._make()
        return self._value


def wired(port: T | None, name: str) -> T:
    """Return *port*, which the composition root must have wired for this use."""
    if port is None:
        raise RuntimeError(f"{name} is not wired: the composition root built the service "
                           "without it")
    return port
