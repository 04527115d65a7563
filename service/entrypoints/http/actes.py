"""``/v1/actes/{id}``: an act's record, versions and files."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, g, request

from service.entrypoints.http.access import auteur as _auteur
from service.entrypoints.http.bodies import json_body, xml_body

from service.entrypoints.http.serialise import acte_json, file_response, versions_json

bp = Blueprint("actes", __name__, url_prefix="/v1/actes")

_FILES = {"document.docx": "docx", "document.pdf": "pdf", "document-tamponne.pdf": "pdf_tamponne"}


@bp.get("/<identifiant>/versions")
def get_versions(identifiant: str) -> Response:
    """Return every version with its date, author and hashes."""
    return versions_json(current_app.extensions["actes"].get(identifiant, g.principal))


@bp.get("/<identifiant>/versions/<int:numero>/<any('document.docx','document.pdf','document-tamponne.pdf'):fichier>")
def get_version_file(identifiant: str, numero: int, fichier: str) -> Response:
    """Return one file of one version."""
    kind = _FILES[fichier]
    content = current_app.extensions["actes"].version_file(identifiant, numero, kind, g.principal)
    return file_response(content, kind, f"{identifiant}-v{numero}-{fichier}")


@bp.get("/<identifiant>/document.<any(docx,pdf):extension>")
def get_document(identifiant: str, extension: str) -> Response:
    """Return the current version's DOCX, or its PDF (stamped when dates are known)."""
    content, kind = current_app.extensions["actes"].current_file(identifiant, extension, g.principal)
    return file_response(content, kind, f"{identifiant}.{extension}")


@bp.get("/<identifiant>")
def get_acte(identifiant: str) -> Response:
    """Return the act record."""
    return acte_json(current_app.extensions["actes"].get(identifiant, g.principal))


@bp.get("/<identifiant>/transmission.tar.gz")
def get_transmission(identifiant: str) -> Response:
    """Return the ACTES archive; its name is the one the operator expects."""
    archive = current_app.extensions["actes"].transmission_archive(identifiant, g.principal)
    resp = Response(archive.content, mimetype="application/gzip")
    resp.headers["Content-Disposition"] = f'attachment; filename="{archive.name}"'
    return resp


@bp.post("/<identifiant>/accuse-reception")
def post_accuse_reception(identifiant: str) -> Response:
    """Record the prefecture's acknowledgement (``ARActe`` XML or JSON dates); stamp the PDF."""
    services = current_app.extensions["actes"]
    if request.mimetype in ("application/xml", "text/xml"):
        record = services.acknowledge(identifiant, ar_xml=xml_body(), auteur=_auteur(), principal=g.principal)
    else:
        record = services.acknowledge(identifiant, dates=json_body(), auteur=_auteur(), principal=g.principal)
    return acte_json(record)
