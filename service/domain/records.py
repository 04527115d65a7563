"""What the service keeps of an act: its versions, their files, its prefecture dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

# Re-exported: a record is read with them.
from service.domain.dates_prefecture import PrefectureDates as PrefectureDates
from service.domain.dates_prefecture import Statut as Statut

FileKind = Literal["docx", "pdf", "pdf_tamponne", "pdf_signe", "docx_publie", "pdf_publie"]
"""``docx_publie`` and ``pdf_publie`` are the version published online: personal data removed
(CRPA L312-1-2), the date put online printed (R2131-1); the others keep the full text."""

MEDIA_TYPES: dict[str, str] = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "pdf_tamponne": "application/pdf",
    "pdf_signe": "application/pdf",
    "docx_publie": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf_publie": "application/pdf",
}


@dataclass(frozen=True)
class StoredFile:
    """A file of a version: its hash, size and media type (the bytes are read separately)."""

    kind: FileKind
    sha256: str
    size: int
    media_type: str
    created_at: dt.datetime


@dataclass(frozen=True)
class VersionRecord:
    """One version of an act: generated from a payload or uploaded by a clerk."""

    numero: int
    created_at: dt.datetime
    auteur: str
    """Who made it: the token's name, ``api`` or ``cli``."""
    origine: Literal["payload", "amendement"]
    payload_sha256: str | None
    files: dict[str, StoredFile] = field(default_factory=dict)
    remplace: int | None = None
    """The clerk's amended version this one replaced on purpose (``?remplacer=``), if any."""
    motif: str | None = None
    """Why it replaced it."""


@dataclass(frozen=True)
class ActeRecord:
    """An act as stored: identifier, authority, current version and prefecture dates."""

    identifiant: str
    siren: str
    version: int
    statut: Statut
    created_at: dt.datetime
    updated_at: dt.datetime
    versions: tuple[VersionRecord, ...]
    dates: PrefectureDates = PrefectureDates()
    """The prefecture's dates: sent, received, put online."""

    @property
    def current(self) -> VersionRecord:
        """Return the latest version."""
        return self.versions[-1]

    @property
    def date_envoi(self) -> dt.date | None:
        """When the act was sent to the prefecture."""
        return self.dates.date_envoi

    @property
    def date_reception(self) -> dt.date | None:
        """When the prefecture acknowledged it."""
        return self.dates.date_reception

    @property
    def date_publication(self) -> dt.date | None:
        """When it was put online."""
        return self.dates.date_publication


@dataclass(frozen=True)
class ActeResume:
    """An act as a list shows it: enough for a clerk to find it, without its versions."""

    identifiant: str
    siren: str
    numero: str
    date: dt.date
    """The date of the decision, as the identifier carries it."""
    objet: str | None
    """The object of the latest deliberation it was generated from (``None``: none stored)."""
    statut: Statut
    version: int
    updated_at: dt.datetime
    seance_id: str | None = None
    """The sitting the act was generated in, if any."""
