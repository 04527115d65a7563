"""POST /v1/deliberations and the act's record and files, as an upstream system uses them."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from pdftext import pdf_fonts, pdf_text, pdfa_declaration

DIJON_ID = "021-242100410-20191219-2019-12-19_013-DE"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

pytestmark = pytest.mark.libreoffice


def _post(client: FlaskClient, payload: Any, **kw: Any):
    return client.post("/v1/deliberations", data=json.dumps(payload),
                       content_type="application/json", **kw)


def test_posting_the_dijon_deliberation_creates_its_act(client: FlaskClient, dijon) -> None:
    resp = _post(client, dijon)
    assert resp.status_code == 201, resp.get_data(as_text=True)
    record = resp.get_json()
    assert record["identifiant"] == DIJON_ID
    assert resp.headers["Location"] == f"/v1/actes/{DIJON_ID}"
    # The payload's prefecture dates are the record's, with the status they mean.
    assert record["version"] == 1 and record["statut"] == "acquittee"
    assert record["transmission"] == {"date_envoi": "2019-12-20", "date_reception": "2019-12-20",
                                      "date_publication": None}

    docx = client.get(record["liens"]["docx"])
    assert docx.status_code == 200 and docx.mimetype == DOCX
    assert hashlib.sha256(docx.data).hexdigest() == record["fichiers"]["docx"]["sha256"]
    pdf = client.get(record["liens"]["pdf"])
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF-")
    text = pdf_text(pdf.data)
    assert "EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS" in text
    # The payload carries the prefecture's dates: the published PDF is stamped.
    assert f"Accusé de réception en préfecture {DIJON_ID}" in pdf_text(pdf.data, 1, 1)
    assert "Date de télétransmission : 20/12/2019" in text
    # The published file is PDF/A-2b with every font embedded, stamp included.
    assert pdfa_declaration(pdf.data) == ("2", "B")
    assert all(f["emb"] == "yes" for f in pdf_fonts(pdf.data))

    again = _post(client, dijon)
    assert again.status_code == 200
    assert again.get_json()["version"] == 1
    assert again.get_json()["fichiers"] == record["fichiers"]


def test_accept_pdf_returns_the_pdf_itself(client: FlaskClient, dijon) -> None:
    del dijon["transmission"]
    resp = _post(client, dijon, headers={"Accept": "application/pdf"})
    assert resp.status_code == 201
    assert resp.mimetype == "application/pdf"
    assert resp.headers["Location"] == f"/v1/actes/{DIJON_ID}"
    text = pdf_text(resp.data)
    assert "SCRUTIN" in text and "Accusé de réception" not in text


def test_accept_docx_returns_the_docx_itself(client: FlaskClient, dijon) -> None:
    resp = _post(client, dijon, headers={"Accept": DOCX})
    assert resp.status_code == 201 and resp.mimetype == DOCX
    assert resp.data[:2] == b"PK"


@pytest.mark.parametrize(("transmission", "statut"), [
    (None, "generee"),
    ({"date_envoi": "2019-12-20"}, "transmise"),
    ({"date_envoi": "2019-12-20", "date_reception": "2019-12-23"}, "acquittee"),
    ({"date_reception": "2019-12-23", "date_publication": "2019-12-24"}, "acquittee"),
])
def test_the_record_says_what_the_payload_dates_say(client: FlaskClient, dijon, transmission,
                                                    statut) -> None:
    dijon["transmission"] = transmission
    record = _post(client, dijon).get_json()
    expected = {"date_envoi": None, "date_reception": None, "date_publication": None,
                **(transmission or {})}
    assert (record["statut"], record["transmission"]) == (statut, expected)
    assert client.get(record["liens"]["self"]).get_json() == record
    # The files say the same: stamped with those dates, once there is a date to stamp.
    page1 = pdf_text(client.get(record["liens"]["pdf"]).data, 1, 1)
    if transmission is None:
        assert "pdf_tamponne" not in record["fichiers"] and "Accusé de réception" not in page1
    else:
        assert "pdf_tamponne" in record["fichiers"]
        assert f"Accusé de réception en préfecture {DIJON_ID}" in page1
    assert ("Date de télétransmission : 20/12/2019" in page1) == bool(expected["date_envoi"])
    assert ("Date de réception préfecture : 23/12/2019" in page1) == bool(
        expected["date_reception"])


def test_an_act_the_payload_says_transmitted_is_not_regenerated(client: FlaskClient,
                                                                 dijon) -> None:
    first = _post(client, dijon).get_json()
    assert first["statut"] == "acquittee"
    dijon["deliberation"]["objet"] += " (corrigé)"
    refused = _post(client, dijon)
    # As after an acknowledgement: what the prefecture received is not replaced by new data.
    assert refused.status_code == 409, refused.get_data(as_text=True)
    assert "déjà été transmis" in refused.get_json()["detail"]
    assert refused.get_json()["violations"] == []
    assert client.get(first["liens"]["self"]).get_json() == first


def test_an_acknowledgement_completes_the_dates_a_payload_gave(client: FlaskClient,
                                                              dijon) -> None:
    dijon["transmission"] = {"date_envoi": "2019-12-20"}
    record = _post(client, dijon).get_json()
    assert record["statut"] == "transmise"
    acked = client.post(f"{record['liens']['self']}/accuse-reception",
                        json={"date_reception": "2019-12-23"}).get_json()
    assert acked["statut"] == "acquittee"
    assert acked["transmission"] == {"date_envoi": "2019-12-20", "date_reception": "2019-12-23",
                                     "date_publication": None}
    page1 = pdf_text(client.get(record["liens"]["pdf"]).data, 1, 1)
    assert "Date de télétransmission : 20/12/2019" in page1
    assert "Date de réception préfecture : 23/12/2019" in page1


@pytest.mark.parametrize(("extension", "media_type", "magic"),
                         [("pdf", "application/pdf", b"%PDF-"), ("docx", DOCX, b"PK")])
def test_the_file_variants_answer_the_file_and_the_record_at_location(
        client: FlaskClient, dijon, extension, media_type, magic) -> None:
    resp = client.post(f"/v1/deliberations/document.{extension}", json=dijon)
    assert resp.status_code == 201, resp.get_data(as_text=True)
    assert resp.mimetype == media_type and resp.data.startswith(magic)
    assert resp.headers["Content-Disposition"] == f'attachment; filename="{DIJON_ID}.{extension}"'
    assert resp.headers["Location"] == f"/v1/actes/{DIJON_ID}"
    record = client.get(resp.headers["Location"]).get_json()
    assert record["statut"] == "acquittee"
    kind = "pdf_tamponne" if extension == "pdf" else "docx"
    assert record["fichiers"][kind]["sha256"] == hashlib.sha256(resp.data).hexdigest()
    # Whatever the Accept header: the path says which file.
    again = client.post(f"/v1/deliberations/document.{extension}", json=dijon,
                        headers={"Accept": "application/json"})
    assert again.status_code == 200 and again.data == resp.data


HOSTILE = [
    "{{ 7*7 }}",
    "{% if true %}piège{% endif %}",
    "M. REBSAMEN & <co>",
    "<w:p>balise</w:p>",
    "Emoji 🎉 fin",
    "نص عربي",
]


def test_hostile_text_comes_out_literally(client: FlaskClient, dijon) -> None:
    dijon["deliberation"]["objet"] = " ".join(HOSTILE[:3])
    dijon["deliberation"]["expose"] = "\n\n".join(HOSTILE)
    dijon["deliberation"]["dispositif"]["articles"] = HOSTILE
    resp = _post(client, dijon, headers={"Accept": "application/pdf"})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    text = pdf_text(resp.data)
    for s in ["{{ 7*7 }}", "{% if true %}piège{% endif %}", "M. REBSAMEN & <co>",
              "<w:p>balise</w:p>", "🎉"]:
        assert s in text, s
    assert "49" not in text.split("SCRUTIN")[0].split("OBJET")[1][:40]
    # Right-to-left text: pdftotext may reorder it, every letter must be there.
    assert all(ch in text for ch in "نص عربي".replace(" ", ""))
