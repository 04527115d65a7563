"""The prefecture's dates of an act: how they merge, and the status they give it."""

from __future__ import annotations

import datetime as dt

import pytest

from service.domain.dates_prefecture import (
    PrefectureDates,
    acknowledged,
    regenerated,
    statut_after,
)

ENVOI, RECEPTION, PUBLICATION = dt.date(2019, 12, 20), dt.date(2019, 12, 23), dt.date(2019, 12, 24)


def test_a_date_given_replaces_the_known_one_and_a_date_not_given_keeps_it() -> None:
    known = PrefectureDates(ENVOI, dt.date(2019, 12, 21))
    given = PrefectureDates(date_reception=RECEPTION, date_publication=PUBLICATION)
    assert given.completed_with(known) == (ENVOI, RECEPTION, PUBLICATION)


def test_nothing_given_keeps_every_known_date() -> None:
    known = PrefectureDates(ENVOI, RECEPTION, PUBLICATION)
    assert PrefectureDates().completed_with(known) == known


def test_the_dates_read_by_name_and_as_a_tuple() -> None:
    dates = PrefectureDates(ENVOI, RECEPTION)
    envoi, reception, publication = dates
    assert (envoi, reception, publication) == (dates.date_envoi, dates.date_reception, None)


@pytest.mark.parametrize(("dates", "known"), [
    (PrefectureDates(), False),
    (PrefectureDates(date_publication=PUBLICATION), False),  # published, never sent: no stamp
    (PrefectureDates(ENVOI), True),
    (PrefectureDates(date_reception=RECEPTION), True),
])
def test_a_mention_is_due_once_the_act_was_sent_or_received(dates, known) -> None:
    assert dates.is_known is known


@pytest.mark.parametrize(("dates", "statut", "after"), [
    (PrefectureDates(), "generee", "generee"),
    (PrefectureDates(ENVOI), "generee", "transmise"),
    (PrefectureDates(ENVOI, RECEPTION), "generee", "acquittee"),
    (PrefectureDates(date_reception=RECEPTION), "transmise", "acquittee"),
    (PrefectureDates(date_publication=PUBLICATION), "generee", "generee"),
    # Dates that are missing never take an act back from the prefecture.
    (PrefectureDates(), "transmise", "transmise"),
    (PrefectureDates(ENVOI), "acquittee", "acquittee"),
])
def test_the_status_follows_the_dates(dates, statut, after) -> None:
    assert statut_after(dates, statut) == after


def test_an_acknowledgement_keeps_the_known_sending_date_and_acknowledges_the_act() -> None:
    dates, statut = acknowledged(PrefectureDates(ENVOI), "transmise",
                                 PrefectureDates(date_reception=RECEPTION))
    assert (dates, statut) == ((ENVOI, RECEPTION, None), "acquittee")


def test_a_publication_alone_keeps_the_dates_and_the_status() -> None:
    dates, statut = acknowledged(PrefectureDates(ENVOI, RECEPTION), "acquittee",
                                 PrefectureDates(date_publication=PUBLICATION))
    assert (dates, statut) == ((ENVOI, RECEPTION, PUBLICATION), "acquittee")


def test_a_payload_s_dates_are_the_act_s_even_those_it_lacks() -> None:
    # Its files are stamped with its dates only: the record says what the files say.
    dates, statut = regenerated("generee", PrefectureDates(ENVOI))
    assert (dates, statut) == ((ENVOI, None, None), "transmise")
