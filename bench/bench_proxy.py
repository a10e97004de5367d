"""Latency guard adds in front of each proxy: Squid + ``guard icap`` and mitmproxy + the guard addon.

Every request is new (a counter in the body and query), so the scan cache never hits: the figures
are uncached costs. One run starts, on loopback: a recording upstream, plain mitmdump, mitmdump +
guard, ``guard icap``, plain Squid and Squid + guard (the deploy/squid/squid.conf sample). Requests
are interleaved round robin over the five paths (direct, and each proxy with/without guard) so
machine noise hits all alike. Two request kinds: a 1 KB JSON POST and a GET without body. Reported
per path: p50/p99/mean in ms; per proxy: the added p50/p99 of guard (with minus without). Figures go
to ``bench/results/proxy.json`` and ``proxy.md``.

    PYTHONPATH=. python bench/bench_proxy.py [--model DIR] [--requests 300] [--warmup 30]

Without ``--model`` it uses the packaged model, else the e5-small-shaped int8 stand-in of
bench/proxy_models.py (same compute per token as the shipped model, random predictions).
Targets (issue 5, 2 CPU cores): ≤ 60 ms p50 and ≤ 150 ms p99 added for a 1 KB body, ≤ 3 ms without body.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from bench.machine import cpu_name, shown_command
from tests.serving.inspect.netfixtures import TestCA, Upstream
from tests.serving.inspect.proxyprocs import GuardIcap, Mitmdump, Squid

__all__ = ["main"]

RESULTS = Path(__file__).parent / "results"

_MESSAGE = (
    "Hi team, quick update on the offsite planning. The venue confirmed the large room for Thursday and "
    "Friday, with lunch served at noon on both days. Please bring your laptop chargers, since the room has "
    "only a few sockets near the windows. We will start with a short round of team updates, then split into "
    "three workshops: onboarding improvements, the documentation backlog, and the release checklist. Each "
    "workshop should end with a list of concrete next steps and an owner for each item. On Friday afternoon "
    "we will walk through the results together and agree on priorities for the next quarter. If you have "
    "dietary requirements, reply to this thread by Tuesday so the caterer can plan. Travel: the train from "
    "the central station takes about forty minutes, and there is a shuttle from the station every half hour. "
    "Looking forward to seeing everyone there, and thanks again for all the hard work this quarter!"
)


def _body(i: int) -> bytes:
    """A 1 KB clean JSON body, different for every request (no scan-cache hits)."""
    body = json.dumps({"channel": "general", "thread": f"offsite-{i}", "message": _MESSAGE}).encode()
    return body[:1024] if len(body) > 1024 else body + b" " * (1024 - len(body))


def _model(arg: str | None, tmp: Path) -> tuple[Path, str]:
    if arg:
        manifest = json.loads((Path(arg) / "guard_model.json").read_text())
        return Path(arg), f"{manifest.get('name')} (base {manifest.get('base_model')}, {arg})"
    from guard.errors import ModelError
    from guard.model import default_model_path

    try:
        return default_model_path(), "packaged"
    except ModelError:
        from bench.proxy_models import build_e5_proxy

        return build_e5_proxy(tmp / "e5_proxy"), "e5-small-shaped int8 stand-in (random weights)"


def _stats(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "p50": round(q[49], 2),
        "p99": round(q[98], 2),
        "mean": round(statistics.fmean(ordered), 2),
        "n": len(ms),
    }


def _one(client: httpx.Client, kind: str, url: str, i: int) -> tuple[float, int]:
    body = _body(i)
    start = time.perf_counter()
    if kind == "post":
        resp = client.post(url, content=body, headers={"Content-Type": "application/json"})
    else:
        resp = client.get(f"{url}{i}")  # a new query each time: no scan-cache hits
    return (time.perf_counter() - start) * 1000, resp.status_code


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", help="model directory (default: packaged, else the e5-small stand-in)")
    parser.add_argument(
        "--no-model", action="store_true", help="deterministic detectors only (plumbing cost)"
    )
    parser.add_argument("--requests", type=int, default=300, help="measured requests per path and kind")
    parser.add_argument("--warmup", type=int, default=30, help="unmeasured requests per path and kind first")
    parser.add_argument("--out", default=str(RESULTS / "proxy.json"))
    parser.add_argument("--render", action="store_true", help="only regenerate the .md beside --out")
    args = parser.parse_args(argv)
    if args.render:
        done: dict[str, Any] = json.loads(Path(args.out).read_text())
        Path(args.out).with_suffix(".md").write_text(_markdown(done))
        return done

    load_before = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="bench-proxy-"))
    model, model_kind = _model(args.model, tmp) if not args.no_model else (Path("."), "none (detectors only)")
    mitm_opts = {"guard_no_model": "true"} if args.no_model else {"guard_model": str(model)}
    icap_args = ("--no-model",) if args.no_model else ()
    upstream = Upstream()
    ca = TestCA(tmp / "ca")
    procs: list[Any] = []
    try:
        mitm_plain = Mitmdump(tmp / "mitm-plain", {}, ca, guard=False)
        procs.append(mitm_plain)
        mitm_guard = Mitmdump(tmp / "mitm-guard", mitm_opts, ca)
        procs.append(mitm_guard)
        icap = GuardIcap(tmp / "icap", model, *icap_args)
        procs.append(icap)
        squid_plain = Squid(None, ca)
        procs.append(squid_plain)
        squid_guard = Squid(icap.port, ca)
        procs.append(squid_guard)
        clients = {
            "direct": httpx.Client(trust_env=False, timeout=60),
            "mitmproxy": mitm_plain.client(ca),
            "mitmproxy+guard": mitm_guard.client(ca),
            "squid": squid_plain.client(ca),
            "squid+guard": squid_guard.client(ca),
        }
        urls = {
            "post": upstream.url("/api/messages", "localhost"),
            "get": upstream.url("/api/ping?page=", "localhost"),
        }
        times: dict[str, dict[str, list[float]]] = {name: {"post": [], "get": []} for name in clients}
        statuses: dict[str, Counter[int]] = {name: Counter() for name in clients}
        for i in range(args.warmup + args.requests):
            for kind in ("post", "get"):
                for name, client in clients.items():
                    ms, status = _one(client, kind, urls[kind], i)
                    if i >= args.warmup:
                        times[name][kind].append(ms)
                        statuses[name][status] += 1
        for client in clients.values():
            client.close()
    finally:
        for proc in reversed(procs):
            proc.close()
        upstream.close()

    paths = {name: {kind: _stats(v) for kind, v in kinds.items()} for name, kinds in times.items()}
    added = {
        proxy: {
            kind: {
                "p50": round(paths[f"{proxy}+guard"][kind]["p50"] - paths[proxy][kind]["p50"], 2),
                "p99": round(paths[f"{proxy}+guard"][kind]["p99"] - paths[proxy][kind]["p99"], 2),
            }
            for kind in ("post", "get")
        }
        for proxy in ("mitmproxy", "squid")
    }
    targets = {"post_p50_ms": 60, "post_p99_ms": 150, "get_p50_ms": 3}
    met = {
        proxy: {
            "post_p50": a["post"]["p50"] <= targets["post_p50_ms"],
            "post_p99": a["post"]["p99"] <= targets["post_p99_ms"],
            "get_p50": a["get"]["p50"] <= targets["get_p50_ms"],
        }
        for proxy, a in added.items()
    }
    result = {
        "benchmark": "proxy",
        "model": model_kind,
        "body_bytes": len(_body(0)),
        "requests": args.requests,
        "warmup": args.warmup,
        "cpus": os.cpu_count(),
        "loadavg_1m_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "machine": platform.platform(),
        "cpu": cpu_name(),
        "command": shown_command("bench_proxy.py", argv if argv is not None else sys.argv[1:]),
        "date": time.strftime("%Y-%m-%d"),
        "latency_ms": paths,
        "guard_added_ms": added,
        "targets_ms": targets,
        "targets_met": met,
        "statuses": {name: {str(k): v for k, v in c.items()} for name, c in statuses.items()},
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    out.with_suffix(".md").write_text(_markdown(result))
    print(_markdown(result))
    return result


def _markdown(r: dict[str, Any]) -> str:
    lines = [
        f"# Proxy latency ({r['requests']} requests per path and kind, {r['cpus']} CPUs, "
        f"load average {r['loadavg_1m_before_after']} before/after)",
        "",
        f"Model: {r['model']}; CPU: {r.get('cpu', 'not recorded')}",
        "",
        "| path | POST 1 KB p50 | p99 | GET p50 | p99 |",
        "|---|---|---|---|---|",
    ]
    for name, kinds in r["latency_ms"].items():
        p, g = kinds["post"], kinds["get"]
        lines.append(f"| {name} | {p['p50']} | {p['p99']} | {g['p50']} | {g['p99']} |")
    lines += ["", "| guard adds (ms) | POST p50 | POST p99 | GET p50 | GET p99 |", "|---|---|---|---|---|"]
    for proxy, a in r["guard_added_ms"].items():
        lines.append(
            f"| {proxy} | {a['post']['p50']} | {a['post']['p99']} | {a['get']['p50']} | {a['get']['p99']} |"
        )
    lines += [
        "",
        f"Targets: {r['targets_ms']}; met: {r['targets_met']}",
        f"HTTP statuses: {r['statuses']}",
        "",
        f"Command: `{r.get('command', 'not recorded')}`; date: {r.get('date', 'not recorded')}. "
        "Notes on these runs: docs/benchmarks.md.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
