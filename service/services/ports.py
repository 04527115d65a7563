"""The small interfaces the use cases are written against; adapters implement them.

Each port is a :class:`typing.Protocol`, so an adapter needs no base class and the tests can
pass a fake with the same methods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Protocol

from service.domain.actes.identifier import ActesIdentifier
from service.domain.mention import MentionPrefecture
from service.domain.payload import DeliberationPayload
from service.domain.records import ActeRecord


class DocumentRenderer(Protocol):
    """Fills a Word template with a deliberation."""

    def render_deliberation(self, payload: DeliberationPayload, identifier: ActesIdentifier) -> bytes:
        """Return the DOCX of the extract of *payload*.

        :raises TemplateError: when the template (or an authority's override) cannot be used.
        """
        ...


class PdfConverter(Protocol):
    """Turns DOCX documents into PDF/A."""

    def to_pdf(self, docx: bytes, *, label: str = "") -> bytes:
        """Return the PDF of *docx*; *label* names the act in logs.

        :raises ConversionError: when the document cannot be converted.
        :raises Unavailable: when no converter can take the work now.
        """
        ...

    def to_pdf_many(self, docxs: Sequence[bytes], *, labels: Sequence[str] = ()) -> list[bytes]:
        """Return the PDFs of *docxs* in order, using every converter available."""
        ...


class PdfStamper(Protocol):
    """Adds the prefecture's mention to a PDF."""

    def stamp(self, pdf: bytes, mention: MentionPrefecture) -> bytes:
        """Return *pdf* with *mention* drawn on it (the input is left untouched).

        :raises StampError: when the PDF cannot be stamped.
        """
        ...


class ActeRepository(Protocol):
    """Where acts, their versions and files are kept (SQLite by default, PostgreSQL to scale)."""

    def get(self, identifiant: str) -> ActeRecord | None:
        """Return the act with its versions, or ``None``."""
        ...

    def add_version(
        self,
        *,
        identifiant: str,
        siren: str,
        files: Mapping[str, bytes],
        auteur: str,
        origine: str,
        payload_json: str | None = None,
        payload_sha256: str | None = None,
        expected_version: int | None = None,
    ) -> tuple[ActeRecord, bool]:
        """Store a new version and return ``(record, created)``.

        When *payload_sha256* equals the current version's, nothing is stored and ``created`` is
        ``False`` (an upstream retry). When *expected_version* is given and is not the current
        version, raise :class:`~service.errors.Conflict` (optimistic check for amendments).
        :raises Conflict: when the act was acknowledged and *origine* is ``payload``.
        """
        ...

    def read_file(self, identifiant: str, version: int, kind: str) -> bytes:
        """Return the bytes of one file.

        :raises NotFound: when there is no such act, version or file.
        """
        ...

    def record_acknowledgement(
        self,
        identifiant: str,
        *,
        date_envoi: dt.date | None,
        date_reception: dt.date | None,
        date_publication: dt.date | None,
        pdf_tamponne: bytes | None,
        auteur: str,
    ) -> ActeRecord:
        """Store the prefecture's dates and the stamped PDF of the current version."""
        ...

    def payload_json(self, identifiant: str, version: int | None = None) -> str | None:
        """Return the payload a version was generated from (``None`` for an amendment)."""
        ...
