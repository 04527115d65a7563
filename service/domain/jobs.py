"""What the service keeps of a sitting and of the job generating its acts.

A job holds one line per act; a worker (a thread of the embedded queue or a Celery worker on any
machine) generates one act at a time and writes its line, so the job's progress is read from
the database by any process.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

StatutJob = Literal["en_attente", "en_cours", "terminee", "echouee"]
"""``terminee``: every act generated; ``echouee``: finished, at least one act in error."""
StatutActeDeJob = Literal["en_attente", "generee", "regeneree", "conservee", "refusee", "erreur"]
"""``generee``: first generated; ``regeneree``: a new version from a changed payload;
``conservee``: kept as it is (unchanged payload, a clerk's amendment stays current);
``refusee``: the payload would replace a clerk's amendment or a transmitted act (see
:mod:`service.domain.regeneration`); ``erreur``: could not be generated."""
FAITS = ("generee", "regeneree", "conservee")
"""Statuses of an act the job dealt with successfully."""
TERMINES = (*FAITS, "refusee")
"""Statuses a worker does not start again (a redelivered task)."""


@dataclass(frozen=True)
class ActeDeJob:
    """One act of a job: its place in the sitting, its identifier and how it went."""

    position: int
    """Index of the deliberation in the sitting's ``deliberations[]``."""
    identifiant: str
    statut: StatutActeDeJob
    tentatives: int = 0
    """How many times a worker started it (more than one after a worker was lost)."""
    erreur_code: str | None = None
    erreur_message: str | None = None


@dataclass(frozen=True)
class JobRecord:
    """A job generating the acts of a sitting."""

    id: str
    seance_id: str
    siren: str
    statut: StatutJob
    auteur: str
    created_at: dt.datetime
    actes: tuple[ActeDeJob, ...]
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    remplacements: dict[str, int] = field(default_factory=dict)
    """The clerk's amendments the sender replaces on purpose, ``{identifiant: version}``."""

    @property
    def total(self) -> int:
        """Return how many acts the job generates."""
        return len(self.actes)

    @property
    def done(self) -> int:
        """Return how many acts are dealt with: generated, regenerated or kept."""
        return sum(1 for a in self.actes if a.statut in FAITS)

    @property
    def erreurs(self) -> tuple[ActeDeJob, ...]:
        """Return the acts that could not be generated, or were refused, each with why."""
        return tuple(a for a in self.actes if a.statut in ("erreur", "refusee"))

    @property
    def finished(self) -> bool:
        """`True` once no act is waiting."""
        return self.finished_at is not None


@dataclass(frozen=True)
class SeanceRecord:
    """A sitting as stored: its payload, its acts in order, and its latest job."""

    id: str
    siren: str
    date: dt.date
    payload_json: str
    identifiants: tuple[str, ...]
    created_at: dt.datetime
    updated_at: dt.datetime
    job_id: str | None = None
    pv_arrete_le: dt.date | None = None
    """The date of the sitting that adopted the procès-verbal (CGCT L2121-15), once recorded."""
    liste_mise_en_ligne: dt.date | None = None
    """The date the list of deliberations was put online (CGCT L2121-25), once recorded."""


@dataclass(frozen=True)
class SeanceResume:
    """A sitting as a list shows it: its date, how many acts, how its latest job went."""

    id: str
    siren: str
    date: dt.date
    nombre_actes: int
    updated_at: dt.datetime
    job_id: str | None = None
    statut_job: StatutJob | None = None
