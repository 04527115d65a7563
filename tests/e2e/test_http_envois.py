"""Envelope serials over HTTP: the operator's counter of an authority's sendings of a day.

The operator matches the prefecture's answers by envelope name (``EACT--SIREN--DATE-serial``),
so two archives of one authority on one day must never share a serial, and the same archive
downloaded again must keep its name.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import tarfile

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.entrypoints.http import create_app

TELETRANSMISSION = {
    "trigramme": "SIC",
    "arrondissement": "1",
    "nature": "31",
    "adresses_retour": ["actes@metropole-dijon.fr"],
    "classification_date_version": "2019-01-01",
}
DAY = dt.date(2026, 3, 2)

pytestmark = pytest.mark.libreoffice


@pytest.fixture
def post(client: FlaskClient, dijon):
    """Post the Dijon act under another numéro; return its identifier."""
    def post(numero: str) -> str:
        payload = copy.deepcopy(dijon)
        del payload["transmission"]
        payload["collectivite"]["teletransmission"] = TELETRANSMISSION
        payload["deliberation"]["numero"] = numero
        resp = client.post("/v1/deliberations", data=json.dumps(payload),
                           content_type="application/json")
        assert resp.status_code == 201, resp.get_data(as_text=True)
        return resp.get_json()["identifiant"]
    return post


@pytest.fixture
def day(app: Flask):
    """Set the service's Paris date; return a setter."""
    def set_day(when: dt.date) -> None:
        app.extensions["actes"].today = lambda: when
    set_day(DAY)
    return set_day


def archive_name(client: FlaskClient, identifiant: str) -> str:
    resp = client.get(f"/v1/actes/{identifiant}/transmission.tar.gz")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    disposition = resp.headers["Content-Disposition"]
    name = disposition.removeprefix('attachment; filename="').removesuffix('"')
    with tarfile.open(fileobj=io.BytesIO(resp.data)) as tar:
        # The envelope is named as the archive, without the operator's trigram.
        assert tar.getnames()[0] == name.removeprefix("SIC-").removesuffix(".tar.gz") + ".xml"
    return name


def test_two_acts_of_one_authority_on_one_day_get_serials_1_and_2(client, post, day) -> None:
    first, second = post("2026_001"), post("2026_002")

    assert archive_name(client, first) == "SIC-EACT--242100410--20260302-1.tar.gz"
    assert archive_name(client, second) == "SIC-EACT--242100410--20260302-2.tar.gz"


def test_the_same_act_downloaded_twice_keeps_its_name_and_bytes(client, post, day) -> None:
    acte = post("2026_001")
    first = client.get(f"/v1/actes/{acte}/transmission.tar.gz")
    day(DAY + dt.timedelta(days=1))  # downloaded again the next day

    again = client.get(f"/v1/actes/{acte}/transmission.tar.gz")

    assert again.headers["Content-Disposition"] == first.headers["Content-Disposition"]
    assert again.headers["Content-Disposition"].endswith('--20260302-1.tar.gz"')
    assert again.data == first.data


def test_a_new_day_restarts_at_1(client, post, day) -> None:
    first, second = post("2026_001"), post("2026_002")
    assert archive_name(client, first).endswith("--20260302-1.tar.gz")

    day(DAY + dt.timedelta(days=1))

    assert archive_name(client, second) == "SIC-EACT--242100410--20260303-1.tar.gz"


def test_an_authority_set_to_the_test_platform_gets_tact_names(tmp_path, dijon) -> None:
    authorities = tmp_path / "authorities.json"
    authorities.write_text(json.dumps({"242100410": {**TELETRANSMISSION, "plateforme": "TACT"}}))
    app = create_app({"data_dir": tmp_path / "data", "converter": "soffice",
                      "authorities_file": authorities})
    try:
        app.extensions["actes"].today = lambda: DAY
        client = app.test_client()
        del dijon["transmission"]
        resp = client.post("/v1/deliberations", json=dijon)
        assert resp.status_code == 201, resp.get_data(as_text=True)

        name = archive_name(client, resp.get_json()["identifiant"])

        assert name == "SIC-TACT--242100410--20260302-1.tar.gz"
    finally:
        app.extensions["actes"].close()


def test_a_decision_dated_after_today_in_paris_is_refused_and_takes_no_serial(client, post,
                                                                            day) -> None:
    acte = post("2026_001")  # decided on 19 December 2019, the Dijon sitting
    day(dt.date(2019, 12, 18))

    resp = client.get(f"/v1/actes/{acte}/transmission.tar.gz")

    assert resp.status_code == 422 and resp.mimetype == "application/problem+json"
    [violation] = resp.get_json()["violations"]
    assert violation["champ"] == "seance.date" and violation["code"] == "decision-future"
    assert "19/12/2019, après aujourd'hui (18/12/2019)" in violation["message"]
    day(dt.date(2019, 12, 19))
    assert archive_name(client, acte) == "SIC-EACT--242100410--20191219-1.tar.gz"
