"""Checks of the quorum: enough members physically present for the assembly to deliberate."""

from __future__ import annotations

from service.domain.checks.sources import source_quorum, texte_covid
from service.domain.decompte import decompter
from service.domain.payload import DeliberationPayload
from service.domain.violations import Violation


def check_en_exercice(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation when more members are in office than the council has seats.

    Source: CGCT L2121-2 (the number of seats, « effectif légal »); members « en exercice »
    are the seats actually filled, vacancies excluded (``shared/notes/legal.md`` §1.2).
    """
    a = payload.assemblee
    if a.en_exercice is not None and a.en_exercice > a.effectif_legal:
        return [
            Violation(
                "assemblee.en_exercice",
                "en-exercice-superieur-effectif",
                f"assemblee.en_exercice ({a.en_exercice}) dépasse assemblee.effectif_legal "
                f"({a.effectif_legal}) : les membres en exercice occupent au plus les sièges "
                "du conseil.",
            )
        ]
    return []


def check_quorum(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation when too few members are physically present to deliberate.

    Source: CGCT L2121-17 (communes; EPCI, métropoles and syndicats through L5211-1), L3121-14
    (départements), L4132-13 (régions): more than half of the members in office present,
    proxies and members leaving the vote not counted (Sénat QE n° 24626, 2007); none on a
    second convocation or at the meeting held de plein droit three days later; one third
    during the COVID-19 windows (loi n° 2020-290 art. 10 and the laws that followed it).
    """
    d = decompter(payload)
    if d.presents_votants >= d.quorum:
        return []
    day = payload.seance.date
    regle = "le tiers" if texte_covid(day) else "plus de la moitié"
    source = source_quorum(payload.collectivite.type, day)
    return [
        Violation(
            "presences",
            "quorum-non-atteint",
            f"presences : quorum non atteint, {d.presents_votants} membre(s) présent(s) "
            f"prenant part au vote, il en faut au moins {d.quorum}, soit {regle} des "
            f"{d.en_exercice} membres en exercice ({source}) ; les pouvoirs et les membres qui "
            "ne prennent pas part au vote ne comptent pas. Une séance tenue après "
            "une première convocation sans quorum se déclare par "
            "seance.seconde_convocation = true.",
        )
    ]
