"""Reading acts back: records, versions and files."""

from __future__ import annotations

from service.domain.access import Principal
from service.domain.errors import Forbidden, NotFound
from service.domain.payload import DeliberationPayload
from service.domain.records import ActeRecord
from service.services.ports import ActeRepository


def get_acte(
    repository: ActeRepository, identifiant: str, principal: Principal | None = None
) -> ActeRecord:
    """Return the act *identifiant*, if *principal* (``None``: anyone) may see it.

    :raises NotFound: when no such act is stored, or it belongs to another authority: a
        caller learns nothing of other authorities' acts.
    """
    record = repository.get(identifiant,
                            sirens=None if principal is None else principal.sirens)
    if record is None or (principal is not None and not principal.may_act_for(record.siren)):
        raise NotFound(f"Aucun acte n'a l'identifiant « {identifiant} ».")
    return record


def current_file(
    repository: ActeRepository, identifiant: str, extension: str, principal: Principal | None = None
) -> tuple[bytes, str]:
    """Return ``(content, kind)`` of the current version's DOCX or PDF.

    The PDF is the stamped one when the prefecture's dates are known: that is the act as
    published; else the signed one when the act is signed.
    """
    return record_file(repository, get_acte(repository, identifiant, principal), extension)


def record_file(repository: ActeRepository, record: ActeRecord, extension: str
                ) -> tuple[bytes, str]:
    """Return ``(content, kind)`` of the current DOCX or PDF of an act already read: the PDF
    is the stamped one, else the signed one, else the one generated."""
    kind = extension
    if extension == "pdf":
        kind = next(k for k in ("pdf_tamponne", "pdf_signe", "pdf")
                    if k in record.current.files or k == "pdf")
    return repository.read_file(record.identifiant, record.version, kind), kind


def unstamped_pdf(repository: ActeRepository, record: ActeRecord) -> bytes:
    """Return the current version's PDF before any stamp: the signed one when it is signed
    (the one transmitted, and the one a new stamp is appended to), else the one generated."""
    kind = "pdf_signe" if "pdf_signe" in record.current.files else "pdf"
    return repository.read_file(record.identifiant, record.version, kind)


def version_file(
    repository: ActeRepository, identifiant: str, numero: int, kind: str,
    principal: Principal | None = None,
) -> bytes:
    """Return one file of one version.

    :raises NotFound: when the act, the version or the file does not exist.
    """
    record = get_acte(repository, identifiant, principal)
    if not any(v.numero == numero and kind in v.files for v in record.versions):
        raise NotFound(f"L'acte « {identifiant} » n'a pas de fichier {kind} en version {numero}.")
    return repository.read_file(identifiant, numero, kind)


def authorise_siren(principal: Principal | None, siren: str) -> None:
    """Check that *principal* may act for *siren*.

    :raises Forbidden: when the token is not bound to that authority.
    """
    if principal is not None and not principal.may_act_for(siren):
        raise Forbidden(f"Ce jeton n'est pas habilité pour la collectivité de SIREN {siren}.")


def latest_payload(repository: ActeRepository, record: ActeRecord) -> DeliberationPayload | None:
    """Return the payload *record* was last generated from, ``None`` if it never was.

    A clerk's amendment carries no payload: the act's metadata and prefecture dates stay those
    of the latest payload.
    """
    for version in reversed(record.versions):
        if version.origine == "payload":
            return repository.payload(record.identifiant, version.numero)
    return None
