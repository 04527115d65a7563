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
    assert record["version"] == 1 and record["statut"] == "generee"

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
