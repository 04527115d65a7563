"""The act repository on SQLAlchemy: versions numbered under a lock, bytes in a blob store.

Writers lock the act before reading its current version (``SELECT … FOR UPDATE`` on PostgreSQL,
the database write lock taken at ``BEGIN IMMEDIATE`` on SQLite), so two concurrent writers get
consecutive versions; the ``UNIQUE(acte_id, numero)`` constraint backs this up, and a writer that
hits it starts over.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from service.adapters.storage import envois, listing, rows
from service.adapters.storage.blobs import BlobStore
from service.adapters.storage.engine import begin_write
from service.adapters.storage.prepared import Prepared
from service.adapters.storage.tables import actes, audit, files, versions
from service.domain.canonical import canonical_json
from service.domain.canonical import payload_sha256 as digest
from service.domain.dates_prefecture import PrefectureDates, acknowledged, regenerated
from service.domain.errors import Conflict, NotFound, StaleRead, Unavailable
from service.domain.payload import DeliberationPayload
from service.domain.records import MEDIA_TYPES, ActeRecord, ActeResume
from service.domain.regeneration import check_new_version, is_retry

_ATTEMPTS = 5

# The statements each generated act runs, built once: building a Core statement costs about
# 100 µs of CPU, several times what executing it prepared does; values are bound at execution.
_CURRENT_SHA = select(versions.c.payload_sha256).where(
    versions.c.acte_id == bindparam("k_acte"), versions.c.numero == bindparam("k_numero"))
_NEW_VERSION = Prepared(  # straight on sqlite3 where SQLite is the database (see prepared.py)
    insert(versions).returning(versions.c.id),
    keys=["acte_id", "numero", "created_at", "auteur", "origine", "payload_json",
          "payload_sha256", "remplace", "motif"])
_NEW_CURRENT = (
    update(actes).where(actes.c.id == bindparam("k_id"))
    .values(version=bindparam("b_version"), updated_at=bindparam("b_now"))
    .returning(*actes.c)
)
_NEW_CURRENT_DATED = _NEW_CURRENT.values(
    statut=bindparam("b_statut"), date_envoi=bindparam("b_envoi"),
    date_reception=bindparam("b_reception"), date_publication=bindparam("b_publication"))


@dataclass(frozen=True)
class AuditEntry:
    """One line of an act's audit trail: who did what, when."""

    action: str
    auteur: str
    at: dt.datetime
    detail: dict[str, Any]


