"""The list of the deliberations examined in a sitting (CGCT L2121-25).

Since 1 July 2022 the list replaces the compte rendu: within a week it is posted at the town
hall and put online. It gives at least the date of the sitting and the object of every
deliberation, adopted or rejected (DGCL; ``shared/notes/legal.md`` §4.4); the list printed
here adds the numéro and the vote.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service.domain.payload import Vote
from service.domain.seance import SeancePayload, identifiers_of


def est_adoptee(vote: Vote) -> bool:
    """`True` when the deliberation is adopted: more votes for than against.

    Source: the majority is that of the suffrages exprimés, pour + contre; abstentions and
    members who do not vote are not counted (``shared/notes/legal.md`` §3.2), so a motion is
    adopted iff ``pour > contre``. A tie is rejected: the président's casting vote (L2121-20)
    is not in the payload, whose counts already include it when it decided.
    """
    return vote.pour > vote.contre


@dataclass(frozen=True)
class LigneDeListe:
    """One deliberation of the list."""

    ordre: int
    numero: str
    identifiant: str
    objet: str
    adoptee: bool
    pour: int
    contre: int
    abstention: int
    ne_se_prononce_pas: int

    @property
    def resultat(self) -> str:
        """Return « Adoptée » or « Rejetée »."""
        return "Adoptée" if self.adoptee else "Rejetée"


@dataclass(frozen=True)
class ListeDeliberations:
    """The list of one sitting: who deliberated, when, and each deliberation."""

    collectivite: str
    siren: str
    type_collectivite: str
    assemblee: str
    date: dt.date
    heure: str | None
    lieu: str | None
    lignes: tuple[LigneDeListe, ...]

    @property
    def adoptees(self) -> int:
        """Return how many deliberations were adopted."""
        return sum(1 for ligne in self.lignes if ligne.adoptee)


def liste_deliberations(seance: SeancePayload) -> ListeDeliberations:
    """Return the list of the deliberations of *seance*, in the order of the agenda."""
    lignes = [
        LigneDeListe(
            ordre=d.ordre,
            numero=d.numero,
            identifiant=str(ident),
            objet=d.objet,
            adoptee=est_adoptee(d.vote),
            pour=d.vote.pour,
            contre=d.vote.contre,
            abstention=d.vote.abstention,
            ne_se_prononce_pas=d.vote.ne_se_prononce_pas,
        )
        for d, ident in zip(seance.deliberations, identifiers_of(seance), strict=True)
    ]
    # Python's sort is stable: deliberations sharing a rank keep the payload's order.
    lignes.sort(key=lambda ligne: ligne.ordre)
    return ListeDeliberations(
        collectivite=seance.collectivite.nom,
        siren=seance.collectivite.siren,
        type_collectivite=seance.collectivite.type,
        assemblee=seance.assemblee.nom,
        date=seance.seance.date,
        heure=seance.seance.heure,
        lieu=seance.seance.lieu,
        lignes=tuple(lignes),
    )
