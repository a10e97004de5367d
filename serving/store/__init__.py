"""The incident store: one schema in SQLite (default) or PostgreSQL, through SQLAlchemy and Alembic."""

from __future__ import annotations

from serving.store.store import VERDICTS, IncidentStore, StoredIncident

__all__ = ["VERDICTS", "IncidentStore", "StoredIncident"]
