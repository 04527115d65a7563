"""The result of a deliberation in words, and the elected of a nomination: derived, never typed.

The extract and the list of deliberations print the same result (contract v1.1, "Derived and
printed"; ``shared/notes/legal.md`` §3.2 and §11):

- a deliberation is adopted by the absolute majority of the votes cast, ``pour > contre``
  (L2121-20: « à la majorité absolue des suffrages exprimés »; abstentions, members who do not
  vote, blank and spoilt ballots are not votes cast);
- on a tie the président's vote prevails, except in a secret ballot (L2121-20 al. 3): the
  payload says which way (``vote.voix_preponderante``), or a public ballot names him;
- a nomination is won at rounds 1 and 2 by the absolute majority of the votes cast, at round 3
  by the relative majority, and on a tie by the eldest (L2121-21).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service.domain.payload import Deliberation, Election, Membre, Sens, Vote


@dataclass(frozen=True)
class Resultat:
    """The outcome of one vote."""

    adoptee: bool
    libelle: str
    """« Adoptée à l'unanimité », « Adoptée à la majorité », « Rejetée »…"""
    exprimes: int
    """Votes cast: pour + contre."""
    voix_preponderante: Sens | None = None
    """The way the président's casting vote settled a tie, when it did."""


def sens_du_president(vote: Vote, president: str | None) -> Sens | None:
    """Return how the président voted when a list of names says so (``pour`` or ``contre``)."""
    if president is None:
        return None
    if president in (vote.noms_pour or ()):
        return "pour"
    if president in (vote.noms_contre or ()):
        return "contre"
    return None


def voix_preponderante(vote: Vote, president: str | None) -> Sens | None:
    """Return the way the président's casting vote settles the tie of *vote*, or `None`.

    Only on a tie of votes cast (``pour == contre > 0``) outside a secret ballot: the payload's
    ``voix_preponderante``, else the way a list of names shows the président voted.
    """
    if vote.mode == "secret" or vote.pour != vote.contre or vote.pour == 0:
        return None
    return vote.voix_preponderante or sens_du_president(vote, president)


def resultat_du_vote(vote: Vote, president: Membre | None = None) -> Resultat:
    """Return the result of *vote* in words, the président's casting vote taken into account."""
    exprimes = vote.pour + vote.contre
    sans_effet = vote.abstention + vote.ne_se_prononce_pas + vote.blancs + vote.nuls
    prevaut = voix_preponderante(vote, president.id if president else None)
    if prevaut is not None:
        titre = "de la Présidente" if president and president.civilite == "Mme" else "du Président"
        adoptee = prevaut == "pour"
        libelle = f"{'Adoptée' if adoptee else 'Rejetée'}, la voix {titre} étant prépondérante"
        return Resultat(adoptee, libelle, exprimes, prevaut)
    if vote.pour > vote.contre:
        if vote.contre:
            libelle = "Adoptée à la majorité"
        elif sans_effet:
            libelle = "Adoptée à l'unanimité des suffrages exprimés"
        else:
            libelle = "Adoptée à l'unanimité"
        return Resultat(True, libelle, exprimes)
    if vote.pour == vote.contre and vote.pour:
        return Resultat(False, "Rejetée, faute de majorité (partage égal des voix)", exprimes)
    if vote.pour == 0 and vote.contre == 0:
        return Resultat(False, "Rejetée, faute de suffrage exprimé", exprimes)
    if vote.pour:
        return Resultat(False, "Rejetée à la majorité", exprimes)
    return Resultat(False, "Rejetée à l'unanimité" if not sans_effet else
                    "Rejetée à l'unanimité des suffrages exprimés", exprimes)


# --- nominations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Elu:
    """A candidate elected at one round."""

    nom: str
    voix: int
    tour: int
    """1, 2 or 3."""
    au_plus_age: bool = False
    """Elected as the eldest of candidates tied on votes (third round)."""


@dataclass(frozen=True)
class TourDepouille:
    """One round counted: votes cast, the majority needed, who was elected."""

    numero: int
    exprimes: int
    blancs: int
    nuls: int
    majorite_absolue: int | None
    """Votes needed at rounds 1 and 2; `None` at round 3 (relative majority)."""
    elus: tuple[Elu, ...]


