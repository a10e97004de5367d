"""The console: analysts' accounts, their sessions, allowlisted value hashes.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analysts",
        sa.Column("username", sa.String(255), primary_key=True),
        sa.Column("password_hash", sa.String(255)),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("username", sa.String(255), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("expires", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "allowlist",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("hash", sa.String(128), nullable=False),
        sa.Column("destination", sa.String(512), nullable=False),
        sa.Column("analyst", sa.String(255), nullable=False),
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("incident_id", sa.String(32)),
    )
    op.create_index("ix_allowlist_destination", "allowlist", ["destination"])


def downgrade() -> None:
    op.drop_index("ix_allowlist_destination", "allowlist")
    op.drop_table("allowlist")
    op.drop_table("sessions")
    op.drop_table("analysts")
