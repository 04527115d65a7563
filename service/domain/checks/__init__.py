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
from service.domain.checks.distance import (
    check_a_distance_permis,
    check_a_distance_presents,
    check_a_distance_scrutin,
)
from service.domain.checks.election import check_issue, check_tours
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
    check_absents_sans_pouvoir,
    check_present_et_absent,
    check_president_present,
    check_secretaires_presents,
)
from service.domain.checks.quorum import check_en_exercice, check_organe, check_quorum
from service.domain.checks.scrutin import (
    check_mode,
    check_noms,
    check_total,
    check_voix_preponderante,
    check_vote_ou_election,
)
from service.domain.checks.signature import check_signature
from service.domain.checks.suppleants import check_suppleants
from service.domain.occultation import check_donnees_personnelles
from service.domain.payload import DeliberationPayload
from service.domain.violations import Violation

Check = Callable[[DeliberationPayload], list[Violation]]

CHECKS: tuple[Check, ...] = (
    check_siren,
    check_departement,
    check_organe,
    check_convocation,
    check_heure,
    check_ids_uniques,
    check_references,
    check_suppleants,
    check_listes_sans_repetition,
    check_president_present,
    check_secretaires_presents,
    check_absents_sans_pouvoir,
    check_present_et_absent,
    check_mandants,
    check_mandataires,
    check_nombre_de_pouvoirs,
    check_a_distance_permis,
    check_a_distance_presents,
    check_en_exercice,
    check_quorum,
    check_numero,
    check_matiere,
    check_objet,
    check_vote_ou_election,
    check_a_distance_scrutin,
    check_mode,
    check_total,
    check_noms,
    check_voix_preponderante,
    check_tours,
    check_issue,
    check_donnees_personnelles,
    check_transmission,
    check_signature,
)
"""Every check, in the order of the payload's fields (collectivité, séance, membres, présences,
délibération, transmission, signature): the order violations are reported in."""


def check_deliberation(payload: DeliberationPayload) -> list[Violation]:
    """Return every violation of *payload*; an empty list when the deliberation is lawful."""
    return [violation for check in CHECKS for violation in check(payload)]


__all__ = [
    "CHECKS",
    "Check",
    "check_a_distance_permis",
    "check_a_distance_presents",
    "check_a_distance_scrutin",
    "check_absents_sans_pouvoir",
    "check_convocation",
    "check_deliberation",
    "check_departement",
    "check_donnees_personnelles",
    "check_en_exercice",
    "check_heure",
    "check_ids_uniques",
    "check_issue",
    "check_listes_sans_repetition",
    "check_mandants",
    "check_mandataires",
    "check_matiere",
    "check_mode",
    "check_nombre_de_pouvoirs",
    "check_noms",
    "check_numero",
    "check_objet",
    "check_organe",
    "check_present_et_absent",
    "check_president_present",
    "check_quorum",
    "check_references",
    "check_secretaires_presents",
    "check_signature",
    "check_siren",
    "check_suppleants",
    "check_total",
    "check_tours",
    "check_transmission",
    "check_voix_preponderante",
    "check_vote_ou_election",
]
