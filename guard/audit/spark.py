"""``guard audit --engine spark``: the same scan as a Spark job (pyspark is imported lazily, here only).

Files: the driver discovers the same sources as the local engine; each source becomes one partition,
read on an executor with the same `read_source` and scanned with the same `RecordScanner`, so records,
line numbers, problems and findings are identical to the local engine. Compressed files are not
splittable, and one partition per file keeps stack-trace grouping and line numbers exact.

Tables (``--table parquet|delta``): every row's ``--text-column`` is a record; ``line`` is the 1-based
row index and ``record_id`` comes from ``--id-field``.

The guard is loaded once per executor Python worker (a module-level scanner built from the broadcast
`ScanConfig`). Findings are written as ``findings.parquet`` (schema `ROW_FIELDS`) and ``findings.jsonl``
in the local engine's order, plus ``problems.jsonl``; the driver folds rows into the same `Summary`.

The ``spark-submit`` entry point is its own module, `guard.audit.spark_submit`.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guard.audit.reader import ReadOptions, Unit, read_source
from guard.audit.scanner import RecordScanner, ScanConfig
from guard.audit.sources import Problem, Source, discover
from guard.audit.summary import ROW_FIELDS, Summary, UnitResult, unit_result
from guard.errors import ConfigError

__all__ = ["SparkAudit", "run_spark_audit"]

_SCANNER: dict[ScanConfig, RecordScanner] = {}


@dataclass(frozen=True, slots=True)
class SparkAudit:
    """One Spark audit (see the module docstring)."""

    inputs: tuple[str, ...]
    out: Path
    scan: ScanConfig = field(default_factory=ScanConfig)
    read: ReadOptions = field(default_factory=ReadOptions)
    format: str | None = None
    hash_key: bytes = b""
    master: str = "local[2]"
    table: str | None = None
    text_column: str | None = None
    id_column: str | None = None


def _scanner(config: ScanConfig) -> RecordScanner:
    if config not in _SCANNER:  # once per executor Python worker
        _SCANNER[config] = RecordScanner.load(config)
    return _SCANNER[config]


def _scan_source(
    job: tuple[int, Source], config: ScanConfig, read: ReadOptions, key: bytes, batch: int = 256
) -> Iterator[tuple[int, int, int, str, str]]:
    """Yield ``(source_index, unit_ordinal, seq, kind, json)`` for one source (kind: row or problem)."""
    index, src = job
    scanner = _scanner(config)
    pending: list[Unit] = []
    seq = 0

    def flush() -> Iterator[tuple[int, int, int, str, str]]:
        nonlocal seq
        hits = scanner.scan([t for u in pending for _, t in u.texts])
        k = 0
        for unit in pending:
            result = unit_result(unit, hits[k : k + len(unit.texts)], key)
            k += len(unit.texts)
            for kind, payload in _events(result):
                seq += 1
                yield index, unit.ordinal, seq, kind, payload
        pending.clear()

    for item in read_source(src, read):
        if isinstance(item, Problem):
            yield from flush()
            seq += 1
            yield index, 1 << 40, seq, "problem", json.dumps(item.to_dict())
            continue
        pending.append(item)
        if sum(len(u.texts) for u in pending) >= batch:
            yield from flush()
    yield from flush()


def _events(result: UnitResult) -> Iterator[tuple[str, str]]:
    """A unit's result as the executor ships it to the driver: problems, rows, then its size."""
    for problem in result.problems:
        yield "problem", json.dumps(problem.to_dict())
    for row in result.rows:
        yield "row", json.dumps(row, ensure_ascii=False)
    yield "unit", json.dumps({"texts": result.texts, "chars": result.chars})


