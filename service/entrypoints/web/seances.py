"""A sitting's page: its acts, the progress of their generation, the list, CSV and archive."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, url_for
from werkzeug import Response

from service.domain.jobs import JobRecord
from service.entrypoints.web.blueprint import (
    STATUTS_JOB,
    attachment,
    bp,
    page,
    services,
)
from service.entrypoints.web.refus import Refus, tenter

TELECHARGEMENTS = {
    "archive.zip": ("application/zip", "seance-{id}.zip", "seance_archive"),
    "liste.pdf": ("application/pdf", "liste-{id}.pdf", "seance_liste_pdf"),
    "deliberations.csv": ("text/csv; charset=utf-8", "deliberations-{id}.csv", "seance_csv"),
}


def progression(job: JobRecord) -> dict[str, Any]:
    """Return the progress of *job* as the page and its script show it."""
    libelle = (f"{STATUTS_JOB[job.statut]} : {job.done} acte(s) généré(s) sur {job.total}"
               + (f", {len(job.erreurs)} en erreur" if job.erreurs else "") + ".")
    return {"statut": job.statut, "faits": job.done, "erreurs": len(job.erreurs),
            "total": job.total, "termine": job.finished, "libelle": libelle}


def _page_seance(seance_id: str, *, refus: Refus | None = None, status: int = 200
                 ) -> tuple[str, int]:
    record, actes = services().get_seance(seance_id, g.principal)
    job = services().get_job(record.job_id, g.principal) if record.job_id else None
    # What the acts say, not a re-posted payload one of them refused.
    deliberations = services().stored_seance(record, actes).deliberations
    etats = {a.position: a for a in job.actes} if job else {}
    lignes = [
        {"position": i, "identifiant": ident, "acte": acte, "etat": etats.get(i),
         "numero": deliberations[i].numero if i < len(deliberations) else None,
         "objet": deliberations[i].objet if i < len(deliberations) else None}
        for i, (ident, acte) in enumerate(zip(record.identifiants, actes, strict=True))
    ]
    return page("seance.html", status, seance=record, job=job, lignes=lignes,
                progression=progression(job) if job else None, refus=refus,
                titre_erreur=refus is not None)


@bp.get("/seances/<seance_id>")
def seance(seance_id: str) -> tuple[str, int]:
    """The sitting: its acts and the job generating them (the page follows its progress)."""
    return _page_seance(seance_id)


@bp.get("/seances/<seance_id>/progression")
def progression_json(seance_id: str) -> Response:
    """The progress of the sitting's latest job, for the page's script."""
    # Polled every few seconds: the sitting alone, not each of its acts.
    record = services().seance_record(seance_id, g.principal)
    if record.job_id is None:
        return jsonify({"statut": None, "faits": 0, "erreurs": 0, "total": 0, "termine": True,
                        "libelle": "Aucune génération en cours."})
    body = progression(services().get_job(record.job_id, g.principal))
    body["page"] = url_for("greffe.seance", seance_id=seance_id)
    return jsonify(body)


@bp.get("/seances/<seance_id>/<any('archive.zip','liste.pdf','deliberations.csv'):fichier>")
def telechargement(seance_id: str, fichier: str) -> Response | tuple[str, int]:
    """The archive, the list of the deliberations, or the open-data CSV of the sitting."""
    services().seance_record(seance_id, g.principal)  # another authority's sitting: 404
    media_type, nom, use_case = TELECHARGEMENTS[fichier]
    content, refus = tenter(lambda: getattr(services(), use_case)(seance_id, g.principal))
    if refus is not None:
        return _page_seance(seance_id, refus=refus, status=refus.status)
    return attachment(content, media_type, nom.format(id=seance_id))
