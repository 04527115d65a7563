"""``/v1/actes/{id}``: an act's record, versions and files."""

from __future__ import annotations

import re

from flask import Blueprint, Response, g, request

from service.domain.errors import BadRequest, UnsupportedMediaType
from service.domain.records import MEDIA_TYPES
from service.entrypoints.downloads import (
    FICHIERS_VERSION,
    GZIP,
    choix,
    download,
    download_kind,
    nom_document,
    nom_publie,
    nom_version,
)
from service.entrypoints.http.access import auteur as _auteur
from service.entrypoints.http.bodies import XML_TYPES, json_body, xml_body
from service.entrypoints.http.context import application
from service.entrypoints.http.serialise import (
    acte_json,
    signatures_json,
    versions_json,
)

bp = Blueprint("actes", __name__, url_prefix="/v1/actes")

# If-Match of an amendment: the version number, quoted as an entity tag (or bare). Nine digits
# at most: a longer number is no version (and int() of 5,000 digits raises, a 500 once).
_VERSION_TAG = re.compile(r'"(\d{1,9})"|(\d{1,9})')


@bp.get("/<identifiant>/versions")
def get_versions(identifiant: str) -> Response:
    """Return every version with its date, author and hashes."""
    return versions_json(application().actes.get(identifiant, g.principal))


@bp.get(f"/<identifiant>/versions/<int:numero>/<{choix(FICHIERS_VERSION)}:fichier>")
def get_version_file(identifiant: str, numero: int, fichier: str) -> Response:
    """Return one file of one version."""
    kind = FICHIERS_VERSION[fichier]
    content = application().actes.version_file(identifiant, numero, kind, g.principal)
    return download_kind(content, kind, nom_version(identifiant, numero, fichier))


@bp.get("/<identifiant>/document.<any(docx,pdf):extension>")
def get_document(identifiant: str, extension: str) -> Response:
    """Return the current version's DOCX, or its PDF (stamped when dates are known)."""
    content, kind = application().actes.current_file(identifiant, extension, g.principal)
    return download_kind(content, kind, nom_document(identifiant, extension))


@bp.get("/<identifiant>/document-publie.<any(docx,pdf):extension>")
def get_published(identifiant: str, extension: str) -> Response:
    """Return the current version as published online: personal data removed from its text,
    the date put online printed; 404 until the publication is recorded."""
    kind = f"{extension}_publie"
    actes = application().actes
    record = actes.get(identifiant, g.principal)
    content = actes.version_file(identifiant, record.version, kind, g.principal)
    return download_kind(content, kind, nom_publie(identifiant, extension))


@bp.post("/<identifiant>/publication")
def post_publication(identifiant: str) -> Response:
    """Record the date the act was put online (``{"date_mise_en_ligne": date}``): its published
    version is made, its stamp made again with the date; 200 with the record."""
    record = application().actes.publish(identifiant, json_body(), auteur=_auteur(),
                                                      principal=g.principal)
    return acte_json(record)


@bp.put("/<identifiant>/document.docx")
def put_document(identifiant: str) -> Response:
    """Store a clerk's amended DOCX as the next version, its PDF regenerated; 200 with the record.

    ``If-Match: "<n>"`` makes it conditional: 409 when version *n* is no longer the current one.
    """
    record = application().actes.amend(
        identifiant, _docx_body(), auteur=_auteur(), expected_version=_if_match(),
        principal=g.principal,
    )
    resp = acte_json(record)
    resp.set_etag(str(record.version))
    return resp


def _docx_body() -> bytes:
    if request.mimetype not in (MEDIA_TYPES["docx"], "application/octet-stream"):
        raise UnsupportedMediaType(
            f"Le document doit être envoyé en {MEDIA_TYPES['docx']} (ou "
            f"application/octet-stream) ; reçu : {request.mimetype or 'aucun type'}."
        )
    raw = request.get_data(cache=False)  # MAX_CONTENT_LENGTH is enforced by Werkzeug here
    if not raw:
        raise BadRequest("Le corps de la requête est vide ; le fichier DOCX modifié est attendu.",
                         code="docx-vide")
    return raw


def _if_match() -> int | None:
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    found = _VERSION_TAG.fullmatch(header.strip())
    if found is None:
        shown = header if len(header) <= 40 else f"{header[:40]}…"
        raise BadRequest('L\'en-tête If-Match doit porter le numéro de la version modifiée, '
                         f'entre guillemets (If-Match: "3") ; reçu : {shown!r}.',
                         code="if-match-invalide")
    return int(found.group(1) or found.group(2))


@bp.get("/<identifiant>")
def get_acte(identifiant: str) -> Response:
    """Return the act record."""
    return acte_json(application().actes.get(identifiant, g.principal))


@bp.get("/<identifiant>/transmission.tar.gz")
def get_transmission(identifiant: str) -> Response:
    """Return the ACTES archive; its name is the one the operator expects."""
    archive = application().actes.transmission_archive(identifiant, g.principal)
    return download(archive.content, GZIP, archive.name)


@bp.post("/<identifiant>/accuse-reception")
def post_accuse_reception(identifiant: str) -> Response:
    """Record the prefecture's dates (JSON) and stamp the PDF; 200 with the record.

    The `ARActe` message is taken here too when sent as `application/xml`; a generated client,
    whose operations each send one media type, sends it to
    `POST /v1/actes/{identifiant}/accuse-reception/aracte`.
    """
    if request.mimetype in XML_TYPES:
        return post_accuse_reception_aracte(identifiant)
    record = application().actes.acknowledge(
        identifiant, dates=json_body(), auteur=_auteur(), principal=g.principal)
    return acte_json(record)


@bp.post("/<identifiant>/accuse-reception/aracte")
def post_accuse_reception_aracte(identifiant: str) -> Response:
    """Record the prefecture's acknowledgement, its `ARActe` message as received; stamp the PDF;
    200 with the record."""
    record = application().actes.acknowledge(
        identifiant, ar_xml=xml_body(), auteur=_auteur(), principal=g.principal)
    return acte_json(record)


@bp.post("/<identifiant>/signature")
def post_signature(identifiant: str) -> Response:
    """Sign the act's PDF (PAdES) for its président, then its secretary(ies); 200 with the
    record, 409 when no key is configured or the version is already signed."""
    record = application().actes.sign(identifiant, auteur=_auteur(),
                                                  principal=g.principal)
    return acte_json(record)


@bp.put("/<identifiant>/document.pdf")
def put_signed_pdf(identifiant: str) -> Response:
    """Keep a PDF signed elsewhere (an i-Parapheur) whose signed revision is the service's own
    PDF of the current version; 422 saying why for any other."""
    if request.mimetype not in (MEDIA_TYPES["pdf"], "application/octet-stream"):
        raise UnsupportedMediaType(
            f"Le PDF signé doit être envoyé en application/pdf ; reçu : "
            f"{request.mimetype or 'aucun type'}."
        )
    raw = request.get_data(cache=False)
    if not raw:
        raise BadRequest("Le corps de la requête est vide ; le PDF signé est attendu.",
                         code="pdf-vide")
    record = application().actes.attach_signed_pdf(
        identifiant, raw, auteur=_auteur(), principal=g.principal)
    return acte_json(record)


@bp.get("/<identifiant>/signatures")
def get_signatures(identifiant: str) -> Response:
    """Return the act's signature status and, for each signature of its PDF: signer, time,
    integrity, chain to the trust anchors and what changed after it."""
    return signatures_json(application().actes.signatures(identifiant, g.principal))
