"""After the sitting, over HTTP: the procès-verbal (CGCT L2121-15), the published act without
personal data (CRPA L312-1-2, R2131-1), and the list put online (L2121-25).

Each answer is read as a clerk would: pdftotext of the PDF, the files of the archives.
"""

from __future__ import annotations

import io
import tarfile
import zipfile
from typing import Any

import pytest
from flask.testing import FlaskClient
from pdftext import normalise, pdf_text
from pv_support import ADRESSE, PERSONNE, SEANCE_ID, SIRET, identifiant, seance_2024
from test_http_transmission import TELETRANSMISSION
from workers_support import wait_for

from service.domain.paris import aujourd_hui_a_paris
from service.domain.records import MEDIA_TYPES

pytestmark = pytest.mark.libreoffice

PV = f"/v1/seances/{SEANCE_ID}/proces-verbal"


def _posted(client: FlaskClient, payload: dict[str, Any]) -> None:
    resp = client.post("/v1/seances", json=payload)
    assert resp.status_code == 202, resp.get_json()
    location = resp.headers["Location"]

    def done():
        job = client.get(location).get_json()
        return job if job["termine_le"] else None

    job = wait_for(done, 600, f"job {location}")
    assert job["statut"] == "terminee", job


def _in_order(text: str, items: list[str]) -> None:
    """Assert that each of *items* appears in *text* after the previous one."""
    at = 0
    for item in items:
        found = text.find(normalise(item), at)
        assert found >= 0, f"« {item} » missing after position {at}: …{text[at:at + 300]}…"
        at = found + len(normalise(item))


def test_the_proces_verbal_holds_every_item_of_l2121_15_in_order(client: FlaskClient,
                                                                   dijon) -> None:
    _posted(client, seance_2024(dijon))
    resp = client.get(f"{PV}.pdf")
    assert resp.status_code == 200, resp.get_json()
    assert resp.mimetype == "application/pdf"
    text = pdf_text(resp.data)
    _in_order(text, [
        # the date and hour, the président, the members present or represented (a suppléant
        # sitting for his titulaire), the secretary, the quorum, the agenda
        "PROCÈS-VERBAL DE LA SÉANCE", "Séance du jeudi 14 mars 2024",
        "Président de séance : M. François REBSAMEN",
        "Membres présents :", "M. Paul MOREL, suppléant de M. Didier MARTIN",
        "Membres représentés :", "M. Benoît BORDAT pouvoir à Mme Océane CHARRET-GODARD",
        "Secrétaire de séance : Mme Nuray AKPINAR-ISTIQUAM",
        "Quorum : Le quorum étant atteint",
        "ORDRE DU JOUR", "1. Cession d’une parcelle rue des Lilas",
        "2. Création d’un poste", "3. Désignation d’un représentant au SICECO",
        # each deliberation: its report, the ballot requested, the result (names of a public
        # ballot), the gist of the discussion
        "DÉLIBÉRATIONS", "N° 2024_001 – Cession d’une parcelle rue des Lilas",
        "Rapport :", f"La parcelle du {ADRESSE} est cédée à {PERSONNE}",
        "Décision :", "d’approuver la cession",
        "Demande de scrutin particulier : scrutin public",
        "Résultat du scrutin : Adoptée à la majorité",
        "Ont voté pour : M. François REBSAMEN",
        "Ont voté contre : M. Pierre PRIBETICH, M. Patrick CHAPUIS",
        "Teneur des discussions :", "le prix est trop bas", "estimation des Domaines",
        "N° 2024_002", "Demande de scrutin particulier : scrutin secret",
        "Résultat du scrutin : Adoptée à la majorité", "Bulletins blancs : 4",
        "Teneur des discussions :", "Aucune intervention.",
        "N° 2024_003", "Demande de scrutin particulier : scrutin secret (nomination",
        "Nomination au scrutin secret – 1 poste à pourvoir", "Mme Claire DUPONT",
        "Teneur des discussions :", "Aucune observation.",
        # adoption at the next sitting, then the signatures
        "Procès-verbal arrêté en séance du", "Le Président,", "La Secrétaire de séance,",
        "François REBSAMEN", "Nuray AKPINAR-ISTIQUAM",
    ])
    # A secret ballot names nobody.
    secret = text[text.find("N° 2024_002"):text.find("N° 2024_003")]
    assert "Ont voté" not in secret
    record = client.get(f"/v1/actes/PV-{SEANCE_ID}").get_json()
    assert record["version"] == 1 and record["fichiers"]["pdf"]["type_media"] == "application/pdf"
    # Asked again, nothing is generated again.
    client.get(f"{PV}.docx")
    assert client.get(f"/v1/actes/PV-{SEANCE_ID}").get_json()["version"] == 1


