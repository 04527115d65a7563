"""Record why a version replaced a clerk's amendment, and the replacements a job may make.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

``versions.remplace`` / ``versions.motif``: a version generated over a clerk's amendment on
purpose (``?remplacer=<id>:<version>``) names the amended version it replaced and why.
``jobs.remplacements``: the replacements a sitting's sender asked for (JSON ``{id: version}``),
which the job's workers apply.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("versions", sa.Column("remplace", sa.Integer(), nullable=True))
    op.add_column("versions", sa.Column("motif", sa.Text(), nullable=True))
    op.add_column("jobs", sa.Column("remplacements", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("remplacements")
    with op.batch_alter_table("versions") as batch:
        batch.drop_column("motif")
        batch.drop_column("remplace")
