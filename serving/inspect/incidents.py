"""The incident log: one JSON line per blocked, redacted, overridden or fail-open request.

A line carries time, client, method, destination (scheme://host:port only: paths and queries can leak),
labels and counts, and per finding its label, location, masked preview and keyed hash — never a raw
value. Files rotate by size (``incidents.jsonl``, ``incidents.jsonl.1`` ... ``.N``).
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

__all__ = ["FindingRecord", "Incident", "IncidentLog", "IncidentSink", "TrainingText", "new_incident_id"]


def new_incident_id() -> str:
    """A short random incident id users can quote to the help desk (``G-`` + 12 hex digits)."""
    return "G-" + secrets.token_hex(6)


@dataclass(frozen=True, slots=True)
class FindingRecord:
    """One finding as logged: where and what kind, never the value."""

    label: str
    location: str
    view: str
    detector: str
    score: float
    action: str
    preview: str
    hash: str


@dataclass(frozen=True, slots=True)
class TrainingText:
    """A scanned text of an incident with its findings' spans, kept only where the company opted in.

    Off by default (``keep_training_text``): with it, the incident store keeps the texts that held
    findings so that analysts' verdicts can train the company's model (``guard train --feedback``).
    Never written to incident logs, spools, alerts or pages; only the store's ``incident_texts`` table.
    """

    text: str
    spans: tuple[tuple[int, int, str], ...]


@dataclass(slots=True)
class Incident:
    """A request the guard acted on."""

    id: str
    action: str  # block | redact | override | fail_open | coach_confirm
    reason: str
    client: str | None
    method: str
    destination: str
    findings: list[FindingRecord] = field(default_factory=list)
    justification: str | None = None
    time: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="milliseconds"))
    #: opt-in only (`TrainingText`); never serialized by `to_dict`
    training: tuple[TrainingText, ...] = field(default=(), repr=False, compare=False)

    @property
    def labels(self) -> dict[str, int]:
        return dict(sorted(Counter(f.label for f in self.findings).items()))

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        del out["training"]  # guarded text: the store's opt-in table only
        out["labels"] = self.labels
        out["count"] = len(self.findings)
        return out


class IncidentSink(Protocol):
    """Where the inspector writes incidents: this JSONL `IncidentLog` or `serving.store.IncidentStore`."""

    def write(self, incident: Incident) -> None: ...


class IncidentLog:
    """Append-only JSON-lines file with size-based rotation; thread-safe.

    Args:
        path: the current file; rotated copies get ``.1`` (newest) to ``.{backups}``.
        max_bytes: rotate before a write would make the file larger than this.
        backups: rotated files kept.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, max_bytes: int = 10_000_000, backups: int = 5
    ) -> None:
        if max_bytes <= 0 or backups < 0:
            raise ValueError("max_bytes must be > 0 and backups >= 0")
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self.backups = backups
        self._lock = threading.Lock()

    def _rotate(self) -> None:
        for i in range(self.backups - 1, 0, -1):
            src = self.path.with_name(f"{self.path.name}.{i}")
            if src.exists():
                src.replace(self.path.with_name(f"{self.path.name}.{i + 1}"))
        if self.backups:
            self.path.replace(self.path.with_name(f"{self.path.name}.1"))
        else:
            self.path.unlink()

    def write(self, incident: Incident) -> None:
        """Append one incident line (rotating first when the file would grow past ``max_bytes``)."""
        line = (json.dumps(incident.to_dict(), ensure_ascii=False, sort_keys=True) + "\n").encode()
        with self._lock:
            if self.path.exists() and self.path.stat().st_size + len(line) > self.max_bytes:
                self._rotate()
            with self.path.open("ab") as fh:
                fh.write(line)