def test_an_amended_proces_verbal_keeps_v1_and_prints_its_adoption(client: FlaskClient,
                                                                   dijon) -> None:
    from docx import Document

    _posted(client, seance_2024(dijon))
    v1 = client.get(f"{PV}.docx")
    assert v1.status_code == 200 and v1.mimetype == MEDIA_TYPES["docx"]
    document = Document(io.BytesIO(v1.data))
    document.add_paragraph("Ajout du secrétaire : M. ROZOY demande que son intervention figure.")
    buf = io.BytesIO()
    document.save(buf)
    resp = client.put(f"{PV}.docx", data=buf.getvalue(), content_type=MEDIA_TYPES["docx"],
                      headers={"If-Match": '"1"'})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["version"] == 2
    v2_text = pdf_text(client.get(f"{PV}.pdf").data)
    assert "M. ROZOY demande que son intervention figure" in v2_text
    v1_pdf = client.get(f"/v1/actes/PV-{SEANCE_ID}/versions/1/document.pdf")
    assert "M. ROZOY demande" not in pdf_text(v1_pdf.data)
    # The same checks as an act's upload: a stale If-Match, a file that is not a DOCX.
    document.add_paragraph("Une seconde correction, faite sur la version 1.")
    other = io.BytesIO()
    document.save(other)
    stale = client.put(f"{PV}.docx", data=other.getvalue(), content_type=MEDIA_TYPES["docx"],
                       headers={"If-Match": '"1"'})
    assert stale.status_code == 409
    junk = client.put(f"{PV}.docx", data=b"PK\x03\x04 not a docx",
                      content_type=MEDIA_TYPES["docx"])
    assert junk.status_code in (400, 422) and junk.mimetype == "application/problem+json"

    before = client.post(f"{PV}/adoption", json={"arrete_le": "2024-03-14"})
    assert before.status_code == 422
    assert before.get_json()["violations"][0]["champ"] == "arrete_le"
    adopted = client.post(f"{PV}/adoption", json={"arrete_le": "2024-04-11"})
    assert adopted.status_code == 200, adopted.get_json()
    assert adopted.get_json()["version"] == 3
    text = pdf_text(client.get(f"{PV}.pdf").data)
    assert "Procès-verbal arrêté en séance du 11 avril 2024." in text
    assert "M. ROZOY demande que son intervention figure" in text  # the amendment is kept
    seance = client.get(f"/v1/seances/{SEANCE_ID}").get_json()
    assert seance["proces_verbal_arrete_le"] == "2024-04-11"


