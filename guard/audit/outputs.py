"""Audit output files: append-only JSONL with checkpoint truncation, and CSV / SARIF conversions.

``findings.jsonl`` and ``problems.jsonl`` are appended as batches complete; `Checkpoint` records their
sizes together with per-source positions in one atomically replaced JSON file, so a resumed audit
truncates anything written after the last checkpoint and continues without duplicates or gaps.
CSV and SARIF are derived from ``findings.jsonl`` at the end by streaming, with bounded memory.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from guard.audit.summary import ROW_FIELDS, Summary
from guard.errors import ConfigError

__all__ = ["Checkpoint", "JsonlSink", "iter_jsonl", "write_csv", "write_reports", "write_sarif"]

_BLOCKING = frozenset({"block"})


class JsonlSink:
    """An append-only JSONL file that can be cut back to a checkpointed size."""

    def __init__(self, path: Path, resume_size: int | None) -> None:
        self.path = path
        if resume_size is None:
            self._fh: TextIO = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed in close()
        else:
            with open(path, "r+b") as raw:
                raw.truncate(resume_size)
            self._fh = open(path, "a", encoding="utf-8")  # noqa: SIM115

    def write(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            self._fh.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")

    def sync(self) -> int:
        """Flush to disk and return the file size."""
        self._fh.flush()
        os.fsync(self._fh.fileno())
        return self._fh.tell()

    def close(self) -> None:
        self._fh.close()


class Checkpoint:
    """The resumable state of an audit, in ``<state>/checkpoint.json`` (replaced atomically)."""

    FILE = "checkpoint.json"

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / self.FILE

    def load(self) -> dict[str, Any] | None:
        if not self.path.exists():
            return None
        try:
            state: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"checkpoint {self.path} is unreadable ({type(exc).__name__}); remove it or pass --restart"
            ) from exc
        if state.get("format") != 1:
            raise ConfigError(f"checkpoint {self.path} has an unknown format; pass --restart")
        return state

    def save(self, state: dict[str, Any]) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump({"format": 1, **state}, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def iter_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a JSONL file written by `JsonlSink`."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def write_csv(findings: Path, out: Path) -> None:
    """Write ``findings.jsonl`` as CSV with the `ROW_FIELDS` header."""
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(ROW_FIELDS), extrasaction="ignore")
        writer.writeheader()
        for row in iter_jsonl(findings):
            writer.writerow(row)


def write_sarif(findings: Path, out: Path, tool_version: str) -> None:
    """Write ``findings.jsonl`` as SARIF 2.1.0 (see `write_sarif_rows`)."""
    write_sarif_rows(iter_jsonl(findings), out, tool_version, tool="guard-audit")


def write_sarif_rows(rows: Iterable[dict[str, Any]], out: Path, tool_version: str, *, tool: str) -> None:
    """Write finding rows as SARIF 2.1.0 (one rule per label; level ``error`` for blocking actions).

    Rows are the audit's (or ``guard scan``'s) finding dicts: ``file``, ``line``, ``column``,
    ``start``/``end`` (the span's length), ``label``, ``action``, ``detector``, ``kind``, ``preview``,
    ``value_hash``, ``score`` and optional ``record_id``/``field``/``verification``. A credential its
    provider accepted (``--verify``) is an error of rank 100 whatever the policy's action. Results
    are streamed into the file so memory stays bounded. The message carries the label and the masked preview;
    ``partialFingerprints`` carry the keyed value hash (and the baseline fingerprint when present).
    """
    labels: set[str] = set()
    with open(out, "w", encoding="utf-8") as fh:
        fh.write('{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{')
        fh.write('"results":[')
        first = True
        for row in rows:
            labels.add(row["label"])
            prints = {"guardValueHash/v1": row["value_hash"]}
            if row.get("fingerprint"):
                prints["guardBaseline/v1"] = row["fingerprint"]
            verification = row.get("verification")
            live = " [verified live: rotate it]" if verification == "verified" else ""
            result = {
                "ruleId": row["label"],
                "level": "error" if row["action"] in _BLOCKING or verification == "verified" else "warning",
                # a credential its provider accepted outranks every other finding
                "rank": 100.0 if verification == "verified" else 50.0,
                "message": {
                    "text": f"{row['label']} ({row.get('kind') or row['detector']}): {row['preview']}{live}"
                },
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": _uri(row["file"])},
                            "region": {
                                "startLine": row["line"],
                                "startColumn": row["column"],
                                "endColumn": row["column"] + row["end"] - row["start"],
                            },
                        }
                    }
                ],
                "partialFingerprints": prints,
                "properties": {
                    "score": row["score"],
                    "detector": row["detector"],
                    "action": row["action"],
                    "recordId": row.get("record_id"),
                    "field": row.get("field"),
                    "verification": verification,
                },
            }
            fh.write(("" if first else ",") + json.dumps(result, ensure_ascii=False))
            first = False
        rules = [
            {
                "id": label,
                "name": label.title().replace("_", ""),
                "shortDescription": {"text": f"Sensitive data: {label}"},
            }
            for label in sorted(labels)
        ]
        driver = {
            "name": tool,
            "version": tool_version,
            "informationUri": "https://example.invalid/guard",
            "rules": rules,
        }
        fh.write('],"tool":' + json.dumps({"driver": driver}) + "}]}")


def _uri(path: str) -> str:
    return path.replace(os.sep, "/") if not os.path.isabs(path) else Path(path).as_uri()


def write_reports(
    out: Path,
    summary: Summary,
    formats: Sequence[str],
    *,
    seconds: float,
    engine: str,
    model_version: str,
    tool_version: str,
) -> list[Path]:
    """Derive the requested reports (``csv``, ``sarif``, ``html``) plus ``summary.json`` from an audit.

    Returns:
        The files written.
    """
    from guard.audit.report import render_report

    written = []
    findings = out / "findings.jsonl"
    if "csv" in formats:
        write_csv(findings, out / "findings.csv")
        written.append(out / "findings.csv")
    if "sarif" in formats:
        write_sarif(findings, out / "findings.sarif", tool_version)
        written.append(out / "findings.sarif")
    if "html" in formats:
        page = render_report(summary, seconds=seconds, engine=engine, model_version=model_version)
        (out / "report.html").write_text(page, encoding="utf-8")
        written.append(out / "report.html")
    data = {
        **summary.to_dict(),
        "seconds": round(seconds, 3),
        "engine": engine,
        "model_version": model_version,
    }
    data.pop("hash_labels")
    data["by_hash"] = dict(summary.by_hash.most_common(100))
    (out / "summary.json").write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
    written.append(out / "summary.json")
    return written
