"""CPU a sitting's act spends outside rendering and LibreOffice: the job's and the act's storage.

Run from the repository root::

    .venv/bin/python bench/bench_bookkeeping.py [--acts 150] [--postgres URL]

``run_seance_act`` on every act of a job, with a renderer and a converter that return fixed
bytes at once (a DOCX of 40 KB, a PDF of 90 KB, distinct for each act), against the storage
``actes serve`` makes (SQLite and blobs on disk in a temporary folder), then against PostgreSQL
when ``--postgres`` names a server (a database is created and dropped). What is left is the
bookkeeping of issue 20: starting and finishing the act in the job, reading the stored act,
storing the new version and its three blobs, the payload's canonical JSON.

Printed: CPU (``time.process_time``, every thread of the process) per act, and without the
blobs' writing (``put_many``, whose CPU is mostly the kernel's, waiting for the disk: it varies
with what else writes to it), over *rounds* jobs (the median, and each), the time of each step
per call, and the CPU of the same acts delivered again (each skipped). To compare two versions
of the code, run this script in each checkout in turn, alternating.
"""

from __future__ import annotations

import argparse
import collections
import copy
import functools
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import sqlalchemy as sa  # noqa: E402
from seance_support import sitting  # noqa: E402

from service.adapters.storage import (  # noqa: E402
    FileBlobStore,
    SqlAlchemyActeRepository,
    SqlSeanceStore,
    make_engine,
    sqlite_url,
    upgrade,
)
from service.services import generate, seances  # noqa: E402

EXAMPLE = (ROOT.parent / "shared" / "contract" / "examples"
           / "deliberation-dijon-2019-12-19-013.json")
DOCX, PDF = os.urandom(40_000), os.urandom(90_000)
STEPS = collections.Counter[str]()
CALLS = collections.Counter[str]()


class Instant:
    """A renderer, converter and stamper that cost nothing: the bookkeeping is what is left."""

    def render_deliberation(self, payload: Any, identifier: Any) -> bytes:
        return b"PK" + str(identifier).encode() + DOCX

    def to_pdf(self, docx: bytes, *, label: str = "", tenant: str = "") -> bytes:
        return b"%PDF-" + docx[:80] + PDF

    def prepare(self, mention: Any) -> None:
        return None

    def stamp(self, pdf: bytes, mention: Any, prepared: Any = None) -> bytes:
        return pdf


class NoQueue:
    def enqueue_seance(self, job_id: str) -> None:
        return None


def timed(owner: Any, name: str) -> None:
    """Count the CPU of each call of *owner.name* under its name."""
    inner = getattr(owner, name)

    @functools.wraps(inner)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            STEPS[name] += time.process_time() - start
            CALLS[name] += 1

    setattr(owner, name, wrapper)


def run(database_url: str, acts: int, folder: Path, rounds: int = 3) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    repository = SqlAlchemyActeRepository(engine, FileBlobStore(folder / "blobs"))
    store = SqlSeanceStore(engine)
    dijon = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    fake = Instant()

    def job(n: int, tag: str) -> str:
        data, _ = sitting(copy.deepcopy(dijon), n)
        for deliberation in data["deliberations"]:  # new acts in each job
            deliberation["numero"] = tag + deliberation["numero"].rpartition("_")[2]
        return seances.submit_seance(data, store=store, queue=NoQueue(), auteur="bench").id

    def each_act(job_id: str, n: int) -> float:
        start = time.process_time()
        for position in range(n):
            seances.run_seance_act(job_id, position, store=store, renderer=fake,
                                   converter=fake, stamper=fake, repository=repository)
        return (time.process_time() - start) * 1000 / n

    each_act(job(5, "W-"), 5)  # warm: connections, statement caches, the blob folders' first files
    STEPS.clear()
    CALLS.clear()
    totals, without_blobs = [], []
    for round_ in range(rounds):
        blobs_before = STEPS["put_many"]
        job_id = job(acts, f"R{round_}-")
        totals.append(each_act(job_id, acts))
        without_blobs.append(totals[-1] - (STEPS["put_many"] - blobs_before) * 1000 / acts)
    steps = dict(STEPS)
    calls = dict(CALLS)
    again = each_act(job_id, acts)
    final = store.get_job(job_id)
    assert final is not None and final.statut == "terminee"
    print(f"{engine.dialect.name}: {statistics.median(totals):.2f} ms of CPU per act, "
          f"{statistics.median(without_blobs):.2f} without the blobs ({rounds} jobs of {acts} "
          f"acts: {' '.join(f'{t:.2f}' for t in totals)}; "
          f"{' '.join(f'{t:.2f}' for t in without_blobs)}), "
          f"{again:.2f} ms per act delivered again")
    for name, seconds in sorted(steps.items(), key=lambda kv: -kv[1]):
        print(f"    {name:22s} {seconds * 1000 / calls[name]:6.3f} ms per call")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--acts", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=3, help="jobs run (the median printed)")
    parser.add_argument("--postgres", help="a PostgreSQL server's URL (a database is made)")
    args = parser.parse_args()
    for owner, name in [(SqlSeanceStore, "start_act"), (SqlSeanceStore, "finish_act"),
                        (SqlAlchemyActeRepository, "get"),
                        (SqlAlchemyActeRepository, "add_version"),
                        (FileBlobStore, "put_many"), (generate, "decision_for")]:
        timed(owner, name)
    with tempfile.TemporaryDirectory(prefix="bench-bookkeeping-") as folder:
        run(sqlite_url(folder), args.acts, Path(folder), args.rounds)
    if args.postgres:
        admin = make_engine(args.postgres).execution_options(isolation_level="AUTOCOMMIT")
        name = f"bench_{uuid.uuid4().hex[:12]}"
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            url = sa.make_url(args.postgres).set(database=name)
            with tempfile.TemporaryDirectory(prefix="bench-bookkeeping-") as folder:
                run(url.render_as_string(hide_password=False), args.acts, Path(folder),
                    args.rounds)
        finally:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
            admin.dispose()


if __name__ == "__main__":
    main()
