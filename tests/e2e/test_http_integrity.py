"""Nothing a clerk did is lost: re-posts over an amendment, identical uploads, over HTTP."""

from __future__ import annotations

import hashlib
import io
import json
from typing import Any

import docx
import pytest
from flask import Flask
from flask.testing import FlaskClient
from pdftext import pdf_text
from sqlalchemy import text

DIJON_ID = "021-242100410-20191219-2019-12-19_013-DE"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PROBLEM = "application/problem+json"
OBJET = "Création d’un poste de responsable de la gouvernance des données"
AMENDE = "Texte amendé par le greffe"

pytestmark = pytest.mark.libreoffice


def amended(docx_bytes: bytes, new_text: str, old_text: str = OBJET) -> bytes:
    """Return the DOCX with the paragraph holding *old_text* rewritten, as a clerk would."""
    document = docx.Document(io.BytesIO(docx_bytes))
    paragraph = next(p for p in document.paragraphs if old_text in p.text)
    paragraph.text = new_text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def post(client: FlaskClient, payload: dict[str, Any], query: str = ""):
    return client.post(f"/v1/deliberations{query}", data=json.dumps(payload),
                       content_type="application/json")


def versions(client: FlaskClient) -> list[dict[str, Any]]:
    return client.get(f"/v1/actes/{DIJON_ID}/versions").get_json()["versions"]


@pytest.fixture
def amended_act(client: FlaskClient, dijon) -> dict[str, Any]:
    """The Dijon act, not transmitted, whose version 2 is a clerk's amendment; its payload."""
    del dijon["transmission"]
    assert post(client, dijon).status_code == 201
    original = client.get(f"/v1/actes/{DIJON_ID}/document.docx").data
    resp = client.put(f"/v1/actes/{DIJON_ID}/document.docx", data=amended(original, AMENDE),
                      content_type=DOCX)
    assert resp.status_code == 200 and resp.get_json()["version"] == 2
    return dijon


def current_pdf_text(client: FlaskClient) -> str:
    return pdf_text(client.get(f"/v1/actes/{DIJON_ID}/document.pdf").data)


def test_the_unchanged_payload_over_an_amendment_keeps_it(client: FlaskClient,
                                                          amended_act) -> None:
    resp = post(client, amended_act)

    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.get_json()["version"] == 2
    assert [v["origine"] for v in versions(client)] == ["payload", "amendement"]
    assert AMENDE in current_pdf_text(client)


def test_a_changed_payload_over_an_amendment_is_refused_then_replaced_on_purpose(
        client: FlaskClient, amended_act) -> None:
    changed = json.loads(json.dumps(amended_act))
    changed["deliberation"]["objet"] = "Création de deux postes de responsable des données"

    refused = post(client, changed)

    assert refused.status_code == 409 and refused.mimetype == PROBLEM
    problem = refused.get_json()
    assert problem["code"] == "version-modifiee"
    assert "version 2" in problem["detail"]
    assert f"?remplacer={DIJON_ID}:2" in problem["detail"]
    assert len(versions(client)) == 2 and AMENDE in current_pdf_text(client)

    # Naming a version that is not the current one replaces nothing either.
    assert post(client, changed, f"?remplacer={DIJON_ID}:1").status_code == 409
    assert post(client, changed, "?remplacer=n-importe-quoi").status_code == 400

    replaced = post(client, changed, f"?remplacer={DIJON_ID}:2")

    assert replaced.status_code == 201, replaced.get_data(as_text=True)
    assert replaced.get_json()["version"] == 3
    last = versions(client)[-1]
    assert (last["origine"], last["auteur"], last["remplace"]) == ("payload", "api", 2)
    assert "version 2" in last["motif"] and "api" in last["motif"]
    text_v3 = current_pdf_text(client)
    assert "Création de deux postes" in text_v3 and AMENDE not in text_v3
    # The amendment itself is kept, as every version is.
    v2 = client.get(f"/v1/actes/{DIJON_ID}/versions/2/document.pdf").data
    assert AMENDE in pdf_text(v2)


def test_a_changed_payload_over_a_transmitted_amendment_is_refused_even_named(
        client: FlaskClient, amended_act) -> None:
    resp = client.post(f"/v1/actes/{DIJON_ID}/accuse-reception",
                       json={"date_envoi": "2019-12-20", "date_reception": "2019-12-20"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    changed = json.loads(json.dumps(amended_act))
    changed["deliberation"]["objet"] = "Autre objet"

    for query in ("", f"?remplacer={DIJON_ID}:2"):
        refused = post(client, changed, query)
        assert refused.status_code == 409 and refused.get_json()["code"] == "acte-transmis"
    # The unchanged payload is still recognised: the act as it is.
    assert post(client, amended_act).status_code == 200
    assert len(versions(client)) == 2


def test_a_payload_stored_by_an_older_model_is_still_recognised(app: Flask, client: FlaskClient,
                                                                  dijon) -> None:
    del dijon["transmission"]
    assert post(client, dijon).status_code == 201
    # As an earlier model stored it: without the fields a later model added with a default.
    engine = app.extensions["actes"].repository._engine
    with engine.begin() as conn:
        stored = json.loads(conn.execute(text("SELECT payload_json FROM versions")).scalar())
        assert stored["deliberation"].pop("nature") == "DE"
        conn.execute(text("UPDATE versions SET payload_json = :j, payload_sha256 = 'ancien'"),
                     {"j": json.dumps(stored)})

    resp = post(client, dijon)

    assert resp.status_code == 200 and resp.get_json()["version"] == 1


def test_an_identical_upload_is_not_a_new_version(client: FlaskClient, amended_act) -> None:
    current = client.get(f"/v1/actes/{DIJON_ID}/document.docx").data
    before = versions(client)

    resp = client.put(f"/v1/actes/{DIJON_ID}/document.docx", data=current, content_type=DOCX)

    assert resp.status_code == 200, resp.get_data(as_text=True)
    record = resp.get_json()
    assert record["version"] == 2 and resp.headers["ETag"] == '"2"'
    assert record["fichiers"]["docx"]["sha256"] == hashlib.sha256(current).hexdigest()
    assert versions(client) == before
