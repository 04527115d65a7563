"""Database engines for SQLite (the default) and PostgreSQL, and the schema migrations.

Nothing here connects at import time: :func:`make_engine` only describes the database, and the
first query opens the first connection.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, create_engine, event, make_url, text

MIGRATIONS = Path(__file__).with_name("migrations")

# Set while begin_write begins its transaction: SQLite takes its write lock at BEGIN then.
_WRITING: ContextVar[bool] = ContextVar("actes_writing", default=False)

# The write transaction this thread has open, by database: a begin_write inside another one on
# the same database joins it (see begin_write).
_OPEN_WRITE: ContextVar[tuple[object, Connection] | None] = ContextVar("actes_open_write",
                                                                      default=None)

# Any constant: the key of the PostgreSQL advisory lock that serialises migrations when several
# instances start together.
_MIGRATION_LOCK = 0x61637465


def sqlite_url(data_dir: str | Path) -> str:
    """Return the URL of the default SQLite database, ``<data_dir>/actes.db``."""
    return f"sqlite:///{Path(data_dir).resolve() / 'actes.db'}"


def make_engine(database_url: str, *, echo: bool = False) -> Engine:
    """Return an engine for *database_url*, tuned for this service.

    ``sqlite:///path`` gets WAL, foreign keys and a write lock taken at ``BEGIN`` for writers;
    ``postgresql://`` and ``postgres://`` are read as ``postgresql+psycopg://`` (psycopg 3).
    The SQLite file's folder is created when missing.
    """
    url = make_url(database_url)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        # sqlite3's busy handler: wait this many seconds for the write lock, not fail at once.
        engine = create_engine(url, echo=echo, connect_args={"timeout": 30})
        _tune_sqlite(engine)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # SQLAlchemy, not sqlite3, emits BEGIN (see _begin): sqlite3's legacy mode would
        # start no transaction for SELECT and could not take the write lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    def _begin(dbapi_connection: Any) -> None:
        # A writer takes the lock before reading, so two writers never both read version n and
        # both write n + 1; readers keep WAL's concurrent snapshots.
        dbapi_connection.execute("BEGIN IMMEDIATE" if _WRITING.get() else "BEGIN")

    # The dialect's own BEGIN (a no-op for sqlite3) replaced on this engine, rather than
    # SQLAlchemy's recipe of a "begin" event running conn.exec_driver_sql("BEGIN"): that event
    # turns on the engine's statement events, dispatched (to no listener) around every
    # statement, and the BEGIN went through a whole execution context. Measured in a loop
    # (/tmp/ev24.py of issue 20, old and new in turn): an empty write transaction 46 -> 22 µs,
    # a read of one row 70 -> 40 µs, a statement 19 -> 15 µs. (echo no longer logs BEGIN.)
    engine.dialect.do_begin = _begin  # type: ignore[method-assign]


@contextlib.contextmanager
def begin_write(engine: Engine) -> Iterator[Connection]:
    """Yield a connection inside a write transaction, committed on exit.

    On SQLite the database's write lock is taken at ``BEGIN``; on PostgreSQL the caller locks
    the rows it changes (``SELECT … FOR UPDATE``).

    Inside another write transaction of this thread on the same database, the connection of
    that transaction is yielded: the outer one commits both or neither (a sitting's act stores
    its version and finishes in its job at once). On SQLite a second transaction could not
    even begin: the outer one holds the database's write lock.
    """
    key = engine.url
    if (open_write := _OPEN_WRITE.get()) is not None and open_write[0] == key:
        yield open_write[1]
        return
    with engine.connect() as conn:
        writing = _WRITING.set(True)
        try:
            transaction = conn.begin()
        finally:
            _WRITING.reset(writing)
        with transaction:
            token = _OPEN_WRITE.set((key, conn))
            try:
                yield conn
            finally:
                _OPEN_WRITE.reset(token)


def alembic_config() -> Config:
    """Return the Alembic configuration of the migrations shipped in this package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(database_url: str | Engine, revision: str = "head") -> None:
    """Bring the schema of *database_url* (a URL or an engine) up to *revision*.

    Safe to run at every start and by several instances at once: applied revisions are skipped,
    and on PostgreSQL an advisory lock lets one instance migrate while the others wait.
    """
    engine = make_engine(database_url) if isinstance(database_url, str) else database_url
    try:
        with begin_write(engine) as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            config = alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
    finally:
        if isinstance(database_url, str):
            engine.dispose()


def current_revision(engine: Engine) -> str | None:
    """Return the schema revision of the database, ``None`` when it was never migrated."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
