"""Real Celery workers on the machine's Redis, sharing a fresh PostgreSQL database.

Redis (127.0.0.1:6379, ``ACTES_TEST_BROKER_URL`` overrides it) and PostgreSQL (as in
``tests/integration/test_storage.py``) are required: when one cannot be reached the tests fail.
Each worker is a ``celery -A service.entrypoints.worker worker`` process in its own session,
killed with its children at the end.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa

from service.adapters.storage import make_engine

REPO = Path(__file__).resolve().parent.parent
CELERY = Path(sys.executable).with_name("celery")
BROKER_URL = os.environ.get("ACTES_TEST_BROKER_URL", "redis://127.0.0.1:6379/0")
POSTGRES_URL = os.environ.get(
    "ACTES_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def require_redis() -> None:
    """Fail the test when the broker does not answer."""
    client = redis.Redis.from_url(BROKER_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is required and unreachable at {BROKER_URL}: {exc}")
    finally:
        client.close()


def forget_queue(name: str) -> None:
    """Delete what a test's queue left in Redis."""
    client = redis.Redis.from_url(BROKER_URL)
    try:
        client.delete(name)
    finally:
        client.close()


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """Yield the URL of a PostgreSQL database created for the test, dropped afterwards."""
    admin = make_engine(POSTGRES_URL).execution_options(isolation_level="AUTOCOMMIT")
    name = f"actes_seance_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as exc:
        admin.dispose()
        pytest.fail(f"PostgreSQL is required and unreachable at {POSTGRES_URL}: {exc}")
    try:
        yield sa.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.dispose()


class Worker:
    """One ``celery worker`` process (and its pool children) in a session of its own."""

    def __init__(self, name: str, env: Mapping[str, str], log: Path, concurrency: int = 2) -> None:
        self.log = log
        self._out = log.open("ab")
        self.proc = subprocess.Popen(
            [str(CELERY), "-A", "service.entrypoints.worker", "worker", "--loglevel=INFO",
             f"--concurrency={concurrency}", "-n", f"{name}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=REPO, env={**os.environ, **env}, stdout=self._out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL the worker and its children at once, as a machine that dies."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        """Stop the worker (warm shutdown, then SIGKILL after 30 s)."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
            except ProcessLookupError:
                pass
        self._out.close()

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def worker_env(database_url: str, data_dir: Path, queue_name: str, **extra: str) -> dict[str, str]:
    """Return the environment of a worker sharing the test's database and queue."""
    return {
        "ACTES_DATABASE_URL": database_url,
        "ACTES_BLOB_STORE": "database",
        "ACTES_DATA_DIR": str(data_dir),
        "ACTES_CONVERTER": "soffice",
        "ACTES_BROKER_URL": BROKER_URL,
        "ACTES_QUEUE_NAME": queue_name,
        **extra,
    }


def wait_for(predicate, timeout: float, what: str, interval: float = 0.5):
    """Return the first true value of *predicate()*, or fail after *timeout* seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


@contextmanager
def migrated_engine(backend: str, tmp_path: Path):
    """Yield an engine on an empty, migrated database: SQLite in *tmp_path*, or PostgreSQL."""
    from service.adapters.storage import sqlite_url, upgrade

    if backend == "sqlite":
        engine = make_engine(sqlite_url(tmp_path / "data"))
        upgrade(engine)
        try:
            yield engine
        finally:
            engine.dispose()
        return
    with fresh_postgres_database() as url:
        engine = make_engine(url)
        upgrade(engine)
        try:
            yield engine
        finally:
            engine.dispose()
