"""PUT /v1/actes/{id}/document.docx: the clerk's amend loop, as a clerk and an attacker use it."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from docx_tamper import (
    DOCM_MAIN,
    DOCX_MAIN,
    edit_part,
    part,
    rezip,
    with_relationship,
    zip_bomb,
)
from flask import Flask
from flask.testing import FlaskClient
from pdftext import pdf_text

from service.entrypoints.cli import main
from service.entrypoints.http import create_app

DIJON_ID = "021-242100410-20191219-2019-12-19_013-DE"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PROBLEM = "application/problem+json"
URL = f"/v1/actes/{DIJON_ID}/document.docx"
OBJET = "Création d’un poste de responsable de la gouvernance des données"
AMENDE = "Texte amendé par le greffe"

pytestmark = pytest.mark.libreoffice


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def amended(docx_bytes: bytes, new_text: str, old_text: str = OBJET) -> bytes:
    """Return the DOCX with the paragraph holding *old_text* rewritten, as a clerk would."""
    document = docx.Document(io.BytesIO(docx_bytes))
    paragraph = next(p for p in document.paragraphs if old_text in p.text)
    paragraph.text = new_text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def put(client: FlaskClient, body: bytes, content_type: str = DOCX, **headers: str):
    return client.put(URL, data=body, content_type=content_type, headers=headers)


def post_dijon(client: FlaskClient, payload: dict[str, Any]) -> dict[str, Any]:
    resp = client.post("/v1/deliberations", data=json.dumps(payload),
                       content_type="application/json")
    assert resp.status_code == 201, resp.get_data(as_text=True)
    return resp.get_json()


def versions(client: FlaskClient) -> list[dict[str, Any]]:
    resp = client.get(f"/v1/actes/{DIJON_ID}/versions")
    assert resp.status_code == 200
    return resp.get_json()["versions"]


def test_amended_docx_becomes_version_2_and_its_pdf_follows(client: FlaskClient, dijon) -> None:
    v1 = post_dijon(client, dijon)
    original = client.get(v1["liens"]["docx"]).data
    upload = amended(original, AMENDE)

    resp = put(client, upload, **{"If-Match": '"1"'})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    record = resp.get_json()
    assert record["version"] == 2 and resp.headers["ETag"] == '"2"'
    assert record["fichiers"]["docx"]["sha256"] == sha256(upload)
    assert client.get(f"/v1/actes/{DIJON_ID}/document.docx").data == upload

    listed = versions(client)
    assert [(v["numero"], v["origine"], v["auteur"]) for v in listed] == [
        (1, "payload", "api"), (2, "amendement", "api")]
    assert listed[0]["fichiers"] == v1["fichiers"]  # version 1 is kept as it was
    for kind in ("docx", "pdf"):
        assert listed[0]["fichiers"][kind]["sha256"] != listed[1]["fichiers"][kind]["sha256"]

    old_pdf = client.get(f"/v1/actes/{DIJON_ID}/versions/1/document.pdf").data
    new_pdf = client.get(f"/v1/actes/{DIJON_ID}/versions/2/document.pdf").data
    assert sha256(new_pdf) == listed[1]["fichiers"]["pdf"]["sha256"]
    old_text, new_text = pdf_text(old_pdf), pdf_text(new_pdf)
    assert OBJET in old_text and AMENDE not in old_text
    assert AMENDE in new_text
    assert new_text.count(OBJET) == old_text.count(OBJET) - 1
    assert "Accusé de réception" not in new_text  # the unstamped PDF, as sent to the prefecture

    # The payload carried the prefecture's dates: the published PDF of version 2 is stamped.
    published = client.get(f"/v1/actes/{DIJON_ID}/document.pdf")
    assert sha256(published.data) == listed[1]["fichiers"]["pdf_tamponne"]["sha256"]
    stamped = pdf_text(published.data)
    assert f"Accusé de réception en préfecture {DIJON_ID}" in stamped
    assert "Date de télétransmission : 20/12/2019" in stamped and AMENDE in stamped

    # A second clerk still working from version 1 is told, and nothing is stored.
    stale = put(client, amended(original, "Autre amendement"), **{"If-Match": '"1"'})
    assert stale.status_code == 409 and stale.mimetype == PROBLEM
    assert "version 2" in stale.get_json()["detail"]
    assert len(versions(client)) == 2


def test_an_act_without_prefecture_dates_gets_no_stamp(client: FlaskClient, dijon) -> None:
    del dijon["transmission"]
    v1 = post_dijon(client, dijon)
    resp = put(client, amended(client.get(v1["liens"]["docx"]).data, AMENDE),
               content_type="application/octet-stream")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert set(resp.get_json()["fichiers"]) == {"docx", "pdf"}
    text = pdf_text(client.get(f"/v1/actes/{DIJON_ID}/document.pdf").data)
    assert AMENDE in text and "Accusé de réception" not in text


def test_only_the_authority_token_may_amend(tmp_path: Path, monkeypatch, dijon) -> None:
    monkeypatch.setenv("ACTES_DATA_DIR", str(tmp_path / "data"))
    tokens = {}
    for name, siren in (("greffe-dijon", "242100410"), ("autre", "210600235")):
        made = CliRunner().invoke(main, ["token", "create", name, "--siren", siren])
        assert made.exit_code == 0, made.output
        tokens[name] = {"Authorization": f"Bearer {made.stdout.strip()}"}
    app = create_app({"converter": "soffice"})
    try:
        client = app.test_client()
        resp = client.post("/v1/deliberations", data=json.dumps(dijon),
                           content_type="application/json", headers=tokens["greffe-dijon"])
        original = client.get(resp.get_json()["liens"]["docx"], headers=tokens["greffe-dijon"]).data
        upload = amended(original, AMENDE)
        assert put(client, upload).status_code == 401
        assert put(client, upload, **tokens["autre"]).status_code == 404
        resp = put(client, upload, **tokens["greffe-dijon"])
        assert resp.status_code == 200, resp.get_data(as_text=True)
        listed = client.get(f"/v1/actes/{DIJON_ID}/versions", headers=tokens["greffe-dijon"])
        assert [v["auteur"] for v in listed.get_json()["versions"]] == ["greffe-dijon"] * 2
    finally:
        app.extensions["actes"].close()


# --- refusals: one act, posted once, must come out of every attempt untouched -------------------

@pytest.fixture(scope="module")
def posted(tmp_path_factory, _dijon_data) -> Iterator[tuple[Flask, bytes, bytes]]:
    """An app with the Dijon act in version 1; its DOCX and PDF."""
    data_dir = tmp_path_factory.mktemp("amend") / "data"
    app = create_app({"data_dir": data_dir, "converter": "soffice"})
    client = app.test_client()
    record = post_dijon(client, copy.deepcopy(_dijon_data))
    yield app, client.get(record["liens"]["docx"]).data, client.get(record["liens"]["pdf"]).data
    app.extensions["actes"].close()


def _blobs(app: Flask) -> list[Path]:
    root = app.extensions["actes"].settings.data_dir / "blobs"
    return sorted(p for p in root.rglob("*") if p.is_file())


XXE = (b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<w:document')

REFUSALS: dict[str, tuple[Callable[[bytes, bytes], bytes], str, int, str]] = {
    "docm": (lambda d, _: edit_part(d, "[Content_Types].xml", DOCX_MAIN.encode(),
                                    DOCM_MAIN.encode()), DOCX, 422, "docx-macro"),
    "vba-project": (lambda d, _: rezip(d, add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" * 64}),
                    DOCX, 422, "docx-macro"),
    "zip-bomb": (lambda d, _: zip_bomb(d, 300 * 1024 * 1024), DOCX, 422, "docx-bombe"),
    "external-entity": (lambda d, _: edit_part(d, "word/document.xml", b"<w:document", XXE),
                        DOCX, 422, "docx-xml-entites"),
    "external-image": (lambda d, _: with_relationship(d, "image", "http://169.254.169.254/x.png"),
                       DOCX, 422, "docx-relation-externe"),
    "not-a-zip": (lambda _, pdf: pdf, DOCX, 422, "docx-pas-un-zip"),
    "empty-body": (lambda d, _: b"", DOCX, 400, "docx-vide"),
    "wrong-media-type": (lambda d, _: d, "application/pdf", 415,
                         "type-de-media-non-pris-en-charge"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refused_upload_leaves_the_act_untouched(posted, case: str) -> None:
    app, original, pdf = posted
    build, content_type, status, code = REFUSALS[case]
    client = app.test_client()
    before, blobs = versions(client), _blobs(app)
    body = build(original, pdf)
    assert len(body) < 2 * 1024 * 1024  # the bomb too: 300 MB of zeros deflate to ~300 KB

    resp = put(client, body, content_type=content_type)

    assert resp.status_code == status, resp.get_data(as_text=True)
    assert resp.mimetype == PROBLEM
    problem = resp.get_json()
    assert problem["code"] == code and problem["status"] == status and problem["detail"]
    assert versions(client) == before and len(before) == 1
    assert _blobs(app) == blobs  # not one byte stored


def test_the_bomb_really_is_one(posted) -> None:
    _, original, _ = posted
    bomb = zip_bomb(original, 300 * 1024 * 1024)
    with zipfile.ZipFile(io.BytesIO(bomb)) as z:
        assert z.getinfo("word/media/image99.png").file_size == 300 * 1024 * 1024
    assert part(bomb, "word/document.xml") == part(original, "word/document.xml")


def test_unknown_act_and_bad_if_match(posted) -> None:
    app, original, _ = posted
    client = app.test_client()
    resp = client.put("/v1/actes/021-242100410-20191219-XXX-DE/document.docx", data=original,
                      content_type=DOCX)
    assert resp.status_code == 404 and resp.mimetype == PROBLEM
    resp = put(client, original, **{"If-Match": "version-1"})
    assert resp.status_code == 400 and resp.get_json()["code"] == "if-match-invalide"
    assert len(versions(client)) == 1


# --- concurrency ------------------------------------------------------------------------------

def _race(app: Flask, uploads: list[bytes], **headers: str) -> list[tuple[int, dict[str, Any]]]:
    """PUT every upload at once, each from its own thread and test client."""
    start = threading.Barrier(len(uploads))
    results: list[tuple[int, dict[str, Any]] | None] = [None] * len(uploads)

    def one(i: int) -> None:
        client = app.test_client()
        start.wait()
        resp = put(client, uploads[i], **headers)
        results[i] = (resp.status_code, resp.get_json())

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(uploads))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert all(r is not None for r in results)
    return results  # type: ignore[return-value]


def test_ten_concurrent_amendments_lose_none(app: Flask, client: FlaskClient, dijon) -> None:
    v1 = post_dijon(client, dijon)
    original = client.get(v1["liens"]["docx"]).data
    uploads = [amended(original, f"Amendement concurrent numéro {i}") for i in range(10)]

    results = _race(app, uploads)

    assert {status for status, _ in results} <= {200, 409}, results
    won = {body["version"]: uploads[i] for i, (status, body) in enumerate(results)
           if status == 200}
    assert sorted(won) == list(range(2, 2 + len(won))) and won
    listed = versions(client)
    assert [v["numero"] for v in listed] == list(range(1, 2 + len(won)))
    for v in listed[1:]:  # each success is the version it was told, with its own document
        assert v["fichiers"]["docx"]["sha256"] == sha256(won[v["numero"]])

    # All from the same version with If-Match: exactly one wins, the others learn it. (New
    # documents: the current version's own DOCX sent again is no new version, see
    # test_http_integrity.py.)
    current = listed[-1]["numero"]
    uploads = [amended(original, f"Second amendement concurrent {i}") for i in range(10)]
    results = _race(app, uploads, **{"If-Match": f'"{current}"'})
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] + [409] * 9, results
    assert [v["numero"] for v in versions(client)] == list(range(1, current + 2))
