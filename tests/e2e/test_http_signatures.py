"""Signed acts over HTTP: sign, stamp, amend, accept a PDF signed elsewhere, read signatures.

The app is wired to real adapters (LibreOffice, SQLite); keys come from an authorities file
as an operator writes it: the président's PKCS#12 file with its passphrase in an environment
variable, the secretary's key in a SoftHSM2 token.
"""

from __future__ import annotations

import io
import json
import os
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from pdftext import pdf_text, pdfa_declaration
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from signing_support import (
    PASSPHRASES,
    PRESIDENT,
    SECRETAIRE,
    act_2024,
    pyhanko_statuses,
    write_pki,
)
from softhsm import PIN_ENV, TOKEN_LABEL, ensure_token, generate_signer, module_path

from service.entrypoints.cli import main
from service.entrypoints.http import create_app

pytestmark = pytest.mark.libreoffice

# Unique in the token: a token kept from an earlier run may hold the labels it generated.
KEY_LABEL = f"secretaire-{uuid.uuid4().hex[:8]}"

PROBLEM = "application/problem+json"
TELETRANSMISSION = {
    "trigramme": "SIC", "arrondissement": "1", "nature": "31",
    "adresses_retour": ["actes@metropole-dijon.fr"], "classification_date_version": "2019-01-01",
}


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("cles")
    os.environ["SOFTHSM2_CONF"] = ensure_token(folder / "softhsm")
    files = write_pki(folder / "pki")
    generate_signer(files.pki, SECRETAIRE, KEY_LABEL)
    authorities = folder / "collectivites.json"
    authorities.write_text(json.dumps({"242100410": {"signature": {
        "president": {"pkcs12": str(files.president_p12),
                      "passphrase_env": "ACTES_TEST_P12_PRESIDENT"},
        "secretaires": [{"pkcs11": {"module": module_path(), "token": TOKEN_LABEL,
                                    "key": KEY_LABEL, "pin_env": PIN_ENV}}],
    }}}), encoding="utf-8")
    return files, authorities


@pytest.fixture(scope="module")
def app(keys, tmp_path_factory) -> Iterator[Flask]:
    files, authorities = keys
    saved = dict(os.environ)
    os.environ.update(PASSPHRASES)
    os.environ.setdefault(PIN_ENV, "4321-test")
    app = create_app({"data_dir": tmp_path_factory.mktemp("data"), "converter": "pool",
                      "pool_size": 1, "authorities_file": authorities,
                      "trust_anchors": [files.root]})
    yield app
    app.extensions["actes"].close()
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


_numbers = iter(range(100, 1000))


@pytest.fixture
def acte(client: FlaskClient, dijon) -> str:
    """A new act of the 2024 sitting (its own numéro), not yet signed."""
    data = act_2024(dijon, f"2024-03-15_{next(_numbers)}")
    data["collectivite"]["teletransmission"] = TELETRANSMISSION
    resp = client.post("/v1/deliberations", json=data)
    assert resp.status_code == 201, resp.get_data(as_text=True)
    return resp.get_json()["identifiant"]


def _ar_for(shared: Path, id_acte: str, reception: str = "2024-03-19") -> bytes:
    real = (shared / "actes" / "006-210600235-20180522-684-AI-1-2_5279.xml").read_bytes()
    return (real.replace(b"006-210600235-20180522-684-AI", id_acte.encode())
                .replace(b'DateReception="2018-05-28"', f'DateReception="{reception}"'.encode()))


def _sign(client: FlaskClient, acte: str):
    return client.post(f"/v1/actes/{acte}/signature")


def test_signed_by_two_then_stamped_from_an_ararcte_both_signatures_stay_valid(
        client, acte, keys, shared_dir) -> None:
    files, _ = keys
    signed = _sign(client, acte)
    assert signed.status_code == 200, signed.get_data(as_text=True)
    assert signed.get_json()["signature"] == {"statut": "signee", "version_signee": 1}

    ack = client.post(f"/v1/actes/{acte}/accuse-reception", data=_ar_for(shared_dir, acte),
                      content_type="application/xml")
    assert ack.status_code == 200, ack.get_data(as_text=True)
    pdf = client.get(f"/v1/actes/{acte}/document.pdf").data

    statuses = pyhanko_statuses(pdf, files.root)
    assert [s.signing_cert.subject.native["common_name"] for s in statuses] == [
        PRESIDENT, SECRETAIRE]
    assert all(s.intact and s.valid and s.trusted and s.bottom_line for s in statuses)
    assert {s.modification_level.name for s in statuses} == {"ANNOTATIONS"}
    assert "Accusé de réception en préfecture" in pdf_text(pdf, 1, 1)
    assert "Date de réception préfecture : 19/03/2024" in pdf_text(pdf, 1, 1)
    assert pdfa_declaration(pdf) == ("2", "B")

    report = client.get(f"/v1/actes/{acte}/signatures").get_json()
    assert [(s["signataire"], s["integre"], s["confiance"], s["modification"], s["valide"])
            for s in report["signatures"]] == [
        (PRESIDENT, True, True, "annotations", True), (SECRETAIRE, True, True, "annotations", True)]
    assert report["signatures"][0]["chaine"] == [PRESIDENT, "Racine de test des actes"]


