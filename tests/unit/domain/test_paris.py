"""ACTES dates are Paris dates, whatever zone the machine runs in."""

from __future__ import annotations

import datetime as dt
import inspect
import time

import pytest

from service.domain.paris import aujourd_hui_a_paris, heure_de_paris
from service.services.application.actes import ActesService
from service.services.application.seances import SeancesService

UTC = dt.UTC


@pytest.fixture
def machine_in_new_york(monkeypatch):
    """Run the test as on a machine whose local zone is not Paris's."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(("instant", "paris_day"), [
    # 23:30 UTC on 31 December is already New Year's Day in Paris (UTC+1 in winter).
    (dt.datetime(2025, 12, 31, 23, 30, tzinfo=UTC), dt.date(2026, 1, 1)),
    # 22:30 UTC in summer is 00:30 the next day in Paris (UTC+2).
    (dt.datetime(2026, 7, 13, 22, 30, tzinfo=UTC), dt.date(2026, 7, 14)),
    (dt.datetime(2026, 7, 13, 21, 59, tzinfo=UTC), dt.date(2026, 7, 13)),
])
def test_today_is_the_paris_calendar_day(machine_in_new_york, instant, paris_day) -> None:
    assert aujourd_hui_a_paris(lambda: instant) == paris_day


def test_the_paris_time_follows_summer_time() -> None:
    assert heure_de_paris(dt.datetime(2026, 3, 29, 0, 59, tzinfo=UTC)).hour == 1
    assert heure_de_paris(dt.datetime(2026, 3, 29, 1, 0, tzinfo=UTC)).hour == 3


def test_a_naive_instant_is_refused_rather_than_guessed() -> None:
    with pytest.raises(ValueError, match="fuseau"):
        heure_de_paris(dt.datetime(2026, 1, 1, 12, 0))


def test_the_services_day_is_the_paris_day_by_default() -> None:
    for service in (ActesService, SeancesService):
        assert inspect.signature(service).parameters["today"].default is aujourd_hui_a_paris
