"""The procès-verbal of a sitting (CGCT L2121-15), made from the acts of the sitting as stored.

Source (``shared/notes/legal.md`` §4.3, L2121-15 in force from 1 July 2022): « Le procès-verbal
de chaque séance, rédigé par le ou les secrétaires, est arrêté au commencement de la séance
suivante, et signé par le maire et le ou les secrétaires. Il contient la date et l'heure de la
séance, les noms du président, des membres du conseil municipal présents ou représentés et du
ou des secrétaires de séance, le quorum, l'ordre du jour de la séance, les délibérations
adoptées et les rapports au vu desquels elles ont été adoptées, les demandes de scrutin
particulier, le résultat des scrutins précisant, s'agissant des scrutins publics, le nom des
votants et le sens de leur vote, et la teneur des discussions au cours de la séance. » Départements
(L3121-13): the same content.

The service keeps the procès-verbal as an act of its own, identified ``PV-<sitting>``, with
versions like an act: generated, then amended by the secretary (PUT of the DOCX), then arrêté.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service.domain.payload import DeliberationPayload
from service.domain.seance import SeancePayload, deliberation_payload

PREFIXE = "PV-"


def proces_verbal_id(seance_id: str) -> str:
    """Return the identifier the sitting's procès-verbal is stored under."""
    return f"{PREFIXE}{seance_id}"


def est_proces_verbal(identifiant: str) -> bool:
    """`True` when *identifiant* names a procès-verbal rather than an ACTES act."""
    return identifiant.startswith(PREFIXE)


@dataclass(frozen=True)
class ProcesVerbal:
    """What the procès-verbal says: the sitting, then each deliberation as its act was stored."""

    seance_id: str
    seance: DeliberationPayload
    """The sitting's own data (date, hour, président, secretaries, members, the sitting's
    attendance) as one deliberation's payload: the first act's, with the sitting's presences."""
    deliberations: tuple[DeliberationPayload, ...]
    """The payload each act of the sitting was last generated from, in the agenda's order."""
    arrete_le: dt.date | None = None
    """The date of the sitting that adopted it, once known."""


def proces_verbal(seance_id: str, seance: SeancePayload,
                  deliberations: list[DeliberationPayload],
                  arrete_le: dt.date | None = None) -> ProcesVerbal:
    """Return the procès-verbal of *seance* whose acts were generated from *deliberations*.

    The sitting's header takes the first act's sitting data (the acts are what was decided)
    with the attendance declared for the whole sitting.
    """
    premier = deliberations[0] if deliberations else deliberation_payload(seance, 0)
    entete = premier.model_copy(update={"presences": seance.presences})
    ordonnees = sorted(deliberations, key=lambda p: p.deliberation.ordre)
    return ProcesVerbal(seance_id, entete, tuple(ordonnees), arrete_le)
