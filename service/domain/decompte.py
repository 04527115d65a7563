"""Who was there and how many: the counts printed on the extract, derived from the payload.

Never typed by the caller (contract, "Derived"): present count, proxy count, voters, quorum.

Suppléants (contract v1.1, ``membres[].suppleant_de``) sit only in place of a titulaire absent
without proxy (CGCT L5211-6; ``shared/notes/legal.md`` §11): whether one sits is derived here,
not typed, so a suppléant whose titulaire came is neither present nor absent, and is not
printed. Members attending by teleconference (``presences.a_distance``) are present.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service.domain.actes.identifier import normalise_departement
from service.domain.payload import DeliberationPayload, Membre, Pouvoir
from service.domain.regimes import DEROGATIONS_COVID, derogation_covid, regle_pouvoirs, regle_quorum

# The windows of the COVID-19 laws (shared/notes/legal.md §2.3 as corrected in §11), for
# sittings of the organe délibérant anywhere: see service.domain.regimes for the texts.
COVID_WINDOWS: tuple[tuple[dt.date, dt.date], ...] = tuple(
    (d.debut, d.fin) for d in DEROGATIONS_COVID if d.departements is None
)


def in_covid_window(day: dt.date) -> bool:
    """`True` when an assembly's sitting held on *day* fell under the COVID-19 derogations."""
    return derogation_covid(day) is not None


def quorum_required(en_exercice: int, day: dt.date, seconde_convocation: bool) -> int:
    """Return how many members of an assembly must attend for it to deliberate.

    CGCT L2121-17 (communes, and EPCI through L5211-1), L3121-14 (départements), L4132-13
    (régions): more than half of the members in office, i.e. ``floor(n/2) + 1``; none on a
    second convocation (communes, EPCI) or at the meeting held de plein droit three days later
    (départements, régions). One third (``ceil(n/3)``) inside the COVID-19 windows. The body
    and the way members are counted: :func:`service.domain.regimes.regle_quorum`.
    """
    return regle_quorum(en_exercice, day, seconde_convocation=seconde_convocation).requis


def max_pouvoirs_per_mandataire(day: dt.date) -> int:
    """Return how many proxies one member may hold: one (CGCT L2121-20, L3121-16,
    L4132-15), two inside the COVID-19 windows (loi 2020-290 art. 10 and its successors)."""
    return regle_pouvoirs(day)[0]


def departement_of(payload: DeliberationPayload) -> str | None:
    """Return the authority's département on 3 characters, `None` when it is no code."""
    try:
        return normalise_departement(payload.collectivite.departement)
    except ValueError:
        return None  # reported by check_departement


def election_executif(payload: DeliberationPayload) -> bool:
    """`True` for a commune's election of its maire or adjoints (ACTES matière 5.1)."""
    d = payload.deliberation
    return (
        payload.collectivite.type == "commune"
        and d.election is not None
        and d.matiere.split(".")[:2] == ["5", "1"]
    )


def suppleants_siegeant(payload: DeliberationPayload) -> dict[str, str]:
    """Return ``{suppléant id: titulaire id}`` for each suppléant who sits at this vote.

    A suppléant sits when his titulaire is listed absent without having given a proxy, and he
    is neither listed absent nor a mandant himself; when a titulaire has several suppléants (a
    syndicat), the first of ``membres`` who may sit does.
    """
    p = payload.presences
    absents, mandants = set(p.absents), {pv.mandant for pv in p.pouvoirs}
    known = {m.id for m in payload.membres}
    out: dict[str, str] = {}
    for m in payload.membres:
        t = m.suppleant_de
        if (
            t is None
            or t == m.id
            or t not in known
            or t not in absents
            or t in mandants
            or m.id in absents
            or m.id in mandants
            or t in out.values()
        ):
            continue
        out[m.id] = t
    return out


@dataclass(frozen=True)
class Decompte:
    """The attendance of one deliberation, as the extract prints it."""

    en_exercice: int
    presents: tuple[Membre, ...]
    """Members physically present or by teleconference, in the order of ``membres``."""
    absents: tuple[Membre, ...]
    """Members absent without proxy (a titulaire replaced by his suppléant is not listed)."""
    pouvoirs: tuple[Pouvoir, ...]
    """Proxies, in the payload's order."""
    ne_prennent_pas_part: tuple[Membre, ...]
    presents_votants: int
    """Present members who take part in the vote (``Nombre de présents participant au vote``)."""
    procurations: int
    """Proxies carried by present voters (``Nombre de procurations``)."""
    quorum: int
    suppleances: tuple[tuple[Membre, Membre], ...] = ()
    """``(suppléant, titulaire)`` for each suppléant sitting, in the order of ``membres``."""
    a_distance: tuple[Membre, ...] = ()
    """Present members attending by teleconference, in the order of ``membres``."""
    quorum_representes: bool = False
    """The quorum counts members present or represented (see :class:`RegleQuorum`)."""

    @property
    def votants(self) -> int:
        """Votes that can be cast: present voters plus the proxies they carry."""
        return self.presents_votants + self.procurations

    @property
    def pour_quorum(self) -> int:
        """Members counted for the quorum: present voters, plus the represented when the
        rule counts them."""
        return self.presents_votants + (self.procurations if self.quorum_representes else 0)


def en_exercice_of(payload: DeliberationPayload) -> int:
    """Return the members in office: ``assemblee.en_exercice``, else the members who are not
    suppléants (a suppléant holds no seat of his own)."""
    return payload.assemblee.en_exercice or sum(
        1 for m in payload.membres if m.suppleant_de is None
    )


def decompter(payload: DeliberationPayload) -> Decompte:
    """Return the counts of *payload*; unknown ids are ignored here (the checks report them)."""
    by_id = {m.id: m for m in payload.membres}
    p = payload.presences
    mandants = {pv.mandant for pv in p.pouvoirs}
    absents_ids = set(p.absents)
    npp = set(p.ne_prennent_pas_part)
    siegeant = suppleants_siegeant(payload)
    remplaces = set(siegeant.values())
    hors_seance = {
        m.id for m in payload.membres if m.suppleant_de is not None and m.id not in siegeant
    }
    presents = tuple(
        m for m in payload.membres if m.id not in absents_ids | mandants | hors_seance
    )
    present_ids = {m.id for m in presents}
    voters = present_ids - npp
    procurations = sum(1 for pv in p.pouvoirs if pv.mandataire in voters and pv.mandant in by_id)
    en_exercice = en_exercice_of(payload)
    regle = regle_quorum(
        en_exercice,
        payload.seance.date,
        type_collectivite=payload.collectivite.type,
        organe=payload.assemblee.organe,
        departement=departement_of(payload),
        seconde_convocation=payload.seance.seconde_convocation,
        election_executif=election_executif(payload),
    )
    distance = set(p.a_distance)
    return Decompte(
        en_exercice=en_exercice,
        presents=presents,
        absents=tuple(
            by_id[i]
            for i in p.absents
            if i in by_id and i not in mandants | remplaces | hors_seance
        ),
        pouvoirs=tuple(p.pouvoirs),
        ne_prennent_pas_part=tuple(by_id[i] for i in p.ne_prennent_pas_part if i in by_id),
        presents_votants=len(voters),
        procurations=procurations,
        quorum=regle.requis,
        suppleances=tuple(
            (m, by_id[siegeant[m.id]]) for m in payload.membres if m.id in siegeant
        ),
        a_distance=tuple(m for m in presents if m.id in distance),
        quorum_representes=regle.representes,
    )
