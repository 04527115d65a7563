"""Télétransmission over HTTP: the ACTES archive, the prefecture's acknowledgement, the stamp."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import docx as docx_lib
import pytest
from flask.testing import FlaskClient
from lxml import etree
from pdftext import pdf_text

from service.domain.paris import aujourd_hui_a_paris

DIJON_ID = "021-242100410-20191219-2019-12-19_013-DE"
PROBLEM = "application/problem+json"
TELETRANSMISSION = {
    "trigramme": "SIC",
    "arrondissement": "1",
    "nature": "31",
    "adresses_retour": ["actes@metropole-dijon.fr"],
    "classification_date_version": "2019-01-01",
}

pytestmark = pytest.mark.libreoffice


@pytest.fixture
def acte(client: FlaskClient, dijon) -> str:
    del dijon["transmission"]
    dijon["collectivite"]["teletransmission"] = TELETRANSMISSION
    resp = client.post("/v1/deliberations", data=json.dumps(dijon), content_type="application/json")
    assert resp.status_code == 201, resp.get_data(as_text=True)
    return resp.get_json()["identifiant"]


def _ar_for(shared: Path, id_acte: str, reception: str) -> bytes:
    real = (shared / "actes" / "006-210600235-20180522-684-AI-1-2_5279.xml").read_bytes()
    return (real.replace(b"006-210600235-20180522-684-AI", id_acte.encode())
                .replace(b'DateReception="2018-05-28"', f'DateReception="{reception}"'.encode()))


def test_archive_is_named_and_filled_as_the_operator_expects(client, acte, shared_dir) -> None:
    resp = client.get(f"/v1/actes/{acte}/transmission.tar.gz")
    assert resp.status_code == 200 and resp.mimetype == "application/gzip"
    today = aujourd_hui_a_paris().strftime("%Y%m%d")
    name = f"SIC-EACT--242100410--{today}-1.tar.gz"
    assert resp.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    with tarfile.open(fileobj=io.BytesIO(resp.data)) as tar:
        names = tar.getnames()
        assert names == [
            f"EACT--242100410--{today}-1.xml",
            f"{DIJON_ID}-1-1_0.xml",
            f"99_DE-{DIJON_ID}-1-1_1.pdf",
        ]
        metadata = tar.extractfile(names[1]).read()
        pdf = tar.extractfile(names[2]).read()
    schema = etree.XMLSchema(etree.parse(str(shared_dir / "actes" / "actesv1_1.xsd")))
    doc = etree.fromstring(metadata)
    assert schema.validate(doc), schema.error_log
    assert "Création d’un poste" in doc.findtext("{*}Objet")
    assert "EXTRAIT DU REGISTRE" in pdf_text(pdf)


def test_archive_without_settings_names_the_missing_one(client: FlaskClient, dijon) -> None:
    resp = client.post("/v1/deliberations", data=json.dumps(dijon), content_type="application/json")
    ident = resp.get_json()["identifiant"]
    resp = client.get(f"/v1/actes/{ident}/transmission.tar.gz")
    assert resp.status_code == 422 and resp.mimetype == PROBLEM
    fields = {v["champ"] for v in resp.get_json()["violations"]}
    assert "collectivite.teletransmission.trigramme" in fields


def test_acknowledgement_xml_stamps_the_pdf(client, acte, shared_dir) -> None:
    before = client.get(f"/v1/actes/{acte}/document.pdf").data
    assert "Accusé de réception" not in pdf_text(before)
    resp = client.post(f"/v1/actes/{acte}/accuse-reception",
                       data=_ar_for(shared_dir, acte, "2019-12-20"), content_type="application/xml")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    record = resp.get_json()
    assert record["statut"] == "acquittee"
    assert record["transmission"]["date_reception"] == "2019-12-20"
    page1 = pdf_text(client.get(f"/v1/actes/{acte}/document.pdf").data, 1, 1)
    assert f"Accusé de réception en préfecture {acte}" in page1
    assert "Date de réception préfecture : 20/12/2019" in page1
    # The unstamped PDF of the version is kept.
    v1 = client.get(f"/v1/actes/{acte}/versions/1/document.pdf").data
    assert "Accusé de réception" not in pdf_text(v1)


def test_the_aracte_message_has_an_operation_of_its_own(client, acte, shared_dir) -> None:
    resp = client.post(f"/v1/actes/{acte}/accuse-reception/aracte",
                       data=_ar_for(shared_dir, acte, "2019-12-20"), content_type="application/xml")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.get_json()["statut"] == "acquittee"
    assert resp.get_json()["transmission"]["date_reception"] == "2019-12-20"
    page1 = pdf_text(client.get(f"/v1/actes/{acte}/document.pdf").data, 1, 1)
    assert "Date de réception préfecture : 20/12/2019" in page1


def test_the_aracte_operation_takes_only_xml(client, acte) -> None:
    resp = client.post(f"/v1/actes/{acte}/accuse-reception/aracte",
                       json={"date_reception": "2019-12-20"})
    assert resp.status_code == 415 and resp.mimetype == PROBLEM
    assert "application/xml" in resp.get_json()["detail"]
    assert client.get(f"/v1/actes/{acte}").get_json()["statut"] == "generee"


def test_acknowledgement_as_json_dates(client, acte) -> None:
    resp = client.post(f"/v1/actes/{acte}/accuse-reception",
                       json={"date_envoi": "2019-12-20", "date_reception": "2019-12-21"})
    assert resp.status_code == 200
    page1 = pdf_text(client.get(f"/v1/actes/{acte}/document.pdf").data, 1, 1)
    assert "Date de télétransmission : 20/12/2019" in page1
    assert "Date de réception préfecture : 21/12/2019" in page1


@pytest.mark.parametrize(("body", "champ", "code"), [
    ({"date_reception": "0001-01-01"}, "date_reception", "reception-avant-envoi"),
    ({"date_envoi": "2019-12-18"}, "date_envoi", "envoi-avant-seance"),
    ({"date_envoi": "2019-12-23", "date_reception": "2019-12-20"}, "date_reception",
     "reception-avant-envoi"),
    ({"date_reception": "2999-01-01"}, "date_reception", "date-future"),
])
def test_acknowledgement_dates_that_cannot_be_the_acts_are_refused(client, acte, body, champ,
                                                                   code) -> None:
    before = client.get(f"/v1/actes/{acte}/document.pdf").data

    resp = client.post(f"/v1/actes/{acte}/accuse-reception", json=body)

    assert resp.status_code == 422 and resp.mimetype == PROBLEM
    assert {"champ": champ, "code": code} in [
        {"champ": v["champ"], "code": v["code"]} for v in resp.get_json()["violations"]]
    record = client.get(f"/v1/actes/{acte}").get_json()
    assert record["statut"] == "generee" and record["version"] == 1
    assert client.get(f"/v1/actes/{acte}/document.pdf").data == before


def test_an_acknowledgement_xml_dated_before_the_decision_is_refused(client, acte,
                                                                     shared_dir) -> None:
    resp = client.post(f"/v1/actes/{acte}/accuse-reception",
                       data=_ar_for(shared_dir, acte, "2019-12-01"),
                       content_type="application/xml")

    assert resp.status_code == 422
    assert [v["champ"] for v in resp.get_json()["violations"]] == ["date_reception"]
    assert "précède" in resp.get_json()["violations"][0]["message"]
    assert client.get(f"/v1/actes/{acte}").get_json()["statut"] == "generee"


def test_acknowledgement_of_another_act_is_a_409(client, acte, shared_dir) -> None:
    other = "021-242100410-20191219-AUTRE-DE"
    resp = client.post(f"/v1/actes/{acte}/accuse-reception",
                       data=_ar_for(shared_dir, other, "2019-12-20"),
                       content_type="application/xml")
    assert resp.status_code == 409 and resp.mimetype == PROBLEM
    detail = resp.get_json()["detail"]
    assert other in detail and acte in detail
    assert client.get(f"/v1/actes/{acte}").get_json()["statut"] == "generee"


@pytest.mark.parametrize("body", [
    b"<pas du xml",
    b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><l>&b;</l>',
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    b'<?xml version="1.0"?><autre xmlns="urn:x"/>',
])
def test_hostile_or_foreign_acknowledgements_are_refused(client, acte, body) -> None:
    resp = client.post(f"/v1/actes/{acte}/accuse-reception", data=body,
                       content_type="application/xml")
    assert 400 <= resp.status_code < 500 and resp.mimetype == PROBLEM
    assert resp.get_json()["detail"]
    assert client.get(f"/v1/actes/{acte}").get_json()["statut"] == "generee"


def test_archive_after_an_amendment_carries_the_amended_pdf_under_a_new_serial(client,
                                                                               acte) -> None:
    first = client.get(f"/v1/actes/{acte}/transmission.tar.gz")
    assert first.headers["Content-Disposition"].endswith('-1.tar.gz"')
    # Saved again by a word processor: other bytes (the same bytes would be no new version).
    document = docx_lib.Document(io.BytesIO(client.get(f"/v1/actes/{acte}/document.docx").data))
    document.add_paragraph("Amendement du greffe.")
    saved = io.BytesIO()
    document.save(saved)
    resp = client.put(f"/v1/actes/{acte}/document.docx", data=saved.getvalue(),
                      content_type="application/vnd.openxmlformats-officedocument"
                                   ".wordprocessingml.document")
    assert resp.status_code == 200 and resp.get_json()["version"] == 2
    archive = client.get(f"/v1/actes/{acte}/transmission.tar.gz")
    assert archive.status_code == 200
    assert archive.headers["Content-Disposition"].endswith('-2.tar.gz"')
    v2_pdf = client.get(f"/v1/actes/{acte}/versions/2/document.pdf").data
    with tarfile.open(fileobj=io.BytesIO(archive.data)) as tar:
        assert tar.extractfile(f"99_DE-{DIJON_ID}-1-1_1.pdf").read() == v2_pdf
