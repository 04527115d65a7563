"""The legal checks of one deliberation: every rule the payload breaks, reported at once.

Each check is a pure function ``check_x(payload) -> list[Violation]`` whose docstring cites its
legal source; :func:`check_deliberation` runs them all. A check never repeats what another one
reports: an unknown member id is ``membre-inconnu`` only, and the other checks skip it.
"""

from __future__ import annotations

from collections.abc import Callable

from service.domain.checks.acte import check_matiere, check_numero, check_objet
from service.domain.checks.collectivite import check_departement, check_siren
from service.domain.checks.dates import check_convocation, check_heure, check_transmission
from service.domain.checks.membres import (
    check_ids_uniques,
    check_listes_sans_repetition,
    check_references,
)
from service.domain.checks.pouvoirs import (
    check_mandants,
    check_mandataires,
    check_nombre_de_pouvoirs,
)
from service.domain.checks.presences import (
    check_present_et_absent,
    check_president_present,
    check_secretaires_presents,
)
from service.domain.checks.quorum import check_en_exercice, check_quorum
from service.domain.checks.scrutin import check_noms, check_total
from service.domain.payload import DeliberationPayload
from service.domain.violations import Violation

Check = Callable[[DeliberationPayload], list[Violation]]

CHECKS: tuple[Check, ...] = (
    check_siren,
    check_departement,
    check_convocation,
    check_heure,
    check_ids_uniques,
    check_references,
    check_listes_sans_repetition,
    check_president_present,
    check_secretaires_presents,
    check_present_et_absent,
    check_mandants,
    check_mandataires,
    check_nombre_de_pouvoirs,
    check_en_exercice,
    check_quorum,
    check_numero,
    check_matiere,
    check_objet,
    check_total,
    check_noms,
    check_transmission,
)
"""Every check, in the order of the payload's fields (collectivité, séance, membres, présences,
délibération, transmission): the order violations are reported in."""


def check_deliberation(payload: DeliberationPayload) -> list[Violation]:
    """Return every violation of *payload*; an empty list when the deliberation is lawful."""
    return [violation for check in CHECKS for violation in check(payload)]


__all__ = [
    "CHECKS",
    "Check",
    "check_convocation",
    "check_deliberation",
    "check_departement",
    "check_en_exercice",
    "check_heure",
    "check_ids_uniques",
    "check_listes_sans_repetition",
    "check_mandants",
    "check_mandataires",
    "check_matiere",
    "check_noms",
    "check_nombre_de_pouvoirs",
    "check_numero",
    "check_objet",
    "check_present_et_absent",
    "check_president_present",
    "check_quorum",
    "check_references",
    "check_secretaires_presents",
    "check_siren",
    "check_total",
    "check_transmission",
]
