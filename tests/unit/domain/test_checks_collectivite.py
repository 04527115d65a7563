"""SIREN and département code of the authority."""

from __future__ import annotations

import pytest
from checks_support import dijon, found, message


# SIRENs of real ACTES fixtures (shared/actes/) and of Dijon Métropole.
@pytest.mark.parametrize("siren", ["242100410", "214400152", "210600235", "491011698"])
def test_a_siren_with_a_valid_luhn_key_passes(siren):
    data = dijon()
    data["collectivite"]["siren"] = siren
    assert found(data) == []


@pytest.mark.parametrize(
    "siren", ["242100411", "242100401", "24210041", "2421004100", "242 100 410", "24210041A", ""]
)
def test_a_siren_that_is_not_nine_digits_with_a_valid_key_is_rejected(siren):
    data = dijon()
    data["collectivite"]["siren"] = siren
    assert found(data) == [("collectivite.siren", "siren-invalide")]


def test_a_wrong_siren_key_is_explained():
    data = dijon()
    data["collectivite"]["siren"] = "242100411"
    assert "clé de contrôle" in message(data, "siren-invalide")


@pytest.mark.parametrize(
    "code", ["021", "21", "1", "001", "2A", "2b", "02A", "02B", "095", "974", "976"]
)
def test_a_french_departement_code_passes(code):
    data = dijon()
    data["collectivite"]["departement"] = code
    assert found(data) == []


@pytest.mark.parametrize("code", ["20", "020", "96", "977", "00", "000", "2C", "", "0210", "DIJ"])
def test_an_unknown_departement_code_is_rejected(code):
    data = dijon()
    data["collectivite"]["departement"] = code
    assert found(data) == [("collectivite.departement", "departement-invalide")]
