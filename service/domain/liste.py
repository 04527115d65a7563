"""The list of the deliberations examined in a sitting (CGCT L2121-25).

Since 1 July 2022 the list replaces the compte rendu: within a week it is posted at the town
hall and put online. It gives at least the date of the sitting and the object of every
deliberation, adopted or rejected (DGCL; ``shared/notes/legal.md`` §4.4); the list printed
here adds the numéro and the vote, and says the result as the extract does (a tie settled by the
président's casting vote is adopted).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service.domain.payload import Membre
from service.domain.resultat import resultat_de
from service.domain.seance import SeancePayload, identifiers_of


@dataclass(frozen=True)
class LigneDeListe:
    """One deliberation of the list."""

    ordre: int
    numero: str
    identifiant: str
    objet: str
    adoptee: bool
    resultat: str
    """The result in words, as the extract prints it (:func:`service.domain.resultat.resultat_de`):
    « Adoptée à l'unanimité », « Rejetée à la majorité », « Nomination : … »."""
    pour: int | None
    """The counts of the vote; `None` for a nomination."""
    contre: int | None
    abstention: int | None
    ne_se_prononce_pas: int | None


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
    mise_en_ligne: dt.date | None = None
    """The date the list was put online (L2121-25), once recorded."""

    @property
    def adoptees(self) -> int:
        """Return how many deliberations were adopted."""
        return sum(1 for ligne in self.lignes if ligne.adoptee)


def liste_deliberations(seance: SeancePayload, mise_en_ligne: dt.date | None = None
                        ) -> ListeDeliberations:
    """Return the list of the deliberations of *seance*, in the order of the agenda, put online
    on *mise_en_ligne* when known."""
    president: Membre | None = next(
        (m for m in seance.membres if m.id == seance.seance.president), None
    )
    lignes = []
    for d, ident in zip(seance.deliberations, identifiers_of(seance), strict=True):
        resultat = resultat_de(d, president)
        v = d.vote
        lignes.append(
            LigneDeListe(
                ordre=d.ordre,
                numero=d.numero,
                identifiant=str(ident),
                objet=d.objet,
                adoptee=resultat.adoptee if resultat else False,
                resultat=resultat.libelle if resultat else "",
                pour=v.pour if v else None,
                contre=v.contre if v else None,
                abstention=v.abstention if v else None,
                ne_se_prononce_pas=v.ne_se_prononce_pas if v else None,
            )
        )
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
        mise_en_ligne=mise_en_ligne,
    )
