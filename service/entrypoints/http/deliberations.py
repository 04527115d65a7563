"""``POST /v1/deliberations``: one deliberation in, its act out."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, g, request, url_for

from service.entrypoints.http.access import auteur as _auteur
from service.entrypoints.http.bodies import json_body
from service.entrypoints.http.serialise import acte_json, file_response, negotiate_file

bp = Blueprint("deliberations", __name__)


@bp.post("/v1/deliberations")
def post_deliberation() -> Response:
    """Validate, generate and store an act; 201 with its record (200 for a retry)."""
    wanted = negotiate_file(request.accept_mimetypes)
    services = current_app.extensions["actes"]
    record, created = services.generate(json_body(), auteur=_auteur(), principal=g.principal)
    if wanted is None:
        resp = acte_json(record)
    else:
        content, kind = services.current_file(record.identifiant, wanted)
        resp = file_response(content, kind, f"{record.identifiant}.{wanted}")
    resp.status_code = 201 if created else 200
    resp.headers["Location"] = url_for("actes.get_acte", identifiant=record.identifiant)
    return resp
