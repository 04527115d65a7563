"""Checks of the attendance: nobody both present and absent; the president and the
secretaries of the sitting present.

A mandant (``presences.pouvoirs[].mandant``) is absent by definition. Listing him in
``presences.absents`` as well is accepted: it is redundant, not contradictory, and changes no
count or printed list (:func:`service.domain.decompte.decompter` counts him once, among the
proxies, and prints him only as a mandant), whereas rejecting it would refuse payloads from
software that lists every absent member there.

The president may leave the vote of one act (``ne_prennent_pas_part``): he stays present, and
the CGCT lets the council choose another president for that act (L2121-14).
"""

from __future__ import annotations

from service.domain.checks.registre import Registre
from service.domain.payload import DeliberationPayload
from service.domain.violations import Violation


def _pourquoi_absent(payload: DeliberationPayload, member_id: str) -> str:
    """Return where *payload* makes *member_id* absent, for a message."""
    if member_id in payload.presences.absents:
        k = payload.presences.absents.index(member_id)
        return f"il figure en presences.absents[{k}]"
    k = next(k for k, pv in enumerate(payload.presences.pouvoirs) if pv.mandant == member_id)
    return f"il a donné pouvoir (presences.pouvoirs[{k}].mandant)"


def check_present_et_absent(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation for every member leaving the vote who is also listed absent.

    Source: CGCT L2131-11 and Sénat QE n° 24626 (2007): a member who leaves the vote because he
    is interested is present at the sitting but not counted for the quorum; an absent member
    cannot leave a vote he does not attend.
    """
    registre = Registre.of(payload)
    return [
        Violation(
            f"presences.ne_prennent_pas_part[{k}]",
            "present-et-absent",
            f"presences.ne_prennent_pas_part[{k}] : {registre.nomme(member_id)} est absent "
            f"({_pourquoi_absent(payload, member_id)}) ; un membre qui ne prend pas part au vote "
            "est présent.",
        )
        for k, member_id in enumerate(payload.presences.ne_prennent_pas_part)
        if member_id in registre.absents
    ]


def check_president_present(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation when the president of the sitting is absent or gave a proxy.

    Source: CGCT L2121-14 (the maire, or his replacement, presides the council; EPCI through
    L5211-1), L2121-23 (the deliberations are signed by the maire and the secretaries).
    """
    registre = Registre.of(payload)
    president = payload.seance.president
    if registre.connu(president) and registre.est_absent(president):
        return [
            Violation(
                "seance.president",
                "president-absent",
                f"seance.president : {registre.nomme(president)} est absent "
                f"({_pourquoi_absent(payload, president)}) ; le président de séance est présent.",
            )
        ]
    return []


def check_secretaires_presents(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation for every secretary of the sitting who is absent or gave a proxy.

    Source: CGCT L2121-15 (« le conseil municipal nomme un ou plusieurs de ses membres pour
    remplir les fonctions de secrétaire » at the start of the sitting), L2121-23 (they sign).
    """
    registre = Registre.of(payload)
    return [
        Violation(
            f"seance.secretaires[{k}]",
            "secretaire-absent",
            f"seance.secretaires[{k}] : {registre.nomme(member_id)} est absent "
            f"({_pourquoi_absent(payload, member_id)}) ; un secrétaire de séance est présent.",
        )
        for k, member_id in enumerate(payload.seance.secretaires)
        if registre.connu(member_id) and registre.est_absent(member_id)
    ]
