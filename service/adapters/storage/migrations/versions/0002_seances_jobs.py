"""Create the tables of sittings and jobs: seances, seance_actes, jobs, job_actes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-01-02

The column types are written out rather than imported from ``seances.py``: a revision is a
snapshot and must not change when the models do.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "seances",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("siren", sa.String(length=9), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("payload_json", sa.Text(), nullable=False),
        sa.Column("payload_sha256", sa.String(length=64), nullable=False),
        sa.Column("auteur", sa.String(length=200), nullable=False),
        sa.Column("job_id", sa.String(length=36), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seances")),
    )
    op.create_index(op.f("ix_seances_siren"), "seances", ["siren"], unique=False)

    op.create_table(
        "seance_actes",
        sa.Column("seance_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("identifiant", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["seance_id"], ["seances.id"], name=op.f("fk_seance_actes_seance_id_seances"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seance_id", "position", name=op.f("pk_seance_actes")),
        sa.UniqueConstraint("identifiant", name=op.f("uq_seance_actes_identifiant")),
    )

    op.create_table(
        "jobs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("seance_id", sa.String(length=64), nullable=False),
        sa.Column("siren", sa.String(length=9), nullable=False),
        sa.Column("statut", sa.String(length=16), nullable=False),
        sa.Column("auteur", sa.String(length=200), nullable=False),
        sa.Column("payload_json", sa.Text(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        _timestamp("started_at", nullable=True),
        _timestamp("finished_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["seance_id"], ["seances.id"], name=op.f("fk_jobs_seance_id_seances"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    op.create_index(op.f("ix_jobs_seance_id"), "jobs", ["seance_id"], unique=False)

    op.create_table(
        "job_actes",
        sa.Column("job_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("identifiant", sa.String(length=64), nullable=False),
        sa.Column("statut", sa.String(length=16), nullable=False),
        sa.Column("tentatives", sa.Integer(), nullable=False),
        sa.Column("erreur_code", sa.String(length=64), nullable=True),
        sa.Column("erreur_message", sa.Text(), nullable=True),
        _timestamp("updated_at"),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_job_actes_job_id_jobs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("job_id", "position", name=op.f("pk_job_actes")),
    )


def downgrade() -> None:
    op.drop_table("job_actes")
    op.drop_index(op.f("ix_jobs_seance_id"), table_name="jobs")
    op.drop_table("jobs")
    op.drop_table("seance_actes")
    op.drop_index(op.f("ix_seances_siren"), table_name="seances")
    op.drop_table("seances")
