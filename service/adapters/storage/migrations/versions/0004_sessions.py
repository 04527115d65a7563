"""Create the table of the clerks' sessions: signing out ends a session on the server.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

Before, the session cookie carried the token's SHA-256 itself: a cookie copied before signing
out kept working until the token was revoked. Now it carries a random session id whose SHA-256
is a row here; signing out marks the row ended.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_index("ix_sessions_token_sha256", "sessions", ["token_sha256"])


def downgrade() -> None:
    op.drop_index("ix_sessions_token_sha256", table_name="sessions")
    op.drop_table("sessions")
