"""A sitting built from the Dijon example: many deliberations, members arriving and leaving.

The expected counts are worked out here from the attendance the builder writes, independently
of the service's own counting, so the tests compare the PDFs with what the clerk typed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

SIRET = "24210041000016"
"""Dijon Métropole's SIREN with a NIC giving a valid Luhn key."""
MATIERES = ("4.1", "7.5", "8.4", "1.1", "5.3", "9.4", "7.10", "3.1")


@dataclass(frozen=True)
class Attendu:
    """What the act of one deliberation must show."""

    numero: str
    objet: str
    presents_votants: int
    procurations: int
    pour: int
    contre: int
    abstention: int

    @property
    def adoptee(self) -> bool:
        return self.pour > self.contre

    @property
    def resultat(self) -> str:
        """The result in words, as the list and the extract print it (typographed)."""
        if self.pour <= self.contre:
            return "Rejetée à la majorité"
        if self.contre:
            return "Adoptée à la majorité"
        if self.abstention:
            return "Adoptée à l’unanimité des suffrages exprimés"
        return "Adoptée à l’unanimité"


def sitting(dijon: dict[str, Any], n: int = 40, *, siret: str | None = SIRET
            ) -> tuple[dict[str, Any], list[Attendu]]:
    """Return a sitting of *n* deliberations and what each act must show.

    Deliberation *i* loses ``i % 5`` more members (they leave before the vote) whenever
    ``i % 3`` is not 0, and then carries its own ``presences``; the others use the sitting's.
    Deliberation 7 is rejected (more votes against than for).
    """
    base = copy.deepcopy(dijon)
    delib0 = base.pop("deliberation")
    base.pop("transmission", None)
    if siret:
        base["collectivite"]["siret"] = siret
    sitting_presences = base["presences"]
    busy = {base["seance"]["president"], *base["seance"]["secretaires"]}
    busy |= {p["mandataire"] for p in sitting_presences["pouvoirs"]}
    busy |= {p["mandant"] for p in sitting_presences["pouvoirs"]}
    busy |= set(sitting_presences["absents"])
    free = [m["id"] for m in base["membres"] if m["id"] not in busy]

    deliberations, attendus = [], []
    for i in range(n):
        delib = copy.deepcopy(delib0)
        # A short act: the exposé of the Dijon example fills pages the tests do not need.
        delib.pop("expose", None)
        delib["numero"] = f"2019-12-19_{100 + i:03d}"
        delib["ordre"] = i + 1
        delib["matiere"] = MATIERES[i % len(MATIERES)]
        delib["objet"] = f"Objet n° {i + 1} de la séance : délibération « {i} » & suite"
        presences = sitting_presences
        if i % 3:
            presences = copy.deepcopy(sitting_presences)
            presences["absents"] = presences["absents"] + free[: i % 5]
            delib["presences"] = presences
        membres = len(base["membres"])
        procurations = len(presences["pouvoirs"])
        presents_votants = membres - len(presences["absents"]) - procurations
        votants = presents_votants + procurations
        contre, abstention = i % 4, i % 3
        if i == 7:
            contre = votants // 2 + 1
        pour = votants - contre - abstention
        delib["vote"] = {"pour": pour, "contre": contre, "abstention": abstention,
                         "ne_se_prononce_pas": 0}
        deliberations.append(delib)
        attendus.append(Attendu(delib["numero"], delib["objet"], presents_votants, procurations,
                                pour, contre, abstention))
    base["deliberations"] = deliberations
    return base, attendus


def identifiant(numero: str) -> str:
    """Return the ACTES identifier of the Dijon act numbered *numero*."""
    return f"021-242100410-20191219-{numero}-DE"
