"""Use case: a clerk's amended DOCX becomes the act's new version, its PDF regenerated."""

from __future__ import annotations

import hashlib

from service.domain.access import Principal
from service.domain.errors import Conflict
from service.domain.mention import MentionPrefecture
from service.domain.records import ActeRecord
from service.services.conversion import convert_and_stamp
from service.services.ports import ActeRepository, PdfConverter, PdfStamper, UploadInspector
from service.services.queries import get_acte, latest_payload
from service.services.retry import retry_stale


def amend_acte(
    repository: ActeRepository,
    converter: PdfConverter,
    stamper: PdfStamper,
    inspector: UploadInspector,
    identifiant: str,
    docx: bytes,
    *,
    auteur: str,
    expected_version: int | None = None,
    principal: Principal | None = None,
) -> ActeRecord:
    """Store *docx* as the next version of act *identifiant*, with its PDF; return the record.

    The DOCX is inspected before anything else happens, so a refused document leaves no trace.
    The current version's own DOCX (same SHA-256) is no new version: the record is returned
    as it is.
    The PDF is stamped when the prefecture's dates are known. Earlier versions are kept.

    :raises NotFound: when the act does not exist (or *principal* may not see it).
    :raises DocumentRejected: when *docx* is refused by *inspector*.
    :raises Conflict: when *expected_version* is given and is no longer the current version.
    :raises ConversionError: when LibreOffice cannot convert the document.
    """
    record = get_acte(repository, identifiant, principal)
    inspector.inspect_docx(docx)
    current_docx = record.current.files.get("docx")
    if current_docx is not None and current_docx.sha256 == hashlib.sha256(docx).hexdigest():
        # The same bytes again (a double click, a client's retry): the act as it is, no
        # version that differs from the current one by nothing.
        return record
    if expected_version is not None and expected_version != record.version:
        # Checked again under the repository's lock; here it spares a conversion for nothing.
        raise Conflict(
            f"L'acte {identifiant} est à la version {record.version}, et non {expected_version} : "
            "il a été modifié entre-temps. Rechargez-le avant de le modifier."
        )
    pdf, stamped = convert_and_stamp(
        docx, prefecture_mention(repository, record), converter=converter, stamper=stamper,
        label=identifiant, tenant=record.siren,
    )

    def attempt(n: int) -> ActeRecord:
        current, pdf_tamponne = record, stamped
        if n > 1:
            # The prefecture's acknowledgement was recorded during the conversion: the new
            # version must carry the stamp it calls for. The PDF itself is still right.
            current = get_acte(repository, identifiant, principal)
            mention = prefecture_mention(repository, current)
            pdf_tamponne = stamper.stamp(pdf, mention) if mention.is_known else None
        files = {"docx": docx, "pdf": pdf}
        if pdf_tamponne is not None:
            files["pdf_tamponne"] = pdf_tamponne
        amended, _ = repository.add_version(
            identifiant=identifiant,
            siren=current.siren,
            files=files,
            auteur=auteur,
            origine="amendement",
            expected_version=expected_version,
            expected_dates=current.dates,
        )
        return amended

    return retry_stale(attempt)


def prefecture_mention(repository: ActeRepository, record: ActeRecord) -> MentionPrefecture:
    """Return the prefecture's mention of *record*.

    The dates the act records (from an acknowledgement) come first; a date it lacks is taken
    from the transmission block of the latest payload the act was generated from, as the
    generated PDF was stamped with it.
    """
    dates = record.dates
    generated = latest_payload(repository, record)
    if generated is not None and generated.transmission is not None:
        dates = dates.completed_with(generated.transmission.dates)
    return MentionPrefecture(record.identifiant, *dates)
