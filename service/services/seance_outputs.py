"""What a sitting yields once its acts are generated: the list, the open data, the archive."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any

from service.domain.errors import Conflict
from service.domain.jobs import SeanceRecord
from service.domain.liste import liste_deliberations
from service.domain.opendata import SCDL_FIELDS, lignes_scdl
from service.domain.records import ActeRecord
from service.domain.seance import DeliberationDeSeance, SeancePayload
from service.services.ports import ActeRepository, ListeRenderer, PdfConverter
from service.services.queries import latest_payload, record_file

LISTE_PDF = "liste.pdf"
SCDL_CSV = "deliberations.csv"


def seance_of(record: SeanceRecord) -> SeancePayload:
    """Return the payload of a stored sitting (valid: it was checked before it was stored)."""
    return SeancePayload.model_validate_json(record.payload_json)


def stored_seance(
    record: SeanceRecord, repository: ActeRepository,
    actes: Mapping[str, ActeRecord | None] | None = None,
) -> SeancePayload:
    """Return the sitting as its acts are stored: each deliberation (and its attendance) is the
    one its act was last generated from, never a posted payload that was refused; an act not
    generated yet keeps the sitting's. *actes* are the acts already read, by identifier.

    What a sitting publishes (list, CSV, archive) is built from this, so it says what the acts
    say.
    """
    seance = seance_of(record)
    deliberations = list(seance.deliberations)
    for i, ident in enumerate(record.identifiants):
        acte = actes.get(ident) if actes is not None else repository.get(ident)
        payload = None if acte is None else latest_payload(repository, acte)
        if payload is not None:
            deliberations[i] = DeliberationDeSeance.model_validate({
                **payload.deliberation.model_dump(), "presences": payload.presences.model_dump(),
            })
    return seance.model_copy(update={"deliberations": deliberations})


def siret_of(seance: SeancePayload, authority: Mapping[str, Any] | None) -> str | None:
    """Return the authority's SIRET: the sitting's, else its configuration's."""
    return seance.collectivite.siret or (authority or {}).get("siret") or None


def liste_pdf(seance: SeancePayload, renderer: ListeRenderer, converter: PdfConverter,
              mise_en_ligne: dt.date | None = None) -> bytes:
    """Return the PDF of the list of the deliberations examined in *seance*, put online on
    *mise_en_ligne* when known."""
    liste = liste_deliberations(seance, mise_en_ligne)
    docx = renderer.render_liste(liste)
    return converter.to_pdf(docx, label=f"liste {seance.collectivite.siren} {liste.date}",
                            tenant=seance.collectivite.siren)


def scdl_csv(
    seance: SeancePayload,
    *,
    identifiants: Sequence[str] | None = None,
    receptions: Mapping[str, dt.date | None] | None = None,
    siret: str | None = None,
) -> bytes:
    """Return the sitting's deliberations as an SCDL « Délibérations » CSV (UTF-8, commas).

    *receptions* gives the prefecture's acknowledgement date of each act, by identifier;
    *siret* the authority's SIRET when the sitting has none.

    :raises Conflict: when there is no SIRET (``COLL_SIRET`` is required by the schema, and a
        SIRET cannot be derived from the SIREN); a sitting posted since it is checked at
        ``POST /v1/seances`` has one.
    """
    siret = seance.collectivite.siret or siret
    if not siret:
        raise Conflict(
            "Le fichier SCDL exige le SIRET de la collectivité (COLL_SIRET) : renvoyez la séance "
            "avec collectivite.siret (14 chiffres, SIREN + NIC)."
        )
    rows = lignes_scdl(seance, siret=siret, receptions=receptions or {},
                       identifiants=list(identifiants) if identifiants else None)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=SCDL_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: neutralised(v) for k, v in row.items()} for row in rows)
    return out.getvalue().encode("utf-8")


