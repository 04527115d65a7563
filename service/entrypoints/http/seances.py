"""``/v1/seances``: a whole sitting in one call, generated as a job; its list, CSV and archive."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, g, jsonify, url_for

from service.entrypoints.http.access import auteur as _auteur
from service.entrypoints.http.bodies import json_body
from service.entrypoints.http.deliberations import remplacer_option
from service.entrypoints.http.jobs import job_dict
from service.entrypoints.http.schemas import SeanceEnregistree, dump
from service.entrypoints.http.serialise import acte_dict

bp = Blueprint("seances", __name__, url_prefix="/v1/seances")


@bp.post("")
def post_seance() -> Response:
    """Check every deliberation of the sitting, then queue its generation: 202 and the job."""
    services = current_app.extensions["actes"]
    job = services.submit_seance(json_body(), auteur=_auteur(), principal=g.principal,
                                 remplacer=remplacer_option())
    resp = jsonify(job_dict(job))
    resp.status_code = 202
    resp.headers["Location"] = url_for("jobs.get_job", job_id=job.id)
    return resp


@bp.get("/<seance_id>")
def get_seance(seance_id: str) -> Response:
    """Return the sitting record and its acts (``en_attente`` until generated)."""
    record, actes = current_app.extensions["actes"].get_seance(seance_id, g.principal)
    return jsonify(dump(SeanceEnregistree, {
        "id": record.id,
        "siren": record.siren,
        "date": record.date.isoformat(),
        "cree_le": record.created_at.isoformat(),
        "modifie_le": record.updated_at.isoformat(),
        "actes": [
            acte_dict(acte) if acte is not None
            else {"identifiant": ident, "statut": "en_attente"}
            for ident, acte in zip(record.identifiants, actes, strict=True)
        ],
        "liens": {
            "self": url_for("seances.get_seance", seance_id=record.id),
            "job": record.job_id and url_for("jobs.get_job", job_id=record.job_id),
            "archive": url_for("seances.get_archive", seance_id=record.id),
            "liste": url_for("seances.get_liste", seance_id=record.id),
            "csv": url_for("seances.get_csv", seance_id=record.id),
        },
    }))


@bp.get("/<seance_id>/archive.zip")
def get_archive(seance_id: str) -> Response:
    """Return every DOCX and PDF of the sitting, the list and the SCDL CSV, in one ZIP."""
    content = current_app.extensions["actes"].seance_archive(seance_id, g.principal)
    return _download(content, "application/zip", f"seance-{seance_id}.zip")


@bp.get("/<seance_id>/liste.pdf")
def get_liste(seance_id: str) -> Response:
    """Return the list of the deliberations examined (CGCT L2121-25)."""
    content = current_app.extensions["actes"].seance_liste_pdf(seance_id, g.principal)
    return _download(content, "application/pdf", f"liste-{seance_id}.pdf")


@bp.get("/<seance_id>/deliberations.csv")
def get_csv(seance_id: str) -> Response:
    """Return the deliberations in the SCDL « Délibérations » open-data format."""
    content = current_app.extensions["actes"].seance_csv(seance_id, g.principal)
    return _download(content, "text/csv; charset=utf-8", f"deliberations-{seance_id}.csv")


def _download(content: bytes, media_type: str, filename: str) -> Response:
    resp = Response(content, content_type=media_type)
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp
