"""Load benchmark of the inference server: throughput and latency vs concurrency, batching on/off.

Starts the real server (``python -m serving.api serve``, i.e. ``guard serve``) in a subprocess for
each mode (micro-batching on, then off), drives ``POST /v1/scan`` with Debian's ``wrk`` (or, with
``--client httpx``, an asyncio httpx client) at concurrency 1, 4, 16 and 64 for short (200 B) and
long (8 KB) texts, plus the 1 KB text at concurrency 4, and writes ``bench/results/server.json``
and ``server.md``.

    python bench/bench_server.py                      # packaged default model
    python bench/bench_server.py --model DIR          # any model directory
    python bench/bench_server.py --proxy-model DIR    # build (once) and use a random-weight model
                                                      # with multilingual-e5-small's shape
                                                      # (12 layers, 384 hidden): same compute as the
                                                      # real model, meaningless predictions

Client and server share the machine, so on a 2-core box the client's CPU use lowers the figures.
wrk is the default because it uses little CPU: the Python client spent 0.9 of a core at concurrency
64 with batching on (0.3 with it off) and so throttled the very server it measured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import cpu_name, shown_command  # noqa: E402
from serving.api.auth import hash_api_key  # noqa: E402

__all__ = ["main"]

API_KEY = "bench-api-key-" + "0123456789abcdef"  # gitleaks:allow
CONCURRENCY = (1, 4, 16, 64)
SIZES = {"short": 200, "long": 8192}
WORDS = (
    "the release plan for next quarter covers the payment service migration and the new billing "
    "dashboard please review the attached notes before friday and send comments to the team channel "
    "Die Besprechung wurde auf Donnerstag verschoben und das Protokoll folgt morgen "
    "la réunion est reportée à jeudi et le compte rendu suivra demain "
    "会議は木曜日に延期されました 会议改到星期四 "
).split()
SECRETS = ("AKIA" + "QYLPMN5HHHFPZAM2", "4111 1111 1111 1111", "jane.doe@example-corp.com")  # gitleaks:allow


@dataclass
class Cell:
    mode: str
    text: str
    bytes: int
    concurrency: int
    requests: int
    errors: int
    unfinished: int
    seconds: float
    throughput_rps: float
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None


def make_text(size: int, seed: int) -> str:
    """A mixed-language text of ``size`` UTF-8 bytes with one planted finding."""
    rng = random.Random(seed)
    secret = SECRETS[seed % len(SECRETS)]
    parts: list[str] = [secret]
    while len(" ".join(parts).encode()) < size:
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(WORDS))
    text = " ".join(parts)
    while len(text.encode()) > size:
        text = text[:-1]
    return text


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile in milliseconds (None without samples)."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))] * 1000, 1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    """``python -m serving.api serve`` with benchmark settings (no rate limit, deep queue)."""

    def __init__(
        self,
        model: Path | None,
        batching: bool,
        threads: int,
        cpus: str | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("GUARD_")}
        env.update(
            PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
            GUARD_RATE_LIMIT_PER_S="0",
            GUARD_MAX_QUEUE="4096",
            GUARD_MAX_BATCH_TEXTS="64",
            GUARD_INTRA_OP_THREADS=str(threads),
            GUARD_LOG_LEVEL="warning",
        )
        env.update(extra_env or {})
        command = [
            *(["taskset", "-c", cpus] if cpus else []),
            sys.executable,
            "-m",
            "serving.api",
            "serve",
            "--port",
            str(self.port),
            "--api-key-hash",
            hash_api_key(API_KEY),
            "--provider",
            "cpu",
        ]
        command += ["--batching"] if batching else ["--no-batching"]
        if model is not None:
            command += ["--model", str(model)]
        self.proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 300
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}")
            try:
                ready = httpx.get(self.url + "/readyz", timeout=2)
                if ready.status_code == 200:
                    self.model_version = str(ready.json()["model_version"])
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not become ready")
            time.sleep(0.3)

    def wait_idle(self, timeout_s: float = 300.0) -> None:
        """Wait until requests cut at a cell's cap have left the server (queue empty, none in flight)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            text = httpx.get(self.url + "/metrics", timeout=10).text
            if "guard_queue_depth 0.0" in text and "guard_inflight_requests 1.0" in text:  # 1: this request
                return
            time.sleep(0.5)
        raise RuntimeError("server did not become idle")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=60)


