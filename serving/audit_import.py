"""Audit findings into the incident store (``guard incidents-import AUDIT_OUT``), for the console.

An audit (local or Spark) writes ``findings.jsonl``; this groups its rows by record (file and
record line, or record id) and writes one incident of source ``audit`` per record that has a
finding at or above ``min_action`` (``block`` by default, or ``redact``). The incident keeps what the
row keeps: label, file:line:column, detector, score, action, masked preview and the audit's keyed
value hash (the audit's key, not the proxies': an audit hash cannot be allowlisted for the proxies).

Importing the same audit again adds nothing: an incident's id is derived from the content of
``findings.jsonl``, the file and the record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from itertools import groupby
from pathlib import Path
from typing import Any

from guard.audit.outputs import iter_jsonl
from guard.errors import InputError
from serving.inspect.incidents import FindingRecord, Incident

__all__ = ["import_audit"]

_RANK = {"block": 2, "redact": 1}


def _records(rows: Iterable[dict[str, Any]]) -> Iterator[tuple[tuple[str, str], list[dict[str, Any]]]]:
    def key(row: dict[str, Any]) -> tuple[str, str]:
        return str(row["file"]), str(row.get("record_id") or row.get("record_line"))

    for k, group in groupby(rows, key=key):
        yield k, list(group)


def import_audit(
    audit_dir: Path, sink: Any, *, min_action: str = "block", exists: Any = None
) -> tuple[int, int]:
    """Write the audit's records as incidents on ``sink``; returns (written, already there).

    Raises:
        InputError: no ``findings.jsonl`` in ``audit_dir`` or an unknown ``min_action``.
    """
    if min_action not in _RANK:
        raise InputError("min_action is block or redact")
    findings = audit_dir / "findings.jsonl"
    if not findings.is_file():
        raise InputError(f"{audit_dir}: no findings.jsonl (is it the --out folder of guard audit?)")
    digest = hashlib.sha256()
    with open(findings, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    run = digest.hexdigest()
    written = skipped = 0
    for (file, record), rows in _records(iter_jsonl(findings)):
        worst = max(_RANK.get(str(r["action"]), 0) for r in rows)
        if worst < _RANK[min_action]:
            continue
        incident_id = "A-" + hashlib.sha256(f"{run}\0{file}\0{record}".encode()).hexdigest()[:12]
        if exists is not None and exists(incident_id):
            skipped += 1
            continue
        stamp = next((str(r["time"]) for r in rows if r.get("time")), None)
        when = _when(stamp)
        sink.write(
            Incident(
                id=incident_id,
                action="block" if worst == 2 else "redact",
                reason="audit",
                client=None,
                method="AUDIT",
                destination=f"{file}:{rows[0].get('record_line') or rows[0]['line']}",
                findings=[
                    FindingRecord(
                        label=r["label"],
                        location=f"{file}:{r['line']}:{r['column']}",
                        view="record",
                        detector=r["detector"],
                        score=float(r["score"]),
                        action=r["action"],
                        preview=r["preview"],
                        hash=r["value_hash"],
                    )
                    for r in rows
                ],
                time=when,
            )  # fmt: skip
        )
        written += 1
    return written, skipped


def _when(stamp: str | None) -> str:
    """The record's own time when it has one (ISO), else now."""
    if stamp:
        try:
            t = datetime.fromisoformat(stamp)
            return (t if t.tzinfo else t.replace(tzinfo=UTC)).isoformat(timespec="milliseconds")
        except ValueError:
            pass
    return datetime.now(UTC).isoformat(timespec="milliseconds")
