"""Use cases of publication online: an act's published version (CGCT R2131-1, CRPA L312-1-2),
and the list of deliberations put online (L2121-25).

The published version (files ``docx_publie``, ``pdf_publie`` of the current version) is the act
with its ``donnees_personnelles`` replaced in the text itself and the date put online printed;
the act's own DOCX and PDF, the stamped PDF and the transmission archive keep the full text.
An act generated from a payload is rendered again from the payload with the data replaced and
the dates known (its executory mentions then print the publication and the certification); a
clerk's amended version, or a procès-verbal a secretary amended, has its DOCX cleaned in place.
"""

from __future__ import annotations

import datetime as dt

from service.domain.access import Principal
from service.domain.actes.identifier import ActesIdentifier
from service.domain.checks.dates import check_dates_prefecture
from service.domain.dates_prefecture import PrefectureDates
from service.domain.errors import Conflict, InvalidPayload
from service.domain.jobs import SeanceRecord
from service.domain.mention import MentionPrefecture
from service.domain.occultation import payload_occulte
from service.domain.paris import heure_de_paris
from service.domain.payload import DeliberationPayload, Signature, Transmission
from service.domain.proces_verbal import est_proces_verbal
from service.domain.records import ActeRecord
from service.domain.regimes import REFORME_2022
from service.domain.violations import Violation
from service.services.amend import prefecture_mention
from service.services.ports import (
    ActeRepository,
    DocumentOcculteur,
    DocumentRenderer,
    PdfConverter,
    PdfStamper,
    SeanceStore,
)
from service.services.proces_verbal import date_field, stored_deliberations
from service.services.queries import get_acte, latest_payload, unstamped_pdf
from service.services.retry import retry_stale


