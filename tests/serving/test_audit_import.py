"""``guard incidents-import``: a real audit's findings become console incidents, once."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from guard.audit.engine import AuditOptions, run_audit
from serving.cli import register
from serving.store import IncidentStore

KEY = "AKIA" + "QYLPMN5HHHFPZAM2"  # gitleaks:allow (fake, real format)


def test_an_audit_is_imported_once_per_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    log = tmp_path / "app.log"
    log.write_text(
        f"2026-12-01T10:00:00 deploy key={KEY}\n"
        "2026-12-01T10:01:00 all good\n"
        f"2026-12-01T10:02:00 card 4111 1111 1111 1111 and key {KEY}\n"
    )
    out = tmp_path / "audit"
    run_audit(AuditOptions(inputs=(str(log),), out=out, hash_key=b"k" * 32))
    url = f"sqlite:///{tmp_path / 'incidents.db'}"
    runner = CliRunner()
    app = typer.Typer()
    register(app)
    first = runner.invoke(app, ["incidents-import", str(out), "--incidents", url])
    assert first.exit_code == 0, first.output
    assert "2 incidents imported (0 already there)" in first.output
    again = runner.invoke(app, ["incidents-import", str(out), "--incidents", url])
    assert "0 incidents imported (2 already there)" in again.output
    store = IncidentStore(url, source="test")
    rows = store.query()
    assert {r.source for r in rows} == {"audit"} and len(rows) == 2
    assert {r.incident.time[:16] for r in rows} == {"2026-12-01T10:00", "2026-12-01T10:02"}
    assert all(f.location.startswith(str(log)) for r in rows for f in r.incident.findings)
    assert KEY not in (tmp_path / "incidents.db").read_bytes().decode("latin-1")
    missing = runner.invoke(app, ["incidents-import", str(tmp_path / "nope"), "--incidents", url])
    assert missing.exit_code == 2 and "no findings.jsonl" in missing.output
    store.close()
