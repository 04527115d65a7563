"""The :class:`~service.services.ports.SignatureVerifier` port: pyHanko's validator.

Each embedded signature is checked for integrity (the signed bytes and the cryptographic
signature), for a certificate path to the configured trust anchors (no network: no fetching of
certificates or revocation data, revocation checks soft-fail), and for what the later
revisions changed, judged by pyHanko's difference analysis with the stamp rule
(:data:`~service.adapters.pdf_sign.stamp_rule.STAMP_DIFF_POLICY`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from io import BytesIO
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel, SuspiciousModification
from pyhanko.sign.diff_analysis.commons import compare_dicts
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext

from service.adapters.pdf_sign.stamp_rule import (
    STAMP_DIFF_POLICY,
    is_signature_widget,
    pages,
)
from service.domain.errors import DocumentRejected
from service.domain.signatures import Modification, SignatureReport

log = logging.getLogger(__name__)

_MODIFICATIONS: dict[ModificationLevel, Modification] = {
    ModificationLevel.NONE: "aucune",
    ModificationLevel.LTA_UPDATES: "signatures",
    ModificationLevel.FORM_FILLING: "signatures",
    ModificationLevel.ANNOTATIONS: "annotations",
    ModificationLevel.OTHER: "autre",
}


class PadesVerifier:
    """Validate the signatures of PDFs against *trust_anchors* (PEM or DER certificate files)."""

    def __init__(self, trust_anchors: Iterable[str | Path] = ()) -> None:
        self.trust_anchors = tuple(Path(p) for p in trust_anchors)
        self._roots: list[asn1_x509.Certificate] | None = None

    def _trust_roots(self) -> list[asn1_x509.Certificate]:
        if self._roots is None:
            roots = []
            for path in self.trust_anchors:
                try:
                    roots.extend(load_certs_from_pemder([str(path)]))
                except (OSError, ValueError) as exc:
                    log.error("trust anchor %s unreadable: %r", path, exc)
            self._roots = roots
        return self._roots

    def verify(self, pdf: bytes) -> list[SignatureReport]:
        """Return a report of each signature of *pdf*, in the order they were made.

        :raises DocumentRejected: when *pdf* cannot be read.
        """
        reader = _reader(pdf)
        reports = []
        for embedded in reader.embedded_signatures:
            context = ValidationContext(trust_roots=self._trust_roots(), allow_fetching=False,
                                        revocation_mode="soft-fail")
            try:
                status = validate_pdf_signature(embedded, signer_validation_context=context,
                                                diff_policy=STAMP_DIFF_POLICY)
            except (misc.PdfError, SignatureValidationError, NotImplementedError, ValueError,
                    KeyError, TypeError) as exc:
                # A malformed signature, or one using an algorithm pyHanko does not support.
                log.warning("signature %s unreadable: %r", embedded.field_name, exc)
                reports.append(_unreadable(embedded.field_name))
                continue
            reports.append(_report(embedded.field_name, status))
        return reports

    def check_signed_copy(self, pdf: bytes, base_length: int) -> list[str]:
        """Return why *pdf* is not the first *base_length* bytes (the service's own PDF)
        signed elsewhere, in French; empty when it is.

        The revisions appended to the service's PDF up to the first signature that covers it
        may only add signature fields (with their widgets, the form and metadata); every
        signature must be intact, and what follows each one may only be signatures or
        annotations. Trust in the signers is not required here: the report shows it.
        """
        reader = _reader(pdf)
        base_revision = _reader(pdf[:base_length]).xrefs.total_revisions - 1
        new = [sig for sig in reader.embedded_signatures if sig.signed_revision > base_revision]
        if not new:
            return ["le PDF ne porte aucune signature ajoutée au PDF de l'acte"]
        problems = []
        first = min(sig.signed_revision for sig in new)
        if not only_adds_signatures(reader, base_revision, first):
            problems.append("la révision signée modifie le contenu du PDF de l'acte au lieu "
                            "de seulement y ajouter une signature")
        for report in self.verify(pdf):
            if not report.integre or report.modification == "autre":
                reasons = [p for p in report.problemes if "autorité de confiance" not in p]
                problems.append(f"signature « {report.champ} » : {', '.join(reasons)}")
        return problems


_SIGNING_CATALOG_KEYS = frozenset({"/AcroForm", "/Metadata", "/Perms", "/DSS", "/Extensions",
                                   "/Version"})
"""What a signing application may add to or change in the catalogue."""


def only_adds_signatures(reader: PdfFileReader, base_revision: int, upto: int) -> bool:
    """Whether the revisions after *base_revision*, up to *upto*, only add signature fields.

    pyHanko's difference analysis needs a form in the older revision, which the service's PDF
    does not have; this checks the same thing for this one step: every object of the base
    revision that these revisions rewrite is the catalogue (changed only in its form, metadata
    and signature entries), the document information, the XMP, or a page whose only change is
    new signature widgets appended to its ``/Annots``. New objects are reachable only from
    those places.
    """
    old = reader.get_historical_resolver(base_revision)
    root_ref = old.trailer_view.raw_get("/Root").reference
    info = old.trailer_view.raw_get("/Info") if "/Info" in old.trailer_view else None
    metadata = old.root.raw_get("/Metadata") if "/Metadata" in old.root else None
    allowed = {ref.reference for ref in (info, metadata)
               if isinstance(ref, generic.IndirectObject)}
    page_refs = set(pages(old, old.root.raw_get("/Pages").reference, depth=0))
    for revision in range(base_revision + 1, upto + 1):
        new = reader.get_historical_resolver(revision)
        for ref in new.explicit_refs_in_revision():
            if old.is_ref_unassignable(ref) or ref in allowed:
                continue
            try:
                if ref == root_ref:
                    compare_dicts(old.root, new.root, _SIGNING_CATALOG_KEYS)
                elif ref in page_refs:
                    if not _adds_signature_widgets(old(ref), new(ref)):
                        return False
                else:
                    return False
            except (misc.PdfError, SuspiciousModification, KeyError, TypeError):
                return False
    return True


def _adds_signature_widgets(old_page: generic.DictionaryObject,
                            new_page: generic.DictionaryObject) -> bool:
    compare_dicts(old_page, new_page, frozenset({"/Annots"}))
    old_annots = list(old_page.get("/Annots", ()))
    new_annots = list(new_page.get("/Annots", ()))
    if new_annots[: len(old_annots)] != old_annots:
        return False
    return all(is_signature_widget(a.get_object()) for a in new_annots[len(old_annots):])


def _reader(pdf: bytes) -> PdfFileReader:
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
    except (misc.PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise DocumentRejected("Le fichier n'est pas un PDF lisible.", code="pdf-illisible"
                               ) from exc
    if reader.encrypted:
        raise DocumentRejected("Le PDF est chiffré : ses signatures ne peuvent pas être lues.",
                               code="pdf-chiffre")
    return reader


def _report(champ: str, status: PdfSignatureStatus) -> SignatureReport:
    level = status.modification_level
    modification: Modification = (
        "autre" if status.docmdp_ok is False
        else _MODIFICATIONS[level or ModificationLevel.NONE]
    )
    cert = status.signing_cert
    name = str(cert.subject.native.get("common_name", "")) if cert is not None else ""
    path = _chain(status)
    timestamp = status.timestamp_validity.timestamp if status.timestamp_validity else None
    problems = []
    if not status.intact:
        problems.append("le contenu signé a été modifié")
    elif not status.valid:
        problems.append("la signature cryptographique est invalide")
    if not status.trusted:
        problems.append("le certificat ne remonte à aucune autorité de confiance configurée")
    if modification == "autre":
        problems.append("le document a été modifié après la signature au-delà d'annotations "
                        "ou de nouvelles signatures")
    return SignatureReport(
        champ=champ,
        signataire=name,
        date_signature=_utc(status.signer_reported_dt or timestamp),
        horodatage=_utc(timestamp),
        integre=bool(status.intact and status.valid),
        confiance=bool(status.trusted),
        chaine=path,
        modification=modification,
        niveau=_pades_level(status),
        problemes=tuple(problems),
    )


def _unreadable(champ: str) -> SignatureReport:
    return SignatureReport(champ=champ, signataire="", date_signature=None, horodatage=None,
                           integre=False, confiance=False, chaine=(), modification="autre",
                           niveau="", problemes=("la signature est illisible",))


def _chain(status: PdfSignatureStatus) -> tuple[str, ...]:
    path = status.validation_path
    if path is None:
        return ()
    certs = list(path.iter_certs(include_root=True))
    return tuple(str(c.subject.native.get("common_name", "")) for c in reversed(certs))


def _pades_level(status: PdfSignatureStatus) -> str:
    if status.timestamp_validity is None:
        return "B-B"
    return "B-T"


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.astimezone(dt.UTC)