def test_the_transmission_archive_carries_the_signed_pdf(client, acte) -> None:
    assert _sign(client, acte).status_code == 200
    signed = client.get(f"/v1/actes/{acte}/versions/1/document-signe.pdf").data

    archive = client.get(f"/v1/actes/{acte}/transmission.tar.gz").data
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        pdfs = [tar.extractfile(n).read() for n in tar.getnames() if n.endswith(".pdf")]
    assert pdfs == [signed]


def test_an_act_signed_then_amended_loses_its_signatures_with_a_clear_status(client, acte,
                                                                              keys):
    assert _sign(client, acte).status_code == 200
    docx = _resaved(client.get(f"/v1/actes/{acte}/document.docx").data)

    amended = client.put(f"/v1/actes/{acte}/document.docx", data=docx, content_type=(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    assert amended.status_code == 200, amended.get_data(as_text=True)
    assert amended.get_json()["signature"] == {"statut": "signatures-perdues",
                                               "version_signee": 1}
    report = client.get(f"/v1/actes/{acte}/signatures").get_json()
    assert report["signature"]["statut"] == "signatures-perdues" and report["signatures"] == []
    assert pyhanko_statuses(client.get(f"/v1/actes/{acte}/document.pdf").data, keys[0].root
                            ) == []


def test_an_act_stamped_before_it_is_signed_is_signed_over_the_stamp(
        client, acte, keys, shared_dir) -> None:
    files, _ = keys
    client.post(f"/v1/actes/{acte}/accuse-reception", data=_ar_for(shared_dir, acte),
                content_type="application/xml")
    assert _sign(client, acte).status_code == 200

    pdf = client.get(f"/v1/actes/{acte}/document.pdf").data
    assert "Accusé de réception en préfecture" in pdf_text(pdf, 1, 1)
    statuses = pyhanko_statuses(pdf, files.root)
    assert len(statuses) == 2 and all(s.bottom_line for s in statuses)
    # The signatures were made after the stamp: nothing follows the last one.
    assert statuses[-1].modification_level.name in ("NONE", "LTA_UPDATES")


def test_signing_twice_or_without_keys_is_a_409(client, acte, app, dijon) -> None:
    assert _sign(client, acte).status_code == 200
    again = _sign(client, acte)
    assert again.status_code == 409 and again.get_json()["code"] == "acte-deja-signe"

    other = act_2024(dijon, "2024-03-15_900")
    other["collectivite"]["siren"] = "210210233"  # another authority: no key configured
    created = client.post("/v1/deliberations", json=other)
    assert created.status_code == 201, created.get_data(as_text=True)
    missing = _sign(client, created.get_json()["identifiant"])
    assert missing.status_code == 409 and missing.get_json()["code"] == "signature-non-configuree"


# --- a PDF signed elsewhere ---------------------------------------------------------------


def _sign_elsewhere(pdf: bytes, files) -> bytes:
    """What an i-Parapheur does: one approval signature appended by another application."""
    signer = signers.SimpleSigner.load_pkcs12(
        str(files.president_p12), passphrase=PASSPHRASES["ACTES_TEST_P12_PRESIDENT"].encode())
    out = io.BytesIO()
    signers.PdfSigner(
        signers.PdfSignatureMetadata(field_name="Parapheur",
                                     subfilter=fields.SigSeedSubFilter.PADES),
        signer, new_field_spec=fields.SigFieldSpec("Parapheur"),
    ).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), output=out)
    return out.getvalue()


def _put_pdf(client: FlaskClient, acte: str, pdf: bytes):
    return client.put(f"/v1/actes/{acte}/document.pdf", data=pdf,
                      content_type="application/pdf")


def test_a_pdf_signed_elsewhere_is_kept_and_transmitted(client, acte, keys) -> None:
    files, _ = keys
    own = client.get(f"/v1/actes/{acte}/document.pdf").data
    signed = _sign_elsewhere(own, files)

    resp = _put_pdf(client, acte, signed)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.get_json()["signature"]["statut"] == "signee"
    assert client.get(f"/v1/actes/{acte}/document.pdf").data == signed
    report = client.get(f"/v1/actes/{acte}/signatures").get_json()["signatures"]
    assert [(s["champ"], s["integre"], s["valide"]) for s in report] == [
        ("Parapheur", True, True)]
    with tarfile.open(fileobj=io.BytesIO(
            client.get(f"/v1/actes/{acte}/transmission.tar.gz").data)) as tar:
        assert [tar.extractfile(n).read() for n in tar.getnames() if n.endswith(".pdf")] == [
            signed]


