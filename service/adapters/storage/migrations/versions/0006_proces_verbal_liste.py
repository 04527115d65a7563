"""Record the procès-verbal's adoption and the list put online on each sitting.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30

``seances.pv_arrete_le``: the date of the sitting that adopted the procès-verbal (CGCT
L2121-15); ``seances.liste_mise_en_ligne``: the date the list of deliberations was put online
(L2121-25). The procès-verbal itself is stored as an act (``PV-<sitting>``) and needs no table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("seances") as batch:
        batch.add_column(sa.Column("pv_arrete_le", sa.Date(), nullable=True))
        batch.add_column(sa.Column("liste_mise_en_ligne", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("seances") as batch:
        batch.drop_column("liste_mise_en_ligne")
        batch.drop_column("pv_arrete_le")
