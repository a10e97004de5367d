"""The ``guard`` command line (typer + rich).

Commands here: ``guard scan [TEXT | -]`` and ``guard redact [TEXT | -]`` (TEXT omitted or ``-`` →
read stdin as UTF-8). Plugin commands (``train``, ``eval``, ``serve``, ``proxy``, ``icap``, ``audit``)
come from the entry points of group :data:`PLUGIN_GROUP` (``pyproject.toml``), each a
``register(app)`` function: the composition root names its adapters there, and the core never
imports them.

Exit codes (for scripts):

* ``0`` — nothing blocks (the text passes, or only has findings to redact, alert or allow);
* ``1`` — at least one finding blocks;
* ``2`` — usage, configuration or input error (bad option, missing/corrupt model, invalid policy or
  domain pack, empty stdin is fine but binary or invalid UTF-8 input is not). The error is one line
  on stderr, never a traceback, never the guarded text.

``--json`` prints ``ScanResult.to_dict()`` (``verdict`` and ``findings`` with ``label``, ``start``,
``end``, ``score``, ``detector``, ``action``, ``metadata``); ``guard redact --json`` adds ``text``.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from guard.errors import GuardError, InputError

__all__ = [
    "EXIT_BLOCK",
    "EXIT_ERROR",
    "EXIT_OK",
    "PLUGIN_GROUP",
    "app",
    "main",
    "plugins",
    "register_plugins",
]

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_BLOCK = 1
EXIT_ERROR = 2

#: Entry-point group of the command plugins: ``name = "module:register"`` in pyproject.toml's
#: ``[project.entry-points."guard.commands"]``; a plugin whose optional dependency is missing is skipped.
PLUGIN_GROUP = "guard.commands"
_OUR_PACKAGES = frozenset({"guard", "training", "serving", "tests"})

app = typer.Typer(
    name="guard",
    help="Find and stop leaks of secrets, personal data and company-confidential text.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish, PowerShell
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            v = version("guard")
        except PackageNotFoundError:  # running from a source tree without an install
            from guard import __version__ as v
        from guard.errors import ModelError
        from guard.model import default_model_path, load_manifest

        try:
            manifest = load_manifest(default_model_path())
            model = f"{manifest.name}@{manifest.version}"
        except ModelError:
            model = "none packaged"
        typer.echo(f"guard {v} (default model: {model})")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="print guard's version and exit"),
    ] = False,
) -> None:
    """Find and stop leaks of secrets, personal data and company-confidential text."""


TextArg = Annotated[
    str | None, typer.Argument(help="text to scan; omit or '-' to read stdin", show_default=False)
]
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable JSON on stdout")]
ModelOpt = Annotated[
    Path | None, typer.Option("--model", help="model directory (default: the packaged model)")
]
NoModelOpt = Annotated[bool, typer.Option("--no-model", help="deterministic detectors only, no transformer")]
CascadeOpt = Annotated[
    bool,
    typer.Option(
        "--cascade/--no-cascade", help="let the model's gate skip windows that hold nothing (default on)"
    ),
]
PolicyOpt = Annotated[
    Path | None, typer.Option("--policy", help="policy YAML (default: the packaged policy)")
]
DomainOpt = Annotated[list[Path] | None, typer.Option("--domain", help="domain pack YAML (repeatable)")]
DestOpt = Annotated[
    str | None, typer.Option("--destination", help="destination host or URL (per-destination rules)")
]
ProviderOpt = Annotated[str, typer.Option("--provider", help="onnxruntime provider: auto | cpu | cuda")]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_ERROR)


@contextmanager
def _clean_errors() -> Iterator[None]:
    """Turn every error into one line on stderr and exit code 2 (messages never carry input text)."""
    try:
        yield
    except (typer.Exit, typer.Abort):
        raise
    except GuardError as exc:
        raise _fail(str(exc)) from None
    except KeyboardInterrupt:
        raise _fail("interrupted") from None
    except Exception as exc:  # a bug: name its type only, an exception message may quote input
        log.debug("internal error", exc_info=True)
        raise _fail(f"internal error ({type(exc).__name__}); please report it") from None


def _read_input(text: str | None) -> str:
    if text is not None and text != "-":
        if len(text) == 0:
            return ""
        from guard.api import check_text

        return check_text(text)
    stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
    raw = stream.read() if stream is not None else sys.stdin.read().encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"stdin is not valid UTF-8 (invalid byte at offset {exc.start})") from None


def _load_guard(
    model: Path | None,
    no_model: bool,
    policy: Path | None,
    domain: list[Path] | None,
    provider: str,
    cascade: bool = True,
) -> Any:
    from guard.api import Guard

    if provider not in ("auto", "cpu", "cuda"):
        raise _fail(f"--provider must be auto, cpu or cuda, not {provider!r}")
    if no_model and model is not None:
        raise _fail("--model and --no-model exclude each other")
    return Guard.load(
        model=False if no_model else model,
        policy=policy,
        domains=domain or (),
        provider=provider,
        cascade=cascade,
    )


def _print_human(text: str, result: Any, console: Console) -> None:
    from guard.redact import mask_preview

    if result.findings:
        table = Table(show_edge=False, header_style="bold")
        for column in ("label", "start", "end", "preview", "score", "detector", "action"):
            table.add_column(column, justify="right" if column in ("start", "end", "score") else "left")
        for f, action in result.pairs():
            style = {"block": "red", "redact": "yellow", "alert": "magenta"}.get(action, "")
            table.add_row(
                f.label, str(f.start), str(f.end), mask_preview(text[f.start : f.end]), f"{f.score:.2f}",
                ",".join(f.metadata.get("detectors", (f.detector,))), action, style=style,
            )  # fmt: skip
        console.print(table)
    colour = {"block": "red", "redact": "yellow", "pass": "green"}[result.verdict]
    console.print(
        f"verdict: [bold {colour}]{result.verdict}[/] ({len(result.findings)} findings)", highlight=False
    )


def _exit_code(verdict: str) -> int:
    return EXIT_BLOCK if verdict == "block" else EXIT_OK


ScanArgs = Annotated[
    list[str] | None,
    typer.Argument(
        help="files or directories to scan (in a git work tree: what git tracks, .gitignore respected); "
        "or one text that is no existing path; omit or '-' to read stdin",
        show_default=False,
    ),
]


VerifyOpt = Annotated[
    bool,
    typer.Option(
        "--verify",
        help="ask each credential's provider (GitHub, GitLab, Slack, Stripe, OpenAI...) whether it is live; "
        "this sends the credential to that provider",
    ),
]
VerifyEndpointOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--verify-endpoint",
        help="PROVIDER=URL: a provider API of your own (GitHub Enterprise, self-managed GitLab)",
    ),
]


@app.command()
def scan(
    args: ScanArgs = None,
    json_out: JsonOpt = False,
    model: ModelOpt = None,
    no_model: NoModelOpt = False,
    cascade: CascadeOpt = True,
    policy: PolicyOpt = None,
    domain: DomainOpt = None,
    destination: DestOpt = None,
    provider: ProviderOpt = "auto",
    git_staged: Annotated[
        bool, typer.Option("--git-staged", help="scan the lines the next commit adds (pre-commit)")
    ] = False,
    git_range: Annotated[
        str | None, typer.Option("--git-range", help="scan the lines a commit range adds, e.g. main..HEAD")
    ] = None,
    sarif: Annotated[
        Path | None, typer.Option("--sarif", help="also write the findings as SARIF 2.1.0")
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="findings listed in this file are known: only new ones count"),
    ] = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option("--write-baseline", help="write the current findings as a baseline and exit 0"),
    ] = None,
    verify: VerifyOpt = False,
    verify_endpoint: VerifyEndpointOpt = None,
) -> None:
    """Scan text, files, directories or git changes. Exit 1 when something (new) blocks.

    Lines holding ``guard:allow`` report nothing; ``--baseline`` ignores known findings.
    ``--verify`` asks each credential's provider whether it is live (sends it there; off by default).
    """
    verifier = _verifier(verify, verify_endpoint)
    paths = [a for a in args or [] if a != "-"]
    tree_mode = git_staged or git_range is not None or (bool(paths) and all(Path(p).exists() for p in paths))
    if not tree_mode:
        if len(args or []) > 1:
            missing = next(p for p in paths if not Path(p).exists())
            raise _fail(f"{missing}: no such file or directory")
        if sarif or baseline or write_baseline or verifier:
            raise _fail(
                "--sarif, --verify and the baseline options apply to files and git changes, not to one text"
            )
        with _clean_errors():
            guard = _load_guard(model, no_model, policy, domain, provider, cascade)
            body = _read_input(args[0] if args else None)
            result = guard.scan(body, destination=destination)
        if json_out:
            sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        else:
            _print_human(body, result, Console(soft_wrap=True))
        raise typer.Exit(_exit_code(result.verdict))
    if git_staged and git_range is not None:
        raise _fail("--git-staged and --git-range exclude each other")
    _scan_tree(paths, git_staged, git_range, json_out, sarif, baseline, write_baseline,
               lambda: _load_guard(model, no_model, policy, domain, provider, cascade), verifier)  # fmt: skip


def _verifier(verify: bool, endpoints: list[str] | None) -> Any:
    """A `guard.verify.Verifier` for ``--verify``, None without it."""
    if endpoints and not verify:
        raise _fail("--verify-endpoint needs --verify")
    if not verify:
        return None
    from guard.verify import Verifier, parse_endpoints

    try:
        return Verifier(parse_endpoints(endpoints))
    except ValueError as exc:
        raise _fail(str(exc)) from None


def _scan_tree(
    paths: list[str], git_staged: bool, git_range: str | None, json_out: bool, sarif: Path | None,
    baseline: Path | None, write_baseline: Path | None, load: Callable[[], Any], verifier: Any = None,
) -> None:  # fmt: skip
    from guard import devscan, keys

    with _clean_errors():
        skipped: list[str] = []
        if git_staged:
            lines = devscan.added_lines(["--cached"], Path.cwd())
        elif git_range is not None:
            if ".." not in git_range or git_range.startswith("-"):
                raise _fail("--git-range takes A..B (two commits)")
            lines = devscan.added_lines([git_range], Path.cwd())
        else:
            lines, skipped = devscan.file_lines([Path(p) for p in paths])
        known = devscan.load_baseline(baseline) if baseline is not None else set()
        key = keys.load_or_create(keys.state_dir() / "scan-hash.key")
        found = devscan.scan_lines(load(), lines, key, verifier)
    if write_baseline is not None:
        n = devscan.write_baseline(write_baseline, found)
        typer.echo(f"baseline: {n} findings written to {write_baseline}", err=True)
        raise typer.Exit(EXIT_OK)
    new = [f for f in found if f.fingerprint not in known]
    if sarif is not None:
        from guard import __version__
        from guard.audit.outputs import write_sarif_rows

        rows = ({**f.to_dict(), "start": 0, "end": f.end_column - f.column} for f in new)
        write_sarif_rows(rows, sarif, __version__, tool="guard")
    if json_out:
        for f in new:
            sys.stdout.write(json.dumps(f.to_dict(), ensure_ascii=False) + "\n")
    else:
        console = Console(soft_wrap=True)
        for f in new:
            style = {"block": "red", "redact": "yellow", "alert": "magenta"}.get(f.action, "")
            where = f"{escape(f.path)}:{f.line}:{f.column}"
            live = {"verified": " [bold red]verified live[/]", "invalid": " [dim]rejected by its provider[/]"}
            note = live.get(f.verification or "", "")
            console.print(
                f"{where}: [{style}]{f.label}[/] {f.action} {escape(f.preview)}{note}", highlight=False
            )
        for reason in skipped:
            console.print(f"skipped {reason}", highlight=False, style="dim")
        old = len(found) - len(new)
        console.print(
            f"{len(lines)} lines: {len(new)} findings" + (f" ({old} in the baseline)" if old else "")
        )
    raise typer.Exit(EXIT_BLOCK if any(f.action == "block" for f in new) else EXIT_OK)


@app.command()
def redact(
    text: TextArg = None,
    json_out: JsonOpt = False,
    operator: Annotated[
        str | None,
        typer.Option("--operator", help="mask | placeholder | hash | pseudonym (default: the policy's)"),
    ] = None,
    model: ModelOpt = None,
    no_model: NoModelOpt = False,
    cascade: CascadeOpt = True,
    policy: PolicyOpt = None,
    domain: DomainOpt = None,
    destination: DestOpt = None,
    provider: ProviderOpt = "auto",
) -> None:
    """Print TEXT (or stdin) with every finding to redact or block replaced. Exit 1 when something blocks."""
    from guard.redact import OPERATORS

    if operator is not None and operator not in OPERATORS:
        raise _fail(f"--operator must be one of {', '.join(sorted(OPERATORS))}, not {operator!r}")
    with _clean_errors():
        guard = _load_guard(model, no_model, policy, domain, provider, cascade)
        body = _read_input(text)
        red = guard.redact(body, destination=destination, operator=operator)
    if json_out:
        sys.stdout.write(json.dumps({"text": red.text, **red.result.to_dict()}, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(red.text + ("" if red.text.endswith("\n") or not red.text else "\n"))
        verdict = red.result.verdict
        typer.echo(f"verdict: {verdict} ({len(red.result.findings)} findings)", err=True)
    raise typer.Exit(_exit_code(red.result.verdict))


def _plugin_missing(name: str, exc: ModuleNotFoundError) -> bool:
    """Whether ``exc`` means the plugin or one of its third-party dependencies is not installed."""
    missing = exc.name or ""
    if missing == name or name.startswith(missing + "."):
        return True  # the plugin package itself is absent (e.g. a core-only install)
    return missing.split(".")[0] not in _OUR_PACKAGES


def plugins() -> list[EntryPoint]:
    """The installed command plugins, one per name, in name order."""
    found = {ep.name: ep for ep in entry_points(group=PLUGIN_GROUP)}
    return [found[name] for name in sorted(found)]


def register_plugins(target: typer.Typer, entries: Sequence[EntryPoint] | None = None) -> list[str]:
    """Call each plugin's ``register(target)``; return the names of the plugins registered.

    Args:
        target: the app to add commands to.
        entries: the plugins (None: the installed ones, `plugins`).

    A plugin whose optional third-party dependency is missing is skipped; a missing module of our own
    packages inside a plugin is a bug and is raised.
    """
    done: list[str] = []
    for entry in plugins() if entries is None else entries:
        try:
            register: Callable[[typer.Typer], None] = entry.load()
        except ModuleNotFoundError as exc:
            if _plugin_missing(entry.module, exc):
                continue
            raise
        register(target)
        done.append(entry.name)
    return done


_registered = False


def main() -> None:
    """Console-script entry point: register plugins once, run the app."""
    global _registered
    if not _registered:
        register_plugins(app)
        _registered = True
    app(prog_name="guard")
