"""The local audit engine: stream records, scan them in worker processes, write outputs, checkpoint.

The main process reads sources in order and cuts the stream of units into batches (across files);
worker processes, each holding one `RecordScanner` (the guard loaded once, in the pool initializer),
scan the batches; results are consumed strictly in order, so outputs are deterministic and a
checkpoint after batch *k* means "everything up to the last unit of batch *k* is written". At most
``2 * workers + 1`` batches are in flight, which bounds memory whatever the input size.
"""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guard import keys
from guard.audit.outputs import Checkpoint, JsonlSink
from guard.audit.reader import ReadOptions, Unit, read_source
from guard.audit.scanner import Hit, RecordScanner, ScanConfig
from guard.audit.sources import Problem, Source, discover
from guard.audit.summary import Summary, unit_result
from guard.errors import ConfigError, GuardError

__all__ = ["AuditOptions", "AuditResult", "AuditRun", "resolve_hash_key", "run_audit"]

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class AuditOptions:
    """One audit.

    Attributes:
        inputs: files, directories, globs or ``-``.
        out: output directory (created).
        scan: what the scanners load and whether shortcuts are on.
        read: how inputs are cut into records.
        format: force one input format for every source.
        workers: scanner processes; 0 scans in the main process.
        hash_key: key of the value hashes (see `resolve_hash_key`).
        state: checkpoint directory; default ``<out>/.audit-state``.
        restart: ignore an existing checkpoint.
        batch_texts: texts per batch sent to a worker.
        checkpoint_every: seconds between checkpoints (0 = after every batch).
        verify: check SECRET findings live with their providers (`guard.verify`; off by default).
        verify_endpoints: ``(provider, url)`` pairs for providers' own installations.
    """

    inputs: tuple[str, ...]
    out: Path
    scan: ScanConfig = field(default_factory=ScanConfig)
    read: ReadOptions = field(default_factory=ReadOptions)
    format: str | None = None
    workers: int = 0
    hash_key: bytes = b""
    state: Path | None = None
    restart: bool = False
    batch_texts: int = 256
    checkpoint_every: float = 5.0
    verify: bool = False
    verify_endpoints: tuple[tuple[str, str], ...] = ()

    @property
    def state_dir(self) -> Path:
        return self.state if self.state is not None else self.out / ".audit-state"


@dataclass
class AuditResult:
    """What an audit returns: the summary, the output directory, and how the run ended."""

    summary: Summary
    out: Path
    resumed: bool
    interrupted: bool = False
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class _SourceEnd:
    path: str


def resolve_hash_key(explicit: bytes | None, state_dir: Path) -> bytes:
    """The value-hash key: ``explicit`` if given, else a random key kept in ``<state>/hash.key`` (0600).

    Keeping the generated key lets a resumed audit produce the same hashes; pass a key to make hashes
    comparable across audits.

    Raises:
        ConfigError: an explicit key shorter than 16 bytes, or a key file that cannot be kept.
    """
    if explicit:
        return keys.checked(explicit)
    return keys.load_or_create(state_dir / "hash.key")


def _fingerprint(opts: AuditOptions, sources: list[Source]) -> str:
    parts = [
        repr(opts.inputs),
        repr(opts.format),
        repr(opts.read),
        repr(opts.scan.shortcuts),
        repr(opts.scan.model),
        repr(opts.scan.policy),
        repr(opts.scan.domains),
        hashlib.sha256(opts.hash_key).hexdigest(),
        repr((opts.verify, opts.verify_endpoints)),
    ]
    for src in sources:
        try:
            st = os.stat(src.path)
            parts.append(f"{src.path}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{src.path}:missing")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


# --- worker side -------------------------------------------------------------------------------------
_SCANNER: RecordScanner | None = None
_LOAD_ERROR: str | None = None


def _worker_config(opts: AuditOptions) -> ScanConfig:
    """Each worker gets its share of the cores for onnxruntime (workers x threads <= cores).

    Two workers with two onnxruntime threads each on 2 cores oversubscribe them; measured on a 3 MB
    generated corpus with the shipped model, 2 workers: see bench/results/audit.md.
    """
    if opts.scan.threads is not None:
        return opts.scan
    threads = max(1, (os.cpu_count() or 1) // max(1, opts.workers))
    return dataclasses.replace(opts.scan, threads=threads)


def _init_worker(config: ScanConfig) -> None:
    global _SCANNER, _LOAD_ERROR
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's: it checkpoints
    try:
        _SCANNER = RecordScanner.load(config)
    except GuardError as exc:  # reported by the first task instead of respawning workers forever
        _LOAD_ERROR = f"{type(exc).__name__}: {exc}"


def _scan_task(texts: list[str]) -> tuple[list[list[Hit]], dict[str, int], int]:
    if _SCANNER is None:
        raise ConfigError(_LOAD_ERROR or "scanner not loaded")
    return _SCANNER.scan(texts), dict(_SCANNER.stats), os.getpid()


# --- main side ---------------------------------------------------------------------------------------
def _pool(opts: AuditOptions) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        opts.workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(_worker_config(opts),),
    )


