"""Checks of remote attendance (``presences.a_distance``, contract v1.1): allowed only where
the law of that authority and date allows it, by members who attend, and then only public
ballots, no nomination."""

from __future__ import annotations

from service.domain.checks.presences import pourquoi_absent
from service.domain.checks.registre import Registre
from service.domain.decompte import departement_of
from service.domain.payload import DeliberationPayload
from service.domain.regimes import source_teleconference
from service.domain.violations import Violation


def _source(payload: DeliberationPayload) -> str | None:
    return source_teleconference(
        payload.collectivite.type,
        payload.seance.date,
        payload.assemblee.organe,
        departement_of(payload),
    )


def check_a_distance_permis(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation when members attend remotely where no text allowed it that day.

    Source: CGCT L5211-11-1 (loi n° 2019-1461 du 27 décembre 2019, art. 11: the council of an
    EPCI à fiscalité propre may meet by teleconference, « Le quorum est alors apprécié en
    fonction de la présence des conseillers communautaires dans les différents lieux de
    réunion »); ordonnance n° 2020-391 du 1er avril 2020, art. 6, revived by loi n° 2020-1379
    art. 6 and loi n° 2021-1465 art. 10 (every authority, inside the COVID-19 windows,
    ``shared/notes/legal.md`` §2.3 and §11). Elsewhere the members attend in person.
    """
    p = payload.presences
    if not p.a_distance or _source(payload) is not None:
        return []
    c, day = payload.collectivite, payload.seance.date
    return [
        Violation(
            "presences.a_distance",
            "a-distance-non-permis",
            f"presences.a_distance : aucun texte ne permettait à une collectivité de type "
            f"« {c.type} » ({payload.assemblee.organe}) de siéger par téléconférence le "
            f"{day:%d/%m/%Y} ; seuls le conseil d'un EPCI à fiscalité propre depuis le 29/12/2019 "
            "(CGCT L5211-11-1) et les assemblées couvertes par les lois COVID-19 l'ont pu.",
        )
    ]


def check_a_distance_presents(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation for every member listed remote who is absent, a mandant, a suppléant
    who does not sit, or leaving the vote.

    Source: CGCT L5211-11-1 (members attending by teleconference are present, counted in the
    quorum and vote); L2121-20 (a mandant is absent); L2131-11 (a member leaving the vote takes
    no part in it): a member is in one list of ``presences`` at most.
    """
    registre = Registre.of(payload)
    found = []
    for k, member_id in enumerate(payload.presences.a_distance):
        champ = f"presences.a_distance[{k}]"
        if not registre.connu(member_id):
            continue  # reported as membre-inconnu
        if registre.est_absent(member_id):
            found.append(
                Violation(
                    champ,
                    "a-distance-absent",
                    f"{champ} : {registre.nomme(member_id)} est absent "
                    f"({pourquoi_absent(payload, member_id)}) ; un membre à distance est présent.",
                )
            )
        elif member_id in registre.ne_prennent_pas_part:
            j = payload.presences.ne_prennent_pas_part.index(member_id)
            found.append(
                Violation(
                    champ,
                    "a-distance-ne-prend-pas-part",
                    f"{champ} : {registre.nomme(member_id)} figure aussi en "
                    f"presences.ne_prennent_pas_part[{j}] ; un membre figure dans une seule "
                    "liste de presences (qui ne prend pas part au vote n'y est pas compté).",
                )
            )
    return found


def check_a_distance_scrutin(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation when members attend remotely and the vote is not a public ballot, or
    is a nomination.

    Source: CGCT L5211-11-1 (« Les votes ne peuvent avoir lieu qu'au scrutin public »; no
    teleconference for electing the président and the bureau or for designations, L2121-33);
    ordonnance n° 2020-391, art. 6 (the same rule during the COVID-19 windows).
    """
    if not payload.presences.a_distance:
        return []
    d = payload.deliberation
    if d.election is not None:
        return [
            Violation(
                "deliberation.election",
                "a-distance-nomination",
                "deliberation.election : une nomination se fait au scrutin secret, impossible "
                "avec des membres à distance (presences.a_distance) ; CGCT L5211-11-1.",
            )
        ]
    if d.vote is not None and d.vote.mode != "public":
        return [
            Violation(
                "deliberation.vote.mode",
                "a-distance-scrutin-non-public",
                f"deliberation.vote.mode « {d.vote.mode} » : avec des membres à distance "
                "(presences.a_distance), les votes ont lieu au scrutin public, chaque votant "
                "nommé avec le sens de son vote (CGCT L5211-11-1) ; mode « public » attendu.",
            )
        ]
    return []
