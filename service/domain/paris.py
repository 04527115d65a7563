"""The date and time in France (metropolitan): the dates of an act and of its transmission.

An act is made, sent and stamped on a French calendar day, whatever zone the machine runs in:
at 00:30 in Paris it is still the day before in UTC. Every date the service derives from the
clock goes through here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def utc_now() -> dt.datetime:
    """Return the current instant, timezone-aware."""
    return dt.datetime.now(dt.UTC)


def heure_de_paris(instant: dt.datetime) -> dt.datetime:
    """Return *instant* (timezone-aware) as the wall-clock time in Paris.

    :raises ValueError: when *instant* is naive: its zone would be guessed.
    """
    if instant.tzinfo is None:
        raise ValueError("instant sans fuseau horaire : donnez une date-heure avec fuseau")
    return instant.astimezone(PARIS)


def aujourd_hui_a_paris(now: Callable[[], dt.datetime] = utc_now) -> dt.date:
    """Return today's date in Paris (the clock *now* read once)."""
    return heure_de_paris(now()).date()
