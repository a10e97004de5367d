"""Opt-in texts of incidents for training (``keep_training_text``).

Revision ID: 0003
Revises: 0002
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
        "incident_texts",
        sa.Column(
            "incident_id", sa.String(32), sa.ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("idx", sa.Integer, primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("spans", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("incident_texts")
