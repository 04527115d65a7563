"""The matières nomenclature: national levels 1–2 and a prefecture's RetourClassification."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from service.domain.actes.classification import (
    Classification,
    classification_nationale,
    parse_classification,
    parse_matiere,
)
from service.domain.actes.nomenclature import NOMENCLATURE
from service.errors import DocumentRejected


@pytest.fixture(scope="module")
def prefecture(actes_dir: Path) -> Classification:
    return parse_classification((actes_dir / "exemple_codes_matieres.xml").read_bytes())


def test_the_prefecture_file_gives_its_version_date_and_three_levels(
    prefecture: Classification,
) -> None:
    assert prefecture.date_version == dt.date(2017, 12, 8)
    assert prefecture.libelle("4.1.2") == "suppression de postes"
    assert prefecture.libelle("7.10") == "Divers"
    assert sum(1 for code in prefecture.matieres if code.count(".") == 2) == 225


def test_levels_one_and_two_of_the_prefecture_are_the_national_ones(
    prefecture: Classification,
) -> None:
    national = {code for code in prefecture.matieres if code.count(".") <= 1}
    assert national == set(NOMENCLATURE)


def test_a_listed_matiere_is_accepted_at_any_depth(prefecture: Classification) -> None:
    assert prefecture.check_matiere("4.1") is None
    assert prefecture.check_matiere("4.1.2") is None


def test_a_matiere_missing_from_the_prefecture_list_is_named_with_its_version(
    prefecture: Classification,
) -> None:
    message = prefecture.check_matiere("4.1.99")
    assert message == "la matière « 4.1.99 » n'existe pas dans la classification du 08/12/2017"
    # A level 4 under a level 3 the prefecture does not subdivide does not exist either.
    assert "« 4.1.2.1 »" in (prefecture.check_matiere("4.1.2.1") or "")


def test_the_national_base_checks_levels_one_and_two_only() -> None:
    national = classification_nationale()
    assert national.date_version is None
    assert national.check_matiere("4.1") is None
    assert national.check_matiere("7.10") is None
    # Level 3 and below are local to each prefecture: not checkable without its file.
    assert national.check_matiere("4.1.2.3.4") is None
    assert (
        national.check_matiere("4.9")
        == "la matière « 4.9 » n'existe pas dans la nomenclature nationale"
    )
    assert "« 10 »" in (national.check_matiere("10.1") or "")


@pytest.mark.parametrize(
    "matiere", ["4", "4.1.1.1.1.1", "4.a", "4..1", "4.1.", "04.1", "4.0", " 4.1", ""]
)
def test_malformed_matieres_are_refused(matiere: str) -> None:
    message = classification_nationale().check_matiere(matiere)
    assert message is not None and "2 à 5 niveaux" in message
    with pytest.raises(ValueError):
        parse_matiere(matiere)


def test_a_matiere_becomes_its_codes() -> None:
    assert parse_matiere("4.1") == (4, 1)
    assert parse_matiere("7.10.2.1.3") == (7, 10, 2, 1, 3)


def test_the_piece_types_of_a_nature_come_from_the_file(prefecture: Classification) -> None:
    codes = {t.code for t in prefecture.types_piece("DE")}
    assert {"99_DE", "99_AR", "70_DE", "99_SE"} <= codes
    assert prefecture.types_piece("ZZ") == ()


def test_an_acknowledgement_is_not_a_classification(actes_dir: Path) -> None:
    data = (actes_dir / "006-210600235-20180522-684-AI-1-2_5279.xml").read_bytes()
    with pytest.raises(DocumentRejected, match="RetourClassification.*ARActe"):
        parse_classification(data)


def test_a_classification_with_entities_is_refused() -> None:
    data = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>'
    with pytest.raises(DocumentRejected, match="fichier de classification.*DTD"):
        parse_classification(data)


def test_a_classification_without_date_is_refused(actes_dir: Path) -> None:
    data = (actes_dir / "exemple_codes_matieres.xml").read_bytes()
    broken = data.replace(b"2017-12-08", b"08/12/2017", 1)
    with pytest.raises(DocumentRejected, match="DateClassification"):
        parse_classification(broken)
