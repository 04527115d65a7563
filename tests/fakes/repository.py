"""The :class:`ActeRepository` port in memory.

The rules of a write are the domain's, called here as the SQL repository calls them: an
upstream retry of the same payload stores nothing (:func:`~service.domain.regeneration.is_retry`),
an act transmitted to the prefecture is not regenerated from a payload
(:func:`~service.domain.regeneration.check_new_version`), the act's dates and status follow
its acknowledgements and payloads (:mod:`service.domain.dates_prefecture`). What is left here
is storage: versions numbered under one lock, the compare-and-set checks of a write
(``expected_version``, ``expected_dates``), serials counted per authority and day, and a
transmission's serial kept with its content (``envois.py``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import unicodedata
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace

from service.domain.actes.envois import checked_serial
from service.domain.actes.identifier import ActesIdentifier
from service.domain.canonical import canonical_json
from service.domain.canonical import payload_sha256 as digest
from service.domain.dates_prefecture import PrefectureDates, Statut, acknowledged, regenerated
from service.domain.errors import Conflict, NotFound, StaleRead
from service.domain.payload import DeliberationPayload
from service.domain.records import (
    MEDIA_TYPES,
    ActeRecord,
    ActeResume,
    StoredFile,
    VersionRecord,
)
from service.domain.regeneration import check_new_version, is_retry


@dataclass
class _Version:
    record: VersionRecord
    payload_json: str | None
    blobs: dict[str, bytes] = field(default_factory=dict)


@dataclass
class _Acte:
    identifiant: str
    siren: str
    created_at: dt.datetime
    updated_at: dt.datetime
    statut: Statut = "generee"
    dates: PrefectureDates = PrefectureDates()
    versions: list[_Version] = field(default_factory=list)


class InMemoryActeRepository:
    """Acts, versions and files in dictionaries, under one lock (the SQL row lock's part).

    *before_write* is called inside each write, before the checks, with the name of the
    method: a test makes another request land "during the conversion" there.
    """

    def __init__(self, *, clock: Callable[[], dt.datetime] | None = None) -> None:
        self._actes: dict[str, _Acte] = {}
        self._lock = threading.RLock()
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.before_write: Callable[[str], None] | None = None
        self._serials: dict[tuple[str, dt.date], int] = {}
        self._envois: dict[tuple[str, str, str], tuple[dt.date, int]] = {}
        self.audit: list[tuple[str, str, str]] = []
        """``(identifiant, action, auteur)`` of every change, oldest first."""

    # -- reading ---------------------------------------------------------------------------

    def get(self, identifiant: str, *, sirens: Collection[str] | None = None
            ) -> ActeRecord | None:
        with self._lock:
            acte = self._actes.get(identifiant)
            if acte is None or (sirens is not None and acte.siren not in sirens):
                return None
            return self._record(acte)

    def read_file(self, identifiant: str, version: int, kind: str) -> bytes:
        with self._lock:
            v = self._version(identifiant, version)
            if kind not in v.blobs:
                raise NotFound(f"La version {version} de l'acte {identifiant} n'a pas de "
                               f"fichier « {kind} ».")
            return v.blobs[kind]

    def payload(self, identifiant: str, version: int | None = None
                ) -> DeliberationPayload | None:
        with self._lock:
            text = self._version(identifiant, version).payload_json
        return None if text is None else DeliberationPayload.model_validate_json(text)

    def list_actes(
        self, sirens: Collection[str] | None, query: str = "", limit: int = 50,
        *, identifiants: Collection[str] | None = None,
    ) -> list[ActeResume]:
        with self._lock:
            found = []
            for acte in self._actes.values():
                if sirens is not None and acte.siren not in sirens:
                    continue
                if identifiants is not None and acte.identifiant not in identifiants:
                    continue
                ident = ActesIdentifier.parse(acte.identifiant)
                objet = _objet(acte)
                haystack = _plain(f"{ident.numero} {acte.identifiant} {objet or ''}")
                if query.strip() and _plain(query.strip()) not in haystack:
                    continue
                found.append(ActeResume(
                    identifiant=acte.identifiant, siren=acte.siren, numero=ident.numero,
                    date=ident.date, objet=objet, statut=acte.statut,
                    version=len(acte.versions), updated_at=acte.updated_at))
            # The latest decision first, then the latest created (dicts keep insertion order).
            found.reverse()
            found.sort(key=lambda r: r.date, reverse=True)
            return found[:limit]

    # -- writing ---------------------------------------------------------------------------

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
        if origine not in ("payload", "amendement"):
            raise ValueError(f"unknown origine {origine!r}")
        if unknown := set(files) - set(MEDIA_TYPES):
            raise ValueError(f"unknown file kinds {sorted(unknown)}")
        # Kept as text, as the SQL repository keeps it: what is read back is parsed again.
        payload_json = None if payload is None else canonical_json(payload)
        if payload_json is not None and payload_sha256 is None:
            payload_sha256 = digest(payload_json)
        with self._lock:
            self._hook("add_version")
            now = self._clock()
            acte = self._actes.get(identifiant)
            if acte is None:
                if origine != "payload":
                    raise NotFound(f"L'acte {identifiant} est introuvable.")
                acte = _Acte(identifiant, siren, now, now)
            if acte.siren != siren:
                raise Conflict(f"L'identifiant {identifiant} est déjà celui d'un acte de la "
                               f"collectivité de SIREN {acte.siren}.")
            current = len(acte.versions)
            if current and is_retry(acte.versions[-1].record.payload_sha256, payload_sha256):
                if on_stored is not None:
                    on_stored(False)
                return self._record(acte), False
            check_new_version(identifiant, acte.statut, origine)
            if expected_version is not None and expected_version != current:
                raise Conflict(f"L'acte {identifiant} est à la version {current}, et non "
                               f"{expected_version} : il a été modifié entre-temps.")
            if expected_dates is not None and acte.dates != expected_dates:
                raise StaleRead(f"L'accusé de réception de l'acte {identifiant} a été "
                                "enregistré pendant la conversion.")
            if on_stored is not None:
                # Before anything changes here: when it raises, no version is stored, as the
                # SQL repository rolls its transaction back.
                on_stored(True)
            numero = current + 1
            version = VersionRecord(
                numero=numero, created_at=now, auteur=auteur, origine=origine,  # type: ignore[arg-type]
                payload_sha256=payload_sha256, remplace=remplace, motif=motif,
                files={kind: _stored(kind, data, now) for kind, data in files.items()})
            acte.versions.append(_Version(version, payload_json, dict(files)))
            if dates is not None:
                acte.dates, acte.statut = regenerated(acte.statut, dates)
            acte.updated_at = now
            self._actes[identifiant] = acte
            self.audit.append((identifiant, "creation" if current == 0 else origine, auteur))
            return self._record(acte), True

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
        if unknown := set(extra_files or {}) - set(MEDIA_TYPES):
            raise ValueError(f"unknown file kinds {sorted(unknown)}")
        with self._lock:
            self._hook("record_acknowledgement")
            acte = self._acte(identifiant)
            if version is not None and len(acte.versions) != version:
                raise StaleRead(f"L'acte {identifiant} est passé à la version "
                                f"{len(acte.versions)} pendant que la version {version} était "
                                "tamponnée.")
            if expected_dates is not None and acte.dates != expected_dates:
                raise StaleRead(f"Un autre accusé de réception de l'acte {identifiant} a été "
                                "enregistré pendant que celui-ci était tamponné.")
            acte.dates, acte.statut = acknowledged(acte.dates, acte.statut, dates)
            now = acte.updated_at = self._clock()
            if pdf_tamponne is not None:
                self._put(acte.versions[-1], "pdf_tamponne", pdf_tamponne, now)
            for kind, data in (extra_files or {}).items():
                self._put(acte.versions[-1], kind, data, now)
            self.audit.append((identifiant, action, auteur))
            return self._record(acte)

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
        with self._lock:
            self._hook("record_signature")
            acte = self._acte(identifiant)
            if len(acte.versions) != version:
                raise StaleRead(f"L'acte {identifiant} est passé à la version "
                                f"{len(acte.versions)} pendant que la version {version} était "
                                "signée.")
            if expected_dates is not None and acte.dates != expected_dates:
                raise StaleRead(f"Un accusé de réception de l'acte {identifiant} a été "
                                "enregistré pendant la signature.")
            now = acte.updated_at = self._clock()
            current = acte.versions[-1]
            for kind in ("pdf_signe", "pdf_tamponne"):
                current.blobs.pop(kind, None)
                current.record.files.pop(kind, None)
            self._put(current, "pdf_signe", pdf_signe, now)
            if pdf_tamponne is not None:
                self._put(current, "pdf_tamponne", pdf_tamponne, now)
            self.audit.append((identifiant, "signature", auteur))
            return self._record(acte)

    def allocate_serial(self, siren: str, jour: dt.date) -> int:
        with self._lock:
            serial = checked_serial(siren, jour, self._serials.get((siren, jour), 0) + 1)
            self._serials[(siren, jour)] = serial
            return serial

    def transmission_envoi(
        self, identifiant: str, *, version: int, plateforme: str, contenu_sha256: str,
        jour: dt.date,
    ) -> tuple[dt.date, int]:
        with self._lock:
            acte = self._acte(identifiant)
            if len(acte.versions) != version:
                raise StaleRead(f"L'acte {identifiant} est passé à la version "
                                f"{len(acte.versions)} pendant que l'archive de la version "
                                f"{version} était préparée.")
            # As envois.py keeps it: the same content on the same platform keeps its name.
            key = (identifiant, plateforme, contenu_sha256)
            if key not in self._envois:
                self._envois[key] = (jour, self.allocate_serial(acte.siren, jour))
            return self._envois[key]

    # -- helpers ---------------------------------------------------------------------------

    def _hook(self, name: str) -> None:
        hook, self.before_write = self.before_write, None  # once: the hook may write too
        if hook is not None:
            hook(name)

    def _acte(self, identifiant: str) -> _Acte:
        acte = self._actes.get(identifiant)
        if acte is None:
            raise NotFound(f"L'acte {identifiant} est introuvable.")
        return acte

    def _version(self, identifiant: str, version: int | None) -> _Version:
        acte = self._acte(identifiant)
        numero = len(acte.versions) if version is None else version
        if not 1 <= numero <= len(acte.versions):
            raise NotFound(f"L'acte {identifiant} n'a pas de version {numero}.")
        return acte.versions[numero - 1]

    @staticmethod
    def _put(version: _Version, kind: str, data: bytes, now: dt.datetime) -> None:
        version.blobs[kind] = data
        version.record.files[kind] = _stored(kind, data, now)

    @staticmethod
    def _record(acte: _Acte) -> ActeRecord:
        return ActeRecord(
            identifiant=acte.identifiant, siren=acte.siren, version=len(acte.versions),
            statut=acte.statut, created_at=acte.created_at, updated_at=acte.updated_at,
            # Copies: a record read earlier must not change when the act does.
            versions=tuple(replace(v.record, files=dict(v.record.files))
                           for v in acte.versions),
            dates=acte.dates)


def _stored(kind: str, data: bytes, now: dt.datetime) -> StoredFile:
    return StoredFile(kind=kind, sha256=hashlib.sha256(data).hexdigest(),  # type: ignore[arg-type]
                      size=len(data), media_type=MEDIA_TYPES[kind], created_at=now)


def _objet(acte: _Acte) -> str | None:
    """The object of the latest payload, read out of its JSON as the SQL listing does."""
    for v in reversed(acte.versions):
        if v.payload_json is not None:
            objet = json.loads(v.payload_json).get("deliberation", {}).get("objet")
            return objet if isinstance(objet, str) else None
    return None


def _plain(text: str) -> str:
    """Case and accents aside, as the SQL listing compares (``listing.plain``)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold())
                   if not unicodedata.combining(c))
