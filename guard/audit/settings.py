"""`AuditSettings`: everything ``guard audit`` (and its ``spark-submit`` entry) can be told, written once.

The command's flags (`guard.settings.settings_command`), the environment (``GUARD_AUDIT_*``) and the
settings file (``--config``, YAML or TOML) are read from this one model; precedence: flags >
environment > settings file > defaults. The value-hash key is a secret: ``GUARD_AUDIT_HASH_KEY``
(hex) or ``--hash-key-file``, never shown.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, ClassVar, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from guard.audit.reader import ReadOptions
from guard.audit.scanner import ScanConfig
from guard.audit.sources import FORMATS
from guard.settings import LayeredSettings, cli, split_csv

__all__ = ["REPORTS", "SEVERITY", "AuditSettings"]

REPORTS: tuple[str, ...] = ("jsonl", "csv", "sarif", "html")
#: ``--fail-on`` value → the least action rank that fails the run (alert 0, redact 1, block 2).
SEVERITY: dict[str, int] = {"never": 99, "alert": 0, "redact": 1, "block": 2, "any": 0}

Strings = Annotated[list[str], NoDecode]


class AuditSettings(LayeredSettings):
    """One audit's settings (validated on construction; build with `resolve` for `ConfigError`)."""

    model_config = SettingsConfigDict(env_prefix="GUARD_AUDIT_")
    tool: ClassVar[str] = "guard audit"

    out: Path = Field(Path("audit-out"), description="output directory", json_schema_extra=cli(short="-o"))
    engine: Literal["local", "spark"] = Field("local", description="local (worker processes) or spark")
    format: Literal["text", "jsonl", "csv", "tsv"] | None = Field(
        None, description=f"force one input format: {', '.join(FORMATS)} (default: by file name and content)"
    )
    text_field: Strings = Field(default_factory=list, description="JSONL path / CSV column to scan (repeat)")
    id_field: str | None = Field(None, description="JSONL path / CSV column with the record id")
    time_field: str | None = Field(None, description="JSONL path / CSV column with the timestamp")
    max_line_bytes: int = Field(1 << 20, ge=1024, description="longer lines are scanned in windows")

    workers: int = Field(-1, ge=-1, description="scanner processes (0 = in-process; -1 = all cores)")
    batch: int = Field(256, ge=1, description="texts per worker batch")
    shortcuts: bool = Field(True, description="skip work that cannot change the answer")
    cascade: bool = Field(True, description="let the model's gate skip windows that hold nothing")
    model: Path | None = Field(None, description="model directory (default: the packaged model)")
    policy: Path | None = Field(None, description="policy file (default: the packaged policy)")
    domain: Strings = Field(default_factory=list, description="domain pack (repeat)")

    report: Strings = Field(
        default_factory=lambda: list(REPORTS),
        description=f"reports to write, comma list of {','.join(REPORTS)}",
    )
    fail_on: Literal["block", "redact", "alert", "any", "never"] = Field(
        "block", description="exit 1 when a finding's action reaches this: block, redact, any or never"
    )
    fail_on_problems: bool = Field(True, description="exit 3 when some input had problems")
    quiet: bool = Field(
        False, description="no progress bar or summary (cron)",
        json_schema_extra=cli(short="-q", negative=False),
    )  # fmt: skip

    hash_key_file: Path | None = Field(None, description="file holding the value-hash key")
    hash_key: SecretStr | None = Field(
        None, description="value-hash key, hex (better through the environment)",
        json_schema_extra=cli(hidden=True),
    )  # fmt: skip
    state: Path | None = Field(None, description="checkpoint directory (default: OUT/.audit-state)")
    restart: bool = Field(
        False, description="ignore an existing checkpoint", json_schema_extra=cli(negative=False)
    )
    checkpoint_every: float = Field(5.0, ge=0, description="seconds between checkpoints (0: every batch)")

    spark_master: str = Field("local[2]", description="Spark master for --engine spark")
    table: Literal["parquet", "delta"] | None = Field(
        None, description="Spark only: inputs are parquet or delta tables"
    )
    text_column: str | None = Field(None, description="Spark tables: the text column")

    verify: bool = Field(
        False, description="ask each credential's provider whether it is live (sends it there; local engine "
        "only)", json_schema_extra=cli(negative=False),
    )  # fmt: skip
    verify_endpoint: Strings = Field(
        default_factory=list, description="PROVIDER=URL: your own provider API (GitHub Enterprise)"
    )

    _lists = field_validator("text_field", "domain", "verify_endpoint", mode="before")(split_csv)

    @field_validator("report", mode="before")
    @classmethod
    def _report_list(cls, value: object) -> object:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, (list, tuple)):
            return value
        formats = [part.strip() for item in items for part in str(item).split(",") if part.strip()]
        if unknown := sorted(set(formats) - set(REPORTS)):
            raise ValueError(f"unknown report format(s) {unknown}; choose from {', '.join(REPORTS)}")
        return formats

    @field_validator("hash_key")
    @classmethod
    def _hex_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            try:
                bytes.fromhex(value.get_secret_value())
            except ValueError:
                raise ValueError("must be hex") from None
        return value

    @model_validator(mode="after")
    def _engine_options(self) -> AuditSettings:
        if self.verify_endpoint and not self.verify:
            raise ValueError("--verify-endpoint needs --verify")
        if self.verify and self.engine == "spark":
            raise ValueError("--verify runs with the local engine only (executors would call providers)")
        if self.table is not None and self.engine != "spark":
            raise ValueError("--table needs --engine spark")
        return self

    # --- what the engines take ---------------------------------------------------------------------

    def read_options(self) -> ReadOptions:
        return ReadOptions(
            text_fields=tuple(self.text_field), id_field=self.id_field, time_field=self.time_field,
            max_line_bytes=self.max_line_bytes,
        )  # fmt: skip

    def scan_config(self) -> ScanConfig:
        return ScanConfig(
            model=None if self.model is None else str(self.model),
            policy=None if self.policy is None else str(self.policy),
            domains=tuple(self.domain), shortcuts=self.shortcuts, cascade=self.cascade,
        )  # fmt: skip

    @property
    def state_dir(self) -> Path:
        return self.state if self.state is not None else self.out / ".audit-state"

    @property
    def worker_count(self) -> int:
        return (os.cpu_count() or 1) if self.workers < 0 else self.workers

    def explicit_hash_key(self) -> bytes | None:
        """The key given by file or environment, else None (a generated key is kept in the state).

        Raises:
            OSError: the key file cannot be read.
            ValueError: the key file is empty.
        """
        if self.hash_key_file is not None:
            raw = self.hash_key_file.read_bytes().strip()
            if not raw:
                raise ValueError(f"hash key file {self.hash_key_file} is empty")
            return raw
        if self.hash_key is not None:
            return bytes.fromhex(self.hash_key.get_secret_value())
        return None
