"""Reading what the prefecture sends back: the real messages, and hostile or foreign XML."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from service.domain.actes.acknowledgement import (
    AccuseReceptionActe,
    AccuseReceptionAnnulation,
    AnomalieActe,
    AnomalieEnveloppe,
    parse_ar_acte,
    parse_message,
)
from service.errors import DocumentRejected

AR = "006-210600235-20180522-684-AI-1-2_5279.xml"


def test_the_real_acknowledgement_gives_the_identifier_and_the_date_of_receipt(
    actes_dir: Path,
) -> None:
    ar = parse_ar_acte((actes_dir / AR).read_bytes())
    assert isinstance(ar, AccuseReceptionActe)
    assert ar.id_acte == "006-210600235-20180522-684-AI"
    assert ar.date_reception == dt.date(2018, 5, 28)
    assert ar.classification_date_version_en_cours == dt.date(2017, 4, 19)
    assert (ar.acte_recu.numero_interne, ar.acte_recu.code_nature) == ("684", 3)
    assert ar.acte_recu.date == dt.date(2018, 5, 22)
    assert ar.acte_recu.document == "99_DE-006-210600235-20180522-684-AI-1-1_1.pdf"
    ident = ar.identifier
    assert (ident.departement, ident.siren, ident.numero, ident.nature) == (
        "006",
        "210600235",
        "684",
        "AI",
    )


def test_the_real_anomaly_gives_its_nature_and_detail(actes_dir: Path) -> None:
    anomaly = parse_message((actes_dir / "044-214400152----1-3_1.xml").read_bytes())
    assert isinstance(anomaly, AnomalieActe)
    assert anomaly.date == dt.date(2018, 10, 12)
    assert anomaly.nature == "002"
    assert anomaly.detail is not None and anomaly.detail.startswith(
        "ODT-VERIF-01 : Votre acte a été transmis"
    )
    assert anomaly.acte_recu.numero_interne == "123456"
    assert anomaly.classification_date_version_en_cours == dt.date(2018, 10, 10)


def test_the_real_cancellation_acknowledgement(actes_dir: Path) -> None:
    ar = parse_message(
        (actes_dir / "044-214400152-20181106-TEST_DGCL_4-DE-6-2_10.xml").read_bytes()
    )
    assert ar == AccuseReceptionAnnulation(
        "044-214400152-20181106-TEST_DGCL_4-DE", dt.date(2018, 11, 28)
    )


def test_the_real_envelope_anomaly_keeps_its_off_schema_nature(actes_dir: Path) -> None:
    anomaly = parse_message((actes_dir / "ANO_EACT--214400152--20180925-1.xml").read_bytes())
    assert isinstance(anomaly, AnomalieEnveloppe)
    assert anomaly.nature == "999"
    assert anomaly.detail is not None and anomaly.detail.startswith("ODT-VERIF-17")


def test_the_prefecture_envelope_is_not_an_acknowledgement(actes_dir: Path) -> None:
    data = (actes_dir / "EACT--SPREF0441-214400152-20181012-9.xml").read_bytes()
    with pytest.raises(DocumentRejected, match="« EnveloppeMISILLCL » n'est pas pris en charge"):
        parse_message(data)


def test_an_anomaly_is_refused_where_an_acknowledgement_is_expected(actes_dir: Path) -> None:
    with pytest.raises(DocumentRejected, match="anomalie.*ODT-VERIF-01"):
        parse_ar_acte((actes_dir / "044-214400152----1-3_1.xml").read_bytes())


def test_an_acknowledgement_of_a_hyphenated_numero_is_read(actes_dir: Path) -> None:
    data = (
        (actes_dir / AR)
        .read_bytes()
        .replace(
            b'actes:IDActe="006-210600235-20180522-684-AI"',
            b'actes:IDActe="021-242100410-20191219-2019-12-19_013-DE"',
        )
    )
    ar = parse_ar_acte(data)
    assert ar.identifier.numero == "2019-12-19_013"


def test_a_truncated_message_is_refused_as_malformed(actes_dir: Path) -> None:
    data = (actes_dir / AR).read_bytes()[:-40]
    with pytest.raises(DocumentRejected, match="n'est pas un XML bien formé"):
        parse_message(data)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<actes:ARActe xmlns:actes="http://www.interieur.gouv.fr/ACTES#v1.1-20040216"
 actes:IDActe="006-210600235-20180522-684-AI" actes:DateReception="2018-05-28">&lol5;</actes:ARActe>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<actes:ARActe xmlns:actes="http://www.interieur.gouv.fr/ACTES#v1.1-20040216"
 actes:IDActe="006-210600235-20180522-684-AI" actes:DateReception="2018-05-28">&xxe;</actes:ARActe>
"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "xxe"])
def test_entity_attacks_are_refused(data: bytes) -> None:
    with pytest.raises(DocumentRejected) as caught:
        parse_message(data)
    message = caught.value.message
    assert "DTD ou des entités" in message and "billion laughs" in message and "XXE" in message


def test_a_doctype_hidden_by_utf16_is_refused_after_parsing() -> None:
    data = EXTERNAL_ENTITY.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
    with pytest.raises(DocumentRejected, match="DTD ou des entités"):
        parse_message(data.encode("utf-16"))


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"<html><body>AR</body></html>", "n'est pas un message ACTES : élément racine « html »"),
        (b'<ARActe IDActe="006-210600235-20180522-684-AI"/>', "hors de l'espace de noms"),
        (b"", "est vide"),
        (b"   \n", "est vide"),
        (b"%PDF-1.7", "n'est pas un XML bien formé"),
    ],
)
def test_foreign_or_empty_documents_are_refused(data: bytes, why: str) -> None:
    with pytest.raises(DocumentRejected, match=why):
        parse_message(data)


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        (b' actes:DateReception="2018-05-28"', b"", "n'a pas de DateReception"),
        (
            b'actes:DateReception="2018-05-28"',
            b'actes:DateReception="28/05/2018"',
            "« 28/05/2018 »",
        ),
        (b' actes:IDActe="006-210600235-20180522-684-AI"', b"", "n'a pas d'attribut IDActe"),
        (b'actes:IDActe="006-210600235-20180522-684-AI"', b'actes:IDActe="684"', "IDActe invalide"),
    ],
)
def test_an_acknowledgement_without_its_required_fields_is_refused(
    actes_dir: Path, old: bytes, new: bytes, why: str
) -> None:
    data = (actes_dir / AR).read_bytes()
    assert old in data
    with pytest.raises(DocumentRejected, match=why):
        parse_ar_acte(data.replace(old, new))


def test_a_utc_offset_on_the_date_of_receipt_is_ignored(actes_dir: Path) -> None:
    data = (actes_dir / AR).read_bytes().replace(b'"2018-05-28"', b'"2018-05-28+02:00"')
    assert parse_ar_acte(data).date_reception == dt.date(2018, 5, 28)
