"""Incident log: JSON lines, counts, rotation."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from serving.inspect.incidents import FindingRecord, Incident, IncidentLog, new_incident_id


def _incident(n: int = 1) -> Incident:
    rec = FindingRecord("SECRET", "piece[1]", "fields", "regex", 0.95, "block", "AK****M2", "ab" * 32)
    return Incident(
        new_incident_id(), "block", "findings", "10.0.0.1", "POST", "https://x.example", [rec] * n
    )


def test_line_shape(tmp_path: Path) -> None:
    log = IncidentLog(tmp_path / "sub" / "i.jsonl")
    log.write(_incident(2))
    line = json.loads((tmp_path / "sub" / "i.jsonl").read_text())
    assert line["labels"] == {"SECRET": 2} and line["count"] == 2
    assert line["id"].startswith("G-") and len(line["id"]) == 14 and line["time"].endswith("+00:00")
    assert line["findings"][0]["preview"] == "AK****M2"


def test_rotation_keeps_backups(tmp_path: Path) -> None:
    path = tmp_path / "i.jsonl"
    log = IncidentLog(path, max_bytes=2000, backups=2)
    for _ in range(40):
        log.write(_incident())
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["i.jsonl", "i.jsonl.1", "i.jsonl.2"]
    assert all(p.stat().st_size <= 2000 for p in tmp_path.iterdir())


def test_concurrent_writes_give_whole_lines(tmp_path: Path) -> None:
    log = IncidentLog(tmp_path / "i.jsonl")
    threads = [threading.Thread(target=lambda: [log.write(_incident()) for _ in range(25)]) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = (tmp_path / "i.jsonl").read_text().splitlines()
    assert len(lines) == 100 and all(json.loads(line)["action"] == "block" for line in lines)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        IncidentLog("x.jsonl", max_bytes=0)