def test_a_signed_pdf_of_an_earlier_version_is_refused(client, acte, keys) -> None:
    files, _ = keys
    signed_v1 = _sign_elsewhere(client.get(f"/v1/actes/{acte}/document.pdf").data, files)
    docx = _resaved(client.get(f"/v1/actes/{acte}/document.docx").data)
    client.put(f"/v1/actes/{acte}/document.docx", data=docx, content_type=(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))

    resp = _put_pdf(client, acte, signed_v1)
    assert resp.status_code == 422 and resp.mimetype == PROBLEM
    assert resp.get_json()["code"] == "pdf-signe-version-anterieure"
    assert "version 1" in resp.get_json()["detail"]


@pytest.mark.parametrize("case", ["other-pdf", "unsigned", "tampered", "content-changed"])
def test_any_other_pdf_is_refused_with_the_reason(client, acte, keys, case) -> None:
    files, _ = keys
    own = client.get(f"/v1/actes/{acte}/document.pdf").data
    if case == "other-pdf":
        pdf = _sign_elsewhere(own.replace(b"/Producer", b"/Producex", 1), files)
        expected = "octet pour octet"
    elif case == "unsigned":
        pdf = own + b"\n% rien de signe\n"
        expected = "aucune signature"
    elif case == "tampered":
        signed = _sign_elsewhere(own, files)
        at = signed.index(b"stream", len(own) // 2) + 20  # inside the act's own bytes
        pdf = signed[:at] + bytes([signed[at] ^ 0xFF]) + signed[at + 1:]
        expected = "octet pour octet"  # no longer begins with the act's PDF
    else:
        writer = IncrementalPdfFileWriter(io.BytesIO(own))
        page_ref, _ = writer.find_page_for_modification(0)
        page = page_ref.get_object()
        from pyhanko.pdf_utils import generic
        from pyhanko.pdf_utils.generic import pdf_name

        page[pdf_name("/Contents")] = writer.add_object(
            generic.StreamObject(stream_data=b"BT ET"))
        writer.update_container(page)
        out = io.BytesIO()
        writer.write(out)
        pdf = _sign_elsewhere(out.getvalue(), files)
        expected = "modifie le contenu"

    resp = _put_pdf(client, acte, pdf)
    assert resp.status_code == 422, resp.get_data(as_text=True)
    assert expected in resp.get_json()["detail"]
    assert client.get(f"/v1/actes/{acte}").get_json()["signature"]["statut"] == "non-signee"


def test_a_signed_pdf_whose_signature_was_tampered_after_is_refused(client, acte, keys) -> None:
    files, _ = keys
    own = client.get(f"/v1/actes/{acte}/document.pdf").data
    signed = _sign_elsewhere(own, files)
    # A byte of the signing revision (past the act's own bytes, before the signature) changed.
    at = len(own) + 40
    pdf = signed[:at] + (b"X" if signed[at:at + 1] != b"X" else b"Y") + signed[at + 1:]

    resp = _put_pdf(client, acte, pdf)
    assert resp.status_code == 422
    assert "Parapheur" in resp.get_json()["detail"] or "illisible" in resp.get_json()["detail"]


# --- actes verify ---------------------------------------------------------------------------


def test_actes_verify_prints_each_signature_and_exits_by_validity(client, acte, keys,
                                                                  tmp_path) -> None:
    files, _ = keys
    assert _sign(client, acte).status_code == 200
    path = tmp_path / "signe.pdf"
    path.write_bytes(client.get(f"/v1/actes/{acte}/document.pdf").data)
    runner = CliRunner()
    env = {"ACTES_TRUST_ANCHORS": ""}

    trusted = runner.invoke(main, ["verify", str(path), "--ancre", str(files.root)], env=env)
    untrusted = runner.invoke(main, ["verify", str(path), "--json"], env=env)

    assert trusted.exit_code == 0, trusted.output
    assert "VALIDE" in trusted.output and "NON VALIDE" not in trusted.output
    assert f"confiance : {PRESIDENT} → Racine de test des actes" in trusted.output
    assert untrusted.exit_code == 1
    assert [(s["signataire"], s["integre"], s["confiance"]) for s in json.loads(
        untrusted.stdout)] == [(PRESIDENT, True, False), (SECRETAIRE, True, False)]


def _resaved(docx_bytes: bytes) -> bytes:
    """Return the DOCX as a clerk's word processor saves it back: other bytes (the same bytes
    again would be no new version)."""
    import io

    import docx

    document = docx.Document(io.BytesIO(docx_bytes))
    document.add_paragraph("Relu par le greffe.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
