"""Every generated message validates against the ministry's ACTES v1.1 schema."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from lxml import etree

from service.domain.actes.identifier import ActesIdentifier, identifier_for
from service.domain.actes.messages import (
    ActesEnvelope,
    ReferentActes,
    build_acte_metadata,
    build_annulation,
)
from service.domain.actes.settings import ReglagesActes
from service.domain.actes.transmission import build_transmission
from service.domain.actes.xml import ACTES_NS

NS = {"actes": ACTES_NS}


def _annexe(nom: str, content: bytes) -> dict[str, str]:
    return {"titre": nom, "nom_fichier": nom, "contenu_base64": base64.b64encode(content).decode()}


def _attr(el: etree._Element, name: str) -> str | None:
    return el.get(f"{{{ACTES_NS}}}{name}")


CASES: dict[str, dict[str, Any]] = {
    "dijon-DE": {},
    "AR-with-annex": {
        "deliberation": {"nature": "AR", "numero": "2019_AR_07", "matiere": "6.1"},
        "annexes": 1,
    },
    "AI-with-annexes": {
        "deliberation": {"nature": "AI", "numero": "A2019120", "matiere": "4.2"},
        "annexes": 2,
    },
    "CC-with-annexes": {
        "deliberation": {"nature": "CC", "numero": "CONV 2019 12", "matiere": "1.4.2.1.3"},
        "annexes": 3,
    },
    "corse-02A": {
        "collectivite": {"departement": "2A", "siren": "212000046"},
        "deliberation": {"numero": "2019_013"},
    },
    "reunion-974": {
        "collectivite": {"departement": "974", "siren": "219740115"},
        "deliberation": {"numero": "DEL2019-013"},
    },
}


@pytest.fixture(params=list(CASES))
def case(request: pytest.FixtureRequest, make_payload, pdf: bytes, png: bytes) -> dict[str, Any]:
    spec = CASES[request.param]
    deliberation = dict(spec.get("deliberation", {}))
    kinds = [("plan.pdf", pdf), ("photo.png", png), ("annexe.pdf", pdf)][: spec.get("annexes", 0)]
    deliberation["annexes"] = [_annexe(n, c) for n, c in kinds]
    return {
        "payload": make_payload(spec.get("collectivite"), **deliberation),
        "annexes": len(kinds),
    }


def test_metadata_and_envelope_validate(
    case: dict[str, Any],
    identifier_of,
    reglages: ReglagesActes,
    pdf: bytes,
    sending_day: dt.date,
    assert_valid: Callable[[bytes], etree._Element],
) -> None:
    payload = case["payload"]
    ident = identifier_of(payload)
    archive = build_transmission(payload, ident, pdf, reglages, 1, sending_day)
    envelope, metadata = (assert_valid(m.content) for m in archive.members[:2])

    idcl = envelope.find("actes:Emetteur/actes:IDCL", NS)
    assert _attr(idcl, "Departement") == ident.departement
    assert idcl.get("{http://xml.insee.fr/schema}SIREN") == payload.collectivite.siren
    assert (
        envelope.findtext(
            "actes:FormulairesEnvoyes/actes:Formulaire/actes:NomFichier", namespaces=NS
        )
        == archive.names[1]
    )

    assert _attr(metadata, "NumeroInterne") == payload.deliberation.numero
    assert _attr(metadata, "Date") == payload.seance.date.isoformat()
    assert _attr(metadata, "CodeNatureActe") == str(
        "DE AR AI CC BF AU".split().index(ident.nature) + 1
    )
    codes = [
        _attr(metadata.find(f"actes:CodeMatiere{i}", NS), "CodeMatiere")
        for i in range(1, 6)
        if metadata.find(f"actes:CodeMatiere{i}", NS) is not None
    ]
    assert ".".join(codes) == payload.deliberation.matiere
    assert metadata.findtext("actes:Objet", namespaces=NS) == payload.deliberation.objet
    assert metadata.findtext("actes:Document/actes:NomFichier", namespaces=NS) == archive.names[2]
    annexes = metadata.find("actes:Annexes", NS)
    assert _attr(annexes, "Nombre") == str(case["annexes"])
    assert [n.text for n in annexes.iterfind("actes:Annexe/actes:NomFichier", NS)] == list(
        archive.names[3:]
    )


def test_the_dijon_metadata_validates_although_its_numero_has_hyphens(
    dijon,
    identifier_of,
    reglages: ReglagesActes,
    pdf: bytes,
    sending_day: dt.date,
    assert_valid,
) -> None:
    ident = identifier_of(dijon)
    assert str(ident) == "021-242100410-20191219-2019-12-19_013-DE"
    archive = build_transmission(dijon, ident, pdf, reglages, 1, sending_day)
    # NumeroInterne only has maxLength 15 in v1.1; the IDActe pattern is not applied to it.
    metadata = assert_valid(archive.member("021-242100410-20191219-2019-12-19_013-DE-1-1_0.xml"))
    assert _attr(metadata, "NumeroInterne") == "2019-12-19_013"
    assert "Création d’un poste" in (metadata.findtext("actes:Objet", namespaces=NS) or "")
    assert archive.warnings and "v1.1" in archive.warnings[0]


def test_a_cancellation_validates(assert_valid) -> None:
    ident = identifier_for("34", "491011698", dt.date(2017, 12, 7), "CL20171227_06", "DE")
    doc = assert_valid(build_annulation(ident))
    assert etree.QName(doc).localname == "Annulation"
    assert _attr(doc, "IDActe") == "034-491011698-20171207-CL20171227_06-DE"


def test_the_v1_1_schema_refuses_a_hyphenated_numero_in_a_cancellation(
    schema: etree.XMLSchema, identifier_of, dijon
) -> None:
    """The one place a generated message meets the v1.1 IDActe pattern: known and reported."""
    doc = etree.fromstring(build_annulation(identifier_of(dijon)))
    assert not schema.validate(doc)
    assert "IDActe" in str(schema.error_log.last_error) and "pattern" in str(
        schema.error_log.last_error
    )


def test_metadata_with_five_levels_a_replaced_act_and_paper(assert_valid) -> None:
    ident = ActesIdentifier("974", "219740115", dt.date(2024, 1, 31), "2024_001", "AU")
    xml = build_acte_metadata(
        ident,
        matiere=(9, 1, 2, 3, 4),
        objet="Vœu\nrelatif  à la\tdesserte",
        classification_date_version=dt.date(2023, 6, 1),
        document="99_AU-974-219740115-20240131-2024_001-AU-1-1_1.pdf",
        document_papier=True,
    )
    doc = assert_valid(xml)
    assert [etree.QName(c).localname for c in doc][:5] == [f"CodeMatiere{i}" for i in range(1, 6)]
    assert doc.findtext("actes:Objet", namespaces=NS) == "Vœu relatif à la desserte"
    assert doc.findtext("actes:DocumentPapier", namespaces=NS) == "O"


@pytest.mark.parametrize(
    ("matiere", "objet"),
    [((4,), "Objet"), ((1, 2, 3, 4, 5, 6), "Objet"), ((4, 1), ""), ((4, 1), "x" * 501)],
)
def test_metadata_the_schema_would_refuse_is_not_built(
    matiere: tuple[int, ...], objet: str
) -> None:
    ident = ActesIdentifier("021", "242100410", dt.date(2019, 12, 19), "2019_013", "DE")
    with pytest.raises(ValueError):
        build_acte_metadata(
            ident,
            matiere=matiere,
            objet=objet,
            classification_date_version=dt.date(2019, 1, 1),
            document="x.pdf",
        )


def test_an_envelope_with_a_full_referent_and_two_addresses_validates(assert_valid) -> None:
    envelope = ActesEnvelope(
        "210600730",
        "006",
        "2",
        "02",
        ("dev@sictiam.fr", "actes.retour@nice.fr"),
        ("006-210600730-20180115-007-AR-1-1_0.xml",),
        ReferentActes("Demat SICTIAM", "0101010101", "dev@sictiam.fr"),
    )
    doc = assert_valid(envelope.to_xml())
    assert [e.text for e in doc.iterfind("actes:AdressesRetour/actes:Email", NS)] == [
        "dev@sictiam.fr",
        "actes.retour@nice.fr",
    ]
    assert (
        doc.findtext("actes:Emetteur/actes:Referent/actes:Telephone", namespaces=NS) == "0101010101"
    )


def test_an_envelope_with_an_address_outside_the_schema_is_not_built() -> None:
    with pytest.raises(ValueError, match="adresse de retour invalide"):
        ActesEnvelope("210600730", "006", "2", "02", ("dev@localhost",), ("a.xml",))
