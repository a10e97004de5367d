"""``guard audit``: scan log files for leaks, write JSONL/CSV/SARIF findings and an HTML report.

Exit codes (for CI gates and cron):

====  ==========================================================================
0     finished, no finding at or above ``--fail-on``, no input problem
1     finished, findings at or above ``--fail-on`` (``block`` by default)
2     bad usage or configuration (bad option, unloadable model/policy, stale checkpoint)
3     finished without failing findings, but some input had problems (see problems.jsonl);
      ``--no-fail-on-problems`` turns this into 0
130   interrupted (Ctrl-C); run the same command again to resume from the checkpoint
====  ==========================================================================

Precedence: 2 before 1 before 3. Input problems never hide behind findings: however the run ends,
they are summed up on stderr, also with ``--quiet`` (a missing input, an unreadable file), and
listed in problems.jsonl.

Settings are read here, once: ``--hash-key-file`` or ``GUARD_AUDIT_HASH_KEY`` (hex) give the key of
the value hashes; without one a random key is kept in the checkpoint directory.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from guard.errors import GuardError

__all__ = [
    "EXIT_CLEAN",
    "EXIT_FINDINGS",
    "EXIT_INTERRUPTED",
    "EXIT_PROBLEMS",
    "EXIT_USAGE",
    "audit",
    "register",
]

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_PROBLEMS, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
_SEVERITY = {"never": 99, "alert": 0, "redact": 1, "block": 2, "any": 0}
_ACTION_RANK = {"allow": 0, "alert": 0, "redact": 1, "block": 2}
_REPORTS = ("jsonl", "csv", "sarif", "html")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"guard audit: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


def audit(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories, globs, or - for stdin.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = Path("audit-out"),
    engine: Annotated[str, typer.Option(help="local (worker processes) or spark.")] = "local",
    fmt: Annotated[str | None, typer.Option("--format", help="Force text, jsonl, csv or tsv.")] = None,
    text_field: Annotated[
        list[str] | None, typer.Option(help="JSONL path / CSV column to scan (repeat).")
    ] = None,
    id_field: Annotated[str | None, typer.Option(help="JSONL path / CSV column with the record id.")] = None,
    time_field: Annotated[
        str | None, typer.Option(help="JSONL path / CSV column with the timestamp.")
    ] = None,
    workers: Annotated[
        int, typer.Option(help="Scanner processes (0 = in-process); default: all cores.")
    ] = -1,
    shortcuts: Annotated[bool, typer.Option(help="Skip work that cannot change the answer.")] = True,
    cascade: Annotated[
        bool, typer.Option(help="Let the model's gate skip windows that hold nothing (--no-cascade: all).")
    ] = True,
    model: Annotated[Path | None, typer.Option(help="Model directory (default: packaged model).")] = None,
    policy: Annotated[Path | None, typer.Option(help="Policy file.")] = None,
    domain: Annotated[list[Path] | None, typer.Option(help="Domain pack (repeat).")] = None,
    report: Annotated[str, typer.Option(help="Comma list of jsonl,csv,sarif,html.")] = "jsonl,csv,sarif,html",
    fail_on: Annotated[str, typer.Option(help="block, redact, any or never.")] = "block",
    fail_on_problems: Annotated[bool, typer.Option(help="Exit 3 when some input had problems.")] = True,
    hash_key_file: Annotated[Path | None, typer.Option(help="File holding the value-hash key.")] = None,
    hash_key_hex: Annotated[str | None, typer.Option(envvar="GUARD_AUDIT_HASH_KEY", hidden=True)] = None,
    state: Annotated[
        Path | None, typer.Option(help="Checkpoint directory (default OUT/.audit-state).")
    ] = None,
    restart: Annotated[bool, typer.Option(help="Ignore an existing checkpoint.")] = False,
    checkpoint_every: Annotated[float, typer.Option(help="Seconds between checkpoints.")] = 5.0,
    batch: Annotated[int, typer.Option(help="Texts per worker batch.")] = 256,
    max_line_bytes: Annotated[int, typer.Option(help="Longer lines are scanned in windows.")] = 1 << 20,
    spark_master: Annotated[str, typer.Option(help="Spark master for --engine spark.")] = "local[2]",
    table: Annotated[str | None, typer.Option(help="Spark only: inputs are parquet or delta tables.")] = None,
    text_column: Annotated[str | None, typer.Option(help="Spark tables: the text column.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary (cron).")] = False,
    verify: Annotated[
        bool,
        typer.Option(
            "--verify",
            help="Ask each credential's provider whether it is live (sends it there; local engine only).",
        ),
    ] = False,
    verify_endpoint: Annotated[
        list[str] | None,
        typer.Option("--verify-endpoint", help="PROVIDER=URL: your own provider API (GitHub Enterprise)"),
    ] = None,
) -> None:
    """Audit logs for sensitive data: every planted secret, card, PII or internal host, with file and line."""
    from guard.audit.engine import AuditOptions, resolve_hash_key, run_audit
    from guard.audit.outputs import write_reports
    from guard.audit.reader import ReadOptions
    from guard.audit.scanner import ScanConfig
    from guard.verify import parse_endpoints

    if verify_endpoint and not verify:
        raise _fail("--verify-endpoint needs --verify")
    if verify and engine == "spark":
        raise _fail("--verify runs with the local engine only (Spark executors would call the providers)")
    try:
        endpoints = tuple(sorted(parse_endpoints(verify_endpoint).items()))
    except ValueError as exc:
        raise _fail(str(exc)) from None
    formats = tuple(x.strip() for x in report.split(",") if x.strip())
    if unknown := set(formats) - set(_REPORTS):
        raise _fail(f"unknown report format(s) {sorted(unknown)}; choose from {', '.join(_REPORTS)}")
    if fail_on not in _SEVERITY:
        raise _fail(f"--fail-on must be one of {', '.join(_SEVERITY)}")
    if engine not in ("local", "spark"):
        raise _fail("--engine must be local or spark")
    try:
        read = ReadOptions(
            text_fields=tuple(text_field or ()),
            id_field=id_field,
            time_field=time_field,
            max_line_bytes=max_line_bytes,
        )
        key = _hash_key(hash_key_file, hash_key_hex)
        scan = ScanConfig(
            model=None if model is None else str(model),
            policy=None if policy is None else str(policy),
            domains=tuple(str(d) for d in domain or ()),
            shortcuts=shortcuts,
            cascade=cascade,
        )
        state_dir = state if state is not None else out / ".audit-state"
        key = resolve_hash_key(key, state_dir)
        n_workers = (os.cpu_count() or 1) if workers < 0 else workers
        started = time.monotonic()
        if engine == "spark":
            from guard.audit.spark import SparkAudit, run_spark_audit

            summary = run_spark_audit(
                SparkAudit(
                    inputs=tuple(inputs),
                    out=out,
                    scan=scan,
                    read=read,
                    format=fmt,
                    hash_key=key,
                    master=spark_master,
                    table=table,
                    text_column=text_column,
                    id_column=id_field,
                )
            )
            interrupted, seconds = False, time.monotonic() - started
        else:
            if table is not None:
                raise _fail("--table needs --engine spark")
            opts = AuditOptions(
                inputs=tuple(inputs),
                out=out,
                scan=scan,
                read=read,
                format=fmt,
                workers=n_workers,
                hash_key=key,
                state=state,
                restart=restart,
                batch_texts=batch,
                checkpoint_every=checkpoint_every,
                verify=verify,
                verify_endpoints=endpoints,
            )
            run = _run_with_progress(opts, run_audit, quiet)
            summary, interrupted, seconds = run.summary, run.interrupted, run.seconds
        if interrupted:
            typer.echo(
                f"guard audit: interrupted; run the same command again to resume ({state_dir})", err=True
            )
            raise typer.Exit(EXIT_INTERRUPTED)
        write_reports(
            out,
            summary,
            formats,
            seconds=seconds,
            engine=engine,
            model_version=_model_version(scan.model),
            tool_version=_version(),
        )
    except (GuardError, ValueError, OSError) as exc:
        raise _fail(f"{type(exc).__name__}: {exc}") from None
    problems = sum(summary.problems.values())
    if not quiet:
        typer.echo(
            f"{summary.units:,} records, {summary.chars / 1e6:,.1f} MB in {seconds:,.1f} s; "
            f"{summary.findings:,} findings {dict(summary.by_label.most_common())}; "
            f"{problems:,} input problems; reports in {out}"
        )
    problems = sum(summary.problems.values())
    if problems:  # on stderr even with --quiet: exit 1 (findings) must not hide a missing input
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(summary.problems.items()))
        typer.echo(
            f"guard audit: {problems:,} input problems ({kinds}); see {out / 'problems.jsonl'}", err=True
        )
    worst = max((_ACTION_RANK.get(a, 0) for a in summary.by_action), default=-1)
    if summary.findings and worst >= _SEVERITY[fail_on]:
        raise typer.Exit(EXIT_FINDINGS)
    if fail_on_problems and any(summary.problems.values()):
        raise typer.Exit(EXIT_PROBLEMS)
    raise typer.Exit(EXIT_CLEAN)


def _hash_key(path: Path | None, hex_key: str | None) -> bytes | None:
    if path is not None:
        raw = path.read_bytes().strip()
        if not raw:
            raise ValueError(f"hash key file {path} is empty")
        return raw
    if hex_key:
        try:
            return bytes.fromhex(hex_key)
        except ValueError:
            raise ValueError("GUARD_AUDIT_HASH_KEY must be hex") from None
    return None


def _model_version(model: str | None) -> str:
    try:
        from guard.model import default_model_path
        from guard.model.manifest import load_manifest

        manifest = load_manifest(Path(model) if model else default_model_path())
        return f"{manifest.name}@{manifest.version}"
    except GuardError:
        return "unknown"


def _version() -> str:
    import guard

    return guard.__version__


def _run_with_progress(opts: Any, run_audit: Any, quiet: bool) -> Any:
    if quiet or not sys.stderr.isatty():
        return run_audit(opts)
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = (
        TextColumn("[bold]auditing"),
        BarColumn(),
        TextColumn("{task.percentage:>5.1f}%"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, transient=False) as bar:
        task = bar.add_task("audit", total=None, rate="")
        begun = time.monotonic()
        seen = {"units": 0, "chars": 0}

        def on_start(total: int) -> None:
            bar.update(task, total=max(total, 1))

        def on_progress(units: int, chars: int) -> None:
            seen["units"] += units
            seen["chars"] += chars
            dt = max(time.monotonic() - begun, 1e-6)
            bar.update(
                task,
                advance=chars,
                rate=f"{seen['units'] / dt:,.0f} rec/s  {seen['chars'] / dt / 1e6:,.2f} MB/s",
            )

        return run_audit(opts, progress=on_progress, on_start=on_start)


def register(app: typer.Typer) -> None:
    """Add ``guard audit`` to the guard CLI."""
    app.command("audit")(audit)