async def drive(
    url: str, texts: list[str], concurrency: int, seconds: float, cap_s: float
) -> tuple[list[float], int, int, float]:
    """``concurrency`` workers post texts back to back for ``seconds``.

    Every request started inside the window counts once it completes; at ``cap_s`` the ones
    still running are cancelled and reported as ``unfinished`` (slow cells on small machines).
    Returns latencies, errors, unfinished, and the elapsed seconds.
    """
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"Authorization": f"Bearer {API_KEY}"}
    async with httpx.AsyncClient(base_url=url, limits=limits, headers=headers, timeout=cap_s + 60) as client:
        loop = asyncio.get_running_loop()
        start = loop.time()

        async def worker(index: int) -> None:
            nonlocal errors
            n = index
            while loop.time() - start < seconds:
                began = loop.time()
                response = await client.post("/v1/scan", json={"text": texts[n % len(texts)]})
                n += concurrency
                if response.status_code == 200:
                    latencies.append(loop.time() - began)
                else:
                    errors += 1

        tasks = [asyncio.create_task(worker(i)) for i in range(concurrency)]
        done, running = await asyncio.wait(tasks, timeout=cap_s)
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        elapsed = loop.time() - start
    return latencies, errors, len(running), elapsed


_WRK_SCRIPT = """
bodies = {%(bodies)s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("POST", "/v1/scan", {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer %(key)s"}, bodies[(counter %% #bodies) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  local f = io.open("%(out)s", "w")
  f:write(string.format('{"requests": %%d, "duration_us": %%d, "connect": %%d, "read": %%d, "write": %%d, ' ..
    '"status": %%d, "timeout": %%d, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d}',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
  f:close()
end
"""


def drive_wrk(
    url: str, texts: list[str], concurrency: int, seconds: float, cap_s: float
) -> tuple[int, int, int, float, list[float | None]]:
    """Debian's ``wrk`` (C, one thread) posts the texts round robin on ``concurrency`` connections.

    A load generator in C leaves the cores to the server: on 2 cores the asyncio httpx client used
    0.9 of a core at concurrency 64 with batching on and throttled the server it measured.
    Returns ok requests, errors (non-2xx, connect/read/write), timeouts (> ``cap_s``), seconds and
    p50/p95/p99 in seconds.
    """
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        bodies = ",".join("[==[" + json.dumps({"text": t}) + "]==]" for t in texts)
        script = Path(tmp) / "post.lua"
        script.write_text(_WRK_SCRIPT % {"bodies": bodies, "key": API_KEY, "out": out}, encoding="utf-8")
        command = ["wrk", "-t1", f"-c{concurrency}", f"-d{max(1, round(seconds))}s"]
        command.append(f"--timeout={max(1, round(cap_s))}s")
        subprocess.run(
            [*command, "-s", str(script), url], check=True, capture_output=True, timeout=cap_s + 120
        )
        r = json.loads(out.read_text(encoding="utf-8"))
    errors = r["status"] + r["connect"] + r["read"] + r["write"]
    latency = [r[f"p{q}_us"] / 1e6 if r["requests"] else None for q in (50, 95, 99)]
    return r["requests"] - r["status"], errors, r["timeout"], r["duration_us"] / 1e6, latency


def window_seconds(seconds: float, concurrency: int, single_s: float | None, client: str) -> float:
    """Measuring window of a cell: wrk counts only requests that finish inside it, so a cell whose
    requests take long (8 KB texts at concurrency 64: ~9 s each on 2 cores) runs for at least five
    request times (estimated from the lowest concurrency's p50) to keep that cut small."""
    if client != "wrk" or single_s is None:
        return seconds
    return max(seconds, round(5 * concurrency * single_s))


def run_cell(
    server: ServerProcess,
    mode: str,
    name: str,
    size: int,
    concurrency: int,
    seconds: float,
    cap_s: float,
    client: str = "wrk",
) -> Cell:
    texts = [make_text(size, seed) for seed in range(64)]
    asyncio.run(drive(server.url, texts[:1], 1, 0.0, cap_s))  # one request: connections and caches warm
    if client == "wrk":
        ok, errors, unfinished, elapsed, (p50, p95, p99) = drive_wrk(
            server.url, texts, concurrency, seconds, cap_s
        )
        server.wait_idle()
        cell = Cell(
            mode=mode,
            text=name,
            bytes=size,
            concurrency=concurrency,
            requests=ok,
            errors=errors,
            unfinished=unfinished,
            seconds=round(elapsed, 2),
            throughput_rps=round(ok / elapsed, 2),
            p50_ms=round(p50 * 1000, 1) if p50 is not None else None,
            p95_ms=round(p95 * 1000, 1) if p95 is not None else None,
            p99_ms=round(p99 * 1000, 1) if p99 is not None else None,
        )
        _print_cell(cell)
        return cell
    latencies, errors, unfinished, elapsed = asyncio.run(
        drive(server.url, texts, concurrency, seconds, cap_s)
    )
    server.wait_idle()
    cell = Cell(
        mode=mode,
        text=name,
        bytes=size,
        concurrency=concurrency,
        requests=len(latencies),
        errors=errors,
        unfinished=unfinished,
        seconds=round(elapsed, 2),
        throughput_rps=round(len(latencies) / elapsed, 2),
        p50_ms=percentile(latencies, 50),
        p95_ms=percentile(latencies, 95),
        p99_ms=percentile(latencies, 99),
    )
    _print_cell(cell)
    return cell


