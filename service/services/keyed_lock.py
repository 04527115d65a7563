"""One lock per key, held only while someone uses it: concurrent work on one act is serialised,
work on different acts runs in parallel."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class KeyedLocks:
    """A lock per key, created on demand and dropped when no thread holds or waits for it.

    Upstream systems retry POSTs; without this, twenty simultaneous retries of one payload would
    render and convert the same act twenty times before the repository kept one of them.
    Within one process only: across processes and machines the repository's row locks and
    idempotency decide.
    """

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, tuple[threading.Lock, int]] = {}

    @contextmanager
    def hold(self, key: str) -> Iterator[None]:
        """Hold the lock of *key* for the duration of the ``with`` block."""
        with self._guard:
            lock, users = self._locks.get(key, (threading.Lock(), 0))
            self._locks[key] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                lock, users = self._locks[key]
                if users == 1:
                    del self._locks[key]
                else:
                    self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)
