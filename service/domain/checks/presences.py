"""Checks of the attendance: each member in one list at most; the president and the
secretaries of the sitting present.

The lists of ``presences`` are disjoint (absent, mandant, not taking part, remote): a member
who gave a proxy is the mandant of ``pouvoirs`` only, not also listed in ``absents``, so that
every list says one thing and each member is counted once. A mandant listed as not taking part
is reported by :func:`service.domain.checks.pouvoirs.check_mandants`, which says why (an
interested member's proxy vote is void).

The president may leave the vote of one act (``ne_prennent_pas_part``): he stays present, and
the CGCT lets the council choose another president for that act (L2121-14).
"""

from __future__ import annotations

from service.domain.checks.registre import Registre
from service.domain.payload import DeliberationPayload
from service.domain.violations import Violation


def pourquoi_absent(payload: DeliberationPayload, member_id: str) -> str:
    """Return where *payload* makes *member_id* absent, for a message."""
    if member_id in payload.presences.absents:
        k = payload.presences.absents.index(member_id)
        return f"il figure en presences.absents[{k}]"
    pouvoir = next(
        (i for i, pv in enumerate(payload.presences.pouvoirs) if pv.mandant == member_id), None
    )
    if pouvoir is not None:
        return f"il a donné pouvoir (presences.pouvoirs[{pouvoir}].mandant)"
    j = next(j for j, m in enumerate(payload.membres) if m.id == member_id)
    return (
        f"suppléant (membres[{j}].suppleant_de), il ne siège que si son titulaire est absent "
        "sans avoir donné pouvoir et qu'aucun autre suppléant ne siège pour lui"
    )


def check_present_et_absent(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation for every member leaving the vote who is also listed absent, or is a
    suppléant who does not sit.

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
            f"({pourquoi_absent(payload, member_id)}) ; un membre qui ne prend pas part au vote "
            "est présent.",
        )
        for k, member_id in enumerate(payload.presences.ne_prennent_pas_part)
        if member_id in registre.absents or member_id in registre.hors_seance
    ]


def check_absents_sans_pouvoir(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation for every member listed absent who also gave a proxy.

    Source: CGCT L2121-20 (an absent member « peut donner … pouvoir écrit de voter en son
    nom »): a mandant is absent **and** represented, a member of ``absents`` is absent without
    proxy; the extract prints them apart (L2121-15: members « présents ou représentés »), so
    a member is in one list at most.
    """
    registre = Registre.of(payload)
    found = []
    for k, member_id in enumerate(payload.presences.absents):
        if member_id not in registre.mandants:
            continue
        j = next(j for j, pv in enumerate(payload.presences.pouvoirs) if pv.mandant == member_id)
        found.append(
            Violation(
                f"presences.absents[{k}]",
                "absent-et-mandant",
                f"presences.absents[{k}] : {registre.nomme(member_id)} a donné pouvoir "
                f"(presences.pouvoirs[{j}].mandant) ; un membre représenté figure seulement "
                "dans presences.pouvoirs, presences.absents liste les absents sans pouvoir.",
            )
        )
    return found


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
                f"({pourquoi_absent(payload, president)}) ; le président de séance est présent.",
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
            f"({pourquoi_absent(payload, member_id)}) ; un secrétaire de séance est présent.",
        )
        for k, member_id in enumerate(payload.seance.secretaires)
        if registre.connu(member_id) and registre.est_absent(member_id)
    ]