def _items(
    sources: list[Source], opts: AuditOptions, positions: dict[str, dict[str, Any]]
) -> Iterator[Unit | Problem | _SourceEnd]:
    for src in sources:
        pos = positions.get(src.path, {})
        if pos.get("done"):
            continue
        yield from read_source(
            src, opts.read, skip=pos.get("units", 0), offset=pos.get("offset", -1), line=pos.get("line", 0)
        )
        yield _SourceEnd(src.path)


def _batches(
    items: Iterator[Unit | Problem | _SourceEnd], size: int
) -> Iterator[tuple[list[Unit | Problem | _SourceEnd], list[str]]]:
    batch: list[Unit | Problem | _SourceEnd] = []
    texts: list[str] = []
    chars = 0
    for item in items:
        batch.append(item)
        if isinstance(item, Unit):
            for _, text in item.texts:
                texts.append(text)
                chars += len(text)
        if len(texts) >= size or chars >= (4 << 20):
            yield batch, texts
            batch, texts, chars = [], [], 0
    if batch:
        yield batch, texts


def run_audit(
    opts: AuditOptions, progress: Progress | None = None, on_start: Callable[[int], None] | None = None
) -> AuditResult:
    """Run (or resume) an audit; write ``findings.jsonl`` and ``problems.jsonl`` under ``opts.out``.

    Args:
        opts: the audit.
        progress: called with ``(units, characters)`` after each batch.
        on_start: called once with the total input bytes (for a progress bar).

    Returns:
        The result; ``interrupted`` is True after Ctrl-C (the checkpoint then allows a resume).

    Raises:
        ConfigError: the checkpoint does not belong to these inputs and options, or the model or
            policy cannot be loaded.
    """
    return AuditRun(opts, progress).run(on_start)


Batch = list[Unit | Problem | _SourceEnd]


