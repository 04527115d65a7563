"""The lists a clerk browses: an authority's acts and sittings, the latest first.

Read-only queries over the tables of the repository and of the sitting store; they return light
summaries (no versions, no payload) so that a page of fifty lines costs one query.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection

from sqlalchemy import JSON, Engine, Row, cast, func, select, type_coerce
from sqlalchemy.sql.elements import ColumnElement

from service.adapters.storage.seances import jobs, seance_actes, seances
from service.adapters.storage.tables import actes, versions
from service.domain.actes.identifier import ActesIdentifier
from service.domain.jobs import SeanceResume
from service.domain.proces_verbal import PREFIXE
from service.domain.records import ActeResume


def list_actes(
    engine: Engine, sirens: Collection[str] | None, query: str = "", limit: int = 50,
    *, identifiants: Collection[str] | None = None,
) -> list[ActeResume]:
    """Return up to *limit* acts of the authorities *sirens* (every one's when ``None``), the
    latest decision first, then the latest created.

    With a *query*, only the acts whose numéro, identifier or object contains it, case and
    accents aside (« deliberation » finds « Délibération »); with *identifiants*, only those.
    """
    if sirens is not None and not sirens:
        return []
    # The object is in the payload of the latest version generated from one (an amendment has
    # none): the database reads just that string out of the JSON.
    generated = (
        select(versions.c.acte_id, func.max(versions.c.numero).label("numero"))
        .where(versions.c.payload_json.is_not(None))
        .group_by(versions.c.acte_id)
        .subquery()
    )
    source = versions.alias("source")
    objet = _json_text(source.c.payload_json, engine.dialect.name, ("deliberation", "objet"))
    stmt = (
        select(actes.c.identifiant, actes.c.siren, actes.c.statut, actes.c.version,
               actes.c.updated_at, objet.label("objet"), seance_actes.c.seance_id)
        .select_from(actes)
        .outerjoin(generated, generated.c.acte_id == actes.c.id)
        .outerjoin(source, (source.c.acte_id == actes.c.id)
                   & (source.c.numero == generated.c.numero))
        .outerjoin(seance_actes, seance_actes.c.identifiant == actes.c.identifiant)
        # DDD-SIREN-AAAAMMJJ-…: the decision date is characters 15 to 22 of the identifier.
        .order_by(func.substr(actes.c.identifiant, 15, 8).desc(), actes.c.created_at.desc(),
                  actes.c.id.desc())
    )
    if sirens is not None:
        stmt = stmt.where(actes.c.siren.in_(sorted(sirens)))
    if identifiants is not None:
        stmt = stmt.where(actes.c.identifiant.in_(sorted(identifiants)))
    # A sitting's procès-verbal (``PV-<sitting>``) is stored as an act but is no ACTES act:
    # it is shown on its sitting's page.
    stmt = stmt.where(actes.c.identifiant.not_like(f"{PREFIXE}%"))
    needle = plain(query.strip())
    if not needle:
        stmt = stmt.limit(limit)
    found: list[ActeResume] = []
    # Accent-blind matching is not portable SQL: filter here, reading rows as they come (a
    # server-side cursor on PostgreSQL, closed as soon as the page is full).
    with engine.connect() as conn, conn.execute(stmt.execution_options(yield_per=500)) as rows:
        for row in rows:
            resume = _acte_resume(row)
            if needle and not any(needle in plain(text) for text in
                                  (resume.numero, resume.identifiant, resume.objet or "")):
                continue
            found.append(resume)
            if len(found) >= limit:
                break
    return found


def list_seances(engine: Engine, sirens: Collection[str] | None, limit: int = 50
                 ) -> list[SeanceResume]:
    """Return up to *limit* sittings of *sirens* (every one's when ``None``), the latest first,
    each with its number of acts and the status of its latest job."""
    if sirens is not None and not sirens:
        return []
    counts = (
        select(seance_actes.c.seance_id, func.count().label("n"))
        .group_by(seance_actes.c.seance_id)
        .subquery()
    )
    stmt = (
        select(seances.c.id, seances.c.siren, seances.c.date, seances.c.updated_at,
               seances.c.job_id, jobs.c.statut, func.coalesce(counts.c.n, 0).label("n"))
        .select_from(seances)
        .outerjoin(counts, counts.c.seance_id == seances.c.id)
        .outerjoin(jobs, jobs.c.id == seances.c.job_id)
        .order_by(seances.c.date.desc(), seances.c.updated_at.desc(), seances.c.id.desc())
        .limit(limit)
    )
    if sirens is not None:
        stmt = stmt.where(seances.c.siren.in_(sorted(sirens)))
    with engine.connect() as conn:
        return [
            SeanceResume(id=r.id, siren=r.siren, date=r.date, nombre_actes=r.n,
                         updated_at=r.updated_at, job_id=r.job_id, statut_job=r.statut)
            for r in conn.execute(stmt)
        ]


def plain(text: str) -> str:
    """Return *text* without case or accents, for searching."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _json_text(column: ColumnElement, dialect: str, path: tuple[str, ...]) -> ColumnElement:
    # PostgreSQL needs the text cast to JSON; SQLite's JSON functions read the text as it is
    # (a CAST there would make a number of it).
    document = cast(column, JSON) if dialect == "postgresql" else type_coerce(column, JSON)
    return document[path].as_string()


def _acte_resume(row: Row) -> ActeResume:
    ident = ActesIdentifier.parse(row.identifiant)
    return ActeResume(
        identifiant=row.identifiant, siren=row.siren, numero=ident.numero, date=ident.date,
        objet=row.objet, statut=row.statut, version=row.version, updated_at=row.updated_at,
        seance_id=row.seance_id,
    )
