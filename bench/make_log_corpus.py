"""Generate a realistic log corpus with planted leaks for `bench_audit.py` and the audit tests.

Three files per corpus: ``app.log`` (application log with Java/Python stack traces), ``access.log``
(nginx combined format) and ``events.jsonl`` (structured JSON logs), in proportions 45/35/20 of the
requested size. Every line carries its own timestamp, request id / trace id, durations and sizes, as
real logs do. Repetition: with ``--repeat R`` a line is, with probability R, an exact copy of one of
the last 2,000 lines (retries, health checks, identical errors); ``--repeat 0`` gives a corpus with no
exact duplicate records. Message *templates* always repeat (a few hundred of them), as in real logs.

Planted leaks (``--leaks N``) are deterministic-detector hits in realistic contexts: AWS access keys,
Luhn-valid cards, IBANs, e-mails, private IPs, GitHub tokens, and with ``--codename`` a project code
name that only the model finds; every one is listed
with file, line and label in ``planted.json`` so recall can be measured exactly. All values are
synthetic (random, test-only).

Usage: ``python bench/make_log_corpus.py OUT_DIR --mb 200 --repeat 0.3 --leaks 500 --seed 7``
"""

from __future__ import annotations

import argparse
import json
import random
import string
from collections import deque
from datetime import UTC, datetime, timedelta
from pathlib import Path

__all__ = ["main", "make_corpus"]

_USERS = ["svc-billing", "svc-search", "batch-runner", "api-gateway", "scheduler", "ingest", "reporting"]
_PATHS = [
    "/api/v1/orders",
    "/api/v1/users/me",
    "/api/v2/search",
    "/healthz",
    "/metrics",
    "/static/app.js",
    "/api/v1/invoices",
    "/login",
    "/api/v1/carts",
    "/api/v2/recommendations",
]
_UAS = [
    "Mozilla/5.0 (X11; Linux x86_64) Firefox/131.0",
    "curl/8.5.0",
    "python-requests/2.32.3",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15",
    "kube-probe/1.30",
]
_SERVICES = ["order-service", "payment-service", "search-service", "user-service", "gateway"]
_MESSAGES = [
    "request completed method={m} path={p} status={s} took {d}ms size={z}",
    "cache miss key=product:{n} shard={k} latency={d}ms",
    "retrying upstream call attempt={k} timeout={t}s service={svc}",
    "db query finished rows={n} took {d}ms pool=primary conns={k}",
    "user session refreshed user_id={n} region=eu-west-1 took {d}ms",
    "published event topic=orders partition={k} offset={n}",
    "scheduled job finished job=nightly-export items={n} duration={d}ms",
    "rate limit applied client=partner-{k} limit={t} window=60s",
    "GC pause young={d}ms heap={z}KB threads={k}",
    "feature flag evaluated flag=new-checkout variant=B user_id={n}",
]
_ERRORS = [
    (
        "java",
        "ERROR [{th}] c.e.o.OrderController - failed to process order {n}",
        [
            "java.lang.IllegalStateException: inventory mismatch for sku {n}",
            "\tat com.example.orders.OrderService.reserve(OrderService.java:{k})",
            "\tat com.example.orders.OrderController.create(OrderController.java:{k})",
            "Caused by: java.sql.SQLTimeoutException: query timed out after {t}s",
            "\t... 42 more",
        ],
    ),
    (
        "python",
        "ERROR worker crashed while handling task {n}",
        [
            "Traceback (most recent call last):",
            '  File "/srv/app/worker.py", line {k}, in handle',
            "    result = process(task)",
            "ValueError: unexpected payload version {k}",
        ],
    ),
]


def _luhn(prefix: str, length: int, rng: random.Random) -> str:
    digits = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return digits + str((10 - total % 10) % 10)


def _iban(rng: random.Random) -> str:
    bban = "".join(rng.choice(string.digits) for _ in range(18))
    raw = bban + "DE00"
    num = int("".join(str(int(c, 36)) for c in raw))
    return f"DE{98 - num % 97:02d}{bban}"


def _leak(rng: random.Random, codename: str | None) -> tuple[str, str, str]:
    """Return ``(label, value, sentence-with-{v})``."""
    kind = rng.randrange(7 if codename else 6)
    if kind == 6 and codename:
        return "CODENAME", codename, "roadmap review: project {v} slips to Q3"
    if kind == 0:
        key = "AKIA" + "".join(rng.choice(string.ascii_uppercase + "234567") for _ in range(16))
        return "SECRET", key, "loaded credentials aws_access_key_id={v} for profile deploy"
    if kind == 1:
        return "CREDIT_CARD", _luhn("4", 16, rng), "payment declined card={v} reason=insufficient_funds"
    if kind == 2:
        return "BANK_ACCOUNT", _iban(rng), "payout scheduled to iban {v} for vendor"
    if kind == 3:
        name = "".join(rng.choice(string.ascii_lowercase) for _ in range(7))
        return (
            "EMAIL",
            f"{name}.{rng.choice(['mueller', 'dupont', 'tanaka'])}@kestrel-corp.com",
            "password reset requested by {v}",
        )
    if kind == 4:
        return (
            "INTERNAL_HOST",
            f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            "connection refused to upstream {v}:5432",
        )
    token = "ghp_" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(36))
    return "SECRET", token, "git clone failed using token {v}"


