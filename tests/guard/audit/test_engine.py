"""guard.audit.engine end to end: planted leaks found with and without shortcuts, bad input reported,
resume after a hard kill without duplicates or gaps, nothing sensitive in any output or log."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from guard.audit.engine import AuditOptions, run_audit
from guard.audit.outputs import iter_jsonl
from guard.audit.reader import ReadOptions
from guard.audit.scanner import ScanConfig
from guard.redact import value_hash

KEY = b"audit-test-key-0123"  # 16+ bytes, as `guard.keys` requires
READ = ReadOptions(max_line_bytes=65536)
ROOT = Path(__file__).resolve().parents[3]


def _audit(corpus: Path, out: Path, model: Path, shortcuts: bool = True, workers: int = 0) -> AuditOptions:
    opts = AuditOptions(
        inputs=(str(corpus),),
        out=out,
        scan=ScanConfig(model=str(model), shortcuts=shortcuts),
        read=READ,
        workers=workers,
        hash_key=KEY,
        restart=True,
    )
    run_audit(opts)
    return opts


def _found(out: Path, planted: list[dict[str, object]]) -> list[dict[str, object]]:
    rows = {
        (Path(r["file"]).name, r["line"], r["label"], r["value_hash"])
        for r in iter_jsonl(out / "findings.jsonl")
    }
    return [
        p for p in planted if (p["file"], p["line"], p["label"], value_hash(str(p["value"]), KEY)) not in rows
    ]


def _spans(out: Path) -> list[tuple[object, ...]]:
    return [
        tuple(r[k] for k in ("file", "line", "start", "end", "label", "score", "value_hash"))
        for r in iter_jsonl(out / "findings.jsonl")
    ]


def test_every_planted_leak_is_found_and_shortcuts_change_nothing(
    planted_corpus: tuple[Path, list[dict[str, object]]],
    audit_model_dir: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    corpus, planted = planted_corpus
    assert {p["label"] for p in planted} >= {
        "SECRET",
        "CREDIT_CARD",
        "BANK_ACCOUNT",
        "EMAIL",
        "INTERNAL_HOST",
        "CODENAME",
    }
    _audit(corpus, tmp_path / "fast", audit_model_dir, shortcuts=True)
    _audit(corpus, tmp_path / "raw", audit_model_dir, shortcuts=False)
    assert _found(tmp_path / "fast", planted) == []
    assert _found(tmp_path / "raw", planted) == []
    assert _spans(tmp_path / "fast") == _spans(tmp_path / "raw")

    problems = [
        (Path(p["file"]).name, p["line"], p["kind"]) for p in iter_jsonl(tmp_path / "fast" / "problems.jsonl")
    ]
    assert ("bad.jsonl", 2, "invalid_json") in problems
    assert ("bad.jsonl", 3, "decode_fallback") in problems
    assert ("huge.log", 2, "long_line") in problems
    assert any(name == "old.log.gz" and kind == "truncated" for name, _, kind in problems)

    # Never the raw value: not in any output file, not in logs, not on stdout/stderr.
    blobs = [f.read_text(encoding="utf-8") for f in (tmp_path / "fast").glob("*.jsonl")]
    blobs += [caplog.text, *capsys.readouterr()]
    for p in planted:
        assert all(str(p["value"]) not in blob for blob in blobs), p["label"]


def test_worker_processes_give_the_same_findings(
    planted_corpus: tuple[Path, list[dict[str, object]]], audit_model_dir: Path, tmp_path: Path
) -> None:
    corpus, _ = planted_corpus
    _audit(corpus, tmp_path / "one", audit_model_dir, workers=0)
    _audit(corpus, tmp_path / "two", audit_model_dir, workers=2)
    assert _spans(tmp_path / "one") == _spans(tmp_path / "two")
    assert (tmp_path / "one" / "problems.jsonl").read_bytes() == (
        tmp_path / "two" / "problems.jsonl"
    ).read_bytes()


@pytest.mark.parametrize("once", [True, False], ids=["killed-once", "killed-every-time"])
def test_a_dead_worker_is_retried_then_reported_never_a_hang(
    planted_corpus: tuple[Path, list[dict[str, object]]],
    audit_model_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    once: bool,
) -> None:
    import shutil

    from guard.audit import engine
    from tests.guard.audit import killer

    shared, planted = planted_corpus
    corpus = shutil.copytree(shared, tmp_path / "logs")
    victim = corpus / "zz-victim.log"
    victim.write_text(f"harmless line\n{killer.MARKER}\nanother harmless line\n")
    monkeypatch.setattr(engine, "_scan_task", killer.scan_or_die)
    monkeypatch.setenv("GUARD_TEST_KILL_ONCE", str(tmp_path / "killed") if once else "")
    opts = AuditOptions(
        inputs=(str(corpus),),
        out=tmp_path / "out",
        scan=ScanConfig(model=str(audit_model_dir)),
        read=READ,
        workers=1,
        batch_texts=16,
        hash_key=KEY,
        restart=True,
    )
    run = run_audit(opts)  # before the fix: waits forever on the lost task
    assert not run.interrupted
    assert _found(opts.out, planted) == []  # the batches in flight beside the victim were rerun
    died = [p for p in iter_jsonl(opts.out / "problems.jsonl") if p["kind"] == "worker_died"]
    if once:
        assert died == []
    else:  # the batch is halved until only the record that kills is left: reported with file and line
        assert [(Path(str(p["file"])).name, p["line"]) for p in died] == [("zz-victim.log", 2)]


def _cli(corpus: Path, out: Path, model: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "guard",
        "audit",
        str(corpus),
        "--out",
        str(out),
        "--model",
        str(model),
        "--max-line-bytes",
        "65536",
        "--quiet",
        *extra,
    ]


def test_resume_after_kill_has_no_duplicates_or_gaps(
    planted_corpus: tuple[Path, list[dict[str, object]]], audit_model_dir: Path, tmp_path: Path
) -> None:
    corpus, planted = planted_corpus
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GUARD_AUDIT_HASH_KEY": KEY.hex()}
    reference = tmp_path / "reference"
    done = subprocess.run(
        _cli(corpus, reference, audit_model_dir, "--workers", "0"),
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1, done.stderr  # blocking findings: the CI gate fails
    out = tmp_path / "killed"
    cmd = _cli(corpus, out, audit_model_dir, "--workers", "0", "--checkpoint-every", "0", "--batch", "8")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    checkpoint = out / ".audit-state" / "checkpoint.json"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if checkpoint.exists() and json.loads(checkpoint.read_text())["summary"]["units"] > 200:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "audit finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    state = json.loads(checkpoint.read_text())
    assert 0 < state["summary"]["units"] < json.loads((reference / "summary.json").read_text())["units"]
    resumed = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 1, resumed.stderr
    assert (out / "findings.jsonl").read_bytes() == (reference / "findings.jsonl").read_bytes()
    assert (out / "problems.jsonl").read_bytes() == (reference / "problems.jsonl").read_bytes()
    assert _found(out, planted) == []
    for name in ("findings.csv", "findings.sarif", "report.html", "summary.json"):
        text = (out / name).read_text(encoding="utf-8")
        assert all(str(p["value"]) not in text for p in planted), name
    sarif = json.loads((out / "findings.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and len(sarif["runs"][0]["results"]) == sum(
        1 for _ in iter_jsonl(out / "findings.jsonl")
    )


@pytest.mark.parametrize(("content", "code"), [("all quiet here\n", 0), (None, 3)])
def test_exit_codes(audit_model_dir: Path, tmp_path: Path, content: str | None, code: int) -> None:
    log = tmp_path / "in.log.gz"
    if content is None:
        log.write_bytes(b"\x1f\x8b\x08\x00garbage")
    else:
        log.write_bytes(__import__("gzip").compress(content.encode()))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        _cli(log, tmp_path / "out", audit_model_dir, "--workers", "0"),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == code, done.stderr
    if code == 3:
        assert "truncated" in (tmp_path / "out" / "problems.jsonl").read_text(encoding="utf-8")
        assert "1 input problems" in done.stderr  # said even with --quiet


def test_a_missing_input_is_said_even_when_findings_decide_the_exit_code(
    audit_model_dir: Path, tmp_path: Path
) -> None:
    log = tmp_path / "in.log"
    log.write_text("deploy key AKIA" + "QYLPMN5HHHFPZAM2 today\n")  # gitleaks:allow
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = _cli(log, tmp_path / "out", audit_model_dir, "--workers", "0")
    args.insert(args.index(str(log)) + 1, str(tmp_path / "missing.log"))
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1  # findings first (the documented precedence) ...
    assert "input problems" in done.stderr and "no_match" in done.stderr  # ... and the missing file said


def test_bad_options_exit_2(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "guard", "audit", str(tmp_path), "--report", "pdf"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "unknown report format" in done.stderr


def test_workers_share_the_cores_between_their_model_threads(tmp_path: Path) -> None:
    from guard.audit.engine import AuditOptions, _worker_config
    from guard.audit.scanner import ScanConfig

    cores = os.cpu_count() or 1
    two = _worker_config(AuditOptions(inputs=("x",), out=tmp_path, workers=2))
    assert two.threads == max(1, cores // 2)
    many = _worker_config(AuditOptions(inputs=("x",), out=tmp_path, workers=4 * cores))
    assert many.threads == 1
    fixed = _worker_config(AuditOptions(inputs=("x",), out=tmp_path, workers=2, scan=ScanConfig(threads=3)))
    assert fixed.threads == 3


def test_settings_come_from_flags_then_environment_then_the_settings_file(
    audit_model_dir: Path, tmp_path: Path
) -> None:
    """The real command: the file asks for every report and ``fail_on: never``, the environment
    narrows the reports, a flag puts the exit gate back; the hash key in the environment is never shown."""
    log = tmp_path / "in.log"
    log.write_text("deploy key AKIAQYLPMN5HHHFPZAM3 in the log\n", encoding="utf-8")  # gitleaks:allow
    conf = tmp_path / "audit.toml"
    conf.write_text(
        f'model = "{audit_model_dir}"\nworkers = 0\nfail_on = "never"\nreport = ["jsonl", "csv"]\n'
    )
    key = "ab" * 16
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GUARD_AUDIT_REPORT": "sarif",
           "GUARD_AUDIT_HASH_KEY": key, "GUARD_AUDIT_CONFIG": str(conf)}  # fmt: skip
    base = [sys.executable, "-m", "guard", "audit", str(log), "-q"]
    gate_off = subprocess.run([*base, "--out", str(tmp_path / "a")], env=env, capture_output=True,
                              text=True, timeout=300)  # fmt: skip
    assert gate_off.returncode == 0, gate_off.stderr  # the file's fail_on: never
    written = {p.name for p in (tmp_path / "a").iterdir() if p.suffix in (".jsonl", ".csv", ".sarif")}
    assert "findings.sarif" in written and "findings.csv" not in written  # the environment's report
    gated = subprocess.run([*base, "--out", str(tmp_path / "b"), "--fail-on", "block"], env=env,
                           capture_output=True, text=True, timeout=300)  # fmt: skip
    assert gated.returncode == 1, gated.stderr  # the flag over the file
    bad = subprocess.run([*base, "--out", str(tmp_path / "c")], capture_output=True, text=True, timeout=300,
                         env={**env, "GUARD_AUDIT_HASH_KEY": "not hex " + key})  # fmt: skip
    assert bad.returncode == 2 and "hash_key" in bad.stderr and key not in bad.stderr + bad.stdout
