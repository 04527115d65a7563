"""check_deliberation as a whole: the lawful example passes, every problem is reported at once."""

from __future__ import annotations

import re

from checks_support import dijon, found, payload

from service.domain.checks import CHECKS, check_deliberation


def test_the_dijon_example_breaks_no_rule():
    assert check_deliberation(payload(dijon())) == []


def test_several_violations_are_reported_at_once_in_field_order():
    data = dijon()
    data["collectivite"]["siren"] = "242100411"
    data["seance"]["date_convocation"] = "2019-12-20"
    data["presences"]["absents"].append(data["seance"]["president"])
    data["deliberation"]["numero"] = "n°13"
    data["deliberation"]["objet"] = "Création d'un poste\nde responsable"
    assert found(data) == [
        ("collectivite.siren", "siren-invalide"),
        ("seance.date_convocation", "convocation-apres-seance"),
        ("seance.president", "president-absent"),
        ("deliberation.numero", "numero-invalide"),
        ("deliberation.objet", "objet-multiligne"),
        # the president's own vote is gone: 65 present voters + 10 proxies, not 76
        ("deliberation.vote", "total-votes-incoherent"),
    ]


def test_every_message_is_french_and_names_its_field():
    data = dijon()
    data["collectivite"]["departement"] = "20"
    data["presences"]["absents"].extend(m["id"] for m in data["membres"][1:40])
    data["deliberation"]["matiere"] = "4.9"
    data["deliberation"]["vote"]["pour"] = 1
    violations = check_deliberation(payload(data))
    assert {v.code for v in violations} == {
        "departement-invalide",
        "secretaire-absent",
        "mandataire-absent",
        "quorum-non-atteint",
        "matiere-inconnue",
        "total-votes-incoherent",
    }
    for v in violations:
        assert v.champ in v.message
        assert re.search(r"[àâçéèêîôûù]| : ", v.message), v.message


def test_every_check_cites_its_legal_source():
    for check in CHECKS:
        doc = check.__doc__ or ""
        assert doc.startswith("Return"), check.__name__
        source = doc[doc.find("Source:") :]
        assert "Source:" in doc and re.search(
            r"CGCT|loi n°|XSD|INSEE|contract|S²LOW|SCDL", source
        ), check.__name__


def test_violations_serialise_as_the_contract_objects():
    data = dijon()
    data["deliberation"]["objet"] = " "
    (v,) = check_deliberation(payload(data))
    assert v.as_dict() == {
        "champ": "deliberation.objet",
        "code": "objet-vide",
        "message": v.message,
    }
