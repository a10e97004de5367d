"""guard.audit.spark in Spark local mode: identical findings and problems to the local engine."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from guard.audit.outputs import iter_jsonl

ROOT = Path(__file__).resolve().parents[3]


def _setup() -> None:
    subprocess.run(["bash", str(ROOT / "scripts" / "install-system-deps.sh")], check=True, timeout=1800)


@pytest.mark.heavy
def test_spark_engine_matches_local_engine(
    planted_corpus: tuple[Path, list[dict[str, object]]], audit_model_dir: Path, tmp_path: Path
) -> None:
    _setup()
    corpus, planted = planted_corpus
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GUARD_AUDIT_HASH_KEY": "00ff" * 8}
    outs = {}
    for engine in ("local", "spark"):
        outs[engine] = tmp_path / engine
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "guard",
                "audit",
                str(corpus),
                "--out",
                str(outs[engine]),
                "--model",
                str(audit_model_dir),
                "--engine",
                engine,
                "--workers",
                "0",
                "--max-line-bytes",
                "65536",
                "--quiet",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=1200,
        )
        assert done.returncode == 1, done.stderr[-3000:]
    assert (outs["spark"] / "findings.jsonl").read_bytes() == (outs["local"] / "findings.jsonl").read_bytes()
    assert (outs["spark"] / "problems.jsonl").read_bytes() == (outs["local"] / "problems.jsonl").read_bytes()
    assert len(list(iter_jsonl(outs["spark"] / "findings.jsonl"))) >= len(planted)

    import pyarrow.parquet as pq

    table = pq.read_table(outs["spark"] / "findings.parquet")
    assert table.num_rows == len(list(iter_jsonl(outs["local"] / "findings.jsonl")))


@pytest.mark.heavy
def test_spark_scans_a_parquet_table(audit_model_dir: Path, tmp_path: Path) -> None:
    _setup()
    import pyarrow as pa
    import pyarrow.parquet as pq

    card = "4111111111111111"
    pq.write_table(
        pa.table({"id": ["a", "b", "c"], "body": ["hello", f"card {card} declined", None]}),
        tmp_path / "t.parquet",
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "guard",
            "audit",
            str(tmp_path / "t.parquet"),
            "--out",
            str(tmp_path / "out"),
            "--model",
            str(audit_model_dir),
            "--engine",
            "spark",
            "--table",
            "parquet",
            "--text-column",
            "body",
            "--id-field",
            "id",
            "--quiet",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 1, done.stderr[-3000:]
    rows = list(iter_jsonl(tmp_path / "out" / "findings.jsonl"))
    assert [(r["record_id"], r["line"], r["label"], r["start"]) for r in rows] == [("b", 2, "CREDIT_CARD", 5)]
    assert card not in (tmp_path / "out" / "findings.jsonl").read_text(encoding="utf-8")
