"""Fake credentials in the formats of real providers, and the placeholders that must not be flagged.

Every value is random (nothing here is a real credential). `secret(rng)` returns ``(kind, value)``;
`SECRET_KINDS` lists the kinds so tests can check coverage (>= 30 formats).
"""

# Value tables: one entry per line reads better than wrapped strings.
# ruff: noqa: E501

from __future__ import annotations

import base64
import random
import string
from collections.abc import Callable

__all__ = ["PLACEHOLDERS", "SECRET_KINDS", "password", "placeholder", "secret", "secret_of"]

_ALNUM = string.ascii_letters + string.digits
_UPPER_NUM = string.ascii_uppercase + string.digits
_HEX = "0123456789abcdef"
_B64URL = _ALNUM + "-_"


def _r(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _b64(rng: random.Random, nbytes: int, urlsafe: bool = False) -> str:
    raw = rng.randbytes(nbytes)
    enc = base64.urlsafe_b64encode(raw) if urlsafe else base64.b64encode(raw)
    return enc.decode()


def _jwt(rng: random.Random) -> str:
    header = base64.urlsafe_b64encode(
        rng.choice(
            [b'{"alg":"HS256","typ":"JWT"}', b'{"alg":"RS256","typ":"JWT","kid":"k1"}', b'{"alg":"ES256"}']
        )
    )
    claims = (
        f'{{"sub":"{rng.randint(1000, 99999999)}","iat":{rng.randint(1_600_000_000, 1_800_000_000)},'
        f'"scope":"{rng.choice(["read", "admin", "repo write", "api"])}"}}'
    )
    payload = base64.urlsafe_b64encode(claims.encode())
    return f"{header.decode().rstrip('=')}.{payload.decode().rstrip('=')}.{_r(rng, _B64URL, rng.choice([43, 86]))}"


def _pem(rng: random.Random) -> str:
    kind = rng.choice(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY"])
    body = _b64(rng, rng.choice([96, 144, 192]))
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return f"-----BEGIN {kind}-----\n" + "\n".join(lines) + f"\n-----END {kind}-----"


def password(rng: random.Random) -> str:
    """A human-chosen or generated password (never a placeholder word)."""
    style = rng.random()
    if style < 0.35:
        word = rng.choice(["Sommer", "Winter", "Condor", "Dragon", "Soleil", "Sakura", "Tiger", "Falcon",
                           "Monkey", "Passwort", "Bonjour", "Shanghai", "Tokyo", "Berlin", "Admin", "Welcome",
                           "Hunter", "Azerty", "Qwertz", "Panda", "Lapin", "Schatz", "Liberte"])  # fmt: skip
        return f"{word}{rng.choice(['', '@', '#', '_', '.'])}{rng.randint(1, 2026)}{rng.choice(['!', '?', '$', '', '#'])}"
    if style < 0.7:
        return _r(rng, _ALNUM + "!@#$%^&*-_+=", rng.randint(10, 24))
    if style < 0.85:
        return "-".join(_r(rng, string.ascii_lowercase, rng.randint(4, 7)) for _ in range(rng.randint(3, 4)))
    return _r(rng, _ALNUM, rng.randint(12, 32))


def _db_uri(rng: random.Random, host: str) -> str:
    scheme, port = rng.choice([("postgresql", 5432), ("postgres", 5432), ("mysql", 3306), ("mongodb", 27017),
                               ("mongodb+srv", 0), ("redis", 6379), ("amqp", 5672), ("mssql", 1433),
                               ("postgresql+psycopg2", 5432), ("mysql+pymysql", 3306)])  # fmt: skip
    user = rng.choice(["app", "admin", "svc_billing", "root", "etl", "readonly", "postgres", "api", "deploy"])
    pw = password(rng).replace("@", "").replace("/", "").replace(":", "") or "x9"
    portpart = f":{port}" if port and rng.random() < 0.8 else ""
    db = rng.choice(["prod", "billing", "crm", "users", "analytics", "ledger", "orders", "0", "app"])
    if scheme == "redis" and rng.random() < 0.5:
        return f"redis://:{pw}@{host}{portpart}/{rng.randint(0, 5)}"
    return f"{scheme}://{user}:{pw}@{host}{portpart}/{db}"


def _host_stub(rng: random.Random) -> str:
    return (
        rng.choice(["db", "pg", "mysql", "mongo", "redis", "cache", "rabbit"])
        + f"-{rng.randint(1, 12):02d}."
        + rng.choice(
            [
                "corp.internal",
                "prod.local",
                "rds.amazonaws.com",
                "svc.cluster.local",
                "internal.lan",
                "dc1.intra",
            ]
        )
    )


_GENERATORS: dict[str, Callable[[random.Random], str]] = {
    "aws_access_key_id": lambda r: r.choice(["AKIA", "ASIA"]) + _r(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
    "aws_secret_access_key": lambda r: _r(r, _ALNUM + "/+", 40),
    "github_pat": lambda r: "ghp_" + _r(r, _ALNUM, 36),
    "github_fine_grained": lambda r: "github_pat_" + _r(r, _UPPER_NUM, 22) + "_" + _r(r, _ALNUM, 59),
    "github_oauth": lambda r: r.choice(["gho_", "ghu_", "ghs_", "ghr_"]) + _r(r, _ALNUM, 36),
    "gitlab_pat": lambda r: "glpat-" + _r(r, _ALNUM + "-_", 20),
    "slack_bot_token": lambda r: (
        f"xoxb-{r.randint(10**10, 10**12)}-{r.randint(10**10, 10**13)}-{_r(r, _ALNUM, 24)}"
    ),
    "slack_user_token": lambda r: (
        f"xoxp-{r.randint(10**10, 10**12)}-{r.randint(10**10, 10**12)}-{r.randint(10**10, 10**12)}-{_r(r, _HEX, 32)}"
    ),
    "slack_webhook": lambda r: (
        f"https://hooks.slack.com/services/T{_r(r, _UPPER_NUM, 8)}/B{_r(r, _UPPER_NUM, 10)}/{_r(r, _ALNUM, 24)}"
    ),
    "stripe_live_secret": lambda r: (
        r.choice(["sk_live_", "rk_live_"]) + _r(r, _ALNUM, r.choice([24, 34, 99]))
    ),
    "openai_key": lambda r: (
        r.choice(["sk-proj-", "sk-svcacct-", "sk-"]) + _r(r, _ALNUM + "-_", r.choice([48, 64, 120]))
    ),
    "anthropic_key": lambda r: "sk-ant-api03-" + _r(r, _ALNUM + "-_", 93) + "AA",
    "google_api_key": lambda r: "AIza" + _r(r, _ALNUM + "-_", 35),
    "google_oauth_secret": lambda r: "GOCSPX-" + _r(r, _ALNUM + "-_", 28),
    "azure_storage_conn": lambda r: (
        f"DefaultEndpointsProtocol=https;AccountName={_r(r, string.ascii_lowercase, r.randint(6, 12))};"
        f"AccountKey={_b64(r, 64)};EndpointSuffix=core.windows.net"
    ),
    "azure_client_secret": lambda r: _r(r, _ALNUM, 3) + r.choice("5678") + "Q~" + _r(r, _ALNUM + "._~-", 34),
    "twilio_auth_token": lambda r: _r(r, _HEX, 32),
    "twilio_api_key": lambda r: "SK" + _r(r, _HEX, 32),
    "sendgrid_key": lambda r: "SG." + _r(r, _ALNUM + "-_", 22) + "." + _r(r, _ALNUM + "-_", 43),
    "jwt": _jwt,
    "pem_private_key": _pem,
    "password": password,
    "db_uri": lambda r: _db_uri(r, _host_stub(r)),
    "bearer_token": lambda r: _r(r, _ALNUM + r.choice(["", "-_", "._~+/"]), r.randint(32, 64)),
    "hex_secret": lambda r: _r(r, _HEX, r.choice([32, 40, 48, 64])),
    "base64_secret": lambda r: _b64(r, r.choice([24, 32, 48])),
    "npm_token": lambda r: "npm_" + _r(r, _ALNUM, 36),
    "pypi_token": lambda r: "pypi-AgEIcHlwaS5vcmc" + _r(r, _B64URL, r.randint(60, 140)),
    "dockerhub_pat": lambda r: "dckr_pat_" + _r(r, _B64URL, 27),
    "huggingface_token": lambda r: "hf_" + _r(r, string.ascii_letters, 34),
    "shopify_token": lambda r: r.choice(["shpat_", "shpss_", "shpca_"]) + _r(r, _HEX, 32),
    "mailgun_key": lambda r: "key-" + _r(r, _HEX, 32),
    "digitalocean_token": lambda r: r.choice(["dop_v1_", "doo_v1_"]) + _r(r, _HEX, 64),
    "telegram_bot_token": lambda r: f"{r.randint(10**8, 10**10)}:AA{_r(r, _ALNUM + '-_', 33)}",
    "atlassian_token": lambda r: "ATATT3xFfGF0" + _r(r, _ALNUM + "-_=", 180),
    "square_token": lambda r: (
        r.choice(["sq0atp-", "EAAA"]) + _r(r, _ALNUM + "-_", 22 if r.random() < 0.5 else 60)
    ),
    "datadog_api_key": lambda r: _r(r, _HEX, 32),
    "basic_auth_url": lambda r: (
        f"https://{r.choice(['deploy', 'ci', 'admin', 'bot'])}:{password(r).replace('@', '').replace('/', '').replace(':', '') or 'x9'}@{_host_stub(r)}/"
    ),
    "discord_bot_token": lambda r: (
        _r(r, "MNO", 1) + _r(r, _ALNUM, 23) + "." + _r(r, _B64URL, 6) + "." + _r(r, _B64URL, 38)
    ),
}

#: Every secret kind the generator knows (provider formats and generic ones).
SECRET_KINDS: tuple[str, ...] = tuple(_GENERATORS)

_WEIGHTS = {"password": 6, "db_uri": 4, "pem_private_key": 2, "jwt": 3, "bearer_token": 3, "hex_secret": 3,
            "aws_access_key_id": 3, "aws_secret_access_key": 2, "github_pat": 3, "openai_key": 3}  # fmt: skip


def secret_of(kind: str, rng: random.Random) -> str:
    """A random value of secret ``kind`` (one of `SECRET_KINDS`)."""
    return _GENERATORS[kind](rng)


def secret(rng: random.Random, kinds: tuple[str, ...] | None = None) -> tuple[str, str]:
    """A random ``(kind, value)``; kinds weighted so common leaks (passwords, DB URIs, cloud keys) dominate."""
    pool = kinds or SECRET_KINDS
    kind = rng.choices(pool, weights=[_WEIGHTS.get(k, 1) for k in pool])[0]
    return kind, _GENERATORS[kind](rng)


#: Placeholders and documented example values that are NOT secrets.
PLACEHOLDERS: tuple[str, ...] = (
    "AKIAIOSFODNN7EXAMPLE",  # gitleaks:allow
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",  # gitleaks:allow
    "sk_test_xxxxxxxxxxxxxxxxxxxxxxxx",
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",  # gitleaks:allow  (Stripe's public docs key)
    "sk-xxxxxxxxxxxxxxxxxxxxxxxx",
    "sk-...",
    "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "<password>",
    "<your-password>",
    "<API_KEY>",
    "<token>",
    "<secret>",
    "${DB_PASSWORD}",
    "${API_KEY}",
    "${{ secrets.GITHUB_TOKEN }}",
    "${{ secrets.NPM_TOKEN }}",
    "{{ vault_password }}",
    "$SECRET_KEY",
    "%API_TOKEN%",
    "YOUR_API_KEY",
    "YOUR_SECRET_HERE",
    "your-api-key",
    "INSERT_TOKEN_HERE",
    "REPLACE_ME",
    "changeme",
    "change-me",
    "password",
    "secret",
    "xxxxxxxx",
    "********",
    "•••••••",
    "REDACTED",
    "[REDACTED]",
    "<redacted>",
    "dummy",
    "test123",
    "example-token",
    "os.environ['API_KEY']",
    "process.env.STRIPE_KEY",
    "None",
    "null",
    "",
)


def placeholder(rng: random.Random) -> str:
    """A non-empty placeholder or documented example value."""
    return rng.choice([p for p in PLACEHOLDERS if p])