def run_spark_audit(job: SparkAudit) -> Summary:
    """Run the audit on Spark; write outputs under ``job.out`` and return the summary.

    Raises:
        ConfigError: pyspark or Java is missing, or a table option is missing.
    """
    try:
        from pyspark.sql import SparkSession
        from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType
    except ImportError as exc:
        raise ConfigError("the spark engine needs pyspark: pip install 'guard[spark]'") from exc
    job.out.mkdir(parents=True, exist_ok=True)
    # Executors must run this interpreter (the one with guard and its dependencies installed).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master(job.master)
        .appName("guard-audit")
        .config("spark.ui.enabled", "false")
        .config("spark.pyspark.python", sys.executable)
        .config("spark.pyspark.driver.python", sys.executable)
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    try:
        sc = spark.sparkContext
        config, read, key = sc.broadcast(job.scan), sc.broadcast(job.read), sc.broadcast(job.hash_key)
        summary = Summary()
        if job.table is None:
            sources, start_problems = discover(list(job.inputs), job.format)
            jobs = list(enumerate(sources))
            rdd = sc.parallelize(jobs, max(1, len(jobs))).flatMap(
                lambda j: _scan_source(j, config.value, read.value, key.value)
            )
        else:
            start_problems = []
            rdd = _table_rdd(spark, job, config, key)
            sources = []
        out_rows = rdd.sortBy(lambda r: (r[0], r[1], r[2])).map(lambda r: (r[3], r[4])).cache()
        types = {
            "line": LongType(),
            "column": LongType(),
            "record_line": LongType(),
            "start": LongType(),
            "end": LongType(),
            "score": DoubleType(),
        }
        schema = StructType([StructField(n, types.get(n, StringType()), True) for n in ROW_FIELDS])
        rows_df = spark.createDataFrame(
            out_rows.filter(lambda r: r[0] == "row").map(
                lambda r: tuple(json.loads(r[1])[n] for n in ROW_FIELDS)
            ),
            schema,
        )
        rows_df.write.mode("overwrite").parquet(str(job.out / "findings.parquet"))
        with (
            open(job.out / "findings.jsonl", "w", encoding="utf-8") as rows_fh,
            open(job.out / "problems.jsonl", "w", encoding="utf-8") as problems_fh,
        ):
            for problem in start_problems:
                problems_fh.write(
                    json.dumps(problem.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n"
                )
                summary.add_problem(problem)
            for kind, payload in out_rows.toLocalIterator():
                data = json.loads(payload)
                if kind == "row":
                    rows_fh.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
                    summary.add_rows([data])
                elif kind == "problem":
                    problems_fh.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
                    summary.add_problem(Problem(data["file"], data["line"], data["kind"], data["detail"]))
                else:
                    summary.add_unit(data["texts"], data["chars"])
        summary.files = len(sources)
        out_rows.unpersist()
        return summary
    finally:
        spark.stop()


def _table_rdd(spark: Any, job: SparkAudit, config: Any, key: Any) -> Any:
    if job.table not in ("parquet", "delta") or not job.text_column:
        raise ConfigError("--table must be parquet or delta, with --text-column")
    cols = [job.text_column] + ([job.id_column] if job.id_column else [])
    frames = [spark.read.format(job.table).load(path).select(*cols) for path in job.inputs]

    def scan_rows(
        path: str, index: int, rows: Iterator[tuple[Any, int]]
    ) -> Iterator[tuple[int, int, int, str, str]]:
        scanner = _scanner(config.value)
        for row, n in rows:
            text = "" if row[0] is None else str(row[0])
            unit = Unit(
                path,
                int(n),
                int(n) + 1,
                ((job.text_column or "", text),),
                None if len(row) < 2 or row[1] is None else str(row[1]),
                last_line=int(n) + 1,
            )
            result = unit_result(unit, scanner.scan([text]), key.value)
            for seq, (kind, payload) in enumerate(_events(result)):
                yield index, int(n), seq, kind, payload

    rdds = [
        frame.rdd.zipWithIndex().mapPartitions(lambda it, p=path, i=i: scan_rows(p, i, it))
        for i, (path, frame) in enumerate(zip(job.inputs, frames, strict=True))
    ]
    return rdds[0] if len(rdds) == 1 else spark.sparkContext.union(rdds)
