"""What a later output needs is checked when the input arrives: a 422 naming the field at
POST time, never a surprise when the CSV or the archive is downloaded."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from seance_support import sitting

from service.entrypoints.http import create_app

SEANCE_ID = "021-242100410-20191219"
PROBLEM = "application/problem+json"
SIRET = "24210041000016"
REGLAGES = {"trigramme": "SIC", "arrondissement": "1", "nature": "31",
            "adresses_retour": ["actes@metropole-dijon.fr"],
            "classification_date_version": "2019-01-01"}


def configured_app(tmp_path: Path, authority: dict[str, Any]) -> Flask:
    path = tmp_path / "authorities.json"
    path.write_text(json.dumps({"242100410": authority}), encoding="utf-8")
    return create_app({"data_dir": tmp_path / "data", "converter": "soffice",
                       "authorities_file": path})


@pytest.fixture
def with_siret(tmp_path: Path) -> Iterator[FlaskClient]:
    app = configured_app(tmp_path, {"siret": SIRET})
    yield app.test_client()
    app.extensions["actes"].close()


def fields(resp) -> list[tuple[str, str]]:
    assert resp.status_code == 422 and resp.mimetype == PROBLEM, resp.get_data(as_text=True)
    return [(v["champ"], v["code"]) for v in resp.get_json()["violations"]]


def test_a_sitting_without_siret_is_refused_when_posted(client: FlaskClient, dijon) -> None:
    data, _ = sitting(dijon, 2, siret=None)

    resp = client.post("/v1/seances", json=data)

    assert fields(resp) == [("collectivite.siret", "champ-obligatoire")]
    assert "COLL_SIRET" in resp.get_json()["violations"][0]["message"]
    assert client.get(f"/v1/seances/{SEANCE_ID}").status_code == 404


@pytest.mark.libreoffice
def test_the_authoritys_siret_in_the_configuration_is_enough(with_siret: FlaskClient,
                                                             dijon) -> None:
    data, _ = sitting(dijon, 1, siret=None)
    resp = with_siret.post("/v1/seances", json=data)
    assert resp.status_code == 202, resp.get_data(as_text=True)
    deadline = time.monotonic() + 120
    while not with_siret.get(resp.headers["Location"]).get_json()["termine_le"]:
        assert time.monotonic() < deadline
        time.sleep(0.2)

    answer = with_siret.get(f"/v1/seances/{SEANCE_ID}/deliberations.csv")

    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    assert [r["COLL_SIRET"] for r in rows] == [SIRET]


def test_partial_actes_settings_in_the_payload_are_refused_when_posted(client: FlaskClient,
                                                                       dijon) -> None:
    dijon["collectivite"]["teletransmission"] = {"trigramme": "SIC", "nature": "3"}

    resp = client.post("/v1/deliberations", json=dijon)

    assert set(fields(resp)) >= {
        ("collectivite.teletransmission.arrondissement", "parametre-manquant"),
        ("collectivite.teletransmission.adresses_retour", "parametre-manquant"),
        ("collectivite.teletransmission.nature", "parametre-invalide"),
    }
    assert client.get("/v1/actes/021-242100410-20191219-2019-12-19_013-DE").status_code == 404


@pytest.mark.libreoffice
def test_actes_settings_of_the_configuration_are_checked_when_an_act_is_posted(
        tmp_path: Path, dijon) -> None:
    incomplete = {k: v for k, v in REGLAGES.items() if k != "trigramme"}
    app = configured_app(tmp_path, {**incomplete, "siret": SIRET})
    client = app.test_client()
    try:
        resp = client.post("/v1/deliberations", json=dijon)
        assert fields(resp) == [("collectivite.teletransmission.trigramme",
                                 "parametre-manquant")]
        data, _ = sitting(dijon, 2)
        assert fields(client.post("/v1/seances", json=data)) == [
            ("collectivite.teletransmission.trigramme", "parametre-manquant")]
        # The payload completes the configuration, field by field.
        dijon["collectivite"]["teletransmission"] = {"trigramme": "SIC"}
        resp = client.post("/v1/deliberations", json=dijon)
        assert resp.status_code == 201, resp.get_data(as_text=True)
    finally:
        app.extensions["actes"].close()
