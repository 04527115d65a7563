"""The few statements every act of a sitting runs, compiled once and run straight on sqlite3.

A sitting's act runs about a dozen statements (its start and finish in the job, its version,
files and audit line). Through ``Connection.execute`` each pays SQLAlchemy's execution
context (parameters processed by name, a result object, events): some 10 µs in a loop,
three times the work of sqlite3 itself, and about three times more amid an act's other work,
beside LibreOffice. :class:`Prepared` keeps the statement's SQLAlchemy Core form (its SQL is
SQLAlchemy's, compiled once for the dialect; PostgreSQL still runs it through
``Connection.execute``) and, on SQLite, hands the compiled text and its bound values to the
sqlite3 connection of the same transaction, where sqlite3 keeps it prepared. Only statements
inside :func:`.begin_write` use it (the transaction is begun, by SQLAlchemy; a statement run
first on a connection would not begin one: only a read standing alone does so, the
repository's check that an act exists), and only those whose results need no type conversion
(text, integers, a timestamp compared to ``None``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection, exc
from sqlalchemy.sql import Executable


class _Bind(NamedTuple):
    name: str
    process: Callable[[Any], Any] | None
    literal: tuple[Any] | None  # the value of a literal, given by the statement itself


def _value(bind: _Bind, params: Mapping[str, Any]) -> Any:
    if bind.literal is not None:
        return bind.literal[0]
    value = params[bind.name]  # a missing value fails, as with Connection.execute
    return value if bind.process is None else bind.process(value)


class Rows:
    """What a statement returned, read as :class:`sqlalchemy.engine.CursorResult` is."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    def first(self) -> tuple[Any, ...] | None:
        row = self._cursor.fetchone()
        self._cursor.close()  # the statement done with, as CursorResult.first() does
        return row

    def scalar(self) -> Any:
        row = self.first()
        return None if row is None else row[0]

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._cursor)


class Prepared:
    """A Core *statement*, run on SQLite without SQLAlchemy's execution context; an INSERT
    names the columns its parameters give (*keys*), in every call."""

    def __init__(self, statement: Executable, keys: Sequence[str] | None = None) -> None:
        self.statement = statement
        self._keys = None if keys is None else list(keys)
        self._sqlite: tuple[str, list[_Bind]] | None = None

    def _compiled(self, conn: Connection) -> tuple[str, list[_Bind]]:
        if self._sqlite is None:
            compiled = self.statement.compile(  # type: ignore[attr-defined]
                dialect=conn.dialect, column_keys=self._keys)
            # sqlite3's qmark style: the values in the order of compiled.positiontup, each
            # through its type's bind processor (a UtcDateTime made UTC, then text); a
            # literal of the statement (the 1 of tentatives + 1) is a bound value too.
            binds = []
            for name in compiled.positiontup or ():
                bind = compiled.binds[name]
                # The dialect's own type (SQLite's DATETIME under UtcDateTime): the text
                # stored is the one Connection.execute stores, compared as text in queries.
                process = bind.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
                if bind.value is not None and not bind.required:
                    value = bind.value if process is None else process(bind.value)
                    binds.append(_Bind(name, None, (value,)))
                else:
                    binds.append(_Bind(name, process, None))
            self._sqlite = (str(compiled), binds)
        return self._sqlite

    def run(self, conn: Connection, params: Mapping[str, Any]) -> Any:
        """Run the statement with *params*; return its rows (``first``, ``scalar``,
        ``rowcount``, iteration)."""
        if conn.dialect.name != "sqlite":
            return conn.execute(self.statement, params)
        sql, binds = self._compiled(conn)
        values = [_value(bind, params) for bind in binds]
        return Rows(self._cursor(conn, sql, lambda cursor: cursor.execute(sql, values), values))

    def run_many(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run the statement once per mapping of *rows*."""
        if conn.dialect.name != "sqlite":
            conn.execute(self.statement, list(rows))
            return
        sql, binds = self._compiled(conn)
        values = [[_value(bind, row) for bind in binds] for row in rows]
        self._cursor(conn, sql, lambda cursor: cursor.executemany(sql, values), values)

    @staticmethod
    def _cursor(conn: Connection, sql: str, run: Callable[[sqlite3.Cursor], Any],
                values: Any) -> sqlite3.Cursor:
        cursor: sqlite3.Cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            run(cursor)
        except sqlite3.Error as error:
            # The exceptions SQLAlchemy would raise (IntegrityError: a writer starts over;
            # OperationalError: Unavailable), as its execute does.
            raise exc.DBAPIError.instance(sql, values, error, sqlite3.Error) from error
        return cursor
