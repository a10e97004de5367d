"""``guard audit``: streaming batch audit of logs for leaks, locally (worker processes) or on Spark.

Modules: `sources` (inputs, decompression), `reader` (records, problems), `templates` (log-template
masking), `scanner` (guard + shortcuts), `engine` (local pipeline, checkpoints), `summary` (finding rows,
aggregates), `outputs` (JSONL/CSV/SARIF, checkpoint file), `report` (HTML), `cli` (``guard audit``),
`spark` (``--engine spark``; pyspark is imported there only).
"""

from __future__ import annotations

__all__: list[str] = []