def test_the_published_act_has_no_personal_data_and_shows_its_dates(client: FlaskClient,
                                                                    dijon) -> None:
    payload = seance_2024(dijon)
    payload["collectivite"]["teletransmission"] = TELETRANSMISSION
    _posted(client, payload)
    ident = identifiant("2024_001")
    # Not yet published: no published version.
    assert client.get(f"/v1/actes/{ident}/document-publie.pdf").status_code == 404
    ack = client.post(f"/v1/actes/{ident}/accuse-reception",
                      json={"date_envoi": "2024-03-15", "date_reception": "2024-03-15"})
    assert ack.status_code == 200, ack.get_json()
    too_early = client.post(f"/v1/actes/{ident}/publication",
                            json={"date_mise_en_ligne": "2024-03-01"})
    assert too_early.status_code == 422
    resp = client.post(f"/v1/actes/{ident}/publication", json={"date_mise_en_ligne": "2024-03-18"})
    assert resp.status_code == 200, resp.get_json()
    record = resp.get_json()
    assert record["transmission"]["date_publication"] == "2024-03-18"
    assert {"docx_publie", "pdf_publie", "pdf_tamponne"} <= set(record["fichiers"])

    publie = pdf_text(client.get(f"/v1/actes/{ident}/document-publie.pdf").data)
    assert PERSONNE not in publie and ADRESSE not in publie
    assert "VERDIER" not in publie
    # The rest of the sentence around them is there.
    assert "est cédée à [donnée occultée], seule candidate" in publie
    assert "d’approuver la cession de la parcelle du [donnée occultée] à [donnée occultée] pour " \
           "45 000 euros" in publie
    # The date put online and the executory certification, in the text and in the stamp.
    assert "Publié le 18/03/2024" in publie
    assert "Certifié exécutoire, compte tenu de sa réception par le représentant de l’État " \
           "le 15/03/2024 et de sa publication le 18/03/2024" in publie
    assert "Date de publication : 18/03/2024" in publie

    # The act itself, its stamp and the transmission archive keep the full text.
    full = pdf_text(client.get(f"/v1/actes/{ident}/document.pdf").data)
    assert PERSONNE in full and ADRESSE in full
    assert "Date de publication : 18/03/2024" in full
    assert "Certifié exécutoire le 18/03/2024" in full
    assert full.count("Accusé de réception en préfecture") == 1
    archive = client.get(f"/v1/actes/{ident}/transmission.tar.gz")
    assert archive.status_code == 200
    with tarfile.open(fileobj=io.BytesIO(archive.data)) as tar:
        pdfs = [m for m in tar.getmembers() if m.name.endswith(".pdf")]
        texts = [pdf_text(tar.extractfile(m).read()) for m in pdfs]
    assert any(PERSONNE in t for t in texts)


def test_personal_data_not_in_the_text_is_refused_at_post(client: FlaskClient, dijon) -> None:
    payload = seance_2024(dijon)
    payload["deliberations"][0]["donnees_personnelles"] = [PERSONNE, "M. Inconnu NULLEPART"]
    resp = client.post("/v1/seances", json=payload)
    assert resp.status_code == 422
    violations = resp.get_json()["violations"]
    assert [v["champ"] for v in violations] == [
        "deliberations[0].deliberation.donnees_personnelles[1]"
    ] or [v["champ"] for v in violations] == ["deliberations[0].donnees_personnelles[1]"]
    assert violations[0]["code"] == "donnee-personnelle-absente"


def test_the_list_shows_its_date_put_online_and_an_old_sitting_says_why_not(
        client: FlaskClient, dijon) -> None:
    _posted(client, seance_2024(dijon))
    resp = client.post(f"/v1/seances/{SEANCE_ID}/liste/publication",
                       json={"date_mise_en_ligne": "2024-03-18"})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["liste_mise_en_ligne"] == "2024-03-18"
    liste = pdf_text(client.get(f"/v1/seances/{SEANCE_ID}/liste.pdf").data)
    assert "Mise en ligne le 18 mars 2024" in liste

    old = client.post("/v1/seances", json=_seance_2019(dijon))
    assert old.status_code == 202
    refused = client.post("/v1/seances/021-242100410-20191219/liste/publication",
                          json={"date_mise_en_ligne": "2019-12-20"})
    assert refused.status_code == 409
    assert "1er juillet 2022" in refused.get_json()["detail"]
    assert refused.get_json()["code"] == "liste-avant-reforme"


