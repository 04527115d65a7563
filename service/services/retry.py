"""The one retry of a use case whose write found the act changed since it was read.

A use case reads an act, works on it (stamps, signs, renders) and writes, telling the
repository what it read (``version``, ``expected_dates``); when an amendment or an
acknowledgement landed meanwhile, the repository refuses with :class:`StaleRead` and nothing is
changed. The use case then works again from the act as it is now, a few times at most: an act
that keeps changing is the caller's conflict to see.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from service.domain.errors import StaleRead

T = TypeVar("T")

STALE_ATTEMPTS = 3
"""Attempts when amendments or acknowledgements keep landing between the read and the write."""


def retry_stale(attempt: Callable[[int], T], *, attempts: int = STALE_ATTEMPTS) -> T:
    """Return what ``attempt(n)`` returns for the first try *n* (1, 2…) whose write was not
    refused as stale; *attempt* reads the act again when *n* > 1 (the first may reuse what its
    caller read).

    :raises StaleRead: when the act changed during each of *attempts* tries.
    """
    for n in range(1, attempts + 1):
        try:
            return attempt(n)
        except StaleRead:
            if n == attempts:
                raise
    raise AssertionError("attempts must be at least 1")
