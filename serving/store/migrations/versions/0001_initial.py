"""The first schema: incidents, their findings, analyst decisions.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(64), nullable=False),
        sa.Column("client", sa.String(255)),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("destination", sa.String(512), nullable=False),
        sa.Column("labels", sa.String(512), nullable=False),
        sa.Column("model_version", sa.String(64)),
        sa.Column("justification", sa.Text),
        sa.Column("verdict", sa.String(16)),
    )
    op.create_index("ix_incidents_time", "incidents", ["time"])
    op.create_index("ix_incidents_destination", "incidents", ["destination"])
    op.create_table(
        "findings",
        sa.Column(
            "incident_id", sa.String(32), sa.ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("idx", sa.Integer, primary_key=True),
        sa.Column("label", sa.String(32), nullable=False),
        sa.Column("location", sa.String(255), nullable=False),
        sa.Column("view", sa.String(16), nullable=False),
        sa.Column("detector", sa.String(32), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("preview", sa.String(128), nullable=False),
        sa.Column("hash", sa.String(128), nullable=False),
    )
    op.create_index("ix_findings_label", "findings", ["label"])
    op.create_index("ix_findings_hash", "findings", ["hash"])
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "incident_id", sa.String(32), sa.ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("analyst", sa.String(255), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text),
    )
    op.create_index("ix_decisions_incident", "decisions", ["incident_id"])


def downgrade() -> None:
    op.drop_table("decisions")
    op.drop_table("findings")
    op.drop_table("incidents")
