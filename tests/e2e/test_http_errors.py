"""Bad input gets a clear 4xx problem+json with the field and the reason; nothing is stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from service.entrypoints.http import create_app
from service.errors import InvalidSettings

PROBLEM = "application/problem+json"


def test_body_that_is_not_json_is_a_400(client: FlaskClient) -> None:
    resp = client.post("/v1/deliberations", data="{pas du json", content_type="application/json")
    assert resp.status_code == 400 and resp.mimetype == PROBLEM
    body = resp.get_json()
    assert body["code"] == "requete-invalide" and "JSON invalide" in body["detail"]


def test_empty_body_is_a_400(client: FlaskClient) -> None:
    resp = client.post("/v1/deliberations", data="", content_type="application/json")
    assert resp.status_code == 400 and "vide" in resp.get_json()["detail"]


def test_wrong_media_type_is_a_415(client: FlaskClient, dijon) -> None:
    resp = client.post("/v1/deliberations", data=json.dumps(dijon), content_type="text/plain")
    assert resp.status_code == 415 and resp.mimetype == PROBLEM


def test_json_of_the_wrong_type_is_a_422(client: FlaskClient) -> None:
    resp = client.post("/v1/deliberations", data="[1, 2]", content_type="application/json")
    assert resp.status_code == 422
    assert resp.get_json()["violations"] == [
        {"champ": "(racine)", "code": "type-objet", "message": "le corps doit être un objet JSON"}
    ]


def test_too_large_body_is_a_413(tmp_path: Path, dijon) -> None:
    app = create_app({"data_dir": tmp_path, "converter": "soffice", "max_content_length": 1000})
    resp = app.test_client().post("/v1/deliberations", data=json.dumps(dijon),
                                  content_type="application/json")
    assert resp.status_code == 413 and resp.mimetype == PROBLEM
    assert "1000 octets" in resp.get_json()["detail"]


def test_structural_errors_name_each_field(client: FlaskClient, dijon) -> None:
    dijon["membres"][3]["civilite"] = "Dr"
    dijon["seance"]["date"] = "19/12/2019"
    del dijon["deliberation"]["vote"]["pour"]
    resp = client.post("/v1/deliberations", data=json.dumps(dijon), content_type="application/json")
    assert resp.status_code == 422 and resp.mimetype == PROBLEM
    found = {(v["champ"], v["code"]) for v in resp.get_json()["violations"]}
    assert found == {
        ("membres[3].civilite", "valeur-non-permise"),
        ("seance.date", "type-date"),
        ("deliberation.vote.pour", "champ-obligatoire"),
    }


def test_legal_violations_are_all_reported_and_nothing_is_stored(
    client: FlaskClient, dijon
) -> None:
    dijon["deliberation"]["vote"]["pour"] = 75
    dijon["collectivite"]["siren"] = "242100411"
    resp = client.post("/v1/deliberations", data=json.dumps(dijon), content_type="application/json")
    assert resp.status_code == 422
    body = resp.get_json()
    fields = {v["champ"] for v in body["violations"]}
    assert {"collectivite.siren", "deliberation.vote"} <= fields
    assert all(v["message"] for v in body["violations"])
    assert client.get("/v1/actes/021-242100411-20191219-2019-12-19_013-DE").status_code == 404


def test_unknown_act_and_route_are_problem_json(client: FlaskClient) -> None:
    resp = client.get("/v1/actes/021-242100410-20191219-INCONNU-DE")
    assert resp.status_code == 404 and resp.mimetype == PROBLEM
    assert "INCONNU" in resp.get_json()["detail"]
    # Every error has the shape of a 422's: `violations` is there, empty.
    assert resp.get_json()["violations"] == []
    resp = client.get("/nulle-part")
    assert resp.status_code == 404 and resp.mimetype == PROBLEM
    resp = client.delete("/v1/deliberations")
    assert resp.status_code == 405 and "POST" in resp.headers["Allow"]


def test_health_and_schema(client: FlaskClient) -> None:
    assert client.get("/healthz").get_json() == {"statut": "ok"}
    schema = client.get("/v1/schemas/deliberation.json")
    assert schema.status_code == 200 and schema.mimetype == "application/schema+json"
    assert schema.get_json()["title"] == "Deliberation"


def test_a_bad_setting_stops_the_app_factory_naming_the_variable(tmp_path: Path) -> None:
    with pytest.raises(InvalidSettings, match="ACTES_MAX_CONTENT_LENGTH") as caught:
        create_app({"data_dir": tmp_path, "max_content_length": "vingt mégaoctets"})
    assert "vingt mégaoctets" in caught.value.message
    authorities = tmp_path / "authorities.json"
    authorities.write_text("[]", encoding="utf-8")
    with pytest.raises(InvalidSettings, match="ACTES_AUTHORITIES_FILE"):
        create_app({"data_dir": tmp_path, "authorities_file": authorities})
    assert not (tmp_path / "actes.db").exists()  # nothing opened before the check