# What a spreadsheet reads as the start of a formula (OWASP « CSV injection »): = + - @, and
# tab or carriage return before them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: object) -> object:
    """Return *value*, a text beginning as a formula prefixed with ``'`` so that a spreadsheet
    opening the open-data file shows it instead of running it (``=HYPERLINK(…)``, ``=cmd|…``).

    Written by hand: the csv module quotes, which spreadsheets ignore for formulas. Numbers stay
    numbers; the SCDL fields that are texts (objet, names) are the ones a caller chose.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def stored_scdl_csv(record: SeanceRecord, repository: ActeRepository,
                    authority: Mapping[str, Any] | None = None) -> bytes:
    """Return the SCDL CSV of a stored sitting, as its acts are stored, with the prefecture
    dates known so far."""
    actes = {ident: repository.get(ident) for ident in record.identifiants}
    receptions = {ident: acte.date_reception if acte is not None else None
                  for ident, acte in actes.items()}
    seance = stored_seance(record, repository, actes)
    return scdl_csv(seance, identifiants=record.identifiants, receptions=receptions,
                    siret=siret_of(seance, authority))


def stored_liste_pdf(record: SeanceRecord, repository: ActeRepository, renderer: ListeRenderer,
                     converter: PdfConverter) -> bytes:
    """Return the list of the deliberations of a stored sitting, as its acts are stored, with
    the date it was put online once recorded."""
    return liste_pdf(stored_seance(record, repository), renderer, converter,
                     record.liste_mise_en_ligne)


def seance_archive(
    record: SeanceRecord,
    *,
    repository: ActeRepository,
    renderer: ListeRenderer,
    converter: PdfConverter,
    authority: Mapping[str, Any] | None = None,
    autres: Mapping[str, bytes] | None = None,
    actes: Mapping[str, ActeRecord | None] | None = None,
) -> bytes:
    """Return a ZIP of every act's DOCX and PDF (named by identifier), each act's published
    version once made (``<identifier>-publie.pdf``, ``.docx``), the list, the CSV and *autres*
    (the procès-verbal's files, by name); the list and the CSV are built from the acts as
    stored (*actes*: the records of ``record.identifiants`` when the caller already read them).

    The PDF is the stamped one when the prefecture's dates are known. The CSV is left out when
    there is no SIRET (see :func:`scdl_csv`).

    :raises Conflict: when some act is not generated (yet, or in error).
    """
    # Each act read once: for the check, its files and its reception date.
    if actes is None:
        actes = {ident: repository.get(ident) for ident in record.identifiants}
    missing = [ident for ident, acte in actes.items() if acte is None]
    if missing:
        raise Conflict(
            f"La séance {record.id} n'est pas entièrement générée : {len(missing)} acte(s) "
            f"manquant(s), dont {missing[0]}. Consultez la tâche "
            f"/v1/jobs/{record.job_id} et réessayez une fois qu'elle est terminée."
        )
    stored = {ident: acte for ident, acte in actes.items() if acte is not None}
    seance = stored_seance(record, repository, stored)
    siret = siret_of(seance, authority)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for ident, acte in stored.items():
            for extension in ("docx", "pdf"):
                content, _ = record_file(repository, acte, extension)
                zf.writestr(f"{ident}.{extension}", content)
            for kind, extension in (("docx_publie", "docx"), ("pdf_publie", "pdf")):
                if kind in acte.current.files:
                    zf.writestr(f"{ident}-publie.{extension}",
                                repository.read_file(ident, acte.version, kind))
        zf.writestr(LISTE_PDF, liste_pdf(seance, renderer, converter, record.liste_mise_en_ligne))
        for name, content in (autres or {}).items():
            zf.writestr(name, content)
        if siret:
            receptions = {ident: acte.date_reception for ident, acte in stored.items()}
            zf.writestr(SCDL_CSV, scdl_csv(seance, identifiants=record.identifiants,
                                           receptions=receptions, siret=siret))
    return buf.getvalue()
