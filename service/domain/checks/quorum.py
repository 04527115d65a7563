"""Checks of the quorum: enough members physically present for the assembly to deliberate."""

from __future__ import annotations

from service.domain.decompte import decompter, departement_of, election_executif
from service.domain.payload import DeliberationPayload
from service.domain.regimes import organe_prevu, regle_quorum
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
    """Return a violation when too few members attend for the body to deliberate.

    Source: CGCT L2121-17 (communes; EPCI, métropoles and syndicats through L5211-1), L3121-14
    (départements), L4132-13 (régions): more than half of the members in office present,
    proxies and members leaving the vote not counted (Sénat QE n° 24626, 2007); L3121-14-1 (a
    département's commission permanente: present **or represented**); none on a second
    convocation or at the meeting held de plein droit three days later; one third during the
    COVID-19 windows (loi n° 2020-290 art. 10 and the laws that followed it), counted on the
    members present or represented from 3 April to 10 July 2020 (ordonnance n° 2020-391),
    except a commune's election of its maire and adjoints from 14 May 2020 (ordonnance
    n° 2020-562). Suppléants sitting and members attending by teleconference are present
    (L5211-6, L5211-11-1).
    """
    d = decompter(payload)
    if d.pour_quorum >= d.quorum:
        return []
    regle = regle_quorum(
        d.en_exercice,
        payload.seance.date,
        type_collectivite=payload.collectivite.type,
        organe=payload.assemblee.organe,
        departement=departement_of(payload),
        election_executif=election_executif(payload),
    )
    part = "le tiers" if regle.tiers else "plus de la moitié"
    if regle.representes:
        compte = (
            f"{d.presents_votants} membre(s) présent(s) prenant part au vote et "
            f"{d.procurations} représenté(s)"
        )
        exclus = "les membres qui ne prennent pas part au vote ne comptent pas"
    else:
        compte = f"{d.presents_votants} membre(s) présent(s) prenant part au vote"
        exclus = "les pouvoirs et les membres qui ne prennent pas part au vote ne comptent pas"
    return [
        Violation(
            "presences",
            "quorum-non-atteint",
            f"presences : quorum non atteint, {compte}, il en faut au moins {d.quorum}, soit "
            f"{part} des {d.en_exercice} membres en exercice ({regle.source}) ; {exclus}. Une "
            "séance tenue après une première convocation sans quorum se déclare par "
            "seance.seconde_convocation = true.",
        )
    ]


def check_organe(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation when ``assemblee.organe`` names a body this authority does not have.

    Source: CGCT L3122-4 (the département's commission permanente), L4133-4 (the région's),
    L5211-10 (the bureau of an EPCI; syndicats through L5211-1 and L5711-1).
    """
    a, c = payload.assemblee, payload.collectivite
    texte = organe_prevu(c.type, a.organe)
    if texte is None:
        return []
    return [
        Violation(
            "assemblee.organe",
            "organe-non-prevu",
            f"assemblee.organe « {a.organe} » : une collectivité de type « {c.type} » n'a pas "
            f"cet organe ({texte}) ; « deliberant » pour son assemblée.",
        )
    ]