class AuditRun:
    """One local audit: sources read in order, batches scanned in worker processes (or in process),
    results written strictly in order, a checkpoint every ``checkpoint_every`` seconds.

    Each scanned unit goes through `guard.audit.summary.unit_result`, the step the Spark engine
    shares. Not reusable: one `run` per object.
    """

    def __init__(self, opts: AuditOptions, progress: Progress | None = None) -> None:
        self.opts = opts
        self.progress = progress
        self.started = time.monotonic()
        opts.out.mkdir(parents=True, exist_ok=True)
        self.sources, self.start_problems = discover(list(opts.inputs), opts.format)
        self.checkpoint = Checkpoint(opts.state_dir)
        self.fingerprint = _fingerprint(opts, self.sources)
        self.verify: Callable[[str, str, str], str] | None = None
        if opts.verify:
            from guard.verify import Verifier

            self.verify = Verifier(dict(opts.verify_endpoints)).verify
        state = None if opts.restart else self.checkpoint.load()
        if state is not None and state.get("fingerprint") != self.fingerprint:
            raise ConfigError(
                f"the checkpoint in {opts.state_dir} was made for other inputs or options "
                "(or an input file changed); pass --restart to start over"
            )
        self.resumed = state is not None
        self.summary = Summary.from_dict(state["summary"]) if state else Summary()
        self.positions: dict[str, dict[str, Any]] = state["positions"] if state else {}
        sizes = state["sizes"] if state else {"findings": None, "problems": None}
        self.findings = JsonlSink(opts.out / "findings.jsonl", sizes["findings"])
        self.problems = JsonlSink(opts.out / "problems.jsonl", sizes["problems"])
        self.worker_stats: dict[int, dict[str, int]] = {}
        self.at_boundary = True  # False while a batch is half written: a checkpoint then would duplicate rows
        self.pool: ProcessPoolExecutor | None = None
        self._last_save = time.monotonic()

    def run(self, on_start: Callable[[int], None] | None = None) -> AuditResult:
        """Scan every source to its end (or to Ctrl-C), then close the outputs; see `run_audit`."""
        if not self.resumed:
            for problem in self.start_problems:
                self._problem(problem)
        if on_start is not None:
            on_start(
                sum(os.path.getsize(s.path) for s in self.sources if s.path != "-" and os.path.isfile(s.path))
            )
        interrupted = False
        try:
            if self.opts.workers > 0:
                self._run_pool()
            else:
                self._run_inline()
        except KeyboardInterrupt:
            interrupted = True
        finally:
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)
        for stats in self.worker_stats.values():
            self.summary.scanner.update(stats)
        if interrupted:
            if self.at_boundary:
                self._save()
        else:
            self.findings.sync()
            self.problems.sync()
            self.checkpoint.clear()
        self.findings.close()
        self.problems.close()
        return AuditResult(
            self.summary, self.opts.out, self.resumed, interrupted, time.monotonic() - self.started
        )

    # --- writing, in order ---------------------------------------------------------------------------
    def _problem(self, problem: Problem) -> None:
        self.problems.write([problem.to_dict()])
        self.summary.add_problem(problem)

    def _consume(self, batch: Batch, hits: list[list[Hit]] | None) -> None:
        """Write a scanned batch (``hits`` None: not scanned, its problems say why)."""
        self.at_boundary = False
        k = 0
        units = chars = 0
        for item in batch:
            if isinstance(item, _SourceEnd):
                self.positions.setdefault(item.path, {})["done"] = True
                self.summary.files += 1
            elif isinstance(item, Problem):
                self._problem(item)
            else:
                unit_hits = None if hits is None else hits[k : k + len(item.texts)]
                k += len(item.texts)
                result = unit_result(item, unit_hits, self.opts.hash_key, self.verify)
                self.problems.write([p.to_dict() for p in result.problems])
                self.findings.write(result.rows)
                self.summary.add_result(result)
                units += 1
                chars += result.chars
                self.positions[item.source] = {
                    "units": item.ordinal + 1,
                    "offset": item.offset,
                    "line": item.last_line,
                }
        self.at_boundary = True
        if self.progress is not None:
            self.progress(units, chars)

    def _lost(self, batch: Batch) -> None:
        """A record whose worker died twice: a problem with file and line, and the audit goes on."""
        detail = "the scanning process died twice on this record (killed, or out of memory); not scanned"
        marked: Batch = [
            dataclasses.replace(u, problems=(*u.problems, Problem(u.source, u.line, "worker_died", detail)))
            if isinstance(u, Unit)
            else u
            for u in batch
        ]
        self._consume(marked, None)

    def _save(self) -> None:
        self.checkpoint.save(
            {
                "fingerprint": self.fingerprint,
                "positions": self.positions,
                "summary": self.summary.to_dict(),
                "sizes": {"findings": self.findings.sync(), "problems": self.problems.sync()},
            }
        )

    def _maybe_save(self) -> None:
        if time.monotonic() - self._last_save >= self.opts.checkpoint_every:
            self._save()
            self._last_save = time.monotonic()

    def _batches(self) -> Iterator[tuple[Batch, list[str]]]:
        return _batches(_items(self.sources, self.opts, self.positions), self.opts.batch_texts)

    # --- scanning --------------------------------------------------------------------------------------
    def _run_inline(self) -> None:
        scanner = RecordScanner.load(self.opts.scan)
        for batch, texts in self._batches():
            self._consume(batch, scanner.scan(texts))
            self.worker_stats[0] = dict(scanner.stats)
            self._maybe_save()

    def _run_pool(self) -> None:
        self.pool = _pool(self.opts)
        inflight: deque[tuple[Batch, Future[Any]]] = deque()
        for batch, texts in self._batches():
            inflight.append((batch, self.pool.submit(_scan_task, texts)))
            while len(inflight) > 2 * self.opts.workers:
                self._settle(*inflight.popleft(), inflight)
                self._maybe_save()
        while inflight:
            self._settle(*inflight.popleft(), inflight)

    def _settle(self, batch: Batch, fut: Future[Any], inflight: deque[tuple[Batch, Future[Any]]]) -> None:
        try:
            hits, stats, pid = fut.result()
        except BrokenProcessPool:
            # a worker died (SIGKILL, the OOM killer): every batch in flight is lost with the pool.
            # Each is run once more on its own; one that kills a worker again is halved until the
            # records that kill it are found and reported, and the rest is scanned.
            retry = [batch, *(b for b, _ in inflight)]
            inflight.clear()
            self._restart()
            for b in retry:
                self._isolate(b)
            return
        self.worker_stats[pid] = stats
        self._consume(batch, hits)

    def _isolate(self, batch: Batch) -> None:
        assert self.pool is not None
        texts = [t for u in batch if isinstance(u, Unit) for _, t in u.texts]
        try:
            hits, stats, pid = self.pool.submit(_scan_task, texts).result()
        except BrokenProcessPool:
            self._restart()
            units = [i for i, u in enumerate(batch) if isinstance(u, Unit)]
            if len(units) <= 1:
                self._lost(batch)
                return
            cut = units[len(units) // 2]
            self._isolate(batch[:cut])
            self._isolate(batch[cut:])
            return
        self.worker_stats[pid] = stats
        self._consume(batch, hits)

    def _restart(self) -> None:
        assert self.pool is not None
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = _pool(self.opts)
