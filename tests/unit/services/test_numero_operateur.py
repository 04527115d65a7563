"""The numéro rule of an authority's operator (S²LOW, Pastell) is checked when the act is
posted: its configuration's ``operateur`` makes a numéro the operator refuses a 422."""

from __future__ import annotations

from typing import Any

import pytest
from seance_support import sitting

from service.errors import InvalidPayload
from service.services.seances import numeros_pour_operateur, validate_seance
from service.services.validation import validate_deliberation

DIJON_NUMERO = "2019-12-19_013"


@pytest.fixture
def payload(dijon) -> dict[str, Any]:
    return dijon


def test_the_default_profile_accepts_the_dijon_numero(payload) -> None:
    assert validate_deliberation(payload, {}).deliberation.numero == DIJON_NUMERO
    other = {"210600730": {"operateur": "s2low"}}  # another authority's operator
    assert validate_deliberation(payload, other).deliberation.numero == DIJON_NUMERO


@pytest.mark.parametrize(("operateur", "nom"), [("s2low", "S²LOW"), ("pastell", "Pastell")])
def test_an_authority_sending_through_s2low_or_pastell_gets_its_rule_at_post(
        payload, operateur: str, nom: str) -> None:
    with pytest.raises(InvalidPayload) as caught:
        validate_deliberation(payload, {"242100410": {"operateur": operateur}})

    [violation] = caught.value.violations
    assert (violation.champ, violation.code) == ("deliberation.numero", "numero-invalide")
    assert f"« {DIJON_NUMERO} » serait refusé par {nom}" in violation.message


def test_a_numero_the_operator_accepts_passes(payload) -> None:
    payload["deliberation"]["numero"] = "2019_12_19_013"
    assert validate_deliberation(payload, {"242100410": {"operateur": "s2low"}})


def test_the_numero_is_named_once_when_the_payloads_profile_already_refuses_it(payload) -> None:
    payload["collectivite"]["teletransmission"] = {"profil_numero": "s2low"}
    with pytest.raises(InvalidPayload) as caught:
        validate_deliberation(payload, {"242100410": {"operateur": "s2low"}})
    assert [v.champ for v in caught.value.violations] == ["deliberation.numero"]


def test_an_unknown_operator_is_a_setting_to_fix(payload) -> None:
    with pytest.raises(InvalidPayload) as caught:
        validate_deliberation(payload, {"242100410": {"operateur": "fast"}})
    assert [v.champ for v in caught.value.violations] == [
        "collectivite.teletransmission.operateur"]


def test_each_numero_of_a_sitting_is_checked_against_the_operator(dijon) -> None:
    data, _ = sitting(dijon, 3)
    for i, delib in enumerate(data["deliberations"]):
        delib["numero"] = f"2019_{i:03d}"
    data["deliberations"][1]["numero"] = "2019-001"
    seance = validate_seance(data)
    siren = seance.collectivite.siren

    found = numeros_pour_operateur(seance, {siren: {"operateur": "pastell"}})

    assert [v.champ for v in found] == ["deliberations[1].numero"]
    assert numeros_pour_operateur(seance, {}) == []
