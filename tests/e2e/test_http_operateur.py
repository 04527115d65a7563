"""An authority whose operator is S²LOW or Pastell gets the operator's numéro rule at POST."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from seance_support import sitting

from service.entrypoints.http import create_app

DIJON_ID = "021-242100410-20191219-2019-12-19_013-DE"


@pytest.fixture
def client(tmp_path: Path):
    authorities = tmp_path / "authorities.json"
    authorities.write_text(json.dumps({"242100410": {"operateur": "s2low"}}))
    app = create_app({"data_dir": tmp_path / "data", "converter": "soffice",
                      "authorities_file": authorities})
    yield app.test_client()
    app.extensions["actes"].close()


def test_a_numero_s2low_refuses_is_a_422_naming_the_numero_and_nothing_is_stored(
        client: FlaskClient, dijon) -> None:
    resp = client.post("/v1/deliberations", json=dijon)

    assert resp.status_code == 422 and resp.mimetype == "application/problem+json"
    [violation] = resp.get_json()["violations"]
    assert (violation["champ"], violation["code"]) == ("deliberation.numero", "numero-invalide")
    assert "« 2019-12-19_013 » serait refusé par S²LOW" in violation["message"]
    assert client.get(f"/v1/actes/{DIJON_ID}").status_code == 404


def test_a_sitting_with_such_a_numero_is_refused_whole(client: FlaskClient, dijon) -> None:
    data, _ = sitting(dijon, 2)  # numéros 2019-12-19_100, 2019-12-19_101

    resp = client.post("/v1/seances", json=data)

    assert resp.status_code == 422
    assert [v["champ"] for v in resp.get_json()["violations"]] == [
        "deliberations[0].numero", "deliberations[1].numero"]
