"""The context of the template: payload fields typographed, derived counts and wording."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from markupsafe import Markup

from service.adapters.docx.context import DERIVED_KEYS, PAYLOAD_KEYS, template_context
from service.domain.actes.identifier import identifier_for
from service.domain.payload import DeliberationPayload

N = "\u202f"


def context_of(data: dict[str, Any]) -> dict[str, Any]:
    payload = DeliberationPayload.model_validate(data)
    ident = identifier_for(
        payload.collectivite.departement,
        payload.collectivite.siren,
        payload.seance.date,
        payload.deliberation.numero,
        payload.deliberation.nature,
    )
    return template_context(payload, ident)


@pytest.fixture
def data(dijon: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(dijon)


def test_keys_are_the_payload_fields_and_the_derived_ones(data: dict[str, Any]) -> None:
    ctx = context_of(data)
    assert set(ctx) == set(PAYLOAD_KEYS) | set(DERIVED_KEYS) - {"blocs"}


def test_dijon_header_wording(data: dict[str, Any]) -> None:
    t = context_of(data)["textes"]
    assert t["assemblee"] == "du Conseil Métropolitain de Dijon Métropole"
    assert t["seance"] == "Séance du jeudi 19 décembre 2019"
    assert (t["president_libelle"], t["president"]) == ("Président", "M. REBSAMEN")
    assert (t["secretaires_libelle"], t["secretaires"]) == (
        "Secrétaire de séance",
        "Mme AKPINAR-ISTIQUAM",
    )
    assert t["date_convocation"] == "13 décembre 2019"
    assert t["du_conseil"] == "du Conseil métropolitain"
    assert t["formule"] == "LE CONSEIL, APRÈS EN AVOIR DÉLIBÉRÉ,"
    assert (t["signature_president"], t["nom_president"]) == ("Le Président,", "François REBSAMEN")
    assert t["signature_secretaires"] == "La Secrétaire de séance,"


def test_dijon_counts_come_from_decompter(data: dict[str, Any]) -> None:
    d = context_of(data)["decompte"]
    assert (d["en_exercice"], d["presents_votants"], d["procurations"], d["votants"]) == (
        79,
        66,
        10,
        76,
    )
    assert d["presents"][:2] == ["M. François REBSAMEN", "M. Pierre PRIBETICH"]
    assert d["pouvoirs"][0] == "M. Benoît BORDAT pouvoir à Mme Océane CHARRET-GODARD"


def test_members_are_paired_left_to_right_the_last_one_with_a_stop(data: dict[str, Any]) -> None:
    t = context_of(data)["textes"]
    assert t["presents"][0] == ["M. François REBSAMEN", "M. Pierre PRIBETICH"]
    assert t["presents"][-1] == ["M. Adrien GUENE", "M. Cyril GAUCHER."]
    assert t["absents"] == [["M. Didier MARTIN", "M. Alain HOUPERT"], ["M. Édouard CAVIN", ""]]
    assert t["pouvoirs"][-1] == "M. Gilbert MENUT pouvoir à M. Adrien GUENE."


def test_without_proxies_the_stop_goes_to_the_last_absent(data: dict[str, Any]) -> None:
    data["presences"]["pouvoirs"] = []
    t = context_of(data)["textes"]
    assert t["absents"][-1] == ["M. Édouard CAVIN.", ""]
    assert t["pouvoirs"] == []


def test_named_votes_agree_in_number_and_gender(data: dict[str, Any]) -> None:
    data["deliberation"]["vote"].update(
        pour=73,
        contre=2,
        abstention=1,
        noms_contre=["rebsamen-francois", "roy-helene"],
        noms_abstention=["roy-helene"],
    )
    assert context_of(data)["textes"]["votes_nominatifs"] == [
        f"Ont voté contre{N}: M. François REBSAMEN, Mme Hélène ROY",
        f"S’est abstenue{N}: Mme Hélène ROY",
    ]


def test_members_leaving_the_vote_are_named(data: dict[str, Any]) -> None:
    data["presences"]["ne_prennent_pas_part"] = ["roy-helene", "bourny-nicolas"]
    t = context_of(data)["textes"]
    assert (
        t["ne_prennent_pas_part"]
        == "Mme Hélène ROY et M. Nicolas BOURNY ne prennent pas part au vote."
    )


def test_payload_text_is_typographed_and_annex_contents_left_out(data: dict[str, Any]) -> None:
    data["deliberation"]["objet"] = "Objet : l'avis « favorable »"
    data["deliberation"]["annexes"] = [
        {"titre": "Plan", "nom_fichier": "plan.pdf", "contenu_base64": "JVBERi0="}
    ]
    ctx = context_of(data)
    assert ctx["deliberation"]["objet"] == f"Objet{N}: l’avis «{N}favorable{N}»"
    assert ctx["deliberation"]["annexes"] == [{"titre": "Plan", "nom_fichier": "plan.pdf"}]
    assert ctx["identifiant"] == "021-242100410-20191219-2019-12-19_013-DE"


def test_docxtpl_markers_in_text_are_protected(data: dict[str, Any]) -> None:
    data["deliberation"]["objet"] = "a {_{ b }_} & c"
    objet = context_of(data)["deliberation"]["objet"]
    assert isinstance(objet, Markup)
    assert objet == "a {&#95;{ b }&#95;} &amp; c"
