"""French wording of the extract: dates, assemblies, authorities, names."""

from __future__ import annotations

import datetime as dt

import pytest

from service.adapters.docx import libelles as L
from service.domain.payload import Membre


@pytest.mark.parametrize(
    ("day", "weekday", "text"),
    [
        (dt.date(2019, 12, 19), True, "jeudi 19 décembre 2019"),
        (dt.date(2019, 12, 13), False, "13 décembre 2019"),
        (dt.date(2020, 10, 1), True, "jeudi 1er octobre 2020"),
        (dt.date(2023, 8, 1), False, "1er août 2023"),
        (dt.date(2024, 2, 2), False, "2 février 2024"),
    ],
)
def test_dates_are_written_out_with_the_french_first(
    day: dt.date, weekday: bool, text: str
) -> None:
    assert L.date_longue(day, weekday=weekday) == text


@pytest.mark.parametrize(
    ("value", "text"), [("18:30", "18 h 30"), ("09:00", "9 h"), ("soir", "soir")]
)
def test_hours(value: str, text: str) -> None:
    assert L.heure(value) == text


@pytest.mark.parametrize(
    ("nom", "text"),
    [
        ("Conseil Métropolitain", "Conseil métropolitain"),
        ("Conseil municipal", "Conseil municipal"),
        ("Conseil Communautaire", "Conseil communautaire"),
        ("Conseil de Paris", "Conseil de Paris"),
        ("Conseil Départemental de la Côte-d'Or", "Conseil départemental de la Côte-d'Or"),
    ],
)
def test_assembly_as_a_common_noun(nom: str, text: str) -> None:
    assert L.nom_commun(nom) == text


@pytest.mark.parametrize(
    ("nom", "text"),
    [
        ("Conseil Métropolitain", "du Conseil Métropolitain"),
        ("Assemblée de Corse", "de l’Assemblée de Corse"),
        ("Commission permanente", "de la Commission permanente"),
    ],
)
def test_assembly_with_its_article(nom: str, text: str) -> None:
    assert L.du_conseil(nom) == text


@pytest.mark.parametrize(
    ("nom", "text"),
    [
        ("Dijon Métropole", "de Dijon Métropole"),
        ("Auxerre", "d’Auxerre"),
        ("Ville de Lyon", "de la Ville de Lyon"),
        ("Syndicat des eaux", "du Syndicat des eaux"),
        ("Eurométropole de Strasbourg", "de l’Eurométropole de Strasbourg"),
    ],
)
def test_authority_after_de(nom: str, text: str) -> None:
    assert L.de(nom) == text


def test_names_and_agreement() -> None:
    m = Membre(id="x", civilite="Mme", prenom="Nuray", nom="AKPINAR-ISTIQUAM")
    assert L.nom_complet(m) == "Mme Nuray AKPINAR-ISTIQUAM"
    assert L.nom_court(m) == "Mme AKPINAR-ISTIQUAM"
    assert L.accord(m, "Président", "Présidente") == "Présidente"
    assert L.enumeration(["a"]) == "a"
    assert L.enumeration(["a", "b", "c"]) == "a, b et c"
