"""What a sitting yields once its acts are generated: the list, the open data, the archive."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping, Sequence

from service.domain.jobs import SeanceRecord
from service.domain.liste import liste_deliberations
from service.domain.opendata import SCDL_FIELDS, lignes_scdl
from service.domain.seance import SeancePayload
from service.errors import Conflict
from service.services.ports import ActeRepository, ListeRenderer, PdfConverter
from service.services.queries import record_file

LISTE_PDF = "liste.pdf"
SCDL_CSV = "deliberations.csv"


def seance_of(record: SeanceRecord) -> SeancePayload:
    """Return the payload of a stored sitting (valid: it was checked before it was stored)."""
    return SeancePayload.model_validate_json(record.payload_json)


def liste_pdf(seance: SeancePayload, renderer: ListeRenderer, converter: PdfConverter) -> bytes:
    """Return the PDF of the list of the deliberations examined in *seance*."""
    liste = liste_deliberations(seance)
    docx = renderer.render_liste(liste)
    return converter.to_pdf(docx, label=f"liste {seance.collectivite.siren} {liste.date}",
                            tenant=seance.collectivite.siren)


def scdl_csv(
    seance: SeancePayload,
    *,
    identifiants: Sequence[str] | None = None,
    receptions: Mapping[str, object] | None = None,
) -> bytes:
    """Return the sitting's deliberations as an SCDL « Délibérations » CSV (UTF-8, commas).

    *receptions* gives the prefecture's acknowledgement date of each act, by identifier.

    :raises Conflict: when the sitting has no ``collectivite.siret`` (``COLL_SIRET`` is
        required by the schema, and a SIRET cannot be derived from the SIREN).
    """
    siret = seance.collectivite.siret
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


def stored_scdl_csv(record: SeanceRecord, repository: ActeRepository) -> bytes:
    """Return the SCDL CSV of a stored sitting, with the prefecture dates known so far."""
    receptions = {}
    for ident in record.identifiants:
        acte = repository.get(ident)
        receptions[ident] = acte.date_reception if acte is not None else None
    return scdl_csv(seance_of(record), identifiants=record.identifiants, receptions=receptions)


def seance_archive(
    record: SeanceRecord,
    *,
    repository: ActeRepository,
    renderer: ListeRenderer,
    converter: PdfConverter,
) -> bytes:
    """Return a ZIP of every act's DOCX and PDF (named by identifier), the list and the CSV.

    The PDF is the stamped one when the prefecture's dates are known. The CSV is left out when
    the sitting has no SIRET (see :func:`scdl_csv`).

    :raises Conflict: when some act is not generated (yet, or in error).
    """
    # Each act read once: for the check, its files and its reception date.
    actes = {ident: repository.get(ident) for ident in record.identifiants}
    missing = [ident for ident, acte in actes.items() if acte is None]
    if missing:
        raise Conflict(
            f"La séance {record.id} n'est pas entièrement générée : {len(missing)} acte(s) "
            f"manquant(s), dont {missing[0]}. Consultez la tâche "
            f"/v1/jobs/{record.job_id} et réessayez une fois qu'elle est terminée."
        )
    seance = seance_of(record)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for ident, acte in actes.items():
            for extension in ("docx", "pdf"):
                content, _ = record_file(repository, acte, extension)
                zf.writestr(f"{ident}.{extension}", content)
        zf.writestr(LISTE_PDF, liste_pdf(seance, renderer, converter))
        if seance.collectivite.siret:
            receptions = {ident: acte.date_reception for ident, acte in actes.items()}
            zf.writestr(SCDL_CSV, scdl_csv(seance, identifiants=record.identifiants,
                                           receptions=receptions))
    return buf.getvalue()
