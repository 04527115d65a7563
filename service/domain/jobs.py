"""What the service keeps of a sitting and of the job generating its acts.

A job holds one line per act; a worker (a thread of the embedded queue or a Celery worker on any
machine) generates one act at a time and writes its line, so the job's progress is read from
the database by any process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from service.domain.errors import Conflict

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
EN_ECHEC = ("erreur", "refusee")
"""Statuses of an act that make its job ``echouee``."""


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
        return tuple(a for a in self.actes if a.statut in EN_ECHEC)

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


@dataclass(frozen=True)
class ActeDemarre:
    """What a worker needs to generate one act of a job, read when it starts the act."""

    job_id: str
    position: int
    seance_id: str
    auteur: str
    remplacements: dict[str, int] = field(default_factory=dict)
    """The clerk's amendments the sender replaces on purpose, ``{identifiant: version}``."""
    remplacee_par: str | None = None
    """The sitting's latest job, when the sitting was sent again after this job: that job
    generates the acts, this one must not overwrite them with the older payload."""


@dataclass(frozen=True)
class Avancement:
    """A job's progress just after an act was finished: its status and its acts per status."""

    statut: StatutJob
    compte: Mapping[str, int]
    """How many acts have each status (``{"generee": 3, "en_attente": 97}``)."""

    @property
    def finished(self) -> bool:
        """`True` once no act is waiting: the job is closed."""
        return self.statut in ("terminee", "echouee")

    @property
    def done(self) -> int:
        """Return how many acts are dealt with: generated, regenerated or kept."""
        return sum(self.compte.get(s, 0) for s in FAITS)

    @property
    def en_echec(self) -> int:
        """Return how many acts could not be generated, or were refused."""
        return sum(self.compte.get(s, 0) for s in EN_ECHEC)


# The rules of a job, applied by every store (the SQL one and the tests' fake) to what it reads.

def check_identifiants_libres(seance_id: str, proprietaires: Iterable[tuple[str, str]]) -> None:
    """Refuse a sitting whose acts already belong to another one: an act is generated by its
    own sitting only (its identifier carries the authority, the date and the numéro).

    *proprietaires* are the ``(identifiant, seance_id)`` already stored for the identifiers of
    the sitting *seance_id*; the same sitting sent again keeps its own acts.

    :raises Conflict: naming the first act that belongs to another sitting.
    """
    for identifiant, autre in proprietaires:
        if autre != seance_id:
            raise Conflict(f"L'acte {identifiant} appartient déjà à la séance {autre}.")


def a_demarrer(statut: str) -> bool:
    """Return whether a worker generates an act of this status: an act dealt with (generated,
    kept or refused) is not started again when its task is delivered twice."""
    return statut not in TERMINES


def statut_au_demarrage(statut: StatutJob, termine: bool) -> StatutJob:
    """Return the job's status once a worker starts one of its acts: ``en_cours``, unless the
    job is already closed (a late redelivery does not reopen it)."""
    return statut if termine else "en_cours"


def statut_de_cloture(compte: Mapping[str, int]) -> StatutJob | None:
    """Return the status that closes a job whose acts have the statuses counted in *compte*,
    or ``None`` while an act is waiting: ``echouee`` when one is in error or refused,
    ``terminee`` otherwise."""
    if compte.get("en_attente"):
        return None
    return "echouee" if any(compte.get(s) for s in EN_ECHEC) else "terminee"
