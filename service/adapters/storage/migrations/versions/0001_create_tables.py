"""Create the tables: actes, versions, files, audit, tokens and blobs.

Revision ID: 0001
Revises:
Create Date: 2026-01-01

The column types are written out rather than imported from ``tables.py``: a revision is a
snapshot and must not change when the models do.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "actes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("identifiant", sa.String(length=64), nullable=False),
        sa.Column("siren", sa.String(length=9), nullable=False),
        sa.Column("statut", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("date_envoi", sa.Date(), nullable=True),
        sa.Column("date_reception", sa.Date(), nullable=True),
        sa.Column("date_publication", sa.Date(), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actes")),
        sa.UniqueConstraint("identifiant", name=op.f("uq_actes_identifiant")),
    )
    op.create_index(op.f("ix_actes_siren"), "actes", ["siren"], unique=False)

    op.create_table(
        "versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("acte_id", sa.Integer(), nullable=False),
        sa.Column("numero", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        sa.Column("auteur", sa.String(length=200), nullable=False),
        sa.Column("origine", sa.String(length=16), nullable=False),
        sa.Column("payload_json", sa.Text(), nullable=True),
        sa.Column("payload_sha256", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["acte_id"], ["actes.id"], name=op.f("fk_versions_acte_id_actes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_versions")),
        sa.UniqueConstraint("acte_id", "numero", name=op.f("uq_versions_acte_id_numero")),
    )

    op.create_table(
        "files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        _timestamp("created_at"),
        sa.Column("blob_ref", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["versions.id"],
            name=op.f("fk_files_version_id_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_files")),
        sa.UniqueConstraint("version_id", "kind", name=op.f("uq_files_version_id_kind")),
    )

    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("acte_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("auteur", sa.String(length=200), nullable=False),
        _timestamp("at"),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["acte_id"], ["actes.id"], name=op.f("fk_audit_acte_id_actes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit")),
    )
    op.create_index("ix_audit_acte_id_at", "audit", ["acte_id", "at"], unique=False)

    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("sirens", sa.Text(), nullable=False),
        _timestamp("created_at"),
        _timestamp("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tokens")),
        sa.UniqueConstraint("name", name=op.f("uq_tokens_name")),
        sa.UniqueConstraint("sha256", name=op.f("uq_tokens_sha256")),
    )

    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_blobs")),
    )


def downgrade() -> None:
    op.drop_table("blobs")
    op.drop_table("tokens")
    op.drop_index("ix_audit_acte_id_at", table_name="audit")
    op.drop_table("audit")
    op.drop_table("files")
    op.drop_table("versions")
    op.drop_index(op.f("ix_actes_siren"), table_name="actes")
    op.drop_table("actes")
