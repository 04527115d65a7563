"""Reading acts back: records, versions and files."""

from __future__ import annotations

from service.domain.records import ActeRecord
from service.errors import NotFound
from service.services.ports import ActeRepository


def get_acte(repository: ActeRepository, identifiant: str) -> ActeRecord:
    """Return the act *identifiant*.

    :raises NotFound: when no such act is stored.
    """
    record = repository.get(identifiant)
    if record is None:
        raise NotFound(f"Aucun acte n'a l'identifiant « {identifiant} ».")
    return record


def current_file(repository: ActeRepository, identifiant: str, extension: str) -> tuple[bytes, str]:
    """Return ``(content, kind)`` of the current version's DOCX or PDF.

    The PDF is the stamped one when the prefecture's dates are known: that is the act as
    published.
    """
    record = get_acte(repository, identifiant)
    kind = extension
    if extension == "pdf" and "pdf_tamponne" in record.current.files:
        kind = "pdf_tamponne"
    return repository.read_file(identifiant, record.version, kind), kind


def version_file(repository: ActeRepository, identifiant: str, numero: int, kind: str) -> bytes:
    """Return one file of one version.

    :raises NotFound: when the act, the version or the file does not exist.
    """
    record = get_acte(repository, identifiant)
    if not any(v.numero == numero and kind in v.files for v in record.versions):
        raise NotFound(f"L'acte « {identifiant} » n'a pas de fichier {kind} en version {numero}.")
    return repository.read_file(identifiant, numero, kind)
