"""guard vs detect-secrets on generated secrets and on harmless look-alikes from real files, one run.

Secrets: for each provider family, values generated from the provider's documented format (prefix,
alphabet, length), each put in a config line of a rotating syntax (shell ``export``, ``.env``,
YAML, JSON, TOML/Python), plus keyword-assigned passwords with symbols and spaces in the syntaxes
people paste (YAML, ``.netrc``, ``.npmrc``, NuGet, connection strings, URLs). A secret counts as
found when a SECRET finding overlaps it (detect-secrets: a reported secret value that overlaps it).

Harmless look-alikes: snippets of real files given with ``--harmless`` (directories or files from
Debian and PyPI packages: CA certificates, armored PGP public keys, ``RECORD`` files with sha256
digests, lockfiles, Python source): every line that holds a random-looking run of 20+ characters
or a key/token/secret/password word, with the line before and after, and whole PEM certificate and
PGP public key blocks. A snippet with a private key block is skipped (test fixtures hold real-format
keys). A snippet counts as flagged when anything is reported as a secret.

It is not built from any secret scanner's own test files (an independent set built from those
judges the result). Both tools see the same texts; detect-secrets 1.x scans each text as a file
(``scan_file`` with its default plugins and filters).

Usage::

    pip install detect-secrets==1.5.0
    python bench/bench_secrets.py --harmless /etc/ssl/certs --harmless /etc/apt/trusted.gpg.d \\
        --harmless .venv/lib/python3.11/site-packages --per-family 6 --max-harmless 600

Writes ``bench/results/secrets_vs_detect_secrets.{json,md}``.
"""

from __future__ import annotations

import argparse
import random
import re
import string
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import cpu_name, shown_command, shown_path, write_results  # noqa: E402

ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
URL = ALNUM + "_-"
UPPER = string.ascii_uppercase + string.digits
DIGITS = string.digits
LOWER = string.ascii_lowercase
JWT_HEAD = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9"
SLACK_HOOK = "https://hooks.slack.com/services"


def _r(rng: random.Random, n: int, alphabet: str = ALNUM) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


Gen = Callable[[random.Random], str]


def _uuid(g: random.Random) -> str:
    return "-".join(_r(g, n, HEX) for n in (8, 4, 4, 4, 12))


