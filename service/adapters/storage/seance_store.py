"""Sittings and their jobs on SQLAlchemy: the :class:`SeanceStore` port.

Every process (web workers, embedded threads, Celery workers on other machines) reads and
writes a job here, so its progress is the same from anywhere. A worker finishing an act locks
the job's row (``SELECT … FOR UPDATE`` on PostgreSQL, the write lock taken at ``BEGIN`` on
SQLite) before counting what is left, so exactly one of them closes the job.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping, Sequence

from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from service.adapters.storage import listing
from service.adapters.storage.engine import begin_write
from service.adapters.storage.prepared import Prepared
from service.adapters.storage.repository import _database_errors
from service.adapters.storage.seances import job_actes, jobs, seance_actes, seances
from service.adapters.storage.tables import UtcDateTime, actes
from service.domain.actes.identifier import ActesIdentifier
from service.domain.errors import NotFound
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

PAYLOADS_KEPT = 8
"""Payloads of the latest jobs kept in memory (see :meth:`SqlSeanceStore.job_payload`)."""


# The statements every act of a job runs (start_act, finish_act), built once: building a Core
# statement costs about 100 µs of CPU, five times what executing it on SQLite does (an UPDATE
# of job_actes: 107 µs built at each call, 19 µs built once); the values are bound at execution,
# on SQLite straight on sqlite3 (see prepared.py).
_NOW = bindparam("now", type_=UtcDateTime)
_JOB = jobs.c.id == bindparam("k_job")
_ACT = ((job_actes.c.job_id == bindparam("k_job"))
        & (job_actes.c.position == bindparam("k_position")))
_START = Prepared(
    select(jobs.c.seance_id, jobs.c.auteur, jobs.c.remplacements, jobs.c.statut,
           jobs.c.finished_at, seances.c.job_id.label("derniere"),
           job_actes.c.statut.label("acte"))
    .select_from(jobs.outerjoin(seances, seances.c.id == jobs.c.seance_id)
                 .outerjoin(job_actes, _ACT))
    .where(_JOB).with_for_update(of=jobs)
)
_TRY = Prepared(update(job_actes).where(_ACT).values(tentatives=job_actes.c.tentatives + 1,
                                                     updated_at=_NOW))
_JOB_STARTED = Prepared(update(jobs).where(_JOB).values(
    started_at=func.coalesce(jobs.c.started_at, _NOW), updated_at=_NOW,
    statut=bindparam("b_statut")))
_JOB_TOUCHED = Prepared(update(jobs).where(_JOB).values(updated_at=_NOW)
                        .returning(jobs.c.statut))
_ACT_FINISHED = Prepared(update(job_actes).where(_ACT).values(
    statut=bindparam("b_statut"), erreur_code=bindparam("b_code"),
    erreur_message=bindparam("b_message"), updated_at=_NOW))
_COUNT = Prepared(select(job_actes.c.statut, func.count())
                  .where(job_actes.c.job_id == bindparam("k_job"))
                  .group_by(job_actes.c.statut))
_JOB_CLOSED = Prepared(update(jobs).where(_JOB).values(statut=bindparam("b_statut"),
                                                        finished_at=_NOW))


class SqlSeanceStore:
    """Sittings and jobs in the tables of :mod:`~service.adapters.storage.seances`."""

    def __init__(
        self, engine: Engine, *, clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
    ) -> None:
        self._engine = engine
        self._clock = clock
        self._payloads: OrderedDict[str, str] = OrderedDict()
        self._payloads_lock = threading.Lock()

    def submit(
        self, *, seance_id: str, siren: str, date: dt.date, payload_json: str,
        identifiants: Sequence[str], auteur: str, remplacements: Mapping[str, int] | None = None,
    ) -> JobRecord:
        """Store the sitting and a new job with one waiting act per identifier; return the job.

        *remplacements* are the clerk's amendments the job may replace (``{identifiant:
        version}``).

        :raises Conflict: when one of *identifiants* belongs to another sitting.
        """
        now = self._clock()
        job_id = str(uuid.uuid4())
        sha = hashlib.sha256(payload_json.encode()).hexdigest()
        with _database_errors(), begin_write(self._engine) as conn:
            check_identifiants_libres(seance_id, conn.execute(
                select(seance_actes.c.identifiant, seance_actes.c.seance_id).where(
                    seance_actes.c.identifiant.in_(identifiants),
                    seance_actes.c.seance_id != seance_id,
                ).order_by(seance_actes.c.identifiant)
            ).all())
            values = dict(siren=siren, date=date, payload_json=payload_json, payload_sha256=sha,
                          auteur=auteur, job_id=job_id, updated_at=now)
            self._upsert_seance(conn, seance_id, values, now)
            conn.execute(delete(seance_actes).where(seance_actes.c.seance_id == seance_id))
            if identifiants:
                conn.execute(insert(seance_actes), [
                    {"seance_id": seance_id, "position": i, "identifiant": ident}
                    for i, ident in enumerate(identifiants)
                ])
            conn.execute(insert(jobs).values(
                id=job_id, seance_id=seance_id, siren=siren, statut="en_attente", auteur=auteur,
                payload_json=payload_json, created_at=now, updated_at=now,
                remplacements=json.dumps(dict(remplacements)) if remplacements else None,
            ))
            if identifiants:
                conn.execute(insert(job_actes), [
                    {"job_id": job_id, "position": i, "identifiant": ident,
                     "statut": "en_attente", "tentatives": 0, "updated_at": now}
                    for i, ident in enumerate(identifiants)
                ])
            return _written_job(conn, job_id)

    def _upsert_seance(
        self, conn: Connection, seance_id: str, values: dict, now: dt.datetime
    ) -> None:
        if conn.dialect.name == "postgresql":
            # Two first submissions at once: the second waits for the first row, then updates it.
            conn.execute(pg_insert(seances).values(id=seance_id, created_at=now, **values)
                         .on_conflict_do_update(index_elements=["id"], set_=values))
            return
        found = conn.execute(select(seances.c.id).where(seances.c.id == seance_id)).first()
        if found is None:
            conn.execute(insert(seances).values(id=seance_id, created_at=now, **values))
        else:
            conn.execute(update(seances).where(seances.c.id == seance_id).values(**values))

    def get_seance(self, seance_id: str, *, sirens: Collection[str] | None = None
                   ) -> SeanceRecord | None:
        """Return the sitting with its acts in order, or ``None`` (also when it belongs to
        none of *sirens*: filtered in the query, an unknown and a foreign id cost the same)."""
        query = select(seances).where(seances.c.id == seance_id)
        if sirens is not None:
            query = query.where(seances.c.siren.in_(sorted(sirens)))
        with _database_errors(), self._engine.connect() as conn:
            row = conn.execute(query).first()
            if row is None:
                return None
            idents = conn.execute(
                select(seance_actes.c.identifiant)
                .where(seance_actes.c.seance_id == seance_id)
                .order_by(seance_actes.c.position)
            ).scalars().all()
        return SeanceRecord(
            id=row.id, siren=row.siren, date=row.date, payload_json=row.payload_json,
            identifiants=tuple(idents), created_at=row.created_at, updated_at=row.updated_at,
            job_id=row.job_id, pv_arrete_le=row.pv_arrete_le,
            liste_mise_en_ligne=row.liste_mise_en_ligne,
        )

    def record_seance_date(self, seance_id: str, name: str, date: dt.date) -> SeanceRecord:
        """Record *date* as the sitting's ``pv_arrete_le`` or ``liste_mise_en_ligne``.

        :raises NotFound: when there is no such sitting.
        """
        if name not in ("pv_arrete_le", "liste_mise_en_ligne"):
            raise ValueError(f"unknown sitting date {name!r}")
        with _database_errors(), begin_write(self._engine) as conn:
            done = conn.execute(update(seances).where(seances.c.id == seance_id)
                                .values(**{name: date}, updated_at=self._clock()))
            if done.rowcount == 0:
                raise NotFound(f"Aucune séance n'a l'identifiant « {seance_id} ».")
        found = self.get_seance(seance_id)
        assert found is not None
        return found

    def get_job(self, job_id: str, *, sirens: Collection[str] | None = None
                ) -> JobRecord | None:
        """Return the job with the state of each act, or ``None`` (also when it belongs to
        none of *sirens*, filtered in the query)."""
        with _database_errors(), self._engine.connect() as conn:
            return _load_job(conn, job_id, sirens)

    def job_payload(self, job_id: str) -> str:
        """Return the sitting payload the job generates.

        Kept for the last few jobs: a job's payload is written once, with the job, and never
        changed, and every act of the job asks for it (1 MB for 100 acts).

        :raises NotFound: when there is no such job.
        """
        with self._payloads_lock:
            if (text := self._payloads.get(job_id)) is not None:
                self._payloads.move_to_end(job_id)
                return text
        with _database_errors(), self._engine.connect() as conn:
            text = conn.execute(select(jobs.c.payload_json).where(jobs.c.id == job_id)).scalar()
        if text is None:
            raise NotFound(f"Aucune tâche n'a l'identifiant « {job_id} ».")
        with self._payloads_lock:
            self._payloads[job_id] = text
            while len(self._payloads) > PAYLOADS_KEPT:
                self._payloads.popitem(last=False)
        return text

    def start_act(self, job_id: str, position: int) -> ActeDemarre | None:
        """Record that a worker starts act *position* and return what it needs to generate it;
        ``None`` when the act is already dealt with.

        A few statements on two rows, whatever the size of the sitting: this runs for every act,
        beside the LibreOffices, and it read the whole job and its 1 MB payload before.
        """
        now = self._clock()
        keys = {"k_job": job_id, "k_position": position}
        with _database_errors(), begin_write(self._engine) as conn:
            # The job (locked), the sitting's latest job and the act's status, in one query.
            job = _START.run(conn, keys).first()
            if job is None:
                raise NotFound(f"Aucune tâche n'a l'identifiant « {job_id} ».")
            seance_id, auteur, remplacements, job_statut, finished_at, derniere, acte = job
            if acte is None:
                raise NotFound(f"La tâche {job_id} n'a pas d'acte en position {position}.")
            if not a_demarrer(acte):
                return None
            _TRY.run(conn, {**keys, "now": now})
            statut = statut_au_demarrage(job_statut, finished_at is not None)
            _JOB_STARTED.run(conn, {"k_job": job_id, "now": now, "b_statut": statut})
        return ActeDemarre(
            job_id=job_id, position=position, seance_id=seance_id, auteur=auteur,
            remplacements=json.loads(remplacements) if remplacements else {},
            remplacee_par=derniere if derniere not in (None, job_id) else None,
        )

    def finish_act(
        self, job_id: str, position: int, *, erreur: tuple[str, str] | None = None,
        issue: str | None = None,
    ) -> Avancement:
        """Record what became of act *position* (*issue*: ``generee``, ``regeneree``,
        ``conservee``, ``refusee`` with its *erreur*), or its error; close the job when nothing
        waits. Return the job's progress, counted in SQL (the acts' rows are not read)."""
        now = self._clock()
        statut = issue or ("erreur" if erreur else "generee")
        code, message = erreur or (None, None)
        with _database_errors(), begin_write(self._engine) as conn:
            # The job's row locked first (by this UPDATE, which also moves its updated_at), as
            # start_act does: the finishing workers take turns, so exactly one of them sees
            # nothing waiting.
            job_statut = _JOB_TOUCHED.run(conn, {"k_job": job_id, "now": now}).scalar()
            if job_statut is None:
                raise NotFound(f"Aucune tâche n'a l'identifiant « {job_id} ».")
            written = _ACT_FINISHED.run(conn, {
                "k_job": job_id, "k_position": position, "now": now, "b_statut": statut,
                "b_code": code, "b_message": message,
            }).rowcount
            if not written:
                raise NotFound(f"La tâche {job_id} n'a pas d'acte en position {position}.")
            compte: dict[str, int] = {s: n for s, n in _COUNT.run(conn, {"k_job": job_id})}
            if cloture := statut_de_cloture(compte):
                job_statut = cloture
                _JOB_CLOSED.run(conn, {"k_job": job_id, "now": now, "b_statut": cloture})
        return Avancement(statut=job_statut, compte=compte)

    def stale_jobs(self, older_than: dt.timedelta) -> list[str]:
        """Return the unfinished jobs untouched for *older_than*, each claimed by this caller.

        The claim moves the job's ``updated_at`` only if nobody moved it meanwhile, so of
        several processes looking at once, one resumes each job.
        """
        now = self._clock()
        with _database_errors(), self._engine.connect() as conn:
            found = conn.execute(
                select(jobs.c.id, jobs.c.updated_at)
                .where(jobs.c.finished_at.is_(None), jobs.c.updated_at < now - older_than)
            ).all()
        claimed = []
        for job_id, seen in found:
            with _database_errors(), begin_write(self._engine) as conn:
                moved = conn.execute(
                    update(jobs).where(jobs.c.id == job_id, jobs.c.updated_at == seen)
                    .values(updated_at=now)
                ).rowcount
            if moved:
                claimed.append(job_id)
        return claimed

    def acts_with_numero(
        self, siren: str, numeros: Collection[str]
    ) -> list[tuple[str, str | None]]:
        """Return ``(identifiant, seance_id or None)`` of each act of *siren*, stored or
        awaiting generation in a sitting, whose numéro is one of *numeros*."""
        wanted = set(numeros)
        with _database_errors(), self._engine.connect() as conn:
            # The numéro sits inside the identifier: read the authority's identifiers (indexed
            # by SIREN) and compare parsed numéros, exactly.
            stored = conn.execute(
                select(actes.c.identifiant, seance_actes.c.seance_id)
                .join_from(actes, seance_actes,
                           seance_actes.c.identifiant == actes.c.identifiant, isouter=True)
                .where(actes.c.siren == siren)
            ).all()
            pending = conn.execute(
                select(seance_actes.c.identifiant, seance_actes.c.seance_id)
                .join(seances, seance_actes.c.seance_id == seances.c.id)
                .where(seances.c.siren == siren)
            ).all()
        found: dict[str, str | None] = {}
        for ident, seance_id in [*stored, *pending]:
            if _numero(ident) in wanted:
                found[ident] = found.get(ident) or seance_id
        return sorted(found.items())

    def list_seances(self, sirens: Collection[str] | None, limit: int = 50) -> list[SeanceResume]:
        """Return up to *limit* sittings of *sirens* (every one's when ``None``), the latest
        first; see :func:`.listing.list_seances`."""
        with _database_errors():
            return listing.list_seances(self._engine, sirens, limit)


def _numero(identifiant: str) -> str | None:
    try:
        return ActesIdentifier.parse(identifiant).numero
    except ValueError:
        return None


def _written_job(conn: Connection, job_id: str) -> JobRecord:
    """Return the job this transaction has just written (so it exists)."""
    job = _load_job(conn, job_id)
    if job is None:
        raise NotFound(f"Aucune tâche n'a l'identifiant « {job_id} ».")
    return job


def _load_job(conn: Connection, job_id: str, sirens: Collection[str] | None = None
              ) -> JobRecord | None:
    # Every column but the payload (1 MB for 100 acts), which a job's record does not hold: a
    # client polling a running job would read it each time.
    query = select(*(c for c in jobs.c if c.name != "payload_json")).where(jobs.c.id == job_id)
    if sirens is not None:
        query = query.where(jobs.c.siren.in_(sorted(sirens)))
    row = conn.execute(query).first()
    if row is None:
        return None
    items = conn.execute(
        select(job_actes).where(job_actes.c.job_id == job_id).order_by(job_actes.c.position)
    ).all()
    return JobRecord(
        id=row.id, seance_id=row.seance_id, siren=row.siren, statut=row.statut, auteur=row.auteur,
        created_at=row.created_at, started_at=row.started_at, finished_at=row.finished_at,
        remplacements=json.loads(row.remplacements) if row.remplacements else {},
        actes=tuple(
            ActeDeJob(position=a.position, identifiant=a.identifiant, statut=a.statut,
                      tentatives=a.tentatives, erreur_code=a.erreur_code,
                      erreur_message=a.erreur_message)
            for a in items
        ),
    )