def _print_cell(cell: Cell) -> None:
    print(
        f"{cell.mode:9} {cell.text:5} c={cell.concurrency:<3} {cell.throughput_rps:8.2f} req/s  "
        f"p50 {cell.p50_ms}  p95 {cell.p95_ms}  p99 {cell.p99_ms} ms  "
        f"({cell.requests} ok, {cell.errors} errors, {cell.unfinished} cut)",
        flush=True,
    )


def build_proxy_model(out_dir: Path) -> Path:
    """Random-weight token classifier with multilingual-e5-small's shape, exported to ONNX (once)."""
    if (out_dir / "model.onnx").is_file():
        return out_dir
    import shutil
    import warnings

    import torch
    from transformers import BertConfig, BertForTokenClassification

    sys.path.insert(0, str(ROOT))
    from tests.fixtures.tiny_model import TAGS, tokenizer_json_path, write_manifest

    out_dir.mkdir(parents=True, exist_ok=True)
    if not (out_dir / "tokenizer.json").is_file():  # a copy placed there beforehand is used as is
        shutil.copyfile(tokenizer_json_path(), out_dir / "tokenizer.json")
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=250_037,
        hidden_size=384,
        num_hidden_layers=12,
        num_attention_heads=12,
        intermediate_size=1536,
        max_position_embeddings=514,
        type_vocab_size=1,
        pad_token_id=1,
        num_labels=len(TAGS),
        attn_implementation="eager",
    )
    model = BertForTokenClassification(config).eval()
    ids = torch.randint(5, 1000, (2, 16), dtype=torch.int64)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model,
            (ids, torch.ones_like(ids)),
            str(out_dir / "model.onnx"),
            input_names=["input_ids", "attention_mask"],
            output_names=["logits"],
            dynamic_axes={n: {0: "batch", 1: "seq"} for n in ("input_ids", "attention_mask", "logits")},
            opset_version=17,
            dynamo=False,
        )
    write_manifest(
        out_dir,
        name="bench-e5-small-shape",
        version="0.0.0-random",
        base_model="random-init e5-small shape",
        max_length=256,
        stride=64,
    )
    return out_dir


def summarize(cells: list[Cell]) -> dict[str, Any]:
    def find(mode: str, text: str, c: int) -> Cell | None:
        return next((x for x in cells if x.mode == mode and x.text == text and x.concurrency == c), None)

    ratio: dict[str, float | None] = {}
    for text in SIZES:
        on, off = find("batched", text, 16), find("unbatched", text, 16)
        ratio[text] = (
            round(on.throughput_rps / off.throughput_rps, 2) if on and off and off.throughput_rps else None
        )
    p99 = {mode: cell.p99_ms if (cell := find(mode, "1kb", 4)) else None for mode in ("batched", "unbatched")}
    return {
        "throughput_ratio_batched_vs_unbatched_c16": ratio,
        "p99_ms_1kb_c4": p99,
        "targets": {"ratio_c16": ">= 2.0", "p99_ms_1kb_c4": "<= 150 on 2 CPU cores"},
    }


def _client_note(report: dict[str, Any]) -> str:
    if report.get("client", "httpx") == "wrk":
        return (
            "Load from Debian's wrk (one C thread, texts round robin): at least "
            f"{report['seconds_per_cell']} s per cell, and at least five request times (from the lowest "
            "concurrency's p50) for slow cells; "
            f"requests slower than {report['cap_seconds']} s count as cut."
        )
    return (
        f"Load from an asyncio httpx client: {report['seconds_per_cell']} s window per cell (requests "
        f"started in it count when they finish; cells are cut at {report['cap_seconds']} s)."
    )