#: provider family → (variable name, generator of a value in the documented format)
FAMILIES: dict[str, tuple[str, Gen]] = {
    "aws_access_key": ("AWS_ACCESS_KEY_ID", lambda g: "AKIA" + _r(g, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")),
    "github_classic": ("GITHUB_TOKEN", lambda g: "ghp_" + _r(g, 36)),
    "github_fine_grained": ("GH_PAT", lambda g: "github_pat_" + _r(g, 22) + "_" + _r(g, 59)),
    "gitlab": ("GITLAB_TOKEN", lambda g: "glpat-" + _r(g, 20, URL)),
    "slack_bot": ("SLACK_BOT_TOKEN", lambda g: f"xoxb-{_r(g, 12, DIGITS)}-{_r(g, 13, DIGITS)}-{_r(g, 24)}"),
    "slack_webhook": ("SLACK_WEBHOOK", lambda g: f"{SLACK_HOOK}/T{_r(g, 10, UPPER)}/B{_r(g, 10, UPPER)}/{_r(g, 24)}"),  # noqa: E501
    "stripe_live": ("STRIPE_SECRET_KEY", lambda g: "sk_live_" + _r(g, 99)),
    "stripe_restricted": ("STRIPE_RK", lambda g: "rk_live_" + _r(g, 99)),
    "openai_project": ("OPENAI_API_KEY", lambda g: "sk-proj-" + _r(g, 156, URL)),
    "anthropic": ("ANTHROPIC_API_KEY", lambda g: "sk-ant-api03-" + _r(g, 93, URL) + "AA"),
    "huggingface": ("HF_TOKEN", lambda g: "hf_" + _r(g, 34)),
    "npm": ("NPM_TOKEN", lambda g: "npm_" + _r(g, 36)),
    "pypi": ("PYPI_TOKEN", lambda g: "pypi-AgEIcHlwaS5vcmc" + _r(g, 70, URL)),
    "google_api": ("GOOGLE_API_KEY", lambda g: "AIza" + _r(g, 35, URL)),
    "sendgrid": ("SENDGRID_API_KEY", lambda g: "SG." + _r(g, 22, URL) + "." + _r(g, 43, URL)),
    "twilio_key": ("TWILIO_API_KEY", lambda g: "SK" + _r(g, 32, HEX)),
    "mailgun": ("MAILGUN_API_KEY", lambda g: "key-" + _r(g, 32, HEX)),
    "digitalocean": ("DIGITALOCEAN_TOKEN", lambda g: "dop_v1_" + _r(g, 64, HEX)),
    "shopify": ("SHOPIFY_TOKEN", lambda g: "shpat_" + _r(g, 32, HEX)),
    "doppler": ("DOPPLER_TOKEN", lambda g: "dp.st." + _r(g, 43)),
    "vault": ("VAULT_TOKEN", lambda g: "hvs." + _r(g, 90, URL)),
    "databricks": ("DATABRICKS_TOKEN", lambda g: "dapi" + _r(g, 32, HEX)),
    "dockerhub": ("DOCKER_PAT", lambda g: "dckr_pat_" + _r(g, 27, URL)),
    "atlassian": ("JIRA_API_TOKEN", lambda g: "ATATT3x" + _r(g, 180, URL)),
    "linear": ("LINEAR_API_KEY", lambda g: "lin_api_" + _r(g, 40)),
    "notion": ("NOTION_TOKEN", lambda g: "ntn_" + _r(g, 46)),
    "groq": ("GROQ_API_KEY", lambda g: "gsk_" + _r(g, 52)),
    "rubygems": ("GEM_HOST_API_KEY", lambda g: "rubygems_" + _r(g, 48, HEX)),
    "pulumi": ("PULUMI_ACCESS_TOKEN", lambda g: "pul-" + _r(g, 40, HEX)),
    "age": ("SOPS_AGE_KEY", lambda g: "AGE-SECRET-KEY-1" + _r(g, 58, "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L")),
    "grafana_sa": ("GRAFANA_TOKEN", lambda g: "glsa_" + _r(g, 32) + "_" + _r(g, 8, HEX)),
    "sonarqube": ("SONAR_TOKEN", lambda g: "squ_" + _r(g, 40, HEX)),
    "postman": ("POSTMAN_API_KEY", lambda g: "PMAK-" + _r(g, 24, HEX) + "-" + _r(g, 34, HEX)),
    "telegram": ("TELEGRAM_BOT_TOKEN", lambda g: _r(g, 10, string.digits) + ":AA" + _r(g, 33, URL)),
    "jwt": ("ID_TOKEN", lambda g: JWT_HEAD + ".eyJzdWIiOiI" + _r(g, 40, URL) + "." + _r(g, 86, URL)),
    "azure_storage": ("AZURE_STORAGE_KEY", lambda g: "AccountKey=" + _r(g, 86, B64) + "=="),
    "datadog": ("DD_API_KEY", lambda g: _r(g, 32, HEX)),
    "heroku": ("HEROKU_API_KEY", lambda g: "HRKU-" + _r(g, 60, URL)),
    "algolia": ("ALGOLIA_ADMIN_KEY", lambda g: _r(g, 32, HEX)),
    "fastly": ("FASTLY_API_TOKEN", lambda g: _r(g, 32, URL)),
    "zendesk": ("ZENDESK_API_TOKEN", lambda g: _r(g, 40)),
    "launchdarkly": ("LAUNCHDARKLY_ACCESS_TOKEN", lambda g: "api-" + _uuid(g)),
    "snyk": ("SNYK_TOKEN", _uuid),
    "mailjet": ("MAILJET_API_SECRET", lambda g: _r(g, 32, HEX)),
    "scalingo": ("SCALINGO_API_TOKEN", lambda g: "tk-us-" + _r(g, 48, URL)),
    "figma": ("FIGMA_TOKEN", lambda g: "figd_" + _r(g, 40, URL)),
    "nvidia": ("NGC_API_KEY", lambda g: "nvapi-" + _r(g, 64, URL)),
    "sourcegraph": ("SRC_ACCESS_TOKEN", lambda g: "sgp_" + _r(g, 16, HEX) + "_" + _r(g, 40, HEX)),
    "openshift": ("OC_TOKEN", lambda g: "sha256~" + _r(g, 43, URL)),
    "intra42": ("FT_CLIENT_SECRET", lambda g: "s-s4t2ud-" + _r(g, 64, HEX)),
    "maxmind": ("MAXMIND_LICENSE_KEY", lambda g: _r(g, 6) + "_" + _r(g, 29) + "_mmk"),
    "defined_networking": ("DN_API_KEY", lambda g: "dnkey-" + _r(g, 26, HEX) + "-" + _r(g, 52, HEX)),
    "contentful_pat": ("CONTENTFUL_MANAGEMENT_TOKEN", lambda g: "CFPAT-" + _r(g, 43, URL)),
    "tencent": ("TENCENTCLOUD_SECRET_ID", lambda g: "AKID" + _r(g, 32)),
    "generic_hex40": ("DEPLOY_TOKEN", lambda g: _r(g, 40, HEX)),
    "generic_uuid_token": ("API_TOKEN", _uuid),
}  # fmt: skip

_SYNTAX = (
    "export {var}={value}\n",
    "{var}={value}\n",
    '{lower}: "{value}"\n',
    '{{"{lower}": "{value}"}}\n',
    '{lower} = "{value}"\n',
)
_SYMBOLS = "!#$%&()*+,-./:;<=>?@[]^_{|}~"


def _password(g: random.Random) -> str:
    return _r(g, g.randint(6, 10), ALNUM) + _r(g, 3, _SYMBOLS) + _r(g, g.randint(3, 6), ALNUM)


#: keyword-assigned passwords: (template with {value}, generator)
CONFIG_PASSWORDS: dict[str, tuple[str, Gen]] = {
    "yaml_bare_symbols": ("database:\n  db_pass: {value}\n", _password),
    "yaml_spaces": ('smtp:\n  password: "{value}"\n', lambda g: f"{_r(g, 6, LOWER)} {_r(g, 7, LOWER)}"),
    "ini": ("[mysql]\nuser = app\npassword = {value}\n", _password),
    "properties": ("spring.datasource.password={value}\n", _password),
    "netrc": ("machine git.corp.example login deploy password {value}\n", _password),
    "npmrc": ("//npm.corp.example/:_authToken={value}\n", lambda g: _r(g, 40, URL)),
    "nuget": ('<add key="ClearTextPassword" value="{value}" />\n', _password),
    "connection_string": ("Server=db01;Database=app;User Id=svc;Password={value};\n", _password),
    "url_userinfo": ("DATABASE_URL=postgres://svc:{value}@db01.corp.example:5432/app\n", lambda g: _r(g, 16)),
}  # fmt: skip


def secret_items(per_family: int, seed: int) -> list[dict[str, Any]]:
    """Generated secrets in context: text, value span, family."""
    g = random.Random(seed)
    items: list[dict[str, Any]] = []
    for family, (var, gen) in FAMILIES.items():
        for i in range(per_family):
            value = gen(g)
            syntax = _SYNTAX[i % len(_SYNTAX)]
            text = syntax.format(var=var, lower=var.lower(), value=value)
            items.append({"family": family, "text": text, "start": text.index(value), "value": value})
    for family, (template, gen) in CONFIG_PASSWORDS.items():
        for _ in range(per_family):
            value = gen(g)
            text = template.format(value=value)
            items.append({"family": family, "text": text, "start": text.index(value), "value": value})
    return items


_RANDOMISH = re.compile(r"[A-Za-z0-9+/=_-]{20,}")
_KEYWORD = re.compile(r"(?i)(?:key|token|secret|passw|pwd|auth|credential)")
_BLOCK = re.compile(
    r"-----BEGIN (CERTIFICATE|PGP PUBLIC KEY BLOCK|PUBLIC KEY)-----[\s\S]{16,20000}?-----END \1-----"
)


def _kind(path: Path) -> str:
    name = path.name.lower()
    if name == "record":
        return "record (sha256 digests)"
    if name.endswith((".lock", "lock.json", ".sum")):
        return "lockfile"
    if name.endswith(".asc") or "gpg" in str(path).lower():
        return "pgp public key"
    if name.endswith((".pem", ".crt", ".0")) or "certs" in str(path):
        return "certificate"
    if name.endswith(".py"):
        return "python source"
    return "other"


def _files(roots: list[Path]) -> Iterator[Path]:
    for root in roots:
        if root.is_file():
            yield root
        elif root.is_dir():
            yield from sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def harmless_items(roots: list[Path], limit: int, seed: int) -> list[dict[str, Any]]:
    """Look-alike snippets of real files, at most ``limit``, spread over file kinds."""
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for path in _files(roots):
        try:
            if path.stat().st_size > 1 << 20:
                continue
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        kind = _kind(path)
        pool = by_kind.setdefault(kind, [])
        for m in _BLOCK.finditer(text):
            pool.append({"kind": kind, "source": shown_path(path), "text": m.group(0) + "\n"})
        stripped = _BLOCK.sub("", text)
        lines = stripped.splitlines()
        for i, line in enumerate(lines):
            if len(line) > 400 or not (_RANDOMISH.search(line) or _KEYWORD.search(line)):
                continue
            snippet = "\n".join(lines[max(0, i - 1) : i + 2]) + "\n"
            if "PRIVATE KEY" in snippet:
                continue
            pool.append({"kind": kind, "source": shown_path(path), "text": snippet})
    g = random.Random(seed)
    kinds = sorted(by_kind)
    out: list[dict[str, Any]] = []
    for i, kind in enumerate(kinds):
        share = (limit - len(out)) // (len(kinds) - i)
        pool = by_kind[kind]
        out.extend(g.sample(pool, min(share, len(pool))))
    return out


class _DetectSecrets:
    name = "detect-secrets"

    def __init__(self, workdir: Path) -> None:
        import detect_secrets  # noqa: F401  (clear ImportError when the bench extra is missing)
        from detect_secrets.core.scan import scan_file
        from detect_secrets.settings import default_settings

        self._scan_file, self._settings, self._dir = scan_file, default_settings, workdir
        self.version = __import__("importlib.metadata").metadata.version("detect-secrets")

    def secrets(self, text: str) -> list[str]:
        path = self._dir / "snippet.txt"
        path.write_text(text, encoding="utf-8")
        with self._settings():
            return [s.secret_value or "" for s in self._scan_file(str(path))]


class _Guard:
    def __init__(self, name: str, model: str | None, no_model: bool) -> None:
        from guard import Guard

        self.name = name
        self.guard = Guard.load(model=False if no_model else model)
        self.version = self.guard.model_version or "detectors only"

    def spans(self, text: str) -> list[tuple[int, int]]:
        return [(f.start, f.end) for f in self.guard.scan(text).findings if f.label == "SECRET"]


def run(tool: Any, secrets: list[dict[str, Any]], harmless: list[dict[str, Any]]) -> dict[str, Any]:
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    slowest = (0.0, "")
    elapsed = 0.0
    if isinstance(tool, _Guard):  # first calls pay for lazy setup (onnxruntime, regex compiles)
        tool.spans("warm up: token=abc123")
    else:
        tool.secrets("warm up: token=abc123")
    for item in secrets + harmless:
        t0 = time.perf_counter()
        if isinstance(tool, _Guard):
            spans = tool.spans(item["text"])
            hit_values = [item["text"][s:e] for s, e in spans]
        else:
            hit_values = tool.secrets(item["text"])
        dt = time.perf_counter() - t0
        elapsed += dt
        per_kb = dt * 1000 / max(1.0, len(item["text"].encode()) / 1024)
        if per_kb > slowest[0]:
            slowest = (per_kb, item.get("family") or item.get("kind", ""))
        if "family" in item:
            total[item["family"]] += 1
            value = item["value"]
            if any(v and (v in value or value in v) for v in hit_values):
                found[item["family"]] += 1
        else:
            seen[item["kind"]] += 1
            if hit_values:
                flagged[item["kind"]] += 1
    n_sec, n_harm = sum(total.values()), sum(seen.values())
    return {
        "tool": tool.name,
        "version": tool.version,
        "recall": round(sum(found.values()) / max(1, n_sec), 4),
        "harmless_flagged": round(sum(flagged.values()) / max(1, n_harm), 4),
        "recall_by_family": {f: round(found[f] / total[f], 3) for f in sorted(total)},
        "flagged_by_kind": {k: [flagged[k], seen[k]] for k in sorted(seen)},
        "slowest_ms_per_kb": round(slowest[0], 2),
        "slowest_case": slowest[1],
        "seconds": round(elapsed, 2),
    }


def markdown(result: dict[str, Any]) -> str:
    tools = result["tools"]
    lines = [
        "# Secrets: guard vs detect-secrets",
        "",
        f"Command: `{result['command']}`",
        "",
        f"Machine: {result['cpu']}. Data: {result['secrets']} generated secrets in "
        f"{len(tools[0]['recall_by_family'])} families (seed {result['seed']}); {result['harmless']} "
        f"harmless look-alike snippets from {', '.join(f'`{s}`' for s in result['harmless_sources'])}.",
        "",
        "| tool | version | secret recall | harmless flagged | slowest ms/KB (case) | seconds |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for t in tools:
        lines.append(
            f"| {t['tool']} | {t['version']} | {t['recall']:.3f} | {t['harmless_flagged']:.3f} | "
            f"{t['slowest_ms_per_kb']} ({t['slowest_case']}) | {t['seconds']} |"
        )
    header = " | ".join(t["tool"] for t in tools)
    rule = "|---|" + "---:|" * len(tools)
    lines += ["", "## Harmless look-alikes flagged, by kind", "", f"| kind | {header} |", rule]
    for kind in tools[0]["flagged_by_kind"]:
        cells = [f"{t['flagged_by_kind'][kind][0]}/{t['flagged_by_kind'][kind][1]}" for t in tools]
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    lines += ["", "## Recall by family", "", f"| family | {header} |", rule]
    for family in tools[0]["recall_by_family"]:
        cells = " | ".join(f"{t['recall_by_family'][family]:.2f}" for t in tools)
        lines.append(f"| {family} | {cells} |")
    lines += ["", "Generated by bench/bench_secrets.py; see its docstring for what counts.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--harmless", action="append", required=True, help="file or directory of real files")
    ap.add_argument("--per-family", type=int, default=6)
    ap.add_argument("--max-harmless", type=int, default=600)
    ap.add_argument("--seed", type=int, default=22)
    ap.add_argument("--model", default=None, help="model directory (default: the packaged model)")
    ap.add_argument("--no-detect-secrets", action="store_true")
    ap.add_argument("--name", default="secrets_vs_detect_secrets")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results")
    args = ap.parse_args(argv)
    secrets = secret_items(args.per_family, args.seed)
    harmless = harmless_items([Path(p) for p in args.harmless], args.max_harmless, args.seed)
    tools: list[Any] = [_Guard("guard (detectors)", None, True), _Guard("guard (full)", args.model, False)]
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_detect_secrets:
            tools.append(_DetectSecrets(Path(tmp)))
        results = [run(t, secrets, harmless) for t in tools]
    result = {
        "command": shown_command("bench_secrets.py", argv),
        "cpu": cpu_name(),
        "seed": args.seed,
        "secrets": len(secrets),
        "harmless": len(harmless),
        "harmless_sources": [shown_path(p) for p in args.harmless],
        "tools": results,
    }
    write_results(args.out, args.name, result, markdown(result))
    for t in results:
        print(f"{t['tool']}: recall {t['recall']:.3f}, harmless flagged {t['harmless_flagged']:.3f}, "
              f"slowest {t['slowest_ms_per_kb']} ms/KB")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
