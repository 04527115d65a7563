"""Use case: generate the extract of one deliberation (DOCX, PDF/A, stamped PDF) and keep it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from pydantic import BaseModel

from service.domain.actes.identifier import ActesIdentifier, identifier_for
from service.domain.mention import MentionPrefecture
from service.domain.payload import DeliberationPayload
from service.domain.records import ActeRecord, PrefectureDates
from service.services.conversion import convert_and_stamp
from service.services.ports import ActeRepository, DocumentRenderer, PdfConverter, PdfStamper


@dataclass(frozen=True)
class Documents:
    """The files of one act, before they are stored."""

    identifier: ActesIdentifier
    docx: bytes
    pdf: bytes
    pdf_tamponne: bytes | None

    def files(self) -> dict[str, bytes]:
        """Return the files by kind, as the repository stores them."""
        out = {"docx": self.docx, "pdf": self.pdf}
        if self.pdf_tamponne is not None:
            out["pdf_tamponne"] = self.pdf_tamponne
        return out


def identifier_of(payload: DeliberationPayload) -> ActesIdentifier:
    """Return the ACTES identifier of a validated payload."""
    c, d = payload.collectivite, payload.deliberation
    return identifier_for(c.departement, c.siren, payload.seance.date, d.numero, d.nature)


def mention_of(payload: DeliberationPayload, identifier: ActesIdentifier) -> MentionPrefecture:
    """Return the prefecture mention the payload's ``transmission`` dates call for."""
    t = payload.transmission
    if t is None:
        return MentionPrefecture(str(identifier))
    return MentionPrefecture(str(identifier), t.date_envoi, t.date_reception, t.date_publication)


def prefecture_dates(payload: DeliberationPayload) -> PrefectureDates:
    """Return the ``transmission`` dates of *payload* (``None`` for each one it lacks)."""
    t = payload.transmission
    if t is None:
        return (None, None, None)
    return (t.date_envoi, t.date_reception, t.date_publication)


def canonical_json(payload: BaseModel) -> str:
    """Return a payload (a deliberation, a sitting) as canonical JSON: equal payloads give
    equal text (and hash)."""
    return json.dumps(payload.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)


def produce_documents(
    payload: DeliberationPayload,
    renderer: DocumentRenderer,
    converter: PdfConverter,
    stamper: PdfStamper,
) -> Documents:
    """Return the DOCX, the PDF/A and, when prefecture dates are known, the stamped PDF."""
    identifier = identifier_of(payload)
    docx = renderer.render_deliberation(payload, identifier)
    pdf, stamped = convert_and_stamp(
        docx, mention_of(payload, identifier), converter=converter, stamper=stamper,
        label=str(identifier), tenant=payload.collectivite.siren,
    )
    return Documents(identifier, docx, pdf, stamped)


def generate_acte(
    payload: DeliberationPayload,
    *,
    renderer: DocumentRenderer,
    converter: PdfConverter,
    stamper: PdfStamper,
    repository: ActeRepository,
    auteur: str,
) -> tuple[ActeRecord, bool]:
    """Generate and store the act of *payload*; return ``(record, created)``.

    A retry of the same payload returns the stored act untouched (``created`` is ``False``)
    without rendering anything again.

    :raises Conflict: when the act was already transmitted (see the repository).
    """
    identifier = identifier_of(payload)
    text = canonical_json(payload)
    digest = hashlib.sha256(text.encode()).hexdigest()
    existing = repository.get(str(identifier))
    if existing is not None and existing.current.payload_sha256 == digest:
        return existing, False
    docs = produce_documents(payload, renderer, converter, stamper)
    return repository.add_version(
        identifiant=str(identifier),
        siren=payload.collectivite.siren,
        files=docs.files(),
        auteur=auteur,
        origine="payload",
        payload_json=text,
        payload_sha256=digest,
        # The record says what the files say: the dates the PDF is stamped with, and the
        # status they mean.
        dates=prefecture_dates(payload),
    )
