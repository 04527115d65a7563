"""The law in force for one sitting: the texts that set its quorum, its proxies, remote
attendance, suppléants and signatures, by type of authority, body and date.

Sources: ``shared/notes/legal.md`` §1 (quorum by assembly), §2.3 and its corrections in §11
(the COVID-19 windows), §4.1–4.2 (reform of 1 July 2022), §11 (suppléants, teleconference).
Each window and each rule carries the text it comes from, so a violation can cite it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service.domain.payload import Organe, TypeCollectivite

REFORME_2022 = dt.date(2022, 7, 1)
"""Ordonnance n° 2021-1310 and décret n° 2021-1311 of 7 October 2021, in force on 1 July 2022:
deliberations signed by the président and the secretary(ies) (CGCT L2121-23), the list of the
deliberations examined instead of the compte rendu (L2121-25), publication online (R2131-1)."""

EPCI = frozenset({"epci", "metropole", "syndicat"})
"""Authorities whose assembly sits under L5211-1 (the council's rules, applied to EPCI)."""

EPCI_A_FISCALITE_PROPRE = frozenset({"epci", "metropole"})
"""Communautés and métropoles: the EPCI of L5211-11-1 (teleconference) and L5211-6
(a commune with one seat has a suppléant)."""

_ORGANES = {
    "commission_permanente": (frozenset({"departement", "region"}), "CGCT art. L3122-4 et L4133-4"),
    "bureau": (EPCI, "CGCT art. L5211-10"),
}


@dataclass(frozen=True)
class Derogation:
    """One window of the COVID-19 laws: a third of the members in office present (or present
    and represented, ``representes``), two proxies per member, and sometimes teleconference."""

    debut: dt.date
    fin: dt.date
    texte: str
    representes: bool = False
    """The third is counted on members present **or represented** (ordonnance 2020-391)."""
    a_distance: bool = False
    """Members may attend by teleconference (ordonnance 2020-391, art. 6, and its revivals)."""
    organes: frozenset[str] = frozenset({"deliberant"})
    """The bodies it covers; commissions permanentes and EPCI bureaux only from loi 2020-760."""
    departements: frozenset[str] | None = None
    """Where it applied, when not everywhere (the state of emergency lasted longer in some)."""

    def couvre(self, day: dt.date, organe: Organe, departement: str | None) -> bool:
        """`True` when a sitting of *organe* held on *day* in *departement* falls under it."""
        if not self.debut <= day <= self.fin or organe not in self.organes:
            return False
        return self.departements is None or departement in self.departements


_TOUS_ORGANES = frozenset({"deliberant", "commission_permanente", "bureau"})

DEROGATIONS_COVID: tuple[Derogation, ...] = (
    Derogation(
        dt.date(2020, 3, 24), dt.date(2020, 4, 2),
        "loi n° 2020-290 du 23 mars 2020, art. 10",
    ),
    Derogation(
        dt.date(2020, 4, 3), dt.date(2020, 7, 10),
        "loi n° 2020-290 du 23 mars 2020, art. 10, et ordonnance n° 2020-391 du 1er avril 2020",
        representes=True, a_distance=True,
    ),
    Derogation(
        dt.date(2020, 7, 11), dt.date(2020, 8, 30),
        "loi n° 2020-290 du 23 mars 2020, art. 10, modifiée par la loi n° 2020-760 du "
        "22 juin 2020, art. 3",
        organes=_TOUS_ORGANES,
    ),
    # Guyane and Mayotte stayed under the state of emergency until 17 September 2020.
    Derogation(
        dt.date(2020, 8, 31), dt.date(2020, 9, 17),
        "loi n° 2020-290, art. 10, prolongé en Guyane et à Mayotte (loi n° 2020-856 et "
        "décret n° 2020-1143)",
        organes=_TOUS_ORGANES, departements=frozenset({"973", "976"}),
    ),
    # 17 October – 15 November 2020: not in force (the majority reading, legal.md §11).
    Derogation(
        dt.date(2020, 11, 16), dt.date(2021, 9, 30),
        "loi n° 2020-1379 du 14 novembre 2020, art. 6, prolongée par les lois n° 2021-160 "
        "et n° 2021-689",
        a_distance=True, organes=_TOUS_ORGANES,
    ),
    # Published in the JORF of 11 November 2021 without an urgency clause, the law applies from
    # the next day (Code civil art. 1): « Entrée en vigueur : 12 novembre 2021 » on Légifrance's
    # data (JORFTEXT000044315202, as shown by doctrine.fr).
    Derogation(
        dt.date(2021, 11, 12), dt.date(2022, 7, 31),
        "loi n° 2021-1465 du 10 novembre 2021, art. 10",
        a_distance=True, organes=_TOUS_ORGANES,
    ),
)

ELECTION_EXECUTIF_PRESENTS = dt.date(2020, 5, 14)
"""From this day the one-third quorum of the election of the maire and his adjoints counts
members present only (ordonnance n° 2020-562 du 13 mai 2020), not present or represented."""

TELECONFERENCE_EPCI = dt.date(2019, 12, 29)
"""CGCT L5211-11-1, created by loi n° 2019-1461 du 27 décembre 2019 (art. 11), published in the
JORF of 28 December 2019: in force the next day."""


def derogation_covid(
    day: dt.date, organe: Organe = "deliberant", departement: str | None = None
) -> Derogation | None:
    """Return the COVID-19 window a sitting of *organe* on *day* fell under, or `None`."""
    return next((d for d in DEROGATIONS_COVID if d.couvre(day, organe, departement)), None)


def organe_prevu(type_collectivite: TypeCollectivite, organe: Organe) -> str | None:
    """Return `None` when this authority has *organe*, else the text that gives it to others."""
    if organe == "deliberant":
        return None
    types, texte = _ORGANES[organe]
    return None if type_collectivite in types else texte


@dataclass(frozen=True)
class RegleQuorum:
    """How many members must attend, counted how, and by which text."""

    requis: int
    representes: bool
    """Members represented by a proxy count (commission permanente, ordonnance 2020-391)."""
    tiers: bool
    """One third (a COVID-19 window) rather than more than half."""
    source: str


_QUORUM = {
    "commune": "CGCT art. L2121-17",
    "epci": "CGCT art. L2121-17, applicable par l'art. L5211-1",
    "metropole": "CGCT art. L2121-17, applicable par l'art. L5211-1",
    "syndicat": "CGCT art. L2121-17, applicable par l'art. L5211-1",
    "departement": "CGCT art. L3121-14",
    "region": "CGCT art. L4132-13",
}


def regle_quorum(
    en_exercice: int,
    day: dt.date,
    *,
    type_collectivite: TypeCollectivite = "commune",
    organe: Organe = "deliberant",
    departement: str | None = None,
    seconde_convocation: bool = False,
    election_executif: bool = False,
) -> RegleQuorum:
    """Return the quorum of a sitting.

    More than half of the members in office, ``floor(n/2) + 1`` (L2121-17, L3121-14,
    L4132-13), physically present; a département's commission permanente counts members
    present or represented (L3121-14-1); none after a second convocation. Inside a COVID-19
    window, one third, ``ceil(n/3)``, present, or present or represented from 3 April to
    10 July 2020 (except the election of the maire and adjoints from 14 May 2020).
    *election_executif* is a commune's election of its maire and adjoints (matière 5.1).
    """
    if seconde_convocation:
        return RegleQuorum(0, False, False, "seconde convocation")
    derogation = derogation_covid(day, organe, departement)
    if derogation is not None:
        representes = derogation.representes and not (
            election_executif and day >= ELECTION_EXECUTIF_PRESENTS
        )
        source = derogation.texte
        if derogation.representes and not representes:
            source += (
                " ; ordonnance n° 2020-562 du 13 mai 2020 pour l'élection du maire et des adjoints"
            )
        return RegleQuorum(-(-en_exercice // 3), representes, True, source)
    if organe == "commission_permanente" and type_collectivite == "departement":
        return RegleQuorum(en_exercice // 2 + 1, True, False, "CGCT art. L3121-14-1")
    return RegleQuorum(en_exercice // 2 + 1, False, False, _QUORUM[type_collectivite])


_POUVOIRS = {
    "commune": "CGCT art. L2121-20",
    "epci": "CGCT art. L2121-20, applicable par l'art. L5211-1",
    "metropole": "CGCT art. L2121-20, applicable par l'art. L5211-1",
    "syndicat": "CGCT art. L2121-20, applicable par l'art. L5211-1",
    "departement": "CGCT art. L3121-16",
    "region": "CGCT art. L4132-15",
}


def regle_pouvoirs(
    day: dt.date,
    type_collectivite: TypeCollectivite = "commune",
    organe: Organe = "deliberant",
    departement: str | None = None,
) -> tuple[int, str]:
    """Return how many proxies one member may carry on *day*, and the text that says so: one
    (L2121-20, L3121-16, L4132-15), two inside a COVID-19 window."""
    derogation = derogation_covid(day, organe, departement)
    if derogation is not None:
        return 2, derogation.texte
    return 1, _POUVOIRS[type_collectivite]


def source_teleconference(
    type_collectivite: TypeCollectivite,
    day: dt.date,
    organe: Organe = "deliberant",
    departement: str | None = None,
) -> str | None:
    """Return the text that let members of this body attend by teleconference on *day*, or
    `None` when none did.

    CGCT L5211-11-1 (the council of an EPCI à fiscalité propre, from 29 December 2019); during
    the COVID-19 windows that revived ordonnance n° 2020-391, art. 6, every authority.
    """
    derogation = derogation_covid(day, organe, departement)
    if derogation is not None and derogation.a_distance:
        return derogation.texte
    if (
        type_collectivite in EPCI_A_FISCALITE_PROPRE
        and organe == "deliberant"
        and day >= TELECONFERENCE_EPCI
    ):
        return "CGCT art. L5211-11-1 (loi n° 2019-1461 du 27 décembre 2019, art. 11)"
    return None


def suppleants_prevus(type_collectivite: TypeCollectivite) -> str | None:
    """Return the text that gives this authority's members suppléants, or `None`.

    CGCT L5211-6 (a commune with one seat in a communauté or a métropole has a suppléant),
    L5212-7 (syndicats: « un ou plusieurs délégués suppléants »).
    """
    if type_collectivite in EPCI_A_FISCALITE_PROPRE:
        return "CGCT art. L5211-6"
    if type_collectivite == "syndicat":
        return "CGCT art. L5212-7"
    return None


def signatures_de_seance(day: dt.date) -> bool:
    """`True` when the deliberations of a sitting on *day* are signed by the président and the
    secretary(ies) (L2121-23 from 1 July 2022); before, by every member present."""
    return day >= REFORME_2022
