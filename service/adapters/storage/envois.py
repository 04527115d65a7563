"""Envelope serials: one counter per authority and day, and the transmissions they number.

The operator numbers an authority's sendings of a day 1, 2… (below 10000: the rule is the
domain's, ``domain/actes/envois.py``) and matches the prefecture's answers by envelope name, so
two sendings must never share one. The counter is
incremented by one statement, ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` (PostgreSQL, and
SQLite since 3.35): the database serialises concurrent increments of a row, whichever instance,
worker or CLI asks. Each function works inside the caller's transaction and commits nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from service.adapters.storage.tables import envoi_serials, transmissions
from service.domain.actes.envois import checked_serial


def next_serial(conn: Connection, siren: str, jour: dt.date) -> int:
    """Return the next serial of *siren*'s sendings on *jour*: 1 for the day's first.

    :raises Conflict: when the authority already sent 9999 archives that day; the caller's
        transaction must then be rolled back (the counter stays at 9999).
    """
    upsert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = (
        upsert(envoi_serials)
        .values(siren=siren, jour=jour, dernier=1)
        .on_conflict_do_update(
            index_elements=[envoi_serials.c.siren, envoi_serials.c.jour],
            set_={"dernier": envoi_serials.c.dernier + 1},
        )
        .returning(envoi_serials.c.dernier)
    )
    return checked_serial(siren, jour, conn.execute(statement).scalar_one())


def recorded(conn: Connection, acte_id: int, plateforme: str, contenu_sha256: str
             ) -> tuple[dt.date, int] | None:
    """Return ``(jour, serial)`` of the act's transmission of this content, or ``None``."""
    row = conn.execute(
        select(transmissions.c.jour, transmissions.c.serial).where(
            transmissions.c.acte_id == acte_id,
            transmissions.c.plateforme == plateforme,
            transmissions.c.contenu_sha256 == contenu_sha256,
        )
    ).first()
    return None if row is None else (row.jour, row.serial)


def record(conn: Connection, *, acte_id: int, version: int, plateforme: str, siren: str,
           jour: dt.date, serial: int, contenu_sha256: str, now: dt.datetime) -> None:
    """Keep the transmission of the act's *version*: its day, serial and content."""
    conn.execute(
        insert(transmissions).values(
            acte_id=acte_id, version=version, plateforme=plateforme, siren=siren, jour=jour,
            serial=serial, contenu_sha256=contenu_sha256, created_at=now,
        )
    )
