"""Scanning source trees and commits, the way developers use secret scanners.

``guard scan PATH…`` reads files and directories (in a git work tree, what git tracks or would
track: ``.gitignore`` is respected), ``--git-staged`` the lines a commit is about to add, and
``--git-range A..B`` the lines a range of commits added. Findings carry file, line and column.

Suppressions, as people expect them from gitleaks and detect-secrets:

- a line containing ``guard:allow`` (in any comment syntax) reports nothing;
- a baseline file (``--baseline``) lists findings already known: only new findings count. A
  baseline entry is a fingerprint: a hash of the file, the label and the line with the value cut
  out, plus 32 bits of the value's SHA-256. The value itself is not in the file, and 32 bits do
  not identify a value (they only tell a changed value from the known one).

Rows never hold the value: a masked preview and a keyed hash (`guard.redact.value_hash`).
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import re
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guard.errors import InputError
from guard.redact import mask_preview, value_hash

__all__ = [
    "ALLOW_MARK",
    "Finding",
    "Line",
    "added_lines",
    "file_lines",
    "load_baseline",
    "scan_lines",
    "write_baseline",
]

#: A line holding this text reports nothing (``# guard:allow``, ``// guard:allow``, ...).
ALLOW_MARK = "guard:allow"
#: Files larger than this are skipped (generated files, data dumps; `guard audit` reads those).
MAX_FILE_BYTES = 2 * 1024 * 1024
_CHUNK_CHARS = 8000
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


@dataclass(frozen=True, slots=True)
class Line:
    """One line to scan: its file (as given or relative to the repository) and 1-based number."""

    path: str
    number: int
    text: str


@dataclass(frozen=True, slots=True)
class Finding:
    """A finding on one line; no value, only its preview and hashes."""

    path: str
    line: int
    column: int  # 1-based
    end_column: int
    label: str
    action: str
    detector: str
    score: float
    preview: str
    value_hash: str
    fingerprint: str
    #: ``verified`` / ``invalid`` / ``unknown`` with ``--verify`` (`guard.verify`), else None
    verification: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {
            "file": self.path, "line": self.line, "column": self.column, "end_column": self.end_column,
            "label": self.label, "action": self.action, "detector": self.detector, "score": self.score,
            "preview": self.preview, "value_hash": self.value_hash, "fingerprint": self.fingerprint,
        }  # fmt: skip
        if self.verification is not None:
            out["verification"] = self.verification
        return out


def _git(args: Sequence[str], cwd: Path) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=True)
    except FileNotFoundError as exc:
        raise InputError("git is not installed") from exc
    except subprocess.CalledProcessError as exc:
        reason = exc.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["failed"]
        raise InputError(f"git {args[0]}: {reason[0]}") from None
    return done.stdout.decode("utf-8", errors="replace")


def _repo_root(path: Path) -> Path | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=path, capture_output=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return Path(out.stdout.decode().strip())


def _files_under(directory: Path) -> Iterator[Path]:
    root = _repo_root(directory)
    if root is not None:  # what git tracks or would track: .gitignore respected
        listing = _git(["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."], directory)
        for rel in sorted(filter(None, listing.split("\0"))):
            path = directory / rel
            if path.is_file():
                yield path
        return
    for base, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d not in (".git", ".hg", ".svn"))
        for name in sorted(files):
            yield Path(base) / name


def _text_of(path: Path) -> str | None:
    """The file as text, or None for binary and oversized files."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


def file_lines(paths: Sequence[Path]) -> tuple[list[Line], list[str]]:
    """The lines of the files and directories in ``paths``; and the files skipped, with the reason.

    Raises:
        InputError: a path that does not exist or cannot be read.
    """
    lines: list[Line] = []
    skipped: list[str] = []
    for given in paths:
        if not given.exists():
            raise InputError(f"{given}: no such file or directory")
        for path in _files_under(given) if given.is_dir() else [given]:
            text = _text_of(path)
            if text is None:
                skipped.append(f"{path}: binary or over {MAX_FILE_BYTES // (1024 * 1024)} MB")
                continue
            lines.extend(Line(str(path), i, t) for i, t in enumerate(text.splitlines(), 1))
    return lines, skipped


