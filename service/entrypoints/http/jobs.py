"""``GET /v1/jobs/{id}``: the progress of a sitting's generation, from any process."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, g, jsonify, url_for

from service.domain.jobs import JobRecord
from service.entrypoints.http.context import application
from service.entrypoints.http.schemas import Job, dump

bp = Blueprint("jobs", __name__, url_prefix="/v1/jobs")


_MARKER = "IDENTIFIANT"
_SAFE = "!$&'()*+,/:;=@"
"""What werkzeug's default converter leaves unquoted in a path segment."""


def _lien_acte() -> Callable[[str], str]:
    """Return what ``url_for("actes.get_acte", identifiant=…)`` gives, built once per answer:
    a job of 100 acts is polled while it runs, and url_for for each act was 40 % of a GET."""
    before, _, after = url_for("actes.get_acte", identifiant=_MARKER).rpartition(_MARKER)
    return lambda identifiant: before + quote(identifiant, safe=_SAFE) + after


def job_dict(job: JobRecord) -> dict[str, Any]:
    """Return the job as the API shows it (the ``Job`` schema of ``/openapi.json``): status,
    progress, per-act errors and times."""
    lien = _lien_acte()
    return dump(Job, {
        "id": job.id,
        "seance": job.seance_id,
        "statut": job.statut,
        "progression": {"faits": job.done, "erreurs": len(job.erreurs), "total": job.total},
        "erreurs": [
            {"position": a.position, "identifiant": a.identifiant, "code": a.erreur_code,
             "message": a.erreur_message}
            for a in job.erreurs
        ],
        "actes": [
            {"position": a.position, "identifiant": a.identifiant, "statut": a.statut,
             "tentatives": a.tentatives,
             "lien": lien(a.identifiant)}
            for a in job.actes
        ],
        "cree_le": job.created_at.isoformat(),
        "debute_le": job.started_at and job.started_at.isoformat(),
        "termine_le": job.finished_at and job.finished_at.isoformat(),
        "liens": {
            "self": url_for("jobs.get_job", job_id=job.id),
            "seance": url_for("seances.get_seance", seance_id=job.seance_id),
        },
    })


@bp.get("/<job_id>")
def get_job(job_id: str) -> Response:
    """Return the job's status and progress."""
    return jsonify(job_dict(application().seances.get_job(job_id, g.principal)))
