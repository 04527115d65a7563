"""Envelope serials in the database: one counter per authority and day, shared by everyone.

On SQLite and on the machine's real PostgreSQL (127.0.0.1:5432, see ``test_storage.py``):
concurrent threads and processes asking for serials never get the same one.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa
from workers_support import fresh_postgres_database

from service.adapters.storage import (
    FileBlobStore,
    SqlAlchemyActeRepository,
    make_engine,
    sqlite_url,
    upgrade,
)
from service.adapters.storage.tables import envoi_serials
from service.errors import Conflict, StaleRead

SIREN = "242100410"
OTHER_SIREN = "210600730"
DAY = dt.date(2026, 3, 2)


@pytest.fixture(scope="module")
def postgres_database():
    with fresh_postgres_database() as url:
        yield sa.make_url(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "data")
    url = request.getfixturevalue("postgres_database")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = make_engine(url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def repo(engine, tmp_path) -> SqlAlchemyActeRepository:
    return SqlAlchemyActeRepository(engine, FileBlobStore(tmp_path / "blobs"))


def add_acte(repo, numero: str, siren: str = SIREN) -> str:
    identifiant = f"021-{siren}-20260302-{numero}-DE"
    files = {"docx": b"PK docx " + numero.encode(), "pdf": b"%PDF-1.7 " + numero.encode()}
    repo.add_version(identifiant=identifiant, siren=siren, auteur="test", origine="payload",
                     files=files, payload_sha256=numero.rjust(64, "0"))
    return identifiant


def run_together(n: int, work):
    """Return the results of *work(i)* for i < n, started in n threads at the same instant."""
    barrier = threading.Barrier(n)

    def start(i):
        barrier.wait()
        return work(i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(start, range(n)))


def test_the_days_serials_count_from_one_per_authority_and_restart_the_next_day(repo) -> None:
    assert [repo.allocate_serial(SIREN, DAY) for _ in range(3)] == [1, 2, 3]
    assert repo.allocate_serial(OTHER_SIREN, DAY) == 1
    assert repo.allocate_serial(SIREN, DAY + dt.timedelta(days=1)) == 1
    assert repo.allocate_serial(SIREN, DAY) == 4


def test_two_acts_sent_the_same_day_get_serials_1_and_2(repo) -> None:
    first, second = add_acte(repo, "A1"), add_acte(repo, "A2")

    assert repo.transmission_envoi(first, version=1, plateforme="EACT", contenu_sha256="a" * 64,
                                   jour=DAY) == (DAY, 1)
    assert repo.transmission_envoi(second, version=1, plateforme="EACT", contenu_sha256="b" * 64,
                                   jour=DAY) == (DAY, 2)


def test_the_same_content_asked_again_keeps_its_day_and_serial(repo) -> None:
    acte = add_acte(repo, "A1")
    repo.transmission_envoi(acte, version=1, plateforme="EACT", contenu_sha256="a" * 64, jour=DAY)
    later = DAY + dt.timedelta(days=3)

    again = repo.transmission_envoi(acte, version=1, plateforme="EACT", contenu_sha256="a" * 64,
                                    jour=later)
    other = repo.transmission_envoi(acte, version=1, plateforme="EACT", contenu_sha256="c" * 64,
                                    jour=later)
    test = repo.transmission_envoi(acte, version=1, plateforme="TACT", contenu_sha256="a" * 64,
                                   jour=later)

    assert again == (DAY, 1)
    assert other == (later, 1) and test == (later, 2)


def test_a_transmission_of_a_version_no_longer_current_is_refused(repo) -> None:
    acte = add_acte(repo, "A1")
    repo.add_version(identifiant=acte, siren=SIREN, files={"docx": b"PK amended"},
                     auteur="greffe", origine="amendement")

    with pytest.raises(StaleRead):
        repo.transmission_envoi(acte, version=1, plateforme="EACT", contenu_sha256="a" * 64,
                                jour=DAY)
    assert repo.allocate_serial(SIREN, DAY) == 1  # the refused one took no serial


def test_past_9999_sendings_a_day_the_counter_refuses_and_stays(repo, engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.insert(envoi_serials).values(siren=SIREN, jour=DAY, dernier=9998))
    assert repo.allocate_serial(SIREN, DAY) == 9999

    with pytest.raises(Conflict) as refused:
        repo.allocate_serial(SIREN, DAY)

    assert refused.value.code == "envois-du-jour-epuises" and "9999" in refused.value.message
    with engine.connect() as conn:
        assert conn.execute(sa.select(envoi_serials.c.dernier)).scalar_one() == 9999


def test_concurrent_threads_never_share_a_serial(repo) -> None:
    serials = run_together(16, lambda i: [repo.allocate_serial(SIREN, DAY) for _ in range(15)])

    flat = [s for batch in serials for s in batch]
    assert sorted(flat) == list(range(1, 16 * 15 + 1))


def test_concurrent_archives_of_many_acts_get_one_distinct_serial_each(repo) -> None:
    actes = [add_acte(repo, f"N{i}") for i in range(10)]
    # Each act's archive asked twice at the same instant, with serials allocated beside.
    work = [("acte", a) for a in actes * 2] + [("cli", None)] * 5

    def run(i):
        kind, acte = work[i]
        if kind == "cli":
            return ("cli", repo.allocate_serial(SIREN, DAY))
        return (acte, repo.transmission_envoi(acte, version=1, plateforme="EACT",
                                              contenu_sha256=acte[-12:].rjust(64, "0"),
                                              jour=DAY)[1])

    results = run_together(len(work), run)

    per_act: dict[str, set[int]] = {}
    for key, serial in results:
        if key != "cli":
            per_act.setdefault(key, set()).add(serial)
    assert all(len(s) == 1 for s in per_act.values())  # both requests: the same name
    given = [s for key, s in results if key == "cli"] + [s.pop() for s in per_act.values()]
    assert sorted(given) == list(range(1, 16))


def _allocate_in_a_process(url: str, count: int, queue) -> None:
    engine = make_engine(url)
    try:
        repo = SqlAlchemyActeRepository(engine, FileBlobStore(Path("/nonexistent")))
        queue.put([repo.allocate_serial(SIREN, DAY) for _ in range(count)])
    finally:
        engine.dispose()


def test_concurrent_processes_never_share_a_serial(database_url, engine) -> None:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    processes = [context.Process(target=_allocate_in_a_process, args=(database_url, 25, queue))
                 for _ in range(4)]
    for p in processes:
        p.start()
    batches = [queue.get(timeout=120) for _ in processes]
    for p in processes:
        p.join(timeout=30)
        assert p.exitcode == 0

    assert sorted(s for batch in batches for s in batch) == list(range(1, 101))
