"""Settings of the inference server: one object, read once at startup.

`ServeSettings` is the only place the server reads its environment (``GUARD_`` prefix).
Build it inside `create_app()` or the CLI, never at import time. Insecure combinations are
refused when the object is built, so a misconfigured server never starts.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["ServeSettings", "Provider"]

Provider = Literal["auto", "cpu", "cuda"]

_HASH_RE = re.compile(r"^sha256:[0-9a-f]{64}$")


def _split_csv(value: object) -> object:
    """Accept a comma-separated string for list fields (handy in env vars and k8s Secrets)."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class ServeSettings(BaseSettings):
    """Everything `guard serve` can be told, from env (``GUARD_*``) or keyword arguments.

    Contract:
        * ``api_key_hashes`` holds ``sha256:<64 hex>`` digests, never keys (`hash_api_key`).
        * Binding a non-loopback address requires API keys, a client-certificate CA (mTLS) or
          an explicit ``allow_unauthenticated=True``; otherwise construction raises.
        * ``max_queue`` bounds pending texts; beyond it requests get 503 + Retry-After.
    """

    model_config = SettingsConfigDict(env_prefix="GUARD_", extra="forbid", frozen=True)

    # Network
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    tls_certfile: Path | None = None
    tls_keyfile: Path | None = None
    tls_client_ca: Path | None = Field(
        None, description="CA bundle; when set, clients must present a certificate (mTLS)"
    )
    forwarded_allow_ips: str = Field(
        "127.0.0.1", description="reverse proxies whose X-Forwarded-* headers are trusted"
    )

    # Model and policy (passed to guard.Guard.load)
    model: Path | None = None
    policy: Path | None = None
    domains: Annotated[list[Path], NoDecode] = Field(default_factory=list)
    provider: Provider = "auto"
    intra_op_threads: int = Field(
        0, ge=0, description="inference threads (on CPU: windows scored at once); 0 = all cores"
    )
    cascade: bool = Field(True, description="let the model's gate skip windows that hold nothing")

    # Security
    api_key_hashes: Annotated[list[str], NoDecode] = Field(default_factory=list)
    allow_unauthenticated: bool = False
    metrics_require_auth: bool = False
    rate_limit_per_s: float = Field(50.0, ge=0.0, description="texts per second per key; 0 = no limit")
    rate_limit_burst: int = Field(100, ge=1)

    # Input limits
    max_body_bytes: int = Field(1_048_576, ge=1024)
    max_batch_texts: int = Field(64, ge=1)
    body_timeout_s: float = Field(
        10.0, gt=0.0, description="max time for the whole request body (slow clients)"
    )
    head_timeout_s: float = Field(10.0, gt=0.0, description="max time for a request's line and headers")
    max_header_bytes: int = Field(16_384, ge=1024, description="largest request head (line and headers)")

    # Batching and load shedding
    batching: bool = True
    # 0 = opportunistic batching: texts that queued while the model was busy go in the next batch,
    # a lone request never waits (best on CPU, docs/benchmarks.md history); 2-5 ms suits GPUs.
    batch_max_wait_ms: float = Field(0.0, ge=0.0, le=1000.0)
    batch_max_tokens: int = Field(
        8192,
        ge=64,
        description="estimated tokens per batch (on CPU the runtime then runs each window in its own call)",
    )
    batch_max_texts: int = Field(32, ge=1)
    max_queue: int = Field(256, ge=1, description="pending texts before answering 503")
    retry_after_s: int = Field(1, ge=1)
    drain_timeout_s: float = Field(30.0, gt=0.0)

    log_level: Literal["debug", "info", "warning", "error"] = "info"
    incidents_url: str | None = Field(
        None,
        description="incident store URL (sqlite:///… or postgresql+psycopg://…): texts that block or redact "
        "are recorded for the console (env GUARD_INCIDENTS_URL)",
    )

    @field_validator("api_key_hashes", "domains", mode="before")
    @classmethod
    def _csv(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("api_key_hashes")
    @classmethod
    def _hashes(cls, value: list[str]) -> list[str]:
        for index, digest in enumerate(value):
            if not _HASH_RE.match(digest):
                # Never echo the value: it might be a raw key pasted by mistake.
                raise ValueError(
                    f"api_key_hashes[{index}] is not 'sha256:<64 lowercase hex>'; "
                    "store hashes made with `guard serve-key`, never raw keys"
                )
        return value

    @model_validator(mode="after")
    def _secure(self) -> Self:
        if (self.tls_certfile is None) != (self.tls_keyfile is None):
            raise ValueError("tls_certfile and tls_keyfile must be set together")
        if self.tls_client_ca is not None and self.tls_certfile is None:
            raise ValueError("tls_client_ca (mTLS) needs tls_certfile and tls_keyfile")
        if self.max_batch_texts > self.max_queue:
            raise ValueError("max_batch_texts must not exceed max_queue (such a batch could never run)")
        authenticated = bool(self.api_key_hashes) or self.tls_client_ca is not None
        if not authenticated and not self.allow_unauthenticated and not _is_loopback(self.host):
            raise ValueError(
                f"refusing to bind {self.host} without API keys or mTLS; set api_key_hashes, "
                "tls_client_ca, or allow_unauthenticated=true explicitly"
            )
        return self

    @property
    def auth_enabled(self) -> bool:
        """True when requests must carry one of the configured API keys."""
        return bool(self.api_key_hashes)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