def write_markdown(path: Path, report: dict[str, Any]) -> None:
    machine = report["machine"]
    ratio = report["summary"]["throughput_ratio_batched_vs_unbatched_c16"]
    lines = [
        f"# Inference server load benchmark ({report['model_version']})",
        "",
        f"Model: `{report['model_version']}` ({report['model_note']}). "
        f"Machine: {machine['cpus']} CPUs ({machine.get('cpu', 'CPU not recorded')}), {machine['platform']}, "
        "1-min load average "
        f"{machine['load_average_1m_before']} before / {machine['load_average_1m_after']} after "
        "(the machine is shared). Client and server on the same machine"
        + (f"; server pinned to CPUs {report['server_cpus']}" if report.get("server_cpus") else "")
        + f", {report['intra_op_threads']} onnxruntime intra-op threads"
        + (f", server env {report['server_env']}" if report.get("server_env") else "")
        + ". "
        + _client_note(report)
        + f" Command: `{report['command']}`.",
        "",
        "| mode | text | concurrency | req/s | p50 ms | p95 ms | p99 ms | errors | cut at cap |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in report["results"]:
        lines.append(
            f"| {c['mode']} | {c['text']} ({c['bytes']} B) | {c['concurrency']} | {c['throughput_rps']} | "
            f"{c['p50_ms']} | {c['p95_ms']} | {c['p99_ms']} | {c['errors']} | {c['unfinished']} |"
        )
    s = report["summary"]
    lines += [
        "",
        f"Batched / unbatched throughput at concurrency 16: short {ratio['short']}×, "
        f"long {ratio['long']}× (target ≥ 2×).",
        f"p99 latency, 1 KB text at concurrency 4: batched {s['p99_ms_1kb_c4']['batched']} ms, "
        f"unbatched {s['p99_ms_1kb_c4']['unbatched']} ms (target ≤ 150 ms on 2 cores).",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", type=Path, default=None, help="model directory (default: packaged model)")
    parser.add_argument(
        "--proxy-model", type=Path, default=None, help="build/use an e5-small-shaped random model here"
    )
    parser.add_argument("--seconds", type=float, default=6.0, help="measured seconds per cell")
    parser.add_argument(
        "--threads", type=int, default=os.cpu_count() or 1, help="onnxruntime intra-op threads"
    )
    parser.add_argument("--concurrency", type=int, nargs="+", default=list(CONCURRENCY))
    parser.add_argument("--sizes", nargs="+", choices=sorted(SIZES), default=list(SIZES))
    parser.add_argument(
        "--long-concurrency",
        type=int,
        nargs="+",
        default=None,
        help="concurrency levels for the long text (default: --concurrency)",
    )
    parser.add_argument("--cap-seconds", type=float, default=60.0, help="hard limit per cell")
    parser.add_argument(
        "--modes", nargs="+", choices=["batched", "unbatched"], default=["batched", "unbatched"]
    )
    parser.add_argument(
        "--server-env", nargs="*", default=[], help="extra GUARD_*=value settings for the server"
    )
    parser.add_argument(
        "--server-cpus", default=None, help="pin the server to these CPUs (taskset list, e.g. 0,1)"
    )
    parser.add_argument(
        "--client",
        choices=["wrk", "httpx"],
        default="wrk",
        help="load generator: Debian's wrk (apt-get install wrk) or the asyncio httpx client",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "server.json")
    args = parser.parse_args()
    if args.client == "wrk" and shutil.which("wrk") is None:
        parser.error("the wrk load generator is missing: apt-get install -y wrk (or --client httpx)")
    model = build_proxy_model(args.proxy_model) if args.proxy_model else args.model
    server_env = dict(item.split("=", 1) for item in args.server_env)
    cells: list[Cell] = []
    version = "?"
    load_before = round(os.getloadavg()[0], 2)
    for mode, batching in (("batched", True), ("unbatched", False)):
        if mode not in args.modes:
            continue
        server = ServerProcess(model, batching, args.threads, args.server_cpus, server_env)
        version = server.model_version
        try:
            for name in args.sizes:
                levels = (
                    args.long_concurrency if name == "long" and args.long_concurrency else args.concurrency
                )
                single_s: float | None = None  # p50 at the lowest concurrency, in seconds
                for c in levels:
                    seconds = window_seconds(args.seconds, c, single_s, args.client)
                    cells.append(
                        run_cell(server, mode, name, SIZES[name], c, seconds, args.cap_seconds, args.client)
                    )
                    if single_s is None and cells[-1].p50_ms is not None:
                        single_s = cells[-1].p50_ms / 1000 / c
            cells.append(run_cell(server, mode, "1kb", 1024, 4, args.seconds, args.cap_seconds, args.client))
        finally:
            server.stop()
    note = (
        "random weights, multilingual-e5-small shape (12 layers, 384 hidden, fp32)"
        if args.proxy_model
        else "as given"
    )
    report = {
        "benchmark": "server",
        "model_version": version,
        "model_note": note,
        "command": shown_command("bench_server.py", sys.argv[1:]),
        "machine": {
            "cpus": os.cpu_count(),
            "cpu": cpu_name(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_1m_before": load_before,
            "load_average_1m_after": round(os.getloadavg()[0], 2),
        },
        "seconds_per_cell": args.seconds,
        "cap_seconds": args.cap_seconds,
        "intra_op_threads": args.threads,
        "server_cpus": args.server_cpus,
        "server_env": server_env,
        "client": args.client,
        "results": [asdict(c) for c in cells],
        "summary": summarize(cells),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    if report["summary"]:
        write_markdown(args.out.with_suffix(".md"), report)
    print(json.dumps(report["summary"], indent=2))


if __name__ == "__main__":
    main()
