"""Alembic environment of the incident store: runs with the connection `IncidentStore` hands over."""

from __future__ import annotations

from alembic import context

from serving.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through serving.store.IncidentStore.upgrade()")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
