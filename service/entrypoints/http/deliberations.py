"""``POST /v1/deliberations``: one deliberation in; its record, or one of its files, out."""

from __future__ import annotations

from flask import Blueprint, Response, g, request, url_for

from service.domain.errors import BadRequest
from service.domain.regeneration import OPTION, parse_remplacer
from service.entrypoints.downloads import download_kind, nom_document
from service.entrypoints.http.access import auteur as _auteur
from service.entrypoints.http.bodies import json_body
from service.entrypoints.http.context import application
from service.entrypoints.http.serialise import acte_json, negotiate_file

bp = Blueprint("deliberations", __name__)


@bp.post("/v1/deliberations")
def post_deliberation() -> Response:
    """Validate, generate and store an act; 201 with its record (200 for a retry).

    With `Accept: application/pdf` (or the DOCX media type) the answer is the file itself; a
    generated client, which reads every answer of this operation as JSON, uses
    `POST /v1/deliberations/document.pdf` (or `.docx`) instead.
    """
    return _generate(negotiate_file(request.accept_mimetypes))


@bp.post("/v1/deliberations/document.<any(docx,pdf):extension>")
def post_deliberation_document(extension: str) -> Response:
    """Validate, generate and store an act, as `POST /v1/deliberations` does; 201 with the act's
    DOCX or PDF (PDF stamped when the payload gives the prefecture's dates), 200 for a retry.

    The act's record is at the answer's `Location`.
    """
    return _generate(extension)


def _generate(wanted: str | None) -> Response:
    actes = application().actes
    record, created = actes.generate(json_body(), auteur=_auteur(), principal=g.principal,
                                        remplacer=remplacer_option())
    if wanted is None:
        resp = acte_json(record)
    else:
        content, kind = actes.current_file(record.identifiant, wanted)
        resp = download_kind(content, kind, nom_document(record.identifiant, wanted))
    resp.status_code = 201 if created else 200
    resp.headers["Location"] = url_for("actes.get_acte", identifiant=record.identifiant)
    return resp


def remplacer_option() -> dict[str, int]:
    """Return the clerk's amendments the caller replaces on purpose: each
    ``?remplacer=<identifiant>:<version>`` of the query (repeatable, one per act)."""
    try:
        return parse_remplacer(request.args.getlist(OPTION))
    except ValueError as exc:
        raise BadRequest(str(exc), code="option-invalide") from exc
