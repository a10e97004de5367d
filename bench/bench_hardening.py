"""Hardening figures of issue 18: a 400 kB adversarial PEM body, and a clean request beside it.

1. In process: time to scan the body (repeated ``-----BEGIN PRIVATE KEY-----`` lines without an
   END, the input that took 33 s in the PEM pattern before) with the detectors only, and with the
   whole product (detectors + model).
2. Through a real ``guard icap`` process (raw ICAP over loopback, no Squid): the big body's answer
   and the latency of a small clean request sent 0.2 s after it, against that clean request alone.

Usage::

    python bench/bench_hardening.py [--model DIR] [--size 400000] [--out bench/results]

Writes ``hardening.json`` and the generated ``hardening.md``.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import cpu_name, shown_command, write_results  # noqa: E402

PEM_LINE = "-----BEGIN PRIVATE KEY-----\n"


def _reqmod(body: bytes) -> bytes:
    http = (
        "POST http://files.example/upload HTTP/1.1\r\nHost: files.example\r\n"
        f"Content-Type: text/plain\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    icap = (
        "REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nHost: 127.0.0.1\r\nAllow: 204\r\n"
        f"Encapsulated: req-hdr=0, req-body={len(http)}\r\n\r\n"
    ).encode()
    return icap + http + f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"


def _ask(port: int, message: bytes) -> tuple[int, float]:
    """Send one ICAP message; (ICAP status, seconds until the status line arrived)."""
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=600) as sock:
        sock.sendall(message)
        data = b""
        while b"\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    elapsed = time.perf_counter() - started
    return (int(data.split(b" ", 2)[1]) if data else 0), elapsed


def _wait_port(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("guard icap exited")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("guard icap did not start")


def in_process(body: str, model: str | None) -> dict[str, float]:
    from guard import Guard

    full = Guard.load(model=model)
    detectors = replace(full, model=None)
    out = {}
    for name, guard in (("detectors_s", detectors), ("full_scan_s", full)):
        started = time.perf_counter()
        guard.scan(body)
        out[name] = round(time.perf_counter() - started, 3)
    return out


def through_icap(body: bytes, model: str | None, deadline: float) -> dict[str, Any]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    tmp = Path(tempfile.mkdtemp(prefix="guard-bench-"))
    cmd = [sys.executable, "-m", "serving.icap", "--port", str(port), "--incidents", str(tmp / "inc.jsonl"),
           "--deadline", str(deadline), "--max-body", str(max(1 << 20, len(body) + 1))]  # fmt: skip
    if model:
        cmd += ["--model", model]
    proc = subprocess.Popen(cmd, cwd=tmp, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        _wait_port(port, proc)
        clean = _reqmod(b"Lunch on Friday at noon? The usual place.")
        _ask(port, clean)  # warm
        alone = [_ask(port, clean)[1] for _ in range(20)]
        big_result: list[tuple[int, float]] = []
        thread = threading.Thread(target=lambda: big_result.append(_ask(port, _reqmod(body))))
        thread.start()
        time.sleep(0.2)
        beside = [_ask(port, clean)[1] for _ in range(5)]
        thread.join()
        status, big_s = big_result[0]
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return {
        "big_status": status,
        "big_s": round(big_s, 3),
        "clean_alone_p50_ms": round(statistics.median(alone) * 1000, 1),
        "clean_beside_big_p50_ms": round(statistics.median(beside) * 1000, 1),
        "clean_beside_big_max_ms": round(max(beside) * 1000, 1),
        "deadline_s": deadline,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", help="model directory (default: the packaged model)")
    ap.add_argument("--size", type=int, default=400_000, help="body size in bytes")
    ap.add_argument("--deadline", type=float, default=10.0, help="guard icap --deadline")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = ap.parse_args(argv)
    body = (PEM_LINE * (args.size // len(PEM_LINE) + 1))[: args.size]
    result: dict[str, Any] = {
        "cpu": cpu_name(),
        "cores": os.cpu_count(),
        "command": shown_command("bench_hardening.py", argv if argv is not None else sys.argv[1:]),
        "body_bytes": len(body),
        "in_process": in_process(body, args.model),
        "icap": through_icap(body.encode(), args.model, args.deadline),
    }
    ip, ic = result["in_process"], result["icap"]
    md = "\n".join([
        "# Hardening: adversarial PEM body (generated by bench/bench_hardening.py)", "",
        f"CPU: {result['cpu']}, {result['cores']} cores. Command: `{result['command']}`.", "",
        f"Body: {len(body):,} bytes of `-----BEGIN PRIVATE KEY-----` lines without an END.", "",
        "| measure | value |", "|---|---|",
        f"| scan, detectors only (in process) | {ip['detectors_s']} s |",
        f"| scan, detectors + model (in process) | {ip['full_scan_s']} s |",
        f"| through guard icap: ICAP status, time | {ic['big_status']}, {ic['big_s']} s "
        f"(deadline {ic['deadline_s']} s) |",
        f"| clean request alone, p50 | {ic['clean_alone_p50_ms']} ms |",
        f"| clean request beside the big one, p50 / max | {ic['clean_beside_big_p50_ms']} / "
        f"{ic['clean_beside_big_max_ms']} ms |", "",
    ])  # fmt: skip
    write_results(args.out, "hardening", result, md)
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
