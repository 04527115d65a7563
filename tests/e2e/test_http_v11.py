"""Contract v1.1 over HTTP: a nomination is posted and printed; a broken rule of v1.1 is a 422
naming the field and the code; a v1 payload is still accepted."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from pdftext import pdf_text

pytestmark = pytest.mark.libreoffice


def _post(client: FlaskClient, payload: Any, **kw: Any):
    return client.post("/v1/deliberations", data=json.dumps(payload),
                       content_type="application/json", **kw)


def test_a_nomination_is_posted_and_its_elected_printed(client: FlaskClient, dijon) -> None:
    del dijon["deliberation"]["vote"]
    dijon["deliberation"]["election"] = {"postes": 1, "tours": [
        {"candidats": [{"nom": "Mme Claire DUPONT", "voix": 50},
                       {"nom": "M. Bernard MOREAU", "voix": 24}], "blancs": 2},
    ]}

    resp = _post(client, dijon, headers={"Accept": "application/pdf"})

    assert resp.status_code == 201, resp.get_data(as_text=True)
    text = pdf_text(resp.data)
    assert "Mme Claire DUPONT est élue au 1er tour avec 50 voix." in text
    assert "SCRUTIN : POUR" not in text


def test_a_broken_v1_1_rule_answers_422_with_its_field_and_code(client: FlaskClient,
                                                                 dijon) -> None:
    dijon["deliberation"]["vote"].update(pour=40, contre=36, voix_preponderante="pour")
    dijon["presences"]["a_distance"] = ["pribetich-pierre"]

    resp = _post(client, dijon)

    assert resp.status_code == 422
    assert resp.mimetype == "application/problem+json"
    found = [(v["champ"], v["code"]) for v in resp.get_json()["violations"]]
    assert found == [
        ("presences.a_distance", "a-distance-non-permis"),
        ("deliberation.vote.mode", "a-distance-scrutin-non-public"),
        ("deliberation.vote.voix_preponderante", "voix-preponderante-sans-partage"),
    ]


def test_an_unknown_ballot_mode_is_refused_as_structure(client: FlaskClient, dijon) -> None:
    dijon["deliberation"]["vote"]["mode"] = "a_bulletin"
    resp = _post(client, dijon)
    assert resp.status_code == 422
    found = [(v["champ"], v["code"]) for v in resp.get_json()["violations"]]
    assert found == [("deliberation.vote.mode", "valeur-non-permise")]
