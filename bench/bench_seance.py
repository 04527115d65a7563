"""Benchmark a whole sitting: wall time of ``POST /v1/seances`` until its job is finished.

Run from the repository root::

    .venv/bin/python bench/bench_seance.py --quick   # 10 acts, about 1 min on 2 cores
    .venv/bin/python bench/bench_seance.py           # 100 acts, about 5 min on 2 cores

Two ways of running the same sitting (the Dijon example's deliberation, exposé included,
repeated with other numéros and objects):

- **embedded**: the default queue, ``--threads`` threads (default: CPU count) of the service
  process, SQLite and files in a temporary folder;
- **celery**: ``--workers`` (2) ``celery worker`` processes of ``--concurrency`` (1) each on
  the machine's Redis (``--broker``), sharing a fresh PostgreSQL database (``--postgres``,
  created and dropped), blobs in the database as on several machines.

The clock starts at the POST and stops when the job says it is finished (its ``termine_le``);
workers are started and ready before. Every conversion uses ``--converter`` (``soffice``: one
cold LibreOffice per act; ``pool``: warm LibreOffice processes, ``--threads`` of them for the
embedded queue, ``--concurrency`` per Celery worker).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.entrypoints.http import create_app  # noqa: E402

EXAMPLE = (ROOT.parent / "shared" / "contract" / "examples"
           / "deliberation-dijon-2019-12-19-013.json")
SIRET = json.loads((ROOT / "examples" / "seance.json").read_text("utf-8"))["collectivite"]["siret"]
CELERY = Path(sys.executable).with_name("celery")


def sitting(n: int) -> dict[str, Any]:
    """Return a sitting of *n* copies of the Dijon deliberation, each with its own numéro and
    texts of its own (as in a real sitting: no act's exposé or article is another's, so the
    renderer's memo of Markdown texts, made for an act generated again, finds none of them)."""
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    delib = data.pop("deliberation")
    data.pop("transmission", None)
    # A sitting needs the authority's SIRET (its open-data file's COLL_SIRET): the project's
    # own example sitting gives Dijon Métropole's.
    data["collectivite"].setdefault("siret", SIRET)
    data["deliberations"] = []
    for i in range(n):
        one = copy.deepcopy(delib)
        one["numero"] = f"B{i + 1:04d}"
        one["ordre"] = i + 1
        one["objet"] = f"{delib['objet']} ({i + 1})"
        one["expose"] = f"{delib['expose']} (Acte {i + 1} de la séance.)"
        articles = one["dispositif"]["articles"]
        articles[-1] = f"{articles[-1]} (acte {i + 1})"
        data["deliberations"].append(one)
    return data


def run_job(app, data: dict[str, Any], timeout: float) -> float:
    """POST the sitting, poll its job; return the wall time in seconds."""
    client = app.test_client()
    start = time.perf_counter()
    resp = client.post("/v1/seances", json=data)
    if resp.status_code != 202:
        raise SystemExit(f"POST /v1/seances : {resp.status_code} {resp.get_data(as_text=True)}")
    location = resp.headers["Location"]
    while True:
        job = client.get(location).get_json()
        if job["termine_le"]:
            break
        if time.perf_counter() - start > timeout:
            raise SystemExit(f"job not finished after {timeout} s: {job['progression']}")
        time.sleep(0.2)
    wall = time.perf_counter() - start
    if job["statut"] != "terminee":
        raise SystemExit(f"job {job['statut']}: {job['erreurs'][:3]}")
    return wall


def bench_embedded(data: dict[str, Any], args: argparse.Namespace) -> float:
    with tempfile.TemporaryDirectory(prefix="bench-seance-") as tmp:
        app = create_app({"data_dir": Path(tmp) / "data", "converter": args.converter,
                          "queue_workers": args.threads, "pool_size": args.threads})
        try:
            return run_job(app, data, args.timeout)
        finally:
            app.extensions["actes"].close()


def bench_celery(data: dict[str, Any], args: argparse.Namespace) -> float:
    import redis
    import sqlalchemy as sa

    from service.adapters.storage import make_engine

    redis.Redis.from_url(args.broker, socket_connect_timeout=3).ping()
    admin = make_engine(args.postgres).execution_options(isolation_level="AUTOCOMMIT")
    name = f"actes_bench_{uuid.uuid4().hex[:8]}"
    queue = f"actes-bench-{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
    workers: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory(prefix="bench-seance-") as tmp:
        env = {**os.environ, "ACTES_DATABASE_URL": url, "ACTES_BLOB_STORE": "database",
               "ACTES_DATA_DIR": str(Path(tmp) / "data"), "ACTES_CONVERTER": args.converter,
               "ACTES_BROKER_URL": args.broker, "ACTES_QUEUE_NAME": queue,
               # A warm pool per worker process, one LibreOffice per task it runs at once.
               "ACTES_POOL_SIZE": str(args.concurrency)}
        app = create_app({"data_dir": Path(tmp) / "data", "database_url": url,
                          "blob_store": "database", "converter": args.converter,
                          "queue": "celery", "broker_url": args.broker, "queue_name": queue})
        try:
            logs = []
            for k in range(args.workers):
                log = Path(tmp) / f"worker{k}.log"
                logs.append(log)
                with log.open("wb") as out:
                    workers.append(subprocess.Popen(
                        [str(CELERY), "-A", "service.entrypoints.worker", "worker",
                         "--loglevel=INFO", f"--concurrency={args.concurrency}", "-n",
                         f"bench{k}@%h", "--without-gossip", "--without-mingle"],
                        cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                        start_new_session=True))
            _wait_ready(logs, 60)
            return run_job(app, data, args.timeout)
        finally:
            for proc in workers:
                os.killpg(proc.pid, signal.SIGTERM)
            for proc in workers:
                proc.wait(timeout=60)
            app.extensions["actes"].close()
            redis.Redis.from_url(args.broker).delete(queue)
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
            admin.dispose()


def _wait_ready(logs: list[Path], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not all(b" ready." in log.read_bytes() for log in logs):
        if time.monotonic() > deadline:
            raise SystemExit("workers not ready: " + logs[0].read_text(errors="replace")[-2000:])
        time.sleep(0.2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--acts", type=int, default=100)
    parser.add_argument("--quick", action="store_true", help="10 acts")
    parser.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--converter", choices=["soffice", "pool"], default="pool")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--only", choices=["embedded", "celery"])
    args = parser.parse_args(argv)
    n = 10 if args.quick else args.acts
    data = sitting(n)
    print(f"# {dt.datetime.now():%Y-%m-%d %H:%M}, {len(os.sched_getaffinity(0))} CPU, {n} acts, "
          f"converter {args.converter}")
    print(f"{'mode':<44} {'acts':>5} {'wall s':>8} {'acts/s':>7}")
    modes = {
        f"embedded ({args.threads} threads, SQLite)": bench_embedded,
        f"celery ({args.workers} workers × {args.concurrency}, Redis, PostgreSQL)": bench_celery,
    }
    for label, bench in modes.items():
        if args.only and not label.startswith(args.only):
            continue
        wall = bench(data, args)
        print(f"{label:<44} {n:>5} {wall:>8.1f} {n / wall:>7.2f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
