"""Structural errors of a payload become French violations with the contract's field paths."""

from __future__ import annotations

from service.domain.parsing import field_path, parse_model
from service.domain.payload import DeliberationPayload
from service.domain.violations import Violation


def test_field_path_uses_dots_and_brackets() -> None:
    path = ("presences", "pouvoirs", 2, "mandataire")
    assert field_path(path) == "presences.pouvoirs[2].mandataire"
    assert field_path(()) == "(racine)"


def test_valid_payload_parses(dijon) -> None:
    model, violations = parse_model(DeliberationPayload, dijon)
    assert violations == [] and model is not None
    assert model.collectivite.type == "metropole"


def test_every_structural_error_is_reported_in_french(dijon) -> None:
    dijon["membres"][3]["civilite"] = "Dr"
    dijon["deliberation"]["ordre"] = 0
    dijon["assemblee"]["effectif_legal"] = "beaucoup"
    dijon["seance"]["secretaires"] = []
    dijon["inconnu"] = True
    _, violations = parse_model(DeliberationPayload, dijon)
    assert violations == [
        Violation("assemblee.effectif_legal", "type-entier", "nombre entier attendu"),
        Violation("deliberation.ordre", "valeur-trop-petite", "doit être supérieur ou égal à 1"),
        Violation("inconnu", "champ-inconnu", "champ inconnu du contrat v1"),
        Violation("membres[3].civilite", "valeur-non-permise",
                  "valeur non permise ; attendu : 'M.' ou 'Mme'"),
        Violation("seance.secretaires", "liste-trop-courte", "au moins 1 élément(s) attendu(s)"),
    ]


def test_a_body_that_is_not_an_object_is_one_violation() -> None:
    assert parse_model(DeliberationPayload, [1])[1][0].code == "type-objet"
