"""The numéro interne under each operator profile, and the département in the identifier."""

from __future__ import annotations

import datetime as dt

import pytest

from service.domain.actes.identifier import identifier_for, normalise_departement
from service.domain.actes.numero import (
    check_numero,
    check_numero_operateur,
    numero_warning,
    profil_numero,
)


@pytest.mark.parametrize(
    "numero", ["2019-12-19_013", "2019 12 013", "CL20171227_06", "684", "a", "A" * 15]
)
def test_the_actes_profile_accepts_the_ministry_rule(numero: str) -> None:
    assert check_numero(numero, "actes") is None


@pytest.mark.parametrize(
    ("numero", "why"),
    [
        ("-2019", "profil « actes »"),
        ("2019-", "profil « actes »"),
        ("_2019", "profil « actes »"),
        ("2019_", "profil « actes »"),
        ("délib", "profil « actes »"),
        ("2019/12", "profil « actes »"),
        ("A" * 16, "16 caractères"),
        ("", "vide"),
    ],
)
def test_the_actes_profile_refuses_what_the_ministry_refuses(numero: str, why: str) -> None:
    message = check_numero(numero, "actes")
    assert message is not None and why in message


@pytest.mark.parametrize("numero", ["CL20171227_06", "684", "TEST_DGCL_4", "A", "X" * 15])
def test_the_s2low_profile_accepts_uppercase_digits_and_underscores(numero: str) -> None:
    assert check_numero(numero, "s2low") is None


@pytest.mark.parametrize("numero", ["2019-12-19_013", "2019 12", "cl2017", "_X1", "X1_", "X" * 16])
def test_the_s2low_profile_refuses_the_rest(numero: str) -> None:
    message = check_numero(numero, "s2low")
    assert message is not None and f"« {numero} »" in message


def test_a_hyphenated_numero_is_accepted_by_actes_and_refused_by_s2low() -> None:
    assert check_numero("2019-12-19_013", "actes") is None
    message = check_numero("2019-12-19_013", "s2low")
    assert message is not None
    assert "profil « s2low »" in message and "majuscules" in message


def test_without_a_profile_the_ministry_rule_applies() -> None:
    assert check_numero("2019-12-19_013", None) is None
    assert profil_numero(None).nom == "actes"


def test_an_unknown_profile_is_an_error() -> None:
    with pytest.raises(ValueError, match="pastel"):
        check_numero("684", "pastel")


def test_a_numero_outside_the_v1_1_identifier_gets_a_warning_under_the_actes_profile() -> None:
    warning = numero_warning("2019-12-19_013", "actes")
    assert warning is not None and "v1.1" in warning
    assert numero_warning("CL20171227_06", "actes") is None
    # Under s2low the same numéro is an error, reported by check_numero, not a warning.
    assert numero_warning("2019-12-19_013", "s2low") is None


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2A", "02A"),
        ("2b", "02B"),
        ("02A", "02A"),
        ("21", "021"),
        ("021", "021"),
        ("974", "974"),
        ("1", "001"),
    ],
)
def test_departements_are_written_on_three_characters(given: str, expected: str) -> None:
    assert normalise_departement(given) == expected


@pytest.mark.parametrize("given", ["20", "96", "977", "2C", "ABC"])
def test_unknown_departements_are_refused(given: str) -> None:
    with pytest.raises(ValueError, match="département"):
        normalise_departement(given)


def test_the_identifier_of_a_corsican_act_carries_02A() -> None:
    ident = identifier_for("2A", "212000046", dt.date(2024, 3, 1), "2024_015", "DE")
    assert str(ident) == "02A-212000046-20240301-2024_015-DE"


@pytest.mark.parametrize(("numero", "s2low", "pastell"), [
    ("2019_12_19_013", True, True),
    ("DE2019001", True, True),
    ("7", True, False),            # Pastell: 2 characters at least
    ("2019-12-19_013", False, False),  # the Dijon numéro: a hyphen
    ("de2019", False, False),      # lowercase
    ("_AB", False, False),         # S²LOW, through which Pastell sends: no "_" first
    ("AB_", False, False),
])
def test_each_operator_accepts_only_its_own_rule(numero: str, s2low: bool, pastell: bool) -> None:
    assert (check_numero_operateur(numero, "s2low") is None) is s2low
    assert (check_numero_operateur(numero, "pastell") is None) is pastell


def test_the_operators_refusal_names_it_and_says_what_it_accepts() -> None:
    why = check_numero_operateur("2019-12-19_013", "pastell")
    assert why is not None
    assert "« 2019-12-19_013 » serait refusé par Pastell" in why and "majuscules" in why


def test_an_authority_without_an_operator_rule_keeps_the_profile_alone() -> None:
    assert check_numero_operateur("2019-12-19_013", None) is None
    with pytest.raises(ValueError, match="opérateur inconnu"):
        check_numero_operateur("A1", "fast")