class _Clock:
    def __init__(self, rng: random.Random) -> None:
        self.now = datetime(2026, 11, 20, tzinfo=UTC)
        self.rng = rng

    def tick(self) -> datetime:
        self.now += timedelta(microseconds=self.rng.randrange(1, 120_000))
        return self.now


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        m=rng.choice(["GET", "POST", "PUT"]),
        p=rng.choice(_PATHS),
        s=rng.choice([200, 200, 200, 201, 404, 500]),
        d=rng.randrange(1, 5000),
        z=rng.randrange(100, 99999),
        n=rng.randrange(1, 10_000_000),
        k=rng.randrange(1, 64),
        t=rng.randrange(1, 120),
        svc=rng.choice(_SERVICES),
        th=f"http-nio-{rng.randrange(1, 200)}",
    )


def _app_line(clock: _Clock, rng: random.Random) -> list[str]:
    ts = clock.tick().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    rid = f"{rng.getrandbits(128):032x}"
    if rng.random() < 0.02:
        _, head, trace = rng.choice(_ERRORS)
        return [f"{ts} {_fill(head, rng)} request_id={rid}", *[_fill(t, rng) for t in trace]]
    level = rng.choice(["INFO", "INFO", "INFO", "DEBUG", "WARN"])
    return [f"{ts} {level} [{rng.choice(_SERVICES)}] {_fill(rng.choice(_MESSAGES), rng)} request_id={rid}"]


def _access_line(clock: _Clock, rng: random.Random) -> list[str]:
    ts = clock.tick().strftime("%d/%b/%Y:%H:%M:%S +0000")
    ip = f"{rng.randrange(11, 223)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    return [
        f'{ip} - - [{ts}] "{rng.choice(["GET", "POST"])} {rng.choice(_PATHS)}?page={rng.randrange(1, 50)} '
        f'HTTP/1.1" {rng.choice([200, 200, 304, 404, 500])} {rng.randrange(200, 90000)} "-" '
        f'"{rng.choice(_UAS)}" rt={rng.randrange(1, 3000) / 1000:.3f}'
    ]


def _json_line(clock: _Clock, rng: random.Random) -> list[str]:
    ts = clock.tick().isoformat(timespec="milliseconds").replace("+00:00", "Z")
    event = {
        "ts": ts,
        "level": rng.choice(["info", "info", "warn"]),
        "service": rng.choice(_SERVICES),
        "trace_id": f"{rng.getrandbits(128):032x}",
        "msg": _fill(rng.choice(_MESSAGES), rng),
    }
    return [json.dumps(event)]


def make_corpus(
    out: Path, mb: float, repeat: float, leaks: int, seed: int = 7, codename: str | None = None
) -> dict[str, object]:
    """Write the corpus and ``planted.json``; return the manifest (sizes, lines, repetition, leaks).

    ``codename`` adds a model-only kind: sentences naming that project (label CODENAME), which no
    deterministic detector finds.
    """
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    plan = [
        ("app.log", 0.45, _app_line),
        ("access.log", 0.35, _access_line),
        ("events.jsonl", 0.20, _json_line),
    ]
    planted: list[dict[str, object]] = []
    stats: dict[str, dict[str, int]] = {}
    leaks_per_file = [int(leaks * share) for _, share, _ in plan]
    leaks_per_file[0] += leaks - sum(leaks_per_file)
    for (name, share, make), n_leaks in zip(plan, leaks_per_file, strict=True):
        clock = _Clock(rng)
        target = int(mb * share * 1e6)
        recent: deque[list[str]] = deque(maxlen=2000)
        written = lines = records = dupes = 0
        leak_every = max(1, int(target / 150 / max(1, n_leaks)))
        planted_here = 0
        with open(out / name, "w", encoding="utf-8") as fh:
            while written < target:
                if recent and rng.random() < repeat:
                    record = rng.choice(recent)
                    dupes += 1
                else:
                    record = make(clock, rng)
                    if planted_here < n_leaks and records % leak_every == 7:
                        planted_here += 1
                        label, value, sentence = _leak(rng, codename)
                        if name == "events.jsonl":
                            event = json.loads(record[0])
                            event["msg"] = sentence.format(v=value)
                            record = [json.dumps(event)]
                        else:
                            record = [record[0] + " " + sentence.format(v=value), *record[1:]]
                        planted.append({"file": name, "line": lines + 1, "label": label, "value": value})
                    recent.append(record)
                text = "\n".join(record) + "\n"
                fh.write(text)
                written += len(text.encode("utf-8"))
                lines += len(record)
                records += 1
        stats[name] = {"bytes": written, "lines": lines, "records": records, "exact_repeats": dupes}
    manifest = {"seed": seed, "mb": mb, "repeat": repeat, "files": stats, "planted": planted}
    (out / "planted.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--mb", type=float, default=200.0)
    parser.add_argument("--repeat", type=float, default=0.3)
    parser.add_argument("--leaks", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--codename", default=None, help="also plant this model-only CODENAME")
    args = parser.parse_args()
    manifest = make_corpus(args.out, args.mb, args.repeat, args.leaks, args.seed, args.codename)
    files = manifest["files"]
    assert isinstance(files, dict)
    print(json.dumps(files, indent=1))


if __name__ == "__main__":
    main()
