"""The numbering of an authority's sendings of a day."""

from __future__ import annotations

import datetime as dt

import pytest

from service.domain.actes.archive import SERIAL_MAX
from service.domain.actes.envois import checked_serial
from service.domain.errors import Conflict

JOUR = dt.date(2026, 3, 2)


@pytest.mark.parametrize("serial", [1, 2, SERIAL_MAX])
def test_the_operator_numbers_a_day_s_sendings_up_to_9999(serial) -> None:
    assert checked_serial("242100410", JOUR, serial) == serial


def test_the_10000th_sending_of_a_day_waits_for_tomorrow() -> None:
    with pytest.raises(Conflict) as refused:
        checked_serial("242100410", JOUR, SERIAL_MAX + 1)
    assert refused.value.code == "envois-du-jour-epuises"
    assert "242100410" in refused.value.message and "02/03/2026" in refused.value.message
