"""An act's page: its status and versions, their files, an amended DOCX, the acknowledgement."""

from __future__ import annotations

from flask import flash, g, redirect, url_for
from werkzeug import Response

from service.domain.proces_verbal import est_proces_verbal
from service.entrypoints.downloads import (
    FICHIERS_VERSION,
    GZIP,
    NOMS_VERSION,
    choix,
    download,
    download_kind,
    nom_document,
    nom_publie,
    nom_version,
)
from service.entrypoints.http.context import application
from service.entrypoints.web.blueprint import auteur, bp, page
from service.entrypoints.web.forms import AccuseReceptionForm, AmendementForm, PublicationForm
from service.entrypoints.web.refus import Refus, joindre, tenter

# The files of a version the act's page links to: the signed PDF is listed by the API only.
FICHIERS_PAGE = [nom for nom, kind in FICHIERS_VERSION.items() if kind != "pdf_signe"]


def _page_acte(identifiant: str, *, amendement: AmendementForm | None = None,
               accuse: AccuseReceptionForm | None = None, refus_archive: Refus | None = None,
               publication: PublicationForm | None = None, status: int = 200
               ) -> tuple[str, int]:
    record = application().actes.get(identifiant, g.principal)
    resume = application().actes.acte_resume(identifiant, g.principal)
    amendement = amendement or AmendementForm(formdata=None, version=record.version)
    erreur = bool(amendement.errors or (accuse and accuse.errors) or refus_archive
                  or (publication and publication.errors))
    return page("acte.html", status, acte=record, resume=resume, amendement=amendement,
                accuse=accuse or AccuseReceptionForm(formdata=None), refus_archive=refus_archive,
                publication=publication or PublicationForm(formdata=None),
                proces_verbal=est_proces_verbal(identifiant), titre_erreur=erreur,
                NOMS=NOMS_VERSION)


@bp.get("/actes/<identifiant>")
def acte(identifiant: str) -> tuple[str, int]:
    """The act: identifier, status, versions and their files, the two forms."""
    return _page_acte(identifiant)


@bp.post("/actes/<identifiant>/versions")
def amender(identifiant: str) -> Response | tuple[str, int]:
    """Store the amended DOCX as the next version; the refusal, if any, next to the form."""
    application().actes.get(identifiant, g.principal)  # another authority's act: 404, not a form
    form = AmendementForm()
    if not form.validate_on_submit():
        if form.version.errors:  # a hidden field: its error is told at the visible one
            form.docx.errors.append("La page est périmée : rechargez-la, puis recommencez.")
        return _page_acte(identifiant, amendement=form, status=422)
    docx = form.docx.data.read()
    record, refus = tenter(lambda: application().actes.amend(
        identifiant, docx, auteur=auteur(), expected_version=form.version.data,
        principal=g.principal))
    if refus is not None:
        joindre(form, refus, form.docx)
        return _page_acte(identifiant, amendement=form, status=refus.status)
    assert record is not None  # tenter gives the result or the refusal
    flash(f"Version {record.version} enregistrée ; son PDF a été régénéré.")
    return redirect(url_for("greffe.acte", identifiant=identifiant))


@bp.post("/actes/<identifiant>/accuse-reception")
def accuser_reception(identifiant: str) -> Response | tuple[str, int]:
    """Record the prefecture's acknowledgement (file or dates) and stamp the PDF."""
    application().actes.get(identifiant, g.principal)
    form = AccuseReceptionForm()
    if not form.validate_on_submit():
        return _page_acte(identifiant, accuse=form, status=422)
    if form.fichier.data:
        xml = form.fichier.data.read()
        record, refus = tenter(lambda: application().actes.acknowledge(
            identifiant, ar_xml=xml, auteur=auteur(), principal=g.principal))
    else:
        dates = form.dates()
        record, refus = tenter(lambda: application().actes.acknowledge(
            identifiant, dates=dates, auteur=auteur(), principal=g.principal))
    if refus is not None:
        joindre(form, refus, form.fichier)
        return _page_acte(identifiant, accuse=form, status=refus.status)
    flash("Accusé de réception enregistré ; le PDF porte désormais la mention de la préfecture.")
    return redirect(url_for("greffe.acte", identifiant=identifiant))


@bp.post("/actes/<identifiant>/publication")
def publier(identifiant: str) -> Response | tuple[str, int]:
    """Record the date the act (or procès-verbal) was put online; its published version is
    made without the personal data."""
    application().actes.get(identifiant, g.principal)
    form = PublicationForm()
    if not form.validate_on_submit():
        return _page_acte(identifiant, publication=form, status=422)
    body = {"date_mise_en_ligne": form.date_mise_en_ligne.data.isoformat()}
    record, refus = tenter(lambda: application().actes.publish(identifiant, body, auteur=auteur(),
                                                      principal=g.principal))
    if refus is not None:
        joindre(form, refus, form.date_mise_en_ligne)
        return _page_acte(identifiant, publication=form, status=refus.status)
    assert record is not None  # tenter gives the result or the refusal
    flash(f"Publication du {record.date_publication:%d/%m/%Y} enregistrée ; la version publiée, "
          "sans les données personnelles, est prête.")
    return redirect(url_for("greffe.acte", identifiant=identifiant))


@bp.get("/actes/<identifiant>/document-publie.<any(docx,pdf):extension>")
def document_publie(identifiant: str, extension: str) -> Response:
    """The version published online (personal data removed, date put online printed)."""
    record = application().actes.get(identifiant, g.principal)
    kind = f"{extension}_publie"
    content = application().actes.version_file(identifiant, record.version, kind, g.principal)
    return download_kind(content, kind, nom_publie(identifiant, extension))


@bp.get("/actes/<identifiant>/document.<any(docx,pdf):extension>")
def document(identifiant: str, extension: str) -> Response:
    """The current version's DOCX, or its PDF (stamped once acknowledged)."""
    content, kind = application().actes.current_file(identifiant, extension, g.principal)
    return download_kind(content, kind, nom_document(identifiant, extension))


@bp.get(f"/actes/<identifiant>/versions/<int:numero>/<{choix(FICHIERS_PAGE)}:fichier>")
def fichier_version(identifiant: str, numero: int, fichier: str) -> Response:
    """One file of one version."""
    kind = FICHIERS_VERSION[fichier]
    content = application().actes.version_file(identifiant, numero, kind, g.principal)
    return download_kind(content, kind, nom_version(identifiant, numero, fichier))


@bp.get("/actes/<identifiant>/transmission.tar.gz")
def transmission(identifiant: str) -> Response | tuple[str, int]:
    """The ACTES archive for the prefecture; a missing setting is shown on the act's page."""
    application().actes.get(identifiant, g.principal)
    archive, refus = tenter(lambda: application().actes.transmission_archive(identifiant,
                                                                             g.principal))
    if refus is not None:
        return _page_acte(identifiant, refus_archive=refus, status=refus.status)
    assert archive is not None  # tenter gives the result or the refusal
    return download(archive.content, GZIP, archive.name)
