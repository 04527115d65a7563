"""The tables of sittings and of the jobs generating their acts.

They join the act tables in the same :data:`~service.adapters.storage.tables.metadata` (the
package imports this module), so that the migration test compares them too; Alembic revision
``0002`` creates them.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Integer, String, Table, Text

from service.adapters.storage.tables import UtcDateTime, metadata

seances = Table(
    "seances",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("siren", String(9), nullable=False, index=True),
    Column("date", Date, nullable=False),
    Column("payload_json", Text, nullable=False),
    Column("payload_sha256", String(64), nullable=False),
    Column("auteur", String(200), nullable=False),
    # The latest job; no foreign key, so that a sitting and its first job can be written in
    # either order.
    Column("job_id", String(36)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # Revision 0006: the procès-verbal's adoption and the list put online (CGCT L2121-15, -25).
    Column("pv_arrete_le", Date),
    Column("liste_mise_en_ligne", Date),
)

seance_actes = Table(
    "seance_actes",
    metadata,
    Column("seance_id", String(64), ForeignKey("seances.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    # An act belongs to one sitting: the database refuses a second one.
    Column("identifiant", String(64), nullable=False, unique=True),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("seance_id", String(64), ForeignKey("seances.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("siren", String(9), nullable=False),
    Column("statut", String(16), nullable=False),
    Column("auteur", String(200), nullable=False),
    # The sitting as the job was given it: a sitting sent again does not change a running job.
    Column("payload_json", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("started_at", UtcDateTime),
    Column("finished_at", UtcDateTime),
    # The clerk's amendments the sender replaces on purpose: JSON {identifiant: version}.
    Column("remplacements", Text),
)

job_actes = Table(
    "job_actes",
    metadata,
    Column("job_id", String(36), ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("identifiant", String(64), nullable=False),
    Column("statut", String(16), nullable=False),
    Column("tentatives", Integer, nullable=False),
    Column("erreur_code", String(64)),
    Column("erreur_message", Text),
    Column("updated_at", UtcDateTime, nullable=False),
)
