"""``/v1/seances``: a whole sitting in one call, generated as a job; its list, CSV and archive."""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, url_for

from service.entrypoints.downloads import (
    FICHIERS_SEANCE,
    download,
    download_kind,
    nom_proces_verbal,
    nom_seance,
)
from service.entrypoints.http.access import auteur as _auteur
from service.entrypoints.http.actes import _docx_body, _if_match
from service.entrypoints.http.bodies import json_body
from service.entrypoints.http.context import application
from service.entrypoints.http.deliberations import remplacer_option
from service.entrypoints.http.jobs import job_dict
from service.entrypoints.http.schemas import SeanceEnregistree, dump
from service.entrypoints.http.serialise import acte_dict, acte_json

bp = Blueprint("seances", __name__, url_prefix="/v1/seances")


@bp.post("")
def post_seance() -> Response:
    """Check every deliberation of the sitting, then queue its generation: 202 and the job."""
    job = application().seances.submit_seance(json_body(), auteur=_auteur(), principal=g.principal,
                                 remplacer=remplacer_option())
    resp = jsonify(job_dict(job))
    resp.status_code = 202
    resp.headers["Location"] = url_for("jobs.get_job", job_id=job.id)
    return resp


@bp.get("/<seance_id>")
def get_seance(seance_id: str) -> Response:
    """Return the sitting record and its acts (``en_attente`` until generated)."""
    record, actes = application().seances.get_seance(seance_id, g.principal)
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
            "proces_verbal": url_for("seances.get_proces_verbal", seance_id=record.id,
                                     extension="pdf"),
        },
        "proces_verbal_arrete_le": record.pv_arrete_le,
        "liste_mise_en_ligne": record.liste_mise_en_ligne,
    }))


@bp.get("/<seance_id>/proces-verbal.<any(docx,pdf):extension>")
def get_proces_verbal(seance_id: str, extension: str) -> Response:
    """Return the sitting's procès-verbal (CGCT L2121-15), made from its acts as stored; its
    record is the act ``PV-<seance_id>`` (versions, published version)."""
    pv = application().seances.proces_verbal(seance_id, auteur=_auteur(), principal=g.principal)
    content, kind = application().actes.current_file(pv.identifiant, extension, g.principal)
    return download_kind(content, kind, nom_proces_verbal(seance_id, extension))


@bp.put("/<seance_id>/proces-verbal.docx")
def put_proces_verbal(seance_id: str) -> Response:
    """Store the secretary's amended procès-verbal (the checks of an act's DOCX): new version,
    PDF regenerated, earlier versions kept; optional ``If-Match: "<version>"``."""
    record = application().seances.amend_proces_verbal(
        seance_id, _docx_body(), auteur=_auteur(), expected_version=_if_match(),
        principal=g.principal)
    resp = acte_json(record)
    resp.set_etag(str(record.version))
    return resp


@bp.post("/<seance_id>/proces-verbal/adoption")
def post_adoption(seance_id: str) -> Response:
    """Record the sitting that adopted the procès-verbal (``{"arrete_le": date}``): a new
    version prints it; 200 with the procès-verbal's record."""
    record = application().seances.adopt_proces_verbal(
        seance_id, json_body(), auteur=_auteur(), principal=g.principal)
    return acte_json(record)


@bp.post("/<seance_id>/liste/publication")
def post_liste_publication(seance_id: str) -> Response:
    """Record the date the list of deliberations was put online (``{"date_mise_en_ligne":
    date}``), printed on ``liste.pdf``; 409 for a sitting before 1 July 2022."""
    record = application().seances.publish_liste(seance_id, json_body(),
                                                           principal=g.principal)
    return get_seance(record.id)


@bp.get("/<seance_id>/archive.zip")
def get_archive(seance_id: str) -> Response:
    """Return every DOCX and PDF of the sitting, the list and the SCDL CSV, in one ZIP."""
    content = application().seances.seance_archive(seance_id, g.principal)
    return _download(content, "archive.zip", seance_id)


@bp.get("/<seance_id>/liste.pdf")
def get_liste(seance_id: str) -> Response:
    """Return the list of the deliberations examined (CGCT L2121-25)."""
    content = application().seances.seance_liste_pdf(seance_id, g.principal)
    return _download(content, "liste.pdf", seance_id)


@bp.get("/<seance_id>/deliberations.csv")
def get_csv(seance_id: str) -> Response:
    """Return the deliberations in the SCDL « Délibérations » open-data format."""
    content = application().seances.seance_csv(seance_id, g.principal)
    return _download(content, "deliberations.csv", seance_id)


def _download(content: bytes, fichier: str, seance_id: str) -> Response:
    return download(content, FICHIERS_SEANCE[fichier][0], nom_seance(fichier, seance_id))
