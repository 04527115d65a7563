"""publish_acte: the date an act was put online recorded with its other prefecture dates, its
published version made, and the stale write tried again when an acknowledgement lands."""

from __future__ import annotations

import datetime as dt

import pytest
from fakes.documents import FakeOcculteur
from fakes.world import DIJON_ID, Ports, payload_of

from service.domain.dates_prefecture import PrefectureDates
from service.domain.errors import InvalidPayload
from service.services.generate import generate_acte
from service.services.publication import publish_acte

TODAY = dt.date(2020, 1, 15)
ENVOI, RECEPTION = dt.date(2019, 12, 20), dt.date(2019, 12, 23)


@pytest.fixture
def acte(ports: Ports, data: dict) -> str:
    data["transmission"] = {"date_envoi": ENVOI.isoformat()}
    generate_acte(payload_of(data), auteur="api", **ports.generation())
    ports.repository.record_acknowledgement(
        DIJON_ID, dates=PrefectureDates(date_reception=RECEPTION), pdf_tamponne=None,
        auteur="prefecture")
    return DIJON_ID


def publish(ports: Ports, day: str):
    return publish_acte(ports.repository, DIJON_ID, {"date_mise_en_ligne": day},
                        renderer=ports.renderer, occulteur=FakeOcculteur(),
                        converter=ports.converter, stamper=ports.stamper, store=ports.store,
                        auteur="greffe", today=TODAY)


def test_the_date_put_online_joins_the_dates_known_and_the_published_version_is_kept(
    ports: Ports, acte: str,
) -> None:
    record = publish(ports, "2019-12-24")
    assert record.dates == (ENVOI, RECEPTION, dt.date(2019, 12, 24))
    assert record.statut == "acquittee"
    assert {"docx_publie", "pdf_publie", "pdf_tamponne"} <= set(record.current.files)
    # The act's own stamp is drawn again with every date, the publication's included.
    assert ports.stamper.stamps[-1].dates == record.dates


def test_a_date_put_online_before_the_sitting_is_refused_naming_the_field(
    ports: Ports, acte: str,
) -> None:
    with pytest.raises(InvalidPayload) as refused:
        publish(ports, "2019-12-01")
    assert [v.champ for v in refused.value.violations] == ["date_mise_en_ligne"]
    assert ports.repository.get(DIJON_ID).date_publication is None


def test_an_acknowledgement_landing_meanwhile_is_kept_and_published_with(
    ports: Ports, data: dict,
) -> None:
    data["transmission"] = {"date_envoi": ENVOI.isoformat()}
    generate_acte(payload_of(data), auteur="api", **ports.generation())

    def acknowledged_meanwhile(_: str) -> None:
        ports.repository.record_acknowledgement(
            DIJON_ID, dates=PrefectureDates(date_reception=RECEPTION), pdf_tamponne=None,
            auteur="prefecture")

    ports.repository.before_write = acknowledged_meanwhile
    record = publish(ports, "2019-12-24")
    # The write found the act changed, and was made again from the act as it is now.
    assert record.dates == (ENVOI, RECEPTION, dt.date(2019, 12, 24))
    assert ports.stamper.stamps[-1].date_reception == RECEPTION
