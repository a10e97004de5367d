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

Settings are read here, once, into `guard.audit.settings.AuditSettings`: flags > environment
(``GUARD_AUDIT_*``) > settings file (``--config``) > defaults. ``--hash-key-file`` or
``GUARD_AUDIT_HASH_KEY`` (hex) give the key of the value hashes; without one a random key is kept in
the checkpoint directory.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from guard.audit.settings import SEVERITY, AuditSettings
from guard.errors import GuardError
from guard.settings import settings_command

__all__ = [
    "EXIT_CLEAN",
    "EXIT_FINDINGS",
    "EXIT_INTERRUPTED",
    "EXIT_PROBLEMS",
    "EXIT_USAGE",
    "audit",
    "audit_command",
    "register",
]

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_PROBLEMS, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
_ACTION_RANK = {"allow": 0, "alert": 0, "redact": 1, "block": 2}


def _fail(message: str) -> typer.Exit:
    typer.echo(f"guard audit: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


def audit(
    settings: AuditSettings,
    inputs: Annotated[list[str], typer.Argument(help="Files, directories, globs, or - for stdin.")],
) -> None:
    """Audit logs for sensitive data: every planted secret, card, PII or internal host, with file and line."""
    from guard.audit.engine import AuditOptions, resolve_hash_key, run_audit
    from guard.audit.outputs import write_reports
    from guard.verify import parse_endpoints

    s = settings
    try:
        endpoints = tuple(sorted(parse_endpoints(s.verify_endpoint).items()))
    except ValueError as exc:
        raise _fail(str(exc)) from None
    try:
        scan = s.scan_config()
        key = resolve_hash_key(s.explicit_hash_key(), s.state_dir)
        started = time.monotonic()
        if s.engine == "spark":
            from guard.audit.spark import SparkAudit, run_spark_audit

            summary = run_spark_audit(
                SparkAudit(
                    inputs=tuple(inputs), out=s.out, scan=scan, read=s.read_options(), format=s.format,
                    hash_key=key, master=s.spark_master, table=s.table, text_column=s.text_column,
                    id_column=s.id_field,
                )
            )  # fmt: skip
            interrupted, seconds = False, time.monotonic() - started
        else:
            opts = AuditOptions(
                inputs=tuple(inputs), out=s.out, scan=scan, read=s.read_options(), format=s.format,
                workers=s.worker_count, hash_key=key, state=s.state, restart=s.restart,
                batch_texts=s.batch, checkpoint_every=s.checkpoint_every, verify=s.verify,
                verify_endpoints=endpoints,
            )  # fmt: skip
            run = _run_with_progress(opts, run_audit, s.quiet)
            summary, interrupted, seconds = run.summary, run.interrupted, run.seconds
        if interrupted:
            typer.echo(
                f"guard audit: interrupted; run the same command again to resume ({s.state_dir})", err=True
            )
            raise typer.Exit(EXIT_INTERRUPTED)
        write_reports(
            s.out,
            summary,
            tuple(s.report),
            seconds=seconds,
            engine=s.engine,
            model_version=_model_version(scan.model),
            tool_version=_version(),
        )
    except (GuardError, ValueError, OSError) as exc:
        raise _fail(f"{type(exc).__name__}: {exc}") from None
    problems = sum(summary.problems.values())
    if not s.quiet:
        typer.echo(
            f"{summary.units:,} records, {summary.chars / 1e6:,.1f} MB in {seconds:,.1f} s; "
            f"{summary.findings:,} findings {dict(summary.by_label.most_common())}; "
            f"{problems:,} input problems; reports in {s.out}"
        )
    if problems:  # on stderr even with --quiet: exit 1 (findings) must not hide a missing input
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(summary.problems.items()))
        typer.echo(
            f"guard audit: {problems:,} input problems ({kinds}); see {s.out / 'problems.jsonl'}", err=True
        )
    worst = max((_ACTION_RANK.get(a, 0) for a in summary.by_action), default=-1)
    if summary.findings and worst >= SEVERITY[s.fail_on]:
        raise typer.Exit(EXIT_FINDINGS)
    if s.fail_on_problems and problems:
        raise typer.Exit(EXIT_PROBLEMS)
    raise typer.Exit(EXIT_CLEAN)


#: ``guard audit`` as a typer command: a flag per `AuditSettings` field.
audit_command = settings_command(AuditSettings)(audit)


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
    app.command("audit")(audit_command)
