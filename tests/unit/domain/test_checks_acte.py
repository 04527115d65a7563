"""Numéro interne, matière and objet of the act, as ACTES accepts them."""

from __future__ import annotations

import pytest
from checks_support import SHARED, dijon, found, message
from lxml import etree

from service.domain.actes.nomenclature import NOMENCLATURE


@pytest.mark.parametrize(
    "numero", ["2019-12-19_013", "7", "DE_2016_021", "104-21", "2011 02 007", "abcdefghijklmn9"]
)
def test_a_numero_of_the_ministry_rule_passes(numero):
    data = dijon()
    data["deliberation"]["numero"] = numero
    assert found(data) == []


@pytest.mark.parametrize(
    "numero",
    ["", "abcdefghijklmnop", "-13", "13-", "_13", "13_", " 13", "n°13", "é13", "13/2019"],
)
def test_a_numero_outside_the_ministry_rule_is_rejected(numero):
    data = dijon()
    data["deliberation"]["numero"] = numero
    assert found(data) == [("deliberation.numero", "numero-invalide")]


def _s2low(numero):
    data = dijon()
    data["collectivite"]["teletransmission"] = {"profil_numero": "s2low"}
    data["deliberation"]["numero"] = numero
    return data


@pytest.mark.parametrize("numero", ["CL20171227_06", "2019_12_19_013", "A"])
def test_the_s2low_profile_accepts_upper_case_digits_and_underscores(numero):
    assert found(_s2low(numero)) == []


@pytest.mark.parametrize("numero", ["2019-12-19_013", "cl2017", "DE 13", "_13", "13_"])
def test_the_s2low_profile_rejects_what_s2low_refuses(numero):
    data = _s2low(numero)
    assert found(data) == [("deliberation.numero", "numero-invalide")]
    assert "s2low" in message(data, "numero-invalide")


def test_the_actes_profile_is_the_default_when_named():
    data = dijon()
    data["collectivite"]["teletransmission"] = {"profil_numero": "actes"}
    assert found(data) == []


@pytest.mark.parametrize("matiere", ["4.1", "7.10", "1.1.9", "9.4.1.2.3", "6.5"])
def test_a_matiere_of_the_national_nomenclature_passes(matiere):
    data = dijon()
    data["deliberation"]["matiere"] = matiere
    assert found(data) == []


@pytest.mark.parametrize(
    "matiere", ["4", "4.", ".1", "4.1.1.1.1.1", "4,1", "04.1", "4.01", "a.b", "0.1", "10.1", ""]
)
def test_a_matiere_that_is_not_two_to_five_levels_from_1_to_9_is_invalid(matiere):
    data = dijon()
    data["deliberation"]["matiere"] = matiere
    assert found(data) == [("deliberation.matiere", "matiere-invalide")]


@pytest.mark.parametrize("matiere", ["4.6", "7.11", "1.8.1", "2.4"])
def test_a_level_two_missing_from_the_nomenclature_is_unknown(matiere):
    data = dijon()
    data["deliberation"]["matiere"] = matiere
    assert found(data) == [("deliberation.matiere", "matiere-inconnue")]


def test_an_unknown_matiere_lists_the_sub_matieres_that_exist():
    data = dijon()
    data["deliberation"]["matiere"] = "4.6"
    assert "4.1, 4.2, 4.3, 4.4, 4.5" in message(data, "matiere-inconnue")


def test_the_nomenclature_has_the_codes_of_the_prefecture_export():
    ns = {"actes": "http://www.interieur.gouv.fr/ACTES#v1.1-20040216"}
    tree = etree.parse(str(SHARED / "actes" / "exemple_codes_matieres.xml"))
    code = f"{{{ns['actes']}}}CodeMatiere"
    codes = set()
    for m1 in tree.iterfind(".//actes:Matiere1", ns):
        codes.add(m1.get(code))
        codes.update(f"{m1.get(code)}.{m2.get(code)}" for m2 in m1.iterfind("actes:Matiere2", ns))
    assert set(NOMENCLATURE) == codes
    assert NOMENCLATURE["4.1"] == "Personnel titulaires et stagiaires de la F.P.T."


def test_an_objet_of_499_characters_passes():
    data = dijon()
    data["deliberation"]["objet"] = "é" * 499
    assert found(data) == []


def test_an_objet_of_500_characters_is_too_long():
    data = dijon()
    data["deliberation"]["objet"] = "é" * 500
    assert found(data) == [("deliberation.objet", "objet-trop-long")]
    assert "500" in message(data, "objet-trop-long")


@pytest.mark.parametrize(
    "objet",
    [
        "Création\nd'un poste",
        "Création\rd'un poste",
        "Création\u2028d'un poste",
        "Création d'un poste\n",
    ],
)
def test_an_objet_on_several_lines_is_rejected(objet):
    data = dijon()
    data["deliberation"]["objet"] = objet
    assert found(data) == [("deliberation.objet", "objet-multiligne")]


@pytest.mark.parametrize("objet", ["", "   ", "\n"])
def test_a_blank_objet_is_rejected(objet):
    data = dijon()
    data["deliberation"]["objet"] = objet
    assert found(data) == [("deliberation.objet", "objet-vide")]


def test_a_long_objet_on_two_lines_breaks_both_rules():
    data = dijon()
    data["deliberation"]["objet"] = "a" * 300 + "\n" + "b" * 300
    assert found(data) == [
        ("deliberation.objet", "objet-multiligne"),
        ("deliberation.objet", "objet-trop-long"),
    ]
