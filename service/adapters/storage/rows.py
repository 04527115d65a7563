"""The rows of one act: read into an :class:`ActeRecord`, written by the repository.

Each function works inside the caller's transaction and commits nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Collection, Mapping
from typing import Any, NamedTuple, cast

from sqlalchemy import Connection, Row, bindparam, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from service.adapters.storage.prepared import Prepared
from service.adapters.storage.tables import actes, audit, files, versions
from service.domain.dates_prefecture import Statut
from service.domain.errors import NotFound
from service.domain.records import (
    MEDIA_TYPES,
    ActeRecord,
    PrefectureDates,
    StoredFile,
    VersionRecord,
)

# The statements each generated act runs, built once: building a Core statement costs about
# 100 µs of CPU, several times what executing it prepared does; values are bound at execution.
_ACTE = select(actes).where(actes.c.identifiant == bindparam("k_identifiant"))
_ACTE_LOCKED = _ACTE.with_for_update()
# In the query: another authority's act costs what an unknown one does (issue 13).
_ACTE_OF = _ACTE.where(actes.c.siren.in_(bindparam("k_sirens", expanding=True)))
_ACTE_OF_LOCKED = _ACTE_OF.with_for_update()
# Whether the act exists (locked): most acts a sitting stores are new, and their absence is
# learnt without SQLAlchemy's result machinery (see prepared.py); an existing act's row is then
# read whole, as a Row.
_ACTE_ID = select(actes.c.id).where(actes.c.identifiant == bindparam("k_identifiant"))
_ACTE_EXISTS = Prepared(_ACTE_ID)
_ACTE_EXISTS_LOCKED = Prepared(_ACTE_ID.with_for_update())
_NEW_ACTE_KEYS = ["identifiant", "siren", "statut", "version", "created_at", "updated_at",
                  "date_envoi", "date_reception", "date_publication"]
_NEW_ACTE = {
    # Two first POSTs at once on PostgreSQL: the second waits for the first to commit, then
    # does nothing and finds its row, rather than failing on the unique identifier.
    "postgresql": Prepared(pg_insert(actes).on_conflict_do_nothing().returning(actes.c.id),
                           keys=_NEW_ACTE_KEYS),
    # RETURNING the id: the rest of the row is what was written (one statement less per act).
    "sqlite": Prepared(insert(actes).returning(actes.c.id), keys=_NEW_ACTE_KEYS),
}


class NewActe(NamedTuple):
    """The row of an act this transaction has just inserted, as :func:`insert_acte` wrote it
    (the columns :func:`record_of` and the repository read)."""

    id: int
    identifiant: str
    siren: str
    statut: Statut
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    date_envoi: dt.date | None
    date_reception: dt.date | None
    date_publication: dt.date | None
# Run straight on sqlite3 where SQLite is the database (see prepared.py): every act writes them.
_FILES = Prepared(insert(files), keys=["version_id", "kind", "sha256", "size", "media_type",
                                       "created_at", "blob_ref"])
_AUDIT = Prepared(insert(audit), keys=["acte_id", "action", "auteur", "at", "detail"])
_VERSIONS = (select(versions)
             .where(versions.c.acte_id == bindparam("k_acte"),
                    versions.c.numero <= bindparam("k_version"))
             .order_by(versions.c.numero))
_FILES_OF = (select(files, versions.c.numero)
             .join(versions, files.c.version_id == versions.c.id)
             .where(versions.c.acte_id == bindparam("k_acte")))


def acte_row(conn: Connection, identifiant: str, *, lock: bool = False,
             sirens: Collection[str] | None = None) -> Row | None:
    if sirens is None:
        query = _ACTE_LOCKED if lock else _ACTE
        return conn.execute(query, {"k_identifiant": identifiant}).first()
    query = _ACTE_OF_LOCKED if lock else _ACTE_OF
    return conn.execute(query, {"k_identifiant": identifiant,
                                "k_sirens": sorted(sirens)}).first()


def existing_acte(conn: Connection, identifiant: str, *, lock: bool = False) -> Row:
    """Return the row of the act *identifiant* (locked with *lock*).

    :raises NotFound: when there is no such act.
    """
    row = acte_row(conn, identifiant, lock=lock)
    if row is None:
        raise NotFound(f"L'acte {identifiant} est introuvable.")
    return row


def version_row(conn: Connection, identifiant: str, version: int | None) -> Row:
    row = acte_row(conn, identifiant)
    if row is None:
        raise NotFound(f"L'acte {identifiant} est introuvable.")
    numero = row.version if version is None else version
    found = conn.execute(
        select(versions).where(versions.c.acte_id == row.id, versions.c.numero == numero)
    ).first()
    if found is None:
        raise NotFound(f"L'acte {identifiant} n'a pas de version {numero}.")
    return found


def acte_exists(conn: Connection, identifiant: str, *, lock: bool = False) -> bool:
    """Return whether the act *identifiant* is stored (its row locked with *lock*, on
    PostgreSQL)."""
    query = _ACTE_EXISTS_LOCKED if lock else _ACTE_EXISTS
    return query.run(conn, {"k_identifiant": identifiant}).first() is not None


def insert_acte(conn: Connection, identifiant: str, siren: str, now: dt.datetime, *,
                statut: Statut, dates: PrefectureDates) -> NewActe | None:
    """Insert the row of a new act at version 1, of *statut* and *dates*, and return it
    (locked: this transaction wrote it), or ``None`` when a concurrent writer inserted it first
    (PostgreSQL)."""
    values = dict(
        identifiant=identifiant,
        siren=siren,
        statut=statut,
        version=1,
        created_at=now,
        updated_at=now,
        **dates._asdict(),
    )
    statement = _NEW_ACTE.get(conn.dialect.name, _NEW_ACTE["sqlite"])
    found = statement.run(conn, values).first()
    return None if found is None else NewActe(id=found[0], **values)


def insert_file(
    conn: Connection, version_id: int, kind: str, ref: str, data: bytes, now: dt.datetime
) -> str:
    sha256 = hashlib.sha256(data).hexdigest()
    _FILES.run(conn, dict(version_id=version_id, kind=kind, sha256=sha256, size=len(data),
                          media_type=MEDIA_TYPES[kind], created_at=now, blob_ref=ref))
    return sha256


def insert_files(
    conn: Connection, version_id: int, stored: Mapping[str, tuple[str, bytes]], now: dt.datetime
) -> dict[str, str]:
    """Insert the files *stored* (kind -> blob reference, bytes) of a version in one
    statement; return their SHA-256 by kind.

    A blob's reference is the SHA-256 of its bytes (:class:`~.blobs.BlobStore`), which the
    store has just computed: not hashed a second time here."""
    hashes = {kind: ref for kind, (ref, _) in stored.items()}
    if stored:
        _FILES.run_many(conn, [
            dict(
                version_id=version_id,
                kind=kind,
                sha256=hashes[kind],
                size=len(data),
                media_type=MEDIA_TYPES[kind],
                created_at=now,
                blob_ref=ref,
            )
            for kind, (ref, data) in stored.items()
        ])
    return hashes


def add_audit(
    conn: Connection, acte_id: int, action: str, auteur: str, at: dt.datetime, detail: dict
) -> None:
    _AUDIT.run(conn, dict(acte_id=acte_id, action=action, auteur=auteur, at=at,
                          detail=json.dumps(detail, ensure_ascii=False, sort_keys=True)))


def load_record(conn: Connection, row: Row) -> ActeRecord:
    # Versions beyond the act's row are a concurrent writer's, not yet part of this record.
    vrows = conn.execute(_VERSIONS, {"k_acte": row.id, "k_version": row.version}).all()
    frows = conn.execute(_FILES_OF, {"k_acte": row.id}).all()
    by_version: dict[int, dict[str, StoredFile]] = {}
    for f in frows:
        by_version.setdefault(f.numero, {})[f.kind] = StoredFile(
            kind=f.kind,
            sha256=f.sha256,
            size=f.size,
            media_type=f.media_type,
            created_at=f.created_at,
        )
    return record_of(row, tuple(
        VersionRecord(
            numero=v.numero,
            created_at=v.created_at,
            auteur=v.auteur,
            origine=v.origine,
            payload_sha256=v.payload_sha256,
            files=by_version.get(v.numero, {}),
            remplace=v.remplace,
            motif=v.motif,
        )
        for v in vrows
    ))


def record_of(row: Row | NewActe, versions: tuple[VersionRecord, ...]) -> ActeRecord:
    """Return the record of the act's *row* with its *versions*."""
    return ActeRecord(
        identifiant=row.identifiant,
        siren=row.siren,
        version=row.version,
        statut=row.statut,
        created_at=row.created_at,
        updated_at=row.updated_at,
        versions=versions,
        dates=PrefectureDates(row.date_envoi, row.date_reception, row.date_publication),
    )


def written_version(
    row: Row | NewActe, auteur: str, origine: str, payload_sha256: str | None,
    stored: Mapping[str, tuple[str, bytes]], remplace: int | None, motif: str | None,
) -> VersionRecord:
    """Return the current version of the act's *row*, just written with the files *stored*
    (kind -> blob reference, bytes) as :func:`load_record` would read it back: its time is the
    act's ``updated_at``, written with it, and a reference is its file's SHA-256."""
    at = row.updated_at
    return VersionRecord(
        # Checked by the repository before anything is written (its kinds and origins).
        numero=row.version, created_at=at, auteur=auteur, origine=cast(Any, origine),
        payload_sha256=payload_sha256, remplace=remplace, motif=motif,
        files={kind: StoredFile(kind=cast(Any, kind), sha256=ref, size=len(data),
                                media_type=MEDIA_TYPES[kind], created_at=at)
               for kind, (ref, data) in stored.items()},
    )
