"""A real PostgreSQL (Debian's ``postgresql`` package) for the tests: a throwaway cluster on loopback.

``initdb`` and ``pg_ctl`` from /usr/lib/postgresql/<version>/bin; as root they run as the
``postgres`` system user (PostgreSQL refuses to run as root). Trust authentication on 127.0.0.1
only, a free port, removed afterwards.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.serving.inspect.netfixtures import free_port

__all__ = ["clear_store", "pg_url", "postgres_bin", "running_postgres"]


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    """One PostgreSQL cluster per test module (tests empty it with `clear_store`)."""
    if postgres_bin() is None:
        pytest.fail("PostgreSQL (Debian package postgresql) is needed for the store tests")
    with running_postgres() as url:
        yield url


def clear_store(store: Any) -> None:
    """Delete every row of every table of the store's schema (children first)."""
    from serving.store.schema import metadata

    with store.engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


@contextmanager
def running_postgres() -> Iterator[str]:
    """Start a cluster; yields its SQLAlchemy URL (``postgresql+psycopg://guard@127.0.0.1:PORT/postgres``)."""
    bindir = postgres_bin()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed (Debian package postgresql)")
    root = Path(tempfile.mkdtemp(prefix="guard-pg-"))
    data = root / "data"
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        shutil.chown(root, "postgres", "postgres")
    port = free_port()
    initdb = [str(bindir / "initdb"), "-D", str(data), "-U", "guard", "--auth=trust", "-E", "UTF8"]
    subprocess.run([*prefix, *initdb], check=True, capture_output=True)
    opts = f"-h 127.0.0.1 -p {port} -k {root} -c fsync=off"
    start = [str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-w", "-l", str(root / "log"), "start"]
    subprocess.run([*prefix, *start], check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://guard@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)