@dataclass(frozen=True)
class Depouillement:
    """A nomination counted round by round, as far as the rounds given allow."""

    postes: int
    tours: tuple[TourDepouille, ...]
    egalites: tuple[tuple[int, tuple[int, ...]], ...] = ()
    """``(round index, candidate indexes)`` of ties the eldest must settle but that the birth
    dates given cannot (a date missing, or the same)."""
    superflus: tuple[int, ...] = ()
    """Indexes of rounds held after every seat was filled (or beyond the third)."""

    @property
    def elus(self) -> tuple[Elu, ...]:
        """Every elected candidate, in the order of election."""
        return tuple(e for t in self.tours for e in t.elus)

    @property
    def complete(self) -> bool:
        """`True` when every seat is filled."""
        return len(self.elus) == self.postes


def majorite_absolue(exprimes: int) -> int:
    """Return the votes needed for an absolute majority of *exprimes*: more than half."""
    return exprimes // 2 + 1


def _par_age(indexes: list[int], naissances: list[dt.date | None]) -> list[int] | None:
    """Return *indexes* from the eldest, or `None` when a birth date is missing or shared."""
    dates = [naissances[i] for i in indexes]
    if any(d is None for d in dates) or len(set(dates)) < len(dates):
        return None
    return sorted(indexes, key=lambda i: naissances[i])  # type: ignore[arg-type, return-value]


def depouiller(election: Election) -> Depouillement:
    """Count *election* round by round and return who was elected, and what went wrong.

    Rounds 1 and 2 elect the candidates holding the absolute majority of the votes cast
    (the candidates' votes; blank and spoilt ballots are not cast), as many as seats remain;
    round 3 fills the remaining seats by relative majority (candidates with at least one vote),
    and a tie on the last seats goes to the eldest. A candidate already elected is not counted
    again.
    """
    restant = election.postes
    elus_noms: set[str] = set()
    tours: list[TourDepouille] = []
    egalites: list[tuple[int, tuple[int, ...]]] = []
    superflus: list[int] = []
    for k, tour in enumerate(election.tours):
        numero = k + 1
        if restant == 0 or numero > 3:
            superflus.append(k)
            continue
        exprimes = sum(c.voix for c in tour.candidats)
        candidats = [
            i for i, c in enumerate(tour.candidats) if c.nom not in elus_noms and c.voix > 0
        ]
        candidats.sort(key=lambda i: -tour.candidats[i].voix)
        elus: list[Elu] = []
        if numero < 3:
            seuil = majorite_absolue(exprimes)
            gagnants = [i for i in candidats if tour.candidats[i].voix >= seuil][:restant]
            elus = [Elu(tour.candidats[i].nom, tour.candidats[i].voix, numero) for i in gagnants]
            majorite: int | None = seuil
        else:
            majorite = None
            if len(candidats) <= restant:
                gagnants, au_plus_age = candidats, set[int]()
            else:
                limite = tour.candidats[candidats[restant - 1]].voix
                surs = [i for i in candidats if tour.candidats[i].voix > limite]
                ex_aequo = [i for i in candidats if tour.candidats[i].voix == limite]
                places = restant - len(surs)
                gagnants, au_plus_age = surs, set()
                if len(ex_aequo) > places:
                    naissances = [c.date_naissance for c in tour.candidats]
                    ordre = _par_age(ex_aequo, naissances)
                    if ordre is None:
                        egalites.append((k, tuple(ex_aequo)))
                    else:
                        au_plus_age = set(ordre[:places])
                        gagnants = surs + ordre[:places]
                else:
                    gagnants = surs + ex_aequo
            elus = [
                Elu(tour.candidats[i].nom, tour.candidats[i].voix, numero, i in au_plus_age)
                for i in gagnants
            ]
        restant -= len(elus)
        elus_noms.update(e.nom for e in elus)
        tours.append(TourDepouille(numero, exprimes, tour.blancs, tour.nuls, majorite, tuple(elus)))
    return Depouillement(election.postes, tuple(tours), tuple(egalites), tuple(superflus))


def resultat_election(election: Election) -> Resultat:
    """Return the result of a nomination as the list of deliberations prints it: « Nomination :
    Mme Claire DUPONT (40 voix) », adopted once every seat is filled."""
    d = depouiller(election)
    elus = d.elus
    if not elus:
        return Resultat(False, "Nomination : aucun élu", 0)
    noms = ", ".join(f"{e.nom} ({e.voix} voix)" for e in elus)
    return Resultat(d.complete, f"Nomination : {noms}", d.tours[-1].exprimes)


def resultat_de(deliberation: Deliberation, president: Membre | None = None) -> Resultat | None:
    """Return the result of *deliberation*: of its vote, else of its nomination (`None` when it
    has neither, which the checks report)."""
    if deliberation.vote is not None:
        return resultat_du_vote(deliberation.vote, president)
    if deliberation.election is not None:
        return resultat_election(deliberation.election)
    return None
