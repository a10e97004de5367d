"""Finding rows (the one output schema of both engines) and the running summary behind the report.

`finding_rows(unit, hits_per_text, hash_key)` turns scanner hits into rows: file, line, column, record id,
offsets, label, score, masked preview and keyed value hash, never the value. `Summary` aggregates rows
and problems with bounded memory (top value hashes use a capped counter) and round-trips through JSON
so that a checkpoint can restore it exactly.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from guard.audit.reader import Unit
from guard.audit.scanner import Hit
from guard.audit.sources import Problem

__all__ = ["ROW_FIELDS", "Summary", "UnitResult", "finding_rows", "unit_result"]

#: Column order of a finding row (JSONL keys, CSV header, Parquet schema).
ROW_FIELDS: tuple[str, ...] = (
    "file",
    "line",
    "column",
    "record_line",
    "record_id",
    "field",
    "start",
    "end",
    "label",
    "score",
    "detector",
    "action",
    "kind",
    "preview",
    "value_hash",
    "time",
    "verification",
)
_TIME = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d(?::\d\d)?")
_TOP_CAP = 20_000


def finding_rows(
    unit: Unit,
    hits: Sequence[list[Hit]],
    hash_key: bytes,
    verify: Callable[[str, str, str], str] | None = None,
) -> list[dict[str, Any]]:
    """Rows for the hits of each of ``unit.texts`` (window overlaps resolved, see `Unit`).

    ``verify(provider, value, text)`` (a `guard.verify.Verifier`'s ``verify``) fills ``verification``
    of SECRET rows; it is None otherwise.
    """
    from guard.redact import mask_preview, value_hash

    rows: list[dict[str, Any]] = []
    for (name, text), text_hits in zip(unit.texts, hits, strict=True):
        for hit in text_hits:
            if unit.head and hit.end <= unit.head:
                continue  # already reported by the previous window
            if unit.cut and hit.end >= len(text):
                continue  # the next window sees it whole
            value = text[hit.start : hit.end]
            newline = text.rfind("\n", 0, hit.start)
            rows.append(
                {
                    "file": unit.source,
                    "line": unit.line + text.count("\n", 0, hit.start),
                    "column": unit.base + hit.start - newline,
                    "record_line": unit.line,
                    "record_id": unit.record_id,
                    "field": name,
                    "start": unit.base + hit.start,
                    "end": unit.base + hit.end,
                    "label": hit.label,
                    "score": hit.score,
                    "detector": hit.detector,
                    "action": hit.action,
                    "kind": hit.kind,
                    "preview": mask_preview(value),
                    "value_hash": value_hash(value, hash_key),
                    "time": unit.time if unit.time is not None else _time_of(text),
                    "verification": (
                        verify(hit.provider, value, text)
                        if verify is not None and hit.label == "SECRET"
                        else None
                    ),
                }
            )
    return rows


@dataclass(frozen=True, slots=True)
class UnitResult:
    """What one scanned unit adds to an audit, the same on every engine (local and Spark)."""

    problems: tuple[Problem, ...]
    rows: list[dict[str, Any]]
    scanned: bool
    texts: int
    chars: int  # characters of its texts, less the overlap with the previous window (``head``)


def unit_result(
    unit: Unit,
    hits: Sequence[list[Hit]] | None,
    hash_key: bytes,
    verify: Callable[[str, str, str], str] | None = None,
) -> UnitResult:
    """The audit step of one unit: its reader problems, its finding rows (none when ``hits`` is None:
    the unit was not scanned, a problem says why) and its size."""
    rows = [] if hits is None else finding_rows(unit, hits, hash_key, verify)
    chars = sum(len(text) - (unit.head if i == 0 else 0) for i, (_, text) in enumerate(unit.texts))
    return UnitResult(unit.problems, rows, hits is not None, len(unit.texts), chars)


def _time_of(text: str) -> str | None:
    match = _TIME.search(text, 0, 200)
    return match.group(0).replace(" ", "T") if match else None


@dataclass
class Summary:
    """Aggregates of an audit; `to_dict`/`from_dict` round-trip it through a checkpoint."""

    files: int = 0
    units: int = 0
    texts: int = 0
    chars: int = 0
    findings: int = 0
    by_label: Counter[str] = field(default_factory=Counter)
    by_action: Counter[str] = field(default_factory=Counter)
    by_file: Counter[str] = field(default_factory=Counter)
    by_hour: Counter[str] = field(default_factory=Counter)
    by_hash: Counter[str] = field(default_factory=Counter)
    by_verification: Counter[str] = field(default_factory=Counter)
    hash_labels: dict[str, str] = field(default_factory=dict)
    problems: Counter[str] = field(default_factory=Counter)
    problem_files: Counter[str] = field(default_factory=Counter)
    scanner: Counter[str] = field(default_factory=Counter)

    def add_unit(self, texts: int, chars: int) -> None:
        """One scanned unit of ``texts`` texts and ``chars`` new characters."""
        self.units += 1
        self.texts += texts
        self.chars += chars

    def add_result(self, result: UnitResult) -> None:
        """Everything one unit adds (`unit_result`): problems, rows, and its size when it was scanned."""
        for problem in result.problems:
            self.add_problem(problem)
        self.add_rows(result.rows)
        if result.scanned:
            self.add_unit(result.texts, result.chars)

    def add_rows(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self.findings += 1
            self.by_label[row["label"]] += 1
            self.by_action[row["action"]] += 1
            self.by_file[row["file"]] += 1
            if row["time"]:
                self.by_hour[str(row["time"])[:13]] += 1
            self.by_hash[row["value_hash"]] += 1
            if row.get("verification"):
                self.by_verification[row["verification"]] += 1
            self.hash_labels[row["value_hash"]] = row["label"]
        if len(self.by_hash) > _TOP_CAP:  # keep memory bounded: drop the rarest half
            keep = dict(self.by_hash.most_common(_TOP_CAP // 2))
            self.by_hash = Counter(keep)
            self.hash_labels = {h: self.hash_labels[h] for h in keep}

    def add_problem(self, problem: Problem) -> None:
        self.problems[problem.kind] += 1
        self.problem_files[problem.source] += 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "units": self.units,
            "texts": self.texts,
            "chars": self.chars,
            "findings": self.findings,
            "by_label": dict(self.by_label),
            "by_action": dict(self.by_action),
            "by_file": dict(self.by_file),
            "by_hour": dict(self.by_hour),
            "by_hash": dict(self.by_hash),
            "by_verification": dict(self.by_verification),
            "hash_labels": self.hash_labels,
            "problems": dict(self.problems),
            "problem_files": dict(self.problem_files),
            "scanner": dict(self.scanner),
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Summary:
        out = cls(
            files=raw["files"],
            units=raw["units"],
            texts=raw["texts"],
            chars=raw["chars"],
            findings=raw["findings"],
            hash_labels=dict(raw["hash_labels"]),
        )
        for name in (
            "by_label",
            "by_action",
            "by_file",
            "by_hour",
            "by_hash",
            "problems",
            "problem_files",
            "scanner",
        ):
            setattr(out, name, Counter(raw[name]))
        out.by_verification = Counter(raw.get("by_verification", {}))  # absent in older checkpoints
        return out
