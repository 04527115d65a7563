"""Who was there and how many: the counts printed on the extract, derived from the payload.

Never typed by the caller (contract, "Derived"): present count, proxy count, voters, quorum.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from service.domain.payload import DeliberationPayload, Membre, Pouvoir

# Sittings during which the COVID-19 laws lowered the quorum to one third of the members in
# office and allowed two proxies per member (shared/notes/legal.md §2.3): loi 2020-290 art. 10
# (24 March 2020, extended by loi 2020-760 to 30 August 2020), loi 2020-1379 art. 6 then lois
# 2021-160 and 2021-689 (16 November 2020 to 30 September 2021), loi 2021-1465 art. 10
# (10 November 2021 to 31 July 2022). Back to the droit commun from 1 August 2022.
COVID_WINDOWS: tuple[tuple[dt.date, dt.date], ...] = (
    (dt.date(2020, 3, 24), dt.date(2020, 8, 30)),
    (dt.date(2020, 11, 16), dt.date(2021, 9, 30)),
    (dt.date(2021, 11, 10), dt.date(2022, 7, 31)),
)


def in_covid_window(day: dt.date) -> bool:
    """`True` when a sitting held on *day* fell under the COVID-19 derogations."""
    return any(start <= day <= end for start, end in COVID_WINDOWS)


def quorum_required(en_exercice: int, day: dt.date, seconde_convocation: bool) -> int:
    """Return how many members must be physically present for the assembly to deliberate.

    CGCT L2121-17 (communes, and EPCI through L5211-1), L3121-14 (départements), L4132-13
    (régions): more than half of the members in office, i.e. ``floor(n/2) + 1``; none on a
    second convocation (communes, EPCI) or at the meeting held de plein droit three days later
    (départements, régions). One third (``ceil(n/3)``) inside the COVID-19 windows.
    """
    if seconde_convocation:
        return 0
    if in_covid_window(day):
        return math.ceil(en_exercice / 3)
    return en_exercice // 2 + 1


def max_pouvoirs_per_mandataire(day: dt.date) -> int:
    """Return how many proxies one member may hold: one (CGCT L2121-20, L3121-16,
    L4132-15), two inside the COVID-19 windows (loi 2020-290 art. 10 and its successors)."""
    return 2 if in_covid_window(day) else 1


@dataclass(frozen=True)
class Decompte:
    """The attendance of one deliberation, as the extract prints it."""

    en_exercice: int
    presents: tuple[Membre, ...]
    """Members physically present, in the order of ``membres``."""
    absents: tuple[Membre, ...]
    """Members absent without proxy."""
    pouvoirs: tuple[Pouvoir, ...]
    """Proxies, in the payload's order."""
    ne_prennent_pas_part: tuple[Membre, ...]
    presents_votants: int
    """Present members who take part in the vote (``Nombre de présents participant au vote``)."""
    procurations: int
    """Proxies carried by present voters (``Nombre de procurations``)."""
    quorum: int

    @property
    def votants(self) -> int:
        """Votes that can be cast: present voters plus the proxies they carry."""
        return self.presents_votants + self.procurations


def decompter(payload: DeliberationPayload) -> Decompte:
    """Return the counts of *payload*; unknown ids are ignored here (the checks report them)."""
    by_id = {m.id: m for m in payload.membres}
    p = payload.presences
    mandants = {pv.mandant for pv in p.pouvoirs}
    absents_ids = set(p.absents)
    npp = set(p.ne_prennent_pas_part)
    presents = tuple(m for m in payload.membres if m.id not in absents_ids | mandants)
    present_ids = {m.id for m in presents}
    voters = present_ids - npp
    procurations = sum(1 for pv in p.pouvoirs if pv.mandataire in voters and pv.mandant in by_id)
    en_exercice = payload.assemblee.en_exercice or len(payload.membres)
    return Decompte(
        en_exercice=en_exercice,
        presents=presents,
        absents=tuple(by_id[i] for i in p.absents if i in by_id and i not in mandants),
        pouvoirs=tuple(p.pouvoirs),
        ne_prennent_pas_part=tuple(by_id[i] for i in p.ne_prennent_pas_part if i in by_id),
        presents_votants=len(voters),
        procurations=procurations,
        quorum=quorum_required(en_exercice, payload.seance.date, payload.seance.seconde_convocation),
    )
