"""The files the edges hand out: their names and their download responses, in one place.

The HTTP API, the clerk's pages and the ``actes`` command line name an act's files the same way
(``<identifiant>.pdf``, ``<identifiant>-v2-document.docx``…), and a download is always one
response: the bytes, their media type, ``Content-Disposition: attachment`` with the name.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response

from service.domain.records import MEDIA_TYPES

ZIP = "application/zip"
GZIP = "application/gzip"
CSV = "text/csv; charset=utf-8"

FICHIERS_VERSION: dict[str, str] = {
    "document.docx": "docx",
    "document.pdf": "pdf",
    "document-tamponne.pdf": "pdf_tamponne",
    "document-signe.pdf": "pdf_signe",
    "document-publie.docx": "docx_publie",
    "document-publie.pdf": "pdf_publie",
}
"""The files of one version, by their name in its URL: the kind of file stored."""
NOMS_VERSION: dict[str, str] = {kind: nom for nom, kind in FICHIERS_VERSION.items()}
"""The name in its URL of each kind of file of a version."""

FICHIERS_SEANCE: dict[str, tuple[str, str]] = {
    "archive.zip": (ZIP, "seance-{id}.zip"),
    "liste.pdf": (MEDIA_TYPES["pdf"], "liste-{id}.pdf"),
    "deliberations.csv": (CSV, "deliberations-{id}.csv"),
}
"""The files of one sitting, by their name in its URL: media type, name of the download."""

PROCES_VERBAL = "proces-verbal.{extension}"
"""The procès-verbal's file where the sitting is implied (the CLI's output folder)."""


def choix(noms: Iterable[str]) -> str:
    """Return the route converter accepting exactly *noms* (``any('a.pdf','b.pdf')``)."""
    return "any(" + ",".join(f"'{nom}'" for nom in noms) + ")"


def nom_document(identifiant: str, extension: str) -> str:
    """Return the name of an act's current DOCX or PDF (``<identifiant>.pdf``)."""
    return f"{identifiant}.{extension}"


def nom_publie(identifiant: str, extension: str) -> str:
    """Return the name of an act's published version (``<identifiant>-publie.pdf``)."""
    return f"{identifiant}-publie.{extension}"


def nom_version(identifiant: str, numero: int, fichier: str) -> str:
    """Return the name of a file of one version (``<identifiant>-v2-document.pdf``)."""
    return f"{identifiant}-v{numero}-{fichier}"


def nom_proces_verbal(seance_id: str, extension: str) -> str:
    """Return the name of a sitting's procès-verbal (``proces-verbal-<seance>.pdf``)."""
    return f"proces-verbal-{seance_id}.{extension}"


def nom_seance(fichier: str, seance_id: str) -> str:
    """Return the download name of *fichier* (a key of :data:`FICHIERS_SEANCE`)."""
    return FICHIERS_SEANCE[fichier][1].format(id=seance_id)


def download(content: bytes, media_type: str, filename: str) -> Response:
    """Return *content* as a download named *filename*."""
    resp = Response(content, content_type=media_type)
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    resp.headers["Content-Length"] = str(len(content))
    return resp


def download_kind(content: bytes, kind: str, filename: str) -> Response:
    """Return a stored file of *kind* (``pdf_tamponne``…) as a download named *filename*."""
    return download(content, MEDIA_TYPES[kind], filename)