def _jour(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def publish_acte(
    repository: ActeRepository, identifiant: str, body: object, *,
    renderer: DocumentRenderer, occulteur: DocumentOcculteur,
    converter: PdfConverter, stamper: PdfStamper, store: SeanceStore | None, auteur: str,
    today: dt.date, principal: Principal | None = None,
) -> ActeRecord:
    """Record the date the act (or procès-verbal) *identifiant* was put online, make its
    published version and stamp it again; *body* is ``{"date_mise_en_ligne": date}``.

    :raises InvalidPayload: when the date is missing, before the decision or in the future.
    :raises Conflict: when a procès-verbal is published before it was adopted (L2121-15).
    """
    day = date_field(body, "date_mise_en_ligne")
    def attempt(_: int) -> ActeRecord:
        # Read on each try: an amendment or acknowledgement landing while the version is
        # rendered makes the write stale, and the version is made again from the act as it is.
        record = get_acte(repository, identifiant, principal)
        if est_proces_verbal(identifiant):
            docx, stamped, mention = _proces_verbal_publie(
                repository, record, day, occulteur=occulteur, store=store, today=today)
        else:
            docx, stamped, mention = _acte_publie(
                repository, record, day, renderer=renderer, occulteur=occulteur,
                stamper=stamper, today=today)
        pdf = converter.to_pdf(docx, label=f"{identifiant} publié")
        if mention is not None and mention.is_known:
            pdf = stamper.stamp(pdf, mention)
        return repository.record_acknowledgement(
            identifiant, dates=PrefectureDates(date_publication=day) if mention is None
            else mention.dates,
            pdf_tamponne=stamped, auteur=auteur, version=record.version,
            expected_dates=record.dates,
            extra_files={"docx_publie": docx, "pdf_publie": pdf}, action="publication",
        )

    return retry_stale(attempt)


def _acte_publie(
    repository: ActeRepository, record: ActeRecord, day: dt.date, *,
    renderer: DocumentRenderer, occulteur: DocumentOcculteur, stamper: PdfStamper,
    today: dt.date,
) -> tuple[bytes, bytes | None, MentionPrefecture]:
    # The date put online replaces the one known, the others stay.
    known = prefecture_mention(repository, record)
    mention = MentionPrefecture(record.identifiant,
                                *PrefectureDates(date_publication=day).completed_with(known.dates))
    violations = check_dates_prefecture(
        ActesIdentifier.parse(record.identifiant).date, mention.dates, prefix="", today=today)
    if violations:
        raise InvalidPayload([Violation("date_mise_en_ligne", v.code, v.message)
                              for v in violations])
    payload = latest_payload(repository, record)
    if record.current.origine == "payload" and payload is not None:
        publie = payload_occulte(payload).model_copy(update={
            "transmission": Transmission(date_envoi=mention.date_envoi,
                                         date_reception=mention.date_reception,
                                         date_publication=day),
            "signature": _signature_du_jour(payload, record),
        })
        docx = renderer.render_deliberation(publie, ActesIdentifier.parse(record.identifiant))
    else:
        donnees = payload.deliberation.donnees_personnelles if payload else []
        docx = occulteur.occulter(repository.read_file(record.identifiant, record.version, "docx"),
                                  donnees, f"Publié le {_jour(day)}")
    # The act's own stamp, made again from the unstamped PDF (one box, never two).
    stamped = stamper.stamp(unstamped_pdf(repository, record), mention) if mention.is_known \
        else None
    return docx, stamped, mention


def _signature_du_jour(payload: DeliberationPayload, record: ActeRecord) -> Signature:
    """Return the payload's ``signature`` with the date the act was made (« Fait à …, le … »):
    the published version says what the act says, not the day it is published."""
    signature = payload.signature or Signature.model_validate({})
    if signature.date is not None:
        return signature
    made = heure_de_paris(record.current.created_at).date()
    return signature.model_copy(update={"date": made})


def _proces_verbal_publie(
    repository: ActeRepository, record: ActeRecord, day: dt.date, *,
    occulteur: DocumentOcculteur, store: SeanceStore | None, today: dt.date,
) -> tuple[bytes, None, None]:
    seance_id = record.identifiant.removeprefix("PV-")
    seance = store.get_seance(seance_id) if store is not None else None
    if seance is None or seance.pv_arrete_le is None:
        raise Conflict(
            "Le procès-verbal n'est pas encore arrêté : il est publié dans la semaine qui suit "
            "la séance où il a été arrêté (CGCT L. 2121-15). Enregistrez d'abord son adoption "
            f"(POST /v1/seances/{seance_id}/proces-verbal/adoption).",
            code="proces-verbal-non-arrete",
        )
    if day < seance.pv_arrete_le or day > today:
        raise InvalidPayload([Violation(
            "date_mise_en_ligne", "date-mise-en-ligne-invalide",
            f"date_mise_en_ligne : entre l'adoption du procès-verbal "
            f"({_jour(seance.pv_arrete_le)}) et aujourd'hui.")])
    # An adopted procès-verbal is the version that prints its adoption, never generated again:
    # its DOCX is cleaned of every act's personal data.
    donnees = [d for p in stored_deliberations(seance, repository)
               for d in p.deliberation.donnees_personnelles]
    docx = occulteur.occulter(repository.read_file(record.identifiant, record.version, "docx"),
                              donnees, f"Publié le {_jour(day)}")
    return docx, None, None


def publish_liste(record: SeanceRecord, body: object, *, store: SeanceStore, today: dt.date
                  ) -> SeanceRecord:
    """Record the date the list of the sitting's deliberations was put online.

    :raises Conflict: for a sitting before 1 July 2022 (no list then, but a compte rendu).
    :raises InvalidPayload: when the date is missing, before the sitting or in the future.
    """
    day = date_field(body, "date_mise_en_ligne")
    if record.date < REFORME_2022:
        raise Conflict(
            f"La séance du {_jour(record.date)} précède le 1er juillet 2022 : la liste des "
            "délibérations examinées (CGCT L. 2121-25, ordonnance n° 2021-1310) n'existait pas "
            "encore ; c'était le compte rendu de séance, affiché par extraits.",
            code="liste-avant-reforme",
        )
    if day < record.date or day > today:
        raise InvalidPayload([Violation(
            "date_mise_en_ligne", "date-mise-en-ligne-invalide",
            f"date_mise_en_ligne : entre la séance ({_jour(record.date)}) et aujourd'hui.")])
    return store.record_seance_date(record.id, "liste_mise_en_ligne", day)
