"""The :class:`SeanceStore` and :class:`JobQueue` ports in memory.

The job's rules (an act already generated is not started again, the job is closed when no act
waits, ``echouee`` when one failed, an identifier belongs to one sitting) are the domain's
(:mod:`service.domain.jobs`): this fake and the SQL store
(``service/adapters/storage/seance_store.py``) both apply them to what they hold.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace

from service.domain.actes.identifier import ActesIdentifier
from service.domain.jobs import (
    ActeDeJob,
    ActeDemarre,
    Avancement,
    JobRecord,
    SeanceRecord,
    SeanceResume,
    a_demarrer,
    check_identifiants_libres,
    statut_au_demarrage,
    statut_de_cloture,
)
from service.errors import NotFound, ServiceError
from service.services.ports import ActeRepository


class InMemorySeanceStore:
    """Sittings and jobs in dictionaries; *repository* holds the acts already stored (for
    :meth:`acts_with_numero`, as the SQL store reads the acts' table)."""

    def __init__(self, repository: ActeRepository | None = None, *,
                 clock: Callable[[], dt.datetime] | None = None) -> None:
        self._repository = repository
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._seances: dict[str, SeanceRecord] = {}
        self._jobs: dict[str, JobRecord] = {}
        self._payloads: dict[str, str] = {}
        self._touched: dict[str, dt.datetime] = {}
        self._ids = itertools.count(1)
        self._lock = threading.RLock()

    def submit(
        self, *, seance_id: str, siren: str, date: dt.date, payload_json: str,
        identifiants: Sequence[str], auteur: str, remplacements: Mapping[str, int] | None = None,
    ) -> JobRecord:
        with self._lock:
            wanted = set(identifiants)
            check_identifiants_libres(seance_id, sorted(
                (ident, other.id) for other in self._seances.values()
                for ident in other.identifiants if ident in wanted))
            now = self._clock()
            job_id = f"job-{next(self._ids)}"
            earlier = self._seances.get(seance_id)
            self._seances[seance_id] = SeanceRecord(
                id=seance_id, siren=siren, date=date, payload_json=payload_json,
                identifiants=tuple(identifiants),
                created_at=earlier.created_at if earlier else now, updated_at=now, job_id=job_id)
            self._jobs[job_id] = JobRecord(
                id=job_id, seance_id=seance_id, siren=siren, statut="en_attente", auteur=auteur,
                created_at=now, actes=tuple(ActeDeJob(i, ident, "en_attente")
                                            for i, ident in enumerate(identifiants)),
                remplacements=dict(remplacements or {}))
            self._payloads[job_id] = payload_json
            self._touched[job_id] = now
            return self._jobs[job_id]

    def get_seance(self, seance_id: str, *, sirens: Collection[str] | None = None
                   ) -> SeanceRecord | None:
        found = self._seances.get(seance_id)
        return None if found is None or (sirens is not None and found.siren not in sirens) \
            else found

    def record_seance_date(self, seance_id: str, name: str, date: dt.date) -> SeanceRecord:
        if name not in ("pv_arrete_le", "liste_mise_en_ligne"):
            raise ValueError(f"unknown sitting date {name!r}")
        with self._lock:
            if seance_id not in self._seances:
                raise NotFound(f"Aucune séance n'a l'identifiant « {seance_id} ».")
            self._seances[seance_id] = replace(self._seances[seance_id], updated_at=self._clock(),
                                               **{name: date})
            return self._seances[seance_id]

    def get_job(self, job_id: str, *, sirens: Collection[str] | None = None
                ) -> JobRecord | None:
        found = self._jobs.get(job_id)
        return None if found is None or (sirens is not None and found.siren not in sirens) \
            else found

    def job_payload(self, job_id: str) -> str:
        if job_id not in self._payloads:
            raise NotFound(f"Aucune tâche n'a l'identifiant « {job_id} ».")
        return self._payloads[job_id]

    def start_act(self, job_id: str, position: int) -> ActeDemarre | None:
        with self._lock:
            job = self._job(job_id)
            acte = self._acte(job, position)
            if not a_demarrer(acte.statut):
                return None
            now = self._touched[job_id] = self._clock()
            self._jobs[job_id] = replace(
                self._with(job, replace(acte, tentatives=acte.tentatives + 1)),
                started_at=job.started_at or now,
                statut=statut_au_demarrage(job.statut, job.finished))
            latest = self._seances[job.seance_id].job_id
            return ActeDemarre(job_id=job_id, position=position, seance_id=job.seance_id,
                               auteur=job.auteur, remplacements=dict(job.remplacements),
                               remplacee_par=latest if latest != job_id else None)

    def finish_act(
        self, job_id: str, position: int, *, erreur: tuple[str, str] | None = None,
        issue: str | None = None,
    ) -> Avancement:
        with self._lock:
            job = self._job(job_id)
            code, message = erreur or (None, None)
            statut = issue or ("erreur" if erreur else "generee")
            acte = replace(self._acte(job, position), statut=statut,  # type: ignore[arg-type]
                           erreur_code=code, erreur_message=message)
            job = self._with(job, acte)
            now = self._touched[job_id] = self._clock()
            compte = Counter(a.statut for a in job.actes)
            if cloture := statut_de_cloture(compte):
                job = replace(job, finished_at=now, statut=cloture)
            self._jobs[job_id] = job
            return Avancement(statut=job.statut, compte=dict(compte))

    def stale_jobs(self, older_than: dt.timedelta) -> list[str]:
        with self._lock:
            now = self._clock()
            stale = [j for j, job in self._jobs.items()
                     if job.finished_at is None and self._touched[j] < now - older_than]
            for j in stale:
                self._touched[j] = now  # claimed
            return stale

    def acts_with_numero(
        self, siren: str, numeros: Collection[str]
    ) -> list[tuple[str, str | None]]:
        wanted = set(numeros)
        found: dict[str, str | None] = {}
        stored = []
        if self._repository is not None:
            stored = [r.identifiant for r in self._repository.list_actes([siren], limit=10**6)]
        owners = {ident: s.id for s in self._seances.values() if s.siren == siren
                  for ident in s.identifiants}
        for ident in [*stored, *owners]:
            if ActesIdentifier.parse(ident).numero in wanted:
                found[ident] = found.get(ident) or owners.get(ident)
        return sorted(found.items())

    def list_seances(self, sirens: Collection[str] | None, limit: int = 50) -> list[SeanceResume]:
        out = [
            SeanceResume(id=s.id, siren=s.siren, date=s.date, nombre_actes=len(s.identifiants),
                         updated_at=s.updated_at, job_id=s.job_id,
                         statut_job=self._jobs[s.job_id].statut if s.job_id else None)
            for s in self._seances.values() if sirens is None or s.siren in sirens
        ]
        out.sort(key=lambda r: (r.date, r.updated_at), reverse=True)
        return out[:limit]

    def _job(self, job_id: str) -> JobRecord:
        if job_id not in self._jobs:
            raise NotFound(f"Aucune tâche n'a l'identifiant « {job_id} ».")
        return self._jobs[job_id]

    @staticmethod
    def _acte(job: JobRecord, position: int) -> ActeDeJob:
        if not 0 <= position < len(job.actes):
            raise NotFound(f"La tâche {job.id} n'a pas d'acte en position {position}.")
        return job.actes[position]

    @staticmethod
    def _with(job: JobRecord, acte: ActeDeJob) -> JobRecord:
        actes = list(job.actes)
        actes[acte.position] = acte
        return replace(job, actes=tuple(actes))


class FakeJobQueue:
    """The :class:`JobQueue` port: keeps the jobs handed to it; *fail* refuses them (a broker
    that cannot be reached)."""

    def __init__(self, *, fail: ServiceError | None = None) -> None:
        self.enqueued: list[str] = []
        self.fail = fail

    def enqueue_seance(self, job_id: str) -> None:
        if self.fail is not None:
            raise self.fail
        self.enqueued.append(job_id)
