"""Create the envelope serial counters and the act transmissions: envoi_serials, transmissions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30

Column types are written out rather than imported from ``tables.py``: a revision is a snapshot.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "envoi_serials",
        sa.Column("siren", sa.String(length=9), nullable=False),
        sa.Column("jour", sa.Date(), nullable=False),
        sa.Column("dernier", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("siren", "jour", name=op.f("pk_envoi_serials")),
    )
    op.create_table(
        "transmissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("acte_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("plateforme", sa.String(length=4), nullable=False),
        sa.Column("siren", sa.String(length=9), nullable=False),
        sa.Column("jour", sa.Date(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("contenu_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["acte_id"], ["actes.id"], name=op.f("fk_transmissions_acte_id_actes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transmissions")),
        sa.UniqueConstraint("acte_id", "plateforme", "contenu_sha256",
                            name=op.f("uq_transmissions_acte_id_plateforme_contenu_sha256")),
        sa.UniqueConstraint("siren", "jour", "serial",
                            name=op.f("uq_transmissions_siren_jour_serial")),
    )


def downgrade() -> None:
    op.drop_table("transmissions")
    op.drop_table("envoi_serials")
