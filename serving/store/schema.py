"""Tables of the incident store (SQLAlchemy Core). Alembic migrations create and change them.

No column ever holds a guarded value: findings carry label, location, masked preview and keyed hash.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

__all__ = [
    "allowlist",
    "analysts",
    "decisions",
    "findings",
    "incident_texts",
    "incidents",
    "metadata",
    "sessions",
]

metadata = MetaData()

incidents = Table(
    "incidents",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("time", DateTime(timezone=True), nullable=False),
    Column("source", String(16), nullable=False),  # icap | proxy | server | audit
    Column("action", String(16), nullable=False),  # block | redact | override | fail_open | coach_confirm
    Column("reason", String(64), nullable=False),
    Column("client", String(255)),
    Column("method", String(16), nullable=False),
    Column("destination", String(512), nullable=False),
    Column("labels", String(512), nullable=False),  # "EMAIL,SECRET": sorted, for filtering
    Column("model_version", String(64)),
    Column("justification", Text),  # coach mode, scrubbed by the inspector
    Column("verdict", String(16)),  # the analyst's latest decision (None: not reviewed)
    Index("ix_incidents_time", "time"),
    Index("ix_incidents_destination", "destination"),
)

findings = Table(
    "findings",
    metadata,
    Column("incident_id", String(32), ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("label", String(32), nullable=False),
    Column("location", String(255), nullable=False),
    Column("view", String(16), nullable=False),
    Column("detector", String(32), nullable=False),
    Column("score", Float, nullable=False),
    Column("action", String(16), nullable=False),
    Column("preview", String(128), nullable=False),
    Column("hash", String(128), nullable=False),
    Index("ix_findings_label", "label"),
    Index("ix_findings_hash", "hash"),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("incident_id", String(32), ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
    Column("time", DateTime(timezone=True), nullable=False),
    Column("analyst", String(255), nullable=False),
    Column("verdict", String(16), nullable=False),  # confirmed | false_positive | missed
    Column("reason", Text),
    Index("ix_decisions_incident", "incident_id"),
)

# Console (revision 0002): analysts' accounts, their sessions, and the value hashes they allowlisted.

analysts = Table(
    "analysts",
    metadata,
    Column("username", String(255), primary_key=True),
    Column("password_hash", String(255)),  # scrypt; None for accounts that log in by proxy header only
    Column("role", String(16), nullable=False),  # analyst | admin
    Column("created", DateTime(timezone=True), nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # SHA-256 of the cookie: a leaked row logs no one in
    Column("username", String(255), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("expires", DateTime(timezone=True), nullable=False),
)

allowlist = Table(
    "allowlist",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("hash", String(128), nullable=False),  # the incidents' keyed value hash
    Column("destination", String(512), nullable=False),  # a host, or * for every destination
    Column("analyst", String(255), nullable=False),
    Column("time", DateTime(timezone=True), nullable=False),
    Column("reason", Text),
    Column("incident_id", String(32)),
    Index("ix_allowlist_destination", "destination"),
)

# Revision 0003: the texts of incidents, only where the company opted in (``keep_training_text``), for
# ``guard train --feedback``. The one table that holds guarded text; nothing else reads it.

incident_texts = Table(
    "incident_texts",
    metadata,
    Column("incident_id", String(32), ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("spans", Text, nullable=False),  # JSON [[start, end, label], ...]
)
