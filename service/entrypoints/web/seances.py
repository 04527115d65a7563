"""A sitting's page: its acts, the progress of their generation, the list, CSV and archive."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, g, jsonify, redirect, url_for
from werkzeug import Response

from service.domain.access import Principal
from service.domain.jobs import JobRecord
from service.domain.regimes import REFORME_2022
from service.entrypoints.downloads import (
    FICHIERS_SEANCE,
    choix,
    download,
    download_kind,
    nom_proces_verbal,
    nom_seance,
)
from service.entrypoints.http.context import application
from service.entrypoints.web.blueprint import (
    STATUTS_JOB,
    auteur,
    bp,
    page,
)
from service.entrypoints.web.forms import AdoptionForm, PublicationForm
from service.entrypoints.web.refus import Refus, joindre, tenter
from service.services.application.seances import SeancesService

# The use case making each file of the sitting (named in entrypoints/downloads.py).
TELECHARGEMENTS: dict[str, Callable[[SeancesService], Callable[[str, Principal | None], bytes]]] = {
    "archive.zip": lambda seances: seances.seance_archive,
    "liste.pdf": lambda seances: seances.seance_liste_pdf,
    "deliberations.csv": lambda seances: seances.seance_csv,
}


def progression(job: JobRecord) -> dict[str, Any]:
    """Return the progress of *job* as the page and its script show it."""
    libelle = (f"{STATUTS_JOB[job.statut]} : {job.done} acte(s) généré(s) sur {job.total}"
               + (f", {len(job.erreurs)} en erreur" if job.erreurs else "") + ".")
    return {"statut": job.statut, "faits": job.done, "erreurs": len(job.erreurs),
            "total": job.total, "termine": job.finished, "libelle": libelle}


def _page_seance(seance_id: str, *, refus: Refus | None = None, status: int = 200,
                 adoption: AdoptionForm | None = None, liste: PublicationForm | None = None,
                 refus_pv: Refus | None = None) -> tuple[str, int]:
    record, actes = application().seances.get_seance(seance_id, g.principal)
    job = application().seances.get_job(record.job_id, g.principal) if record.job_id else None
    # What the acts say, not a re-posted payload one of them refused.
    deliberations = application().seances.stored_seance(record, actes).deliberations
    etats = {a.position: a for a in job.actes} if job else {}
    lignes = [
        {"position": i, "identifiant": ident, "acte": acte, "etat": etats.get(i),
         "numero": deliberations[i].numero if i < len(deliberations) else None,
         "objet": deliberations[i].objet if i < len(deliberations) else None}
        for i, (ident, acte) in enumerate(zip(record.identifiants, actes, strict=True))
    ]
    pv = application().seances.stored_proces_verbal(record)
    erreur = bool(refus or refus_pv or (adoption and adoption.errors)
                  or (liste and liste.errors))
    return page("seance.html", status, seance=record, job=job, lignes=lignes,
                progression=progression(job) if job else None, refus=refus,
                proces_verbal=pv, refus_pv=refus_pv,
                adoption=adoption or AdoptionForm(formdata=None),
                liste=liste or PublicationForm(formdata=None),
                liste_possible=record.date >= REFORME_2022, titre_erreur=erreur)


@bp.get("/seances/<seance_id>")
def seance(seance_id: str) -> tuple[str, int]:
    """The sitting: its acts and the job generating them (the page follows its progress)."""
    return _page_seance(seance_id)


@bp.get("/seances/<seance_id>/progression")
def progression_json(seance_id: str) -> Response:
    """The progress of the sitting's latest job, for the page's script."""
    # Polled every few seconds: the sitting alone, not each of its acts.
    record = application().seances.seance_record(seance_id, g.principal)
    if record.job_id is None:
        return jsonify({"statut": None, "faits": 0, "erreurs": 0, "total": 0, "termine": True,
                        "libelle": "Aucune génération en cours."})
    body = progression(application().seances.get_job(record.job_id, g.principal))
    body["page"] = url_for("greffe.seance", seance_id=seance_id)
    return jsonify(body)


@bp.get(f"/seances/<seance_id>/<{choix(FICHIERS_SEANCE)}:fichier>")
def telechargement(seance_id: str, fichier: str) -> Response | tuple[str, int]:
    """The archive, the list of the deliberations, or the open-data CSV of the sitting."""
    application().seances.seance_record(seance_id, g.principal)  # another authority's sitting: 404
    use_case = TELECHARGEMENTS[fichier]
    content, refus = tenter(lambda: use_case(application().seances)(seance_id, g.principal))
    if refus is not None:
        return _page_seance(seance_id, refus=refus, status=refus.status)
    assert content is not None  # tenter gives the result or the refusal
    return download(content, FICHIERS_SEANCE[fichier][0], nom_seance(fichier, seance_id))


@bp.get("/seances/<seance_id>/proces-verbal.<any(docx,pdf):extension>")
def proces_verbal(seance_id: str, extension: str) -> Response | tuple[str, int]:
    """The sitting's procès-verbal, generated from its acts when missing or out of date."""
    application().seances.seance_record(seance_id, g.principal)
    pv, refus = tenter(lambda: application().seances.proces_verbal(seance_id, auteur=auteur(),
                                                        principal=g.principal))
    if refus is not None:
        return _page_seance(seance_id, refus_pv=refus, status=refus.status)
    assert pv is not None  # tenter gives the result or the refusal
    content, kind = application().actes.current_file(pv.identifiant, extension, g.principal)
    return download_kind(content, kind, nom_proces_verbal(seance_id, extension))


@bp.post("/seances/<seance_id>/proces-verbal/adoption")
def adopter(seance_id: str) -> Response | tuple[str, int]:
    """Record the sitting that adopted the procès-verbal: a new version prints it."""
    application().seances.seance_record(seance_id, g.principal)
    form = AdoptionForm()
    if not form.validate_on_submit():
        return _page_seance(seance_id, adoption=form, status=422)
    body = {"arrete_le": form.arrete_le.data.isoformat()}
    record, refus = tenter(lambda: application().seances.adopt_proces_verbal(
        seance_id, body, auteur=auteur(), principal=g.principal))
    if refus is not None:
        joindre(form, refus, form.arrete_le)
        return _page_seance(seance_id, adoption=form, status=refus.status)
    assert record is not None  # tenter gives the result or the refusal
    flash(f"Adoption du procès-verbal enregistrée : version {record.version}.")
    return redirect(url_for("greffe.seance", seance_id=seance_id))


@bp.post("/seances/<seance_id>/liste/publication")
def publier_liste(seance_id: str) -> Response | tuple[str, int]:
    """Record the date the list of deliberations was put online."""
    application().seances.seance_record(seance_id, g.principal)
    form = PublicationForm()
    if not form.validate_on_submit():
        return _page_seance(seance_id, liste=form, status=422)
    body = {"date_mise_en_ligne": form.date_mise_en_ligne.data.isoformat()}
    _, refus = tenter(lambda: application().seances.publish_liste(seance_id, body,
                                                                  principal=g.principal))
    if refus is not None:
        joindre(form, refus, form.date_mise_en_ligne)
        return _page_seance(seance_id, liste=form, status=refus.status)
    flash("Mise en ligne de la liste des délibérations enregistrée.")
    return redirect(url_for("greffe.seance", seance_id=seance_id))
