"""Sittings and jobs in SQL (SQLite and the machine's PostgreSQL), and the act runner on them.

Fake renderer and converter: what is tested here is the job's bookkeeping, not LibreOffice.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from seance_support import identifiant, sitting
from workers_support import migrated_engine

from service.adapters.storage import (
    FileBlobStore,
    SqlAlchemyActeRepository,
    SqlSeanceStore,
)
from service.domain.seance import SeancePayload
from service.errors import Conflict, NotFound, TemplateError, Unavailable
from service.services.generate import canonical_json
from service.services.seances import run_seance_act, submit_seance

DAY = dt.date(2019, 12, 19)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path: Path):
    with migrated_engine(request.param, tmp_path) as engine:
        yield engine


@pytest.fixture
def store(engine) -> SqlSeanceStore:
    return SqlSeanceStore(engine)


def _submit(store: SqlSeanceStore, idents: list[str], seance_id: str = "021-242100410-20191219"):
    return store.submit(seance_id=seance_id, siren="242100410", date=DAY, payload_json="{}",
                        identifiants=idents, auteur="test")


def test_a_job_finishes_when_its_last_act_does(store) -> None:
    job = _submit(store, ["A-1", "A-2"])
    assert (job.statut, job.total, job.done) == ("en_attente", 2, 0)

    assert store.start_act(job.id, 0)
    assert store.finish_act(job.id, 0).compte == {"generee": 1, "en_attente": 1}
    after_one = store.get_job(job.id)
    assert (after_one.statut, after_one.done, after_one.finished_at) == ("en_cours", 1, None)
    assert after_one.started_at is not None
    assert not store.start_act(job.id, 0)  # generated: a redelivered task skips it

    store.start_act(job.id, 1)
    assert store.finish_act(job.id, 1).statut == "terminee"

    done = store.get_job(job.id)
    assert (done.statut, done.done) == ("terminee", 2)
    assert done.started_at <= done.finished_at
    assert store.get_seance("021-242100410-20191219").identifiants == ("A-1", "A-2")


def test_a_worker_starting_an_act_learns_what_it_needs_and_of_a_newer_job(store) -> None:
    job = _submit(store, ["A-1", "A-2"])
    started = store.start_act(job.id, 0)
    assert (started.seance_id, started.auteur, started.remplacee_par) == (
        "021-242100410-20191219", "test", None)
    newer = _submit(store, ["A-1", "A-2"])  # the sitting sent again
    assert store.start_act(job.id, 1).remplacee_par == newer.id
    with pytest.raises(NotFound):
        store.start_act(job.id, 2)
    with pytest.raises(NotFound):
        store.start_act("inconnue", 0)
    with pytest.raises(NotFound):
        store.finish_act(job.id, 2)


def test_concurrent_workers_close_the_job_once_with_every_act_counted(store) -> None:
    job = _submit(store, [f"A-{i}" for i in range(24)])

    def work(i: int):
        store.start_act(job.id, i)
        return store.finish_act(job.id, i, erreur=("x", "échec") if i == 5 else None)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, range(24)))

    final = store.get_job(job.id)
    assert final.statut == "echouee" and final.done == 23
    assert [(a.position, a.erreur_code) for a in final.erreurs] == [(5, "x")]
    # The finishing writers took turns: one of them, the last, saw nothing waiting.
    assert sorted(r.done + r.en_echec for r in results) == list(range(1, 25))
    assert sum(1 for r in results if r.finished) == 1
    assert all(a.tentatives == 1 for a in final.actes)


def test_an_act_belongs_to_one_sitting(store) -> None:
    _submit(store, ["A-1", "A-2"])
    again = _submit(store, ["A-2", "A-3"])  # the same sitting, sent again

    assert store.get_seance("021-242100410-20191219").identifiants == ("A-2", "A-3")
    assert store.get_seance("021-242100410-20191219").job_id == again.id
    with pytest.raises(Conflict, match="A-2"):
        _submit(store, ["A-2"], seance_id="021-242100410-20191219-1830")


def test_a_stale_job_is_claimed_by_one_caller(store) -> None:
    job = _submit(store, ["A-1"])
    assert store.stale_jobs(dt.timedelta(hours=1)) == []

    assert store.stale_jobs(dt.timedelta(0)) == [job.id]
    assert store.stale_jobs(dt.timedelta(seconds=30)) == []  # just claimed: not stale any more


class _Fakes:
    """A renderer and converter that fail as told, counting their calls."""

    def __init__(self) -> None:
        self.unavailable = 0
        self.broken: set[str] = set()
        self.rendered: list[str] = []

    def render_deliberation(self, payload, identifier) -> bytes:
        if payload.deliberation.numero in self.broken:
            raise TemplateError("Le modèle est cassé.")
        self.rendered.append(payload.deliberation.numero)
        return b"PK docx " + payload.deliberation.numero.encode()

    def to_pdf(self, docx: bytes, *, label: str = "", tenant: str = "") -> bytes:
        if self.unavailable:
            self.unavailable -= 1
            raise Unavailable("LibreOffice est occupé.", retry_after=1)
        return b"%PDF- " + docx

    def prepare(self, mention) -> None:
        return None

    def stamp(self, pdf, mention, prepared=None) -> bytes:
        return pdf


class _Queue:
    def __init__(self) -> None:
        self.jobs: list[str] = []

    def enqueue_seance(self, job_id: str) -> None:
        self.jobs.append(job_id)


def test_the_runner_records_errors_retries_the_unavailable_and_skips_the_done(
    engine, store, tmp_path: Path, dijon
) -> None:
    data, attendus = sitting(dijon, 3)
    repository = SqlAlchemyActeRepository(engine, FileBlobStore(tmp_path / "blobs"))
    fakes, queue, pauses = _Fakes(), _Queue(), []
    job = submit_seance(data, store=store, queue=queue, auteur="greffe")
    assert queue.jobs == [job.id]
    assert store.job_payload(job.id) == canonical_json(SeancePayload.model_validate(data))

    def run(position: int) -> None:
        run_seance_act(job.id, position, store=store, renderer=fakes, converter=fakes,
                       stamper=fakes, repository=repository, sleep=pauses.append)

    fakes.unavailable = 2  # the first act waits twice for the converter
    fakes.broken = {attendus[1].numero}
    for position in range(3):
        run(position)
    run(0)  # a redelivered task

    final = store.get_job(job.id)
    assert final.statut == "echouee"
    assert [(a.position, a.erreur_code) for a in final.erreurs] == [(1, "modele-invalide")]
    assert pauses == [1.0, 1.0]
    assert fakes.rendered == [attendus[0].numero] * 3 + [attendus[2].numero]
    assert repository.get(identifiant(attendus[0].numero)).version == 1
    assert repository.get(identifiant(attendus[0].numero)).versions[0].auteur == "greffe"
    assert repository.get(identifiant(attendus[1].numero)) is None


def test_a_job_replaced_by_a_newer_one_generates_nothing(engine, store, tmp_path: Path,
                                                         dijon) -> None:
    data, attendus = sitting(dijon, 1)
    repository = SqlAlchemyActeRepository(engine, FileBlobStore(tmp_path / "blobs"))
    fakes, queue = _Fakes(), _Queue()
    old = submit_seance(data, store=store, queue=queue, auteur="greffe")
    new = submit_seance(data, store=store, queue=queue, auteur="greffe")

    run_seance_act(old.id, 0, store=store, renderer=fakes, converter=fakes, stamper=fakes,
                   repository=repository)

    replaced = store.get_job(old.id)
    assert [(a.erreur_code, new.id in a.erreur_message) for a in replaced.erreurs] == [
        ("tache-remplacee", True)]
    assert fakes.rendered == [] and repository.get(identifiant(attendus[0].numero)) is None


def test_an_act_and_its_finish_in_the_job_are_written_together(engine, store, tmp_path: Path
                                                              ) -> None:
    repository = SqlAlchemyActeRepository(engine, FileBlobStore(tmp_path / "blobs"))
    ident = "021-242100410-20191219-2019-12-19_013-DE"
    job = _submit(store, [ident, "A-2"])
    store.start_act(job.id, 0)

    def finish_then_fail(created: bool) -> None:
        store.finish_act(job.id, 0, issue="generee")
        raise RuntimeError("the worker dies before the commit")

    add = dict(identifiant=ident, siren="242100410", files={"docx": b"PK", "pdf": b"%PDF-"},
               auteur="test", origine="payload", payload_sha256="a" * 64)
    with pytest.raises(RuntimeError):
        repository.add_version(**add, on_stored=finish_then_fail)
    assert repository.get(ident) is None
    assert [a.statut for a in store.get_job(job.id).actes] == ["en_attente", "en_attente"]

    seen: list[bool] = []
    record, created = repository.add_version(**add, on_stored=lambda created: (
        seen.append(created), store.finish_act(job.id, 0, issue="generee")))
    assert created and seen == [True] and record.version == 1
    assert [a.statut for a in store.get_job(job.id).actes] == ["generee", "en_attente"]
    _, again = repository.add_version(**add, on_stored=seen.append)  # a retry: nothing stored
    assert not again and seen == [True, False]


def test_concurrent_workers_store_every_act_and_close_the_job_once(
    engine, store, tmp_path: Path, dijon
) -> None:
    data, attendus = sitting(dijon, 12)
    repository = SqlAlchemyActeRepository(engine, FileBlobStore(tmp_path / "blobs"))
    fakes = _Fakes()
    job = submit_seance(data, store=store, queue=_Queue(), auteur="greffe")

    def work(position: int) -> None:
        run_seance_act(job.id, position, store=store, renderer=fakes, converter=fakes,
                       stamper=fakes, repository=repository)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(work, [*range(12), 3, 7]))  # two redelivered

    final = store.get_job(job.id)
    assert (final.statut, final.done) == ("terminee", 12)
    # A redelivered act running beside its first delivery may find it stored (conservee).
    assert {a.statut for a in final.actes} <= {"generee", "conservee"}
    assert {repository.get(identifiant(a.numero)).version for a in attendus} == {1}