def added_lines(diff_args: Sequence[str], cwd: Path) -> list[Line]:
    """The lines a diff adds (``git diff -U0 <diff_args>``), with their numbers in the new file.

    Raises:
        InputError: not a git work tree, or git refused the arguments.
    """
    diff = _git(["diff", "-U0", "--no-color", "--no-ext-diff", "--no-renames", *diff_args], cwd)
    out: list[Line] = []
    path: str | None = None
    number = 0
    for raw in diff.splitlines():
        if raw.startswith("+++ "):
            target = raw[4:]
            path = None if target == "/dev/null" else target.removeprefix("b/")
        elif raw.startswith("@@"):
            m = _HUNK.match(raw)
            number = int(m.group(1)) if m else 0
        elif raw.startswith("+") and path is not None:
            out.append(Line(path, number, raw[1:]))
            number += 1
    return out


def _chunks(lines: Sequence[Line]) -> Iterator[list[Line]]:
    """Consecutive lines of one file, up to about `_CHUNK_CHARS` characters (context for the model)."""
    chunk: list[Line] = []
    size = 0
    for line in lines:
        if chunk and (
            line.path != chunk[-1].path or line.number != chunk[-1].number + 1 or size > _CHUNK_CHARS
        ):
            yield chunk
            chunk, size = [], 0
        chunk.append(line)
        size += len(line.text) + 1
    if chunk:
        yield chunk


def fingerprint(path: str, label: str, line: str, start: int, end: int) -> str:
    """The baseline identity of a finding: file, label, line without the value, 32 bits of the value."""
    context = hashlib.sha256(f"{path}\0{label}\0{line[:start]}\0{line[end:]}".encode()).hexdigest()[:24]
    value = hashlib.sha256(line[start:end].encode()).hexdigest()[:8]
    return f"{context}:{value}"


def scan_lines(guard: Any, lines: Sequence[Line], hash_key: bytes, verifier: Any = None) -> list[Finding]:
    """Scan ``lines`` (a `guard.Guard`); findings on ``guard:allow`` lines are dropped.

    With a `guard.verify.Verifier`, each SECRET finding of a provider format is checked live.
    """
    chunks = list(_chunks(lines))
    results = guard.scan_many(["\n".join(line.text for line in chunk) for chunk in chunks]) if chunks else []
    out: list[Finding] = []
    for chunk, result in zip(chunks, results, strict=True):
        text = "\n".join(line.text for line in chunk)
        starts = []
        pos = 0
        for line in chunk:
            starts.append(pos)
            pos += len(line.text) + 1
        for f, action in result.pairs():
            if action == "allow":
                continue
            i = max(0, bisect.bisect_right(starts, f.start) - 1)
            line = chunk[i]
            if ALLOW_MARK in line.text:
                continue
            start = f.start - starts[i]
            end = min(len(line.text), f.end - starts[i])
            value = line.text[start:end]
            mark = fingerprint(line.path, f.label, line.text, start, end)
            checked = None
            if verifier is not None and f.label == "SECRET":
                checked = verifier.verify(f.metadata.get("provider"), value, text)
            out.append(Finding(
                path=line.path, line=line.number, column=start + 1, end_column=end + 1, label=f.label,
                action=action, detector=f.detector, score=round(f.score, 3), preview=mask_preview(value),
                value_hash=value_hash(value, hash_key), fingerprint=mark, verification=checked,
            ))  # fmt: skip
    return out


def load_baseline(path: Path) -> set[str]:
    """The fingerprints in a baseline file (``{"version": 1, "fingerprints": [...]}``).

    Raises:
        InputError: the file is missing or not a guard baseline.
    """
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read the baseline ({exc.strerror or exc})") from None
    except ValueError:
        raise InputError(f"{path}: not JSON") from None
    if not isinstance(doc, dict) or doc.get("version") != 1 or not isinstance(doc.get("fingerprints"), list):
        raise InputError(f"{path}: not a guard baseline (version 1 with a fingerprints list)")
    return {str(f) for f in doc["fingerprints"]}


def write_baseline(path: Path, findings: Iterable[Finding]) -> int:
    """Write the findings' fingerprints as a baseline; returns how many."""
    prints = sorted({f.fingerprint for f in findings})
    doc = {"version": 1, "tool": "guard", "fingerprints": prints}
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return len(prints)
