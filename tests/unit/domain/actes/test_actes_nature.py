"""Nature codes and piece types, checked against a prefecture's own list."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.domain.actes.classification import parse_classification
from service.domain.actes.nature import NATURES, check_type_piece, nature_for


@pytest.mark.parametrize(
    ("value", "code", "abrege"),
    [("DE", 1, "DE"), ("ar", 2, "AR"), (3, 3, "AI"), ("4", 4, "CC"), ("BF", 5, "BF"), (6, 6, "AU")],
)
def test_natures_are_found_by_abbreviation_or_code(
    value: str | int, code: int, abrege: str
) -> None:
    nature = nature_for(value)
    assert (nature.code, nature.abrege) == (code, abrege)


@pytest.mark.parametrize("value", ["XX", 0, 7, "", True])
def test_an_unknown_nature_is_an_error(value: str | int) -> None:
    with pytest.raises(ValueError, match="nature d'acte inconnue"):
        nature_for(value)


def test_codes_abbreviations_and_piece_types_match_the_prefecture_list(actes_dir: Path) -> None:
    classification = parse_classification((actes_dir / "exemple_codes_matieres.xml").read_bytes())
    listed = {n.abrege: n for n in classification.natures}
    assert set(listed) == {n.abrege for n in NATURES}
    for nature in NATURES:
        assert listed[nature.abrege].code == nature.code
        codes = {t.code: t.libelle for t in listed[nature.abrege].types_piece}
        assert nature.type_piece in codes
        assert codes[nature.type_piece] == nature.libelle_type_piece


@pytest.mark.parametrize("code", ["99_DE", "01_01", "CO_DE"])
def test_piece_types_of_five_characters_are_well_formed(code: str) -> None:
    assert check_type_piece(code) is None


@pytest.mark.parametrize("code", ["99DE", "99_de", "99_DEL", ""])
def test_other_piece_types_are_refused(code: str) -> None:
    message = check_type_piece(code)
    assert message is not None and "5 caractères" in message
