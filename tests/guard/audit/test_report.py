"""guard.audit.report: the page is self-contained and renders in headless Chromium (screenshot kept)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from guard.audit.report import render_report
from guard.audit.summary import Summary

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "tests" / "artifacts" / "audit"  # gitignored


def _summary() -> Summary:
    s = Summary(files=3, units=12000, texts=12000, chars=2_500_000, findings=57)
    s.by_label = Counter({"SECRET": 20, "EMAIL": 25, "INTERNAL_HOST": 12})
    s.by_action = Counter({"block": 32, "redact": 25})
    s.by_file = Counter({"logs/app.log": 40, "logs/<script>alert(1)</script>.log": 17})
    s.by_hour = Counter({f"2026-11-20T{h:02d}": h + 1 for h in range(24)})
    s.by_hash = Counter({"ab" * 32: 9, "cd" * 32: 4})
    s.hash_labels = {"ab" * 32: "SECRET", "cd" * 32: "EMAIL"}
    s.problems = Counter({"invalid_json": 2, "truncated": 1})
    s.problem_files = Counter({"logs/bad.jsonl": 2, "logs/old.log.gz": 1})
    return s


def test_report_is_self_contained_and_escaped() -> None:
    page = render_report(_summary(), seconds=10.0)
    assert "<script" not in page.replace("&lt;script&gt;", "")
    assert not re.search(r"(src|href)=\"https?://", page)
    assert page.count("<svg") == 4 and "0.25 MB/s" in page


@pytest.mark.heavy
def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    subprocess.run(["bash", str(ROOT / "scripts" / "install-system-deps.sh")], check=True, timeout=1800)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    page = tmp_path / "report.html"
    page.write_text(render_report(_summary(), seconds=10.0), encoding="utf-8")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={shot}",
            "--window-size=1280,2000",
            page.as_uri(),
        ],
        check=True,
        timeout=120,
        capture_output=True,
    )
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a blank page compresses to a few kB
    dom = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile2'}",
            "--dump-dom",
            page.as_uri(),
        ],
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    ).stdout
    assert "Findings by label" in dom and "INTERNAL_HOST" in dom
