"""Use cases of signed acts: sign with the authority's keys, accept a PDF signed elsewhere,
and read back what each signature is worth.

The signed PDF is kept beside the version's own PDF (``pdf_signe``): it is the one transmitted
and the one the prefecture's stamp is appended to, as an annotation the signatures allow. An act
stamped before it is signed is signed over its stamp. An amendment makes a new version that no
signature covers: the act's signature status says the signatures were lost (see
:func:`~service.domain.signatures.statut_signature`).
"""

from __future__ import annotations

from dataclasses import dataclass

from service.domain.access import Principal
from service.domain.errors import Conflict, DocumentRejected
from service.domain.records import ActeRecord
from service.domain.signatures import (
    SignatureReport,
    StatutSignature,
    signataires,
    statut_signature,
)
from service.services.amend import prefecture_mention
from service.services.ports import ActeRepository, ActeSigner, PdfStamper, SignatureVerifier
from service.services.queries import get_acte
from service.services.retry import retry_stale
from service.services.transmit import stored_payload


@dataclass(frozen=True)
class SignaturesActe:
    """An act's signature status and the report of each signature of its signed PDF."""

    identifiant: str
    version: int
    statut: StatutSignature
    version_signee: int | None
    signatures: list[SignatureReport]


def sign_acte(
    repository: ActeRepository,
    signer: ActeSigner,
    stamper: PdfStamper,
    identifiant: str,
    *,
    auteur: str,
    principal: Principal | None = None,
) -> ActeRecord:
    """Sign the current version's PDF for its président, then its secretary(ies).

    :raises Conflict: when the current version is already signed.
    :raises SigningNotConfigured: when the authority has no key for these signatories.
    :raises SignatureError: when a configured key cannot sign.
    """
    def attempt(_: int) -> ActeRecord:
        # Read on each try: an acknowledgement or an amendment landing while the act is signed
        # makes the write stale, and what the act is now is signed.
        record = get_acte(repository, identifiant, principal)
        if "pdf_signe" in record.current.files:
            raise Conflict(
                f"La version {record.version} de l'acte {identifiant} est déjà signée.",
                code="acte-deja-signe",
            )
        payload = stored_payload(repository, record)
        stamped = "pdf_tamponne" in record.current.files
        # Stamped before signed: the signatures cover the stamp, the signed PDF is the one
        # published.
        base = repository.read_file(identifiant, record.version,
                                    "pdf_tamponne" if stamped else "pdf")
        signed = signer.sign(base, record.siren, signataires(payload))
        return repository.record_signature(
            identifiant, version=record.version, pdf_signe=signed,
            pdf_tamponne=signed if stamped else None, auteur=auteur, origine="service",
            expected_dates=record.dates,
        )

    return retry_stale(attempt)


def attach_signed_pdf(
    repository: ActeRepository,
    verifier: SignatureVerifier,
    stamper: PdfStamper,
    identifiant: str,
    pdf: bytes,
    *,
    auteur: str,
    principal: Principal | None = None,
) -> ActeRecord:
    """Keep *pdf*, signed elsewhere (an i-Parapheur), as the current version's signed PDF.

    It is accepted only if it begins with one of the service's own PDFs of the current version
    byte for byte (as generated, stamped, or signed here), adds only signatures to it, and every
    signature is intact. The prefecture's stamp, when due, is appended to it.

    :raises DocumentRejected: (422) saying why, for any other PDF, a signed PDF of an earlier
        version included.
    """
    def attempt(_: int) -> ActeRecord:
        record = get_acte(repository, identifiant, principal)
        base = _own_pdf_prefix(repository, record, pdf)
        problems = verifier.check_signed_copy(pdf, len(base))
        if problems:
            raise DocumentRejected(
                f"PDF signé refusé pour l'acte {identifiant} : {' ; '.join(problems)}.",
                code="pdf-signe-refuse",
            )
        mention = prefecture_mention(repository, record)
        stamped = stamper.stamp(pdf, mention) if mention.is_known else None
        return repository.record_signature(
            identifiant, version=record.version, pdf_signe=pdf, pdf_tamponne=stamped,
            auteur=auteur, origine="externe", expected_dates=record.dates,
        )

    return retry_stale(attempt)


def _own_pdf_prefix(repository: ActeRepository, record: ActeRecord, pdf: bytes) -> bytes:
    """Return the service's PDF of the current version that *pdf* extends.

    :raises DocumentRejected: when none is a strict prefix of *pdf*; the message names an
        earlier version when *pdf* extends one of its PDFs.
    """
    if not pdf.startswith(b"%PDF-"):
        raise DocumentRejected("Le fichier envoyé n'est pas un PDF.", code="pdf-signe-refuse")
    for version in reversed(record.versions):
        for kind in ("pdf_signe", "pdf_tamponne", "pdf"):
            if kind not in version.files or version.files[kind].size >= len(pdf):
                continue
            own = repository.read_file(record.identifiant, version.numero, kind)
            if not pdf.startswith(own):
                continue
            if version.numero == record.version:
                return own
            raise DocumentRejected(
                f"Ce PDF signé est celui de la version {version.numero} de l'acte "
                f"{record.identifiant}, qui est à la version {record.version} depuis : faites "
                "signer le PDF de la version courante.",
                code="pdf-signe-version-anterieure",
            )
    raise DocumentRejected(
        f"La révision signée de ce PDF n'est pas le PDF de l'acte {record.identifiant} "
        f"(version {record.version}) octet pour octet : seul le PDF produit par le service, "
        "signé par ajout de signatures, est accepté.",
        code="pdf-signe-refuse",
    )


def acte_signatures(
    repository: ActeRepository,
    verifier: SignatureVerifier,
    identifiant: str,
    *,
    principal: Principal | None = None,
) -> SignaturesActe:
    """Return the act's signature status and the report of each signature of the PDF it
    publishes (stamped when the prefecture's dates are known)."""
    record = get_acte(repository, identifiant, principal)
    statut, version_signee = statut_signature(record)
    reports: list[SignatureReport] = []
    if statut == "signee":
        files = record.current.files
        kind = "pdf_tamponne" if "pdf_tamponne" in files else "pdf_signe"
        reports = pdf_signatures(verifier, repository.read_file(identifiant, record.version, kind))
    return SignaturesActe(identifiant, record.version, statut, version_signee, reports)


def pdf_signatures(verifier: SignatureVerifier, pdf: bytes) -> list[SignatureReport]:
    """Return the report of each signature of *pdf* (what ``actes verify`` prints).

    :raises DocumentRejected: when *pdf* is not a readable PDF.
    """
    return verifier.verify(pdf)