def test_the_sitting_archive_holds_the_proces_verbal_and_published_versions(
        client: FlaskClient, dijon) -> None:
    _posted(client, seance_2024(dijon))
    ident = identifiant("2024_001")
    assert client.post(f"/v1/actes/{ident}/publication",
                       json={"date_mise_en_ligne": "2024-03-18"}).status_code == 200
    client.post(f"{PV}/adoption", json={"arrete_le": "2024-04-11"})
    pv_pub = client.post(f"/v1/actes/PV-{SEANCE_ID}/publication",
                         json={"date_mise_en_ligne": "2024-04-12"})
    assert pv_pub.status_code == 200, pv_pub.get_json()
    pv_publie = pdf_text(client.get(f"/v1/actes/PV-{SEANCE_ID}/document-publie.pdf").data)
    assert PERSONNE not in pv_publie and "Publié le 12/04/2024" in pv_publie
    assert "Procès-verbal arrêté en séance du 11 avril 2024." in pv_publie

    resp = client.get(f"/v1/seances/{SEANCE_ID}/archive.zip")
    assert resp.status_code == 200, resp.get_json()
    with zipfile.ZipFile(io.BytesIO(resp.data)) as zf:
        names = set(zf.namelist())
        assert {"proces-verbal.docx", "proces-verbal.pdf", "proces-verbal-publie.pdf",
                f"{ident}-publie.pdf", f"{ident}-publie.docx", f"{ident}.pdf"} <= names
        assert PERSONNE not in pdf_text(zf.read(f"{ident}-publie.pdf"))
        assert PERSONNE in pdf_text(zf.read(f"{ident}.pdf"))
        assert "Procès-verbal arrêté en séance du 11 avril 2024." in pdf_text(
            zf.read("proces-verbal.pdf"))


def test_a_proces_verbal_is_published_only_once_adopted(client: FlaskClient, dijon) -> None:
    _posted(client, seance_2024(dijon))
    client.get(f"{PV}.pdf")
    resp = client.post(f"/v1/actes/PV-{SEANCE_ID}/publication",
                       json={"date_mise_en_ligne": aujourd_hui_a_paris().isoformat()})
    assert resp.status_code == 409
    assert resp.get_json()["code"] == "proces-verbal-non-arrete"
    # Nor is it ever transmitted: no acknowledgement.
    ack = client.post(f"/v1/actes/PV-{SEANCE_ID}/accuse-reception",
                      json={"date_reception": "2024-03-20"})
    assert ack.status_code == 409 and ack.get_json()["code"] == "proces-verbal-non-transmis"
    assert client.post("/v1/actes/PV-021-242100410-20000101/accuse-reception",
                       json={"date_reception": "2024-03-20"}).status_code == 404


def _seance_2019(dijon: dict[str, Any]) -> dict[str, Any]:
    payload = dict(dijon)
    payload["deliberations"] = [payload.pop("deliberation")]
    payload.pop("transmission", None)
    payload["collectivite"] = {**payload["collectivite"], "siret": SIRET}
    return payload


def test_a_receipt_after_the_publication_makes_the_published_version_executory(
        client: FlaskClient, dijon) -> None:
    _posted(client, seance_2024(dijon))
    ident = identifiant("2024_002")
    published = client.post(f"/v1/actes/{ident}/publication",
                            json={"date_mise_en_ligne": "2024-03-18"})
    assert published.status_code == 200, published.get_json()
    before = pdf_text(client.get(f"/v1/actes/{ident}/document-publie.pdf").data)
    assert "Publié le 18/03/2024" in before and "Certifié exécutoire" not in before
    ack = client.post(f"/v1/actes/{ident}/accuse-reception",
                      json={"date_envoi": "2024-03-19", "date_reception": "2024-03-20"})
    assert ack.status_code == 200, ack.get_json()
    after = pdf_text(client.get(f"/v1/actes/{ident}/document-publie.pdf").data)
    assert "Certifié exécutoire, compte tenu de sa réception par le représentant de l’État " \
           "le 20/03/2024 et de sa publication le 18/03/2024" in after
    stamped = pdf_text(client.get(f"/v1/actes/{ident}/document.pdf").data)
    assert "Certifié exécutoire le 20/03/2024" in stamped
    assert stamped.count("Accusé de réception en préfecture") == 1