class SqlAlchemyActeRepository:
    """Acts in the tables of :mod:`~service.adapters.storage.tables`, bytes in *blobs*."""

    def __init__(
        self,
        engine: Engine,
        blobs: BlobStore,
        *,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._engine = engine
        self._blobs = blobs
        self._clock = clock

    def get(self, identifiant: str, *, sirens: Collection[str] | None = None
            ) -> ActeRecord | None:
        """Return the act with its versions, or ``None`` (also when it belongs to none of
        *sirens*, if given: the filter is in the query)."""
        with _database_errors(), self._engine.connect() as conn:
            if (sirens is None and conn.dialect.name == "sqlite"
                    and not rows.acte_exists(conn, identifiant)):
                # Each act of a sitting is looked up before it is generated, and is mostly
                # not there yet: on SQLite one prepared statement, standing alone (no BEGIN,
                # atomic by itself), says so; an act found is read in a transaction as before.
                return None
            row = rows.acte_row(conn, identifiant, sirens=sirens)
            return None if row is None else rows.load_record(conn, row)

    def add_version(
        self,
        *,
        identifiant: str,
        siren: str,
        files: Mapping[str, bytes],
        auteur: str,
        origine: str,
        payload: DeliberationPayload | None = None,
        payload_sha256: str | None = None,
        expected_version: int | None = None,
        expected_dates: PrefectureDates | None = None,
        dates: PrefectureDates | None = None,
        remplace: int | None = None,
        motif: str | None = None,
        on_stored: Callable[[bool], None] | None = None,
    ) -> tuple[ActeRecord, bool]:
        """Store a new version and return ``(record, created)``.

        *remplace* and *motif* record a clerk's amendment replaced on purpose: the
        amended version and why (in the version and in the audit trail).

        *on_stored* is called with ``created`` before the transaction commits; what it
        writes with this database's stores joins the transaction (:func:`.begin_write`): a
        sitting's act and its job are written in one transaction, not two.

        *dates*, the prefecture's dates a payload gives (its files are stamped with them),
        become the act's, and its status follows them as after an acknowledgement.

        :raises Conflict: when the act was transmitted and *origine* is ``payload``, when
            *expected_version* is not the current version, or when concurrent writers kept
            colliding.
        :raises StaleRead: when the act's prefecture dates are no longer *expected_dates*.
        :raises NotFound: for an amendment of an act that does not exist.
        """
        payload_json = None if payload is None else canonical_json(payload)
        if payload_json is not None and payload_sha256 is None:
            payload_sha256 = digest(payload_json)
        if origine not in ("payload", "amendement"):
            raise ValueError(f"unknown origine {origine!r}")
        if unknown := set(files) - set(MEDIA_TYPES):
            raise ValueError(f"unknown file kinds {sorted(unknown)}")
        with _database_errors():
            # Bytes first: a version row must never point at bytes that are not stored. (An
            # upstream retry is answered before anything is rendered, by generate_acte; the
            # same check is made again below, under the act's lock.)
            refs = self._blobs.put_many(list(files.values()))
            stored = {kind: (ref, data)
                      for (kind, data), ref in zip(files.items(), refs, strict=True)}
            collision: IntegrityError | None = None
            for _ in range(_ATTEMPTS):
                try:
                    with begin_write(self._engine) as conn:
                        return self._add_locked(
                            conn,
                            identifiant,
                            siren,
                            stored,
                            auteur,
                            origine,
                            payload_json,
                            payload_sha256,
                            expected_version,
                            expected_dates,
                            dates,
                            remplace,
                            motif,
                            on_stored,
                        )
                except IntegrityError as exc:
                    collision = exc
            raise Conflict(
                f"L'acte {identifiant} est modifié par une autre requête au même moment ; "
                "réessayez."
            ) from collision

    def _add_locked(
        self,
        conn: Connection,
        identifiant: str,
        siren: str,
        stored: Mapping[str, tuple[str, bytes]],
        auteur: str,
        origine: str,
        payload_json: str | None,
        payload_sha256: str | None,
        expected_version: int | None,
        expected_dates: PrefectureDates | None,
        dates: PrefectureDates | None,
        remplace: int | None = None,
        motif: str | None = None,
        on_stored: Callable[[bool], None] | None = None,
    ) -> tuple[ActeRecord, bool]:
        now = self._clock()
        row = (rows.acte_row(conn, identifiant, lock=True)
               if rows.acte_exists(conn, identifiant, lock=True) else None)
        if row is None:
            if origine != "payload":
                raise NotFound(f"L'acte {identifiant} est introuvable.")
            _check_writable(identifiant, "generee", 0, PrefectureDates(), origine,
                            expected_version, expected_dates)
            # The act's row written as its first version leaves it (one UPDATE less).
            new_dates, statut = regenerated("generee", dates) if dates is not None else (
                PrefectureDates(), "generee")
            new = rows.insert_acte(conn, identifiant, siren, now, statut=statut, dates=new_dates)
            if new is not None:
                self._write_version(
                    conn, new.id, 1, now, auteur, origine, payload_json, payload_sha256,
                    stored, remplace, motif, dates, action="creation")
                if on_stored is not None:
                    on_stored(True)
                # Its record is what this transaction has just written, not read back.
                version = rows.written_version(new, auteur, origine, payload_sha256, stored,
                                               remplace, motif)
                return rows.record_of(new, (version,)), True
            # PostgreSQL: a concurrent writer inserted the act first; wait for it, then as below.
            row = rows.existing_acte(conn, identifiant, lock=True)
        if row.siren != siren:
            raise Conflict(
                f"L'identifiant {identifiant} est déjà celui d'un acte de la collectivité "
                f"de SIREN {row.siren}."
            )
        current = row.version
        if payload_sha256 is not None and current > 0:
            current_sha = conn.execute(_CURRENT_SHA, {"k_acte": row.id, "k_numero": current}
                                       ).scalar()
            if is_retry(current_sha, payload_sha256):
                if on_stored is not None:
                    on_stored(False)
                return rows.load_record(conn, row), False
        _check_writable(identifiant, row.statut, current, _dates_of(row), origine,
                        expected_version, expected_dates)
        numero = current + 1
        self._write_version(conn, row.id, numero, now, auteur, origine, payload_json,
                            payload_sha256, stored, remplace, motif, dates,
                            action="creation" if current == 0 else origine)
        # RETURNING: the act's row as this version leaves it, for the record, without reading
        # it again.
        moved = {"k_id": row.id, "b_version": numero, "b_now": now}
        if dates is None:
            updated = conn.execute(_NEW_CURRENT, moved).one()
        else:
            new_dates, statut = regenerated(row.statut, dates)
            updated = conn.execute(_NEW_CURRENT_DATED, {
                **moved, "b_statut": statut, "b_envoi": new_dates.date_envoi,
                "b_reception": new_dates.date_reception,
                "b_publication": new_dates.date_publication,
            }).one()
        if on_stored is not None:
            on_stored(True)
        if current == 0:
            # An act's row at version 0 (written so before its row came with its first
            # version): its record is what this transaction has just written.
            version = rows.written_version(updated, auteur, origine, payload_sha256, stored,
                                           remplace, motif)
            return rows.record_of(updated, (version,)), True
        return rows.load_record(conn, updated), True

    @staticmethod
    def _write_version(
        conn: Connection, acte_id: int, numero: int, now: dt.datetime, auteur: str,
        origine: str, payload_json: str | None, payload_sha256: str | None,
        stored: Mapping[str, tuple[str, bytes]], remplace: int | None, motif: str | None,
        dates: PrefectureDates | None, *, action: str,
    ) -> None:
        """Insert version *numero* of the act, its files and its line of the audit trail."""
        version_id = _NEW_VERSION.run(conn, dict(
            acte_id=acte_id, numero=numero, created_at=now, auteur=auteur, origine=origine,
            payload_json=payload_json, payload_sha256=payload_sha256, remplace=remplace,
            motif=motif,
        )).scalar()
        hashes = rows.insert_files(conn, version_id, stored, now)
        detail: dict[str, Any] = {"version": numero, "origine": origine, "fichiers": hashes}
        if remplace is not None:
            detail.update(remplace=remplace, motif=motif)
        if dates is not None and any(dates):
            detail["transmission"] = _iso(dates)
        rows.add_audit(conn, acte_id, action, auteur, now, detail)

    def read_file(self, identifiant: str, version: int, kind: str) -> bytes:
        """Return the bytes of one file.

        :raises NotFound: when there is no such act, version or file.
        """
        with _database_errors():
            with self._engine.connect() as conn:
                ref = conn.execute(
                    select(files.c.blob_ref)
                    .join(versions, files.c.version_id == versions.c.id)
                    .join(actes, versions.c.acte_id == actes.c.id)
                    .where(
                        actes.c.identifiant == identifiant,
                        versions.c.numero == version,
                        files.c.kind == kind,
                    )
                ).scalar()
                if ref is None:
                    rows.version_row(conn, identifiant, version)  # the precise NotFound first
                    raise NotFound(
                        f"La version {version} de l'acte {identifiant} n'a pas de fichier "
                        f"« {kind} »."
                    )
            return self._blobs.get(ref)

    def record_acknowledgement(
        self,
        identifiant: str,
        *,
        dates: PrefectureDates,
        pdf_tamponne: bytes | None,
        auteur: str,
        version: int | None = None,
        expected_dates: PrefectureDates | None = None,
        extra_files: Mapping[str, bytes] | None = None,
        action: str = "accuse-reception",
    ) -> ActeRecord:
        """Store the prefecture's dates and the stamped PDF of the current version.

        *extra_files* (the published version's ``docx_publie``, ``pdf_publie``) are kept on the
        current version too, replacing earlier ones; *action* names the change in the audit
        trail. The act's dates and status become those :func:`.dates_prefecture.acknowledged`
        gives: a date of *dates* that is ``None`` keeps the one already known.

        :raises NotFound: when there is no such act.
        :raises StaleRead: when *version* (the one whose PDF was stamped) is no longer current,
            or the act's dates are no longer *expected_dates* (those the stamp was drawn after).
        """
        with _database_errors():
            if self.get(identifiant) is None:
                raise NotFound(f"L'acte {identifiant} est introuvable.")
            ref = None if pdf_tamponne is None else self._blobs.put(pdf_tamponne)
            extra = dict(extra_files or {})
            if unknown := set(extra) - set(MEDIA_TYPES):
                raise ValueError(f"unknown file kinds {sorted(unknown)}")
            extra_refs = dict(zip(extra, self._blobs.put_many(list(extra.values())), strict=True))
            with begin_write(self._engine) as conn:
                now = self._clock()
                row = rows.existing_acte(conn, identifiant, lock=True)
                if version is not None and row.version != version:
                    raise StaleRead(
                        f"L'acte {identifiant} est passé à la version {row.version} pendant que "
                        f"la version {version} était tamponnée."
                    )
                if expected_dates is not None and _dates_of(row) != expected_dates:
                    # Another acknowledgement landed meanwhile: the stamp must show both.
                    raise StaleRead(
                        f"Un autre accusé de réception de l'acte {identifiant} a été enregistré "
                        "pendant que celui-ci était tamponné."
                    )
                merged, statut = acknowledged(_dates_of(row), row.statut, dates)
                conn.execute(
                    update(actes)
                    .where(actes.c.id == row.id)
                    .values(statut=statut, updated_at=now, **merged._asdict())
                )
                detail: dict[str, Any] = _iso(dates)
                detail["version"] = row.version
                version_id = conn.execute(
                    select(versions.c.id).where(
                        versions.c.acte_id == row.id, versions.c.numero == row.version
                    )
                ).scalar_one()
                if extra:
                    conn.execute(files.delete().where(files.c.version_id == version_id,
                                                      files.c.kind.in_(list(extra))))
                    detail["publies"] = {
                        kind: rows.insert_file(conn, version_id, kind, extra_refs[kind], data, now)
                        for kind, data in extra.items()}
                if ref is not None and pdf_tamponne is not None:
                    conn.execute(
                        files.delete().where(
                            files.c.version_id == version_id, files.c.kind == "pdf_tamponne"
                        )
                    )
                    detail["fichiers"] = rows.insert_file(
                        conn, version_id, "pdf_tamponne", ref, pdf_tamponne, now
                    )
                rows.add_audit(conn, row.id, action, auteur, now, detail)
                return rows.load_record(conn, rows.existing_acte(conn, identifiant))

    def record_signature(
        self,
        identifiant: str,
        *,
        version: int,
        pdf_signe: bytes,
        pdf_tamponne: bytes | None,
        auteur: str,
        origine: str,
        expected_dates: PrefectureDates | None = None,
    ) -> ActeRecord:
        """Keep the signed PDF (and the stamped one, or none) of the current *version*.

        :raises NotFound: when there is no such act.
        :raises StaleRead: when *version* is no longer current or the dates changed.
        """
        with _database_errors():
            if self.get(identifiant) is None:
                raise NotFound(f"L'acte {identifiant} est introuvable.")
            given = {"pdf_signe": pdf_signe, "pdf_tamponne": pdf_tamponne}
            kept = {kind: data for kind, data in given.items() if data is not None}
            refs = dict(zip(kept, self._blobs.put_many(list(kept.values())), strict=True))
            with begin_write(self._engine) as conn:
                now = self._clock()
                row = rows.existing_acte(conn, identifiant, lock=True)
                if row.version != version:
                    raise StaleRead(
                        f"L'acte {identifiant} est passé à la version {row.version} pendant que "
                        f"la version {version} était signée."
                    )
                if expected_dates is not None and _dates_of(row) != expected_dates:
                    raise StaleRead(
                        f"Un accusé de réception de l'acte {identifiant} a été enregistré "
                        "pendant la signature : le PDF signé doit être tamponné à nouveau."
                    )
                version_id = conn.execute(
                    select(versions.c.id).where(
                        versions.c.acte_id == row.id, versions.c.numero == version)
                ).scalar_one()
                conn.execute(files.delete().where(
                    files.c.version_id == version_id, files.c.kind.in_(list(given))))
                hashes = {kind: rows.insert_file(conn, version_id, kind, refs[kind], data, now)
                          for kind, data in kept.items()}
                conn.execute(update(actes).where(actes.c.id == row.id).values(updated_at=now))
                rows.add_audit(conn, row.id, "signature", auteur, now,
                               {"version": version, "origine": origine, "fichiers": hashes})
                return rows.load_record(conn, rows.existing_acte(conn, identifiant))

    def allocate_serial(self, siren: str, jour: dt.date) -> int:
        """Return the next serial of *siren*'s ACTES sendings on *jour* (1 for the first),
        unique across every instance and worker sharing the database.

        :raises Conflict: when the day's 9999 serials are used up.
        """
        with _database_errors(), begin_write(self._engine) as conn:
            return envois.next_serial(conn, siren, jour)

    def transmission_envoi(
        self, identifiant: str, *, version: int, plateforme: str, contenu_sha256: str,
        jour: dt.date,
    ) -> tuple[dt.date, int]:
        """Return ``(jour, serial)`` naming the transmission of *version*'s archive whose
        content is *contenu_sha256*: the one recorded when this content was transmitted
        before, else a serial allocated for *jour* and recorded.

        :raises NotFound: when there is no such act.
        :raises StaleRead: when *version* is no longer the act's current one.
        :raises Conflict: when the day's 9999 serials are used up.
        """
        with _database_errors(), begin_write(self._engine) as conn:
            row = rows.acte_row(conn, identifiant, lock=True)
            if row is None:
                raise NotFound(f"L'acte {identifiant} est introuvable.")
            if row.version != version:
                raise StaleRead(
                    f"L'acte {identifiant} est passé à la version {row.version} pendant que "
                    f"l'archive de la version {version} était préparée."
                )
            found = envois.recorded(conn, row.id, plateforme, contenu_sha256)
            if found is not None:
                return found
            serial = envois.next_serial(conn, row.siren, jour)
            envois.record(conn, acte_id=row.id, version=version, plateforme=plateforme,
                          siren=row.siren, jour=jour, serial=serial,
                          contenu_sha256=contenu_sha256, now=self._clock())
            return jour, serial

    def payload(self, identifiant: str, version: int | None = None
                ) -> DeliberationPayload | None:
        """Return the deliberation a version was generated from (``None`` for an amendment),
        parsed again from the JSON it is kept as.

        :raises NotFound: when there is no such act or version.
        """
        with _database_errors(), self._engine.connect() as conn:
            text = rows.version_row(conn, identifiant, version).payload_json
        return None if text is None else DeliberationPayload.model_validate_json(text)

    def audit_log(self, identifiant: str) -> list[AuditEntry]:
        """Return the audit trail of an act, oldest first (empty for an unknown act)."""
        with _database_errors(), self._engine.connect() as conn:
            found = conn.execute(
                select(audit.c.action, audit.c.auteur, audit.c.at, audit.c.detail)
                .join(actes, audit.c.acte_id == actes.c.id)
                .where(actes.c.identifiant == identifiant)
                .order_by(audit.c.at, audit.c.id)
            ).all()
        return [AuditEntry(r.action, r.auteur, r.at, json.loads(r.detail or "{}")) for r in found]

    def list_actes(
        self, sirens: Collection[str] | None, query: str = "", limit: int = 50,
        *, identifiants: Collection[str] | None = None,
    ) -> list[ActeResume]:
        """Return up to *limit* acts of the authorities *sirens* (every one's when ``None``),
        the latest decision first; with a *query*, only those whose numéro, identifier or
        object contains it, case and accents aside; with *identifiants*, only those. See
        :func:`.listing.list_actes`."""
        with _database_errors():
            return listing.list_actes(self._engine, sirens, query, limit,
                                      identifiants=identifiants)


@contextlib.contextmanager
def _database_errors() -> Iterator[None]:
    # A database that is down or locked for too long is a temporary condition for the caller.
    try:
        yield
    except OperationalError as exc:
        raise Unavailable(
            "La base de données est momentanément indisponible ; réessayez dans quelques secondes.",
            retry_after=5,
        ) from exc


def _check_writable(
    identifiant: str, statut: str, current: int, dates: PrefectureDates, origine: str,
    expected_version: int | None, expected_dates: PrefectureDates | None,
) -> None:
    """Check that a version may follow version *current* of an act of *statut* and *dates*
    (``0``, ``generee`` and none for an act not stored yet)."""
    check_new_version(identifiant, statut, origine)
    if expected_version is not None and expected_version != current:
        raise Conflict(
            f"L'acte {identifiant} est à la version {current}, et non {expected_version} : "
            "il a été modifié entre-temps. Rechargez-le avant de le modifier."
        )
    if expected_dates is not None and dates != expected_dates:
        # An acknowledgement landed after these files were stamped: their stamp is stale.
        raise StaleRead(
            f"L'accusé de réception de l'acte {identifiant} a été enregistré pendant la "
            "conversion : le PDF doit être tamponné à nouveau."
        )


def _dates_of(row: Any) -> PrefectureDates:
    return PrefectureDates(row.date_envoi, row.date_reception, row.date_publication)


def _iso(dates: PrefectureDates) -> dict[str, Any]:
    """The dates given, as the audit trail writes them."""
    return {name: day.isoformat() for name, day in dates._asdict().items() if day}
