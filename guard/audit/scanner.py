"""The audit's scanning core: `Guard.scan_many` plus the safe shortcuts, shared by both engines.

A `RecordScanner` returns, for each text, the findings a plain ``guard.scan_many`` would return
(`Hit` tuples in the text's coordinates). With ``shortcuts=True`` it avoids work that cannot change
the answer:

1. **Blank texts** are not scanned: no detector or model span can lie in whitespace only.
2. **Exact duplicates** reuse the earlier result (an LRU keyed by the text itself); the result is a
   pure function of the text.
3. **Log templates** (`guard.audit.templates`): the text's template is scanned once with the full
   guard. When no finding of the template touches a placeholder and the model has no *near miss* in
   it (a span of value shape scoring under its calibrated threshold, `guard.ScanResult.near_misses`),
   every text with that template gets the template's findings mapped back to its own offsets;
   otherwise the template is *hot* and each of its texts is scanned raw. Ids (UUIDs, trace ids) are
   masked only when the text contains no keyword of a pattern that can match an id (for example
   ``heroku`` for Heroku's UUID keys), and ``tests/guard/audit/test_templates.py`` checks the
   detector table against every masked kind.

Results are a pure function of each text, whatever the batch, worker, engine or cache state, which is
what makes resumed, parallel and Spark audits identical to a sequential one.

Blank texts and exact duplicates give exactly the plain scan's answer. Templates give it for the
deterministic detectors (the property test above) but only approximately for the model: the model reads
the template, whose masked values (``took 0ms`` for ``took 1826ms``) shift its context. The near-miss
rule exists because of one such shift: a planted ``roadmap review: project <codename> slips to Q3`` at
the end of an event log line scored 0.999 as CODENAME raw and 0.886 in its template (threshold 0.95),
and the template shortcut lost it (20 MB corpus with code names: recall 0.946 with shortcuts, 0.973
without). Raw-only model findings whose template shows nothing at all remain (on generated logs: user
agents' ``Intel Mac`` as PERSON, ``c.e.o.OrderController`` as INTERNAL_HOST, durations as SECRET, all
model false positives that the raw numbers provoke). ``--no-shortcuts`` scans every record raw for an
audit that must match a plain scan.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from guard.audit.templates import Template, mask

__all__ = ["Hit", "RecordScanner", "ScanConfig"]

# Sample ids used to find which detector patterns can match a masked id.
_ID_SAMPLES = (
    "123e4567-e89b-42d3-a456-42661417400f",  # the masker keeps UUIDs with all-digit edge groups raw
    "3f2a9c81d4e5b6a7",
    "3f2a9c81d4e5b6a73f2a9c81d4e5b6a7",
    "3f2a9c81d4e5b6a73f2a9c81d4e5b6a73f2a9c81",
    "3f2a9c81d4e5b6a73f2a9c81d4e5b6a73f2a9c81d4e5b6a73f2a9c81d4e5b6a7",
)


class Hit(NamedTuple):
    """One finding, in the coordinates of the scanned text (picklable; never the value itself)."""

    label: str
    start: int
    end: int
    score: float
    detector: str
    action: str
    kind: str
    provider: str = ""  # the credential's provider (pattern table), for ``--verify``

    def shifted(self, start: int, end: int) -> Hit:
        return self._replace(start=start, end=end)


@dataclass(frozen=True, slots=True)
class ScanConfig:
    """What a scanner loads (picklable, sent to worker processes and Spark executors).

    Attributes:
        model: model directory, None for the packaged default.
        policy: policy file, None for the default policy.
        domains: domain pack files.
        shortcuts: use the shortcuts of the module docstring; False scans every text raw.
        cache_size: entries of the exact-duplicate and template caches (each).
        batch_size: texts per ``scan_many`` call.
        threads: onnxruntime intra-op threads per scanner (None: onnxruntime's default).
        cascade: let the model's gate skip windows that hold nothing (`guard.model.cascade`).
    """

    model: str | None = None
    policy: str | None = None
    domains: tuple[str, ...] = ()
    shortcuts: bool = True
    cache_size: int = 50_000
    batch_size: int = 64
    threads: int | None = None
    cascade: bool = True


class _Lru(OrderedDict[str, Any]):
    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def get_touch(self, key: str) -> Any:
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def put(self, key: str, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        if len(self) > self.size:
            self.popitem(last=False)


_HOT = "hot"
#: Longest text kept in the caches: bounds their memory at ``cache_size * _CACHE_CHARS`` characters.
_CACHE_CHARS = 2048


class RecordScanner:
    """Scans texts with a loaded `guard.Guard`, with or without shortcuts (see module docstring)."""

    def __init__(self, guard: Any, config: ScanConfig) -> None:
        self.guard = guard
        self.config = config
        self._exact = _Lru(config.cache_size)
        self._templates = _Lru(config.cache_size)
        self._id_keywords = _id_keywords(guard)
        self.stats = {
            "texts": 0,
            "blank": 0,
            "exact_hits": 0,
            "template_hits": 0,
            "templates": 0,
            "hot_templates": 0,
            "raw_scans": 0,
        }

    @classmethod
    def load(cls, config: ScanConfig) -> RecordScanner:
        """Load the guard named by ``config`` (raises the guard's `ConfigError`/`ModelError`)."""
        from guard import Guard

        guard = Guard.load(
            model=None if config.model is None else Path(config.model),
            policy=None if config.policy is None else Path(config.policy),
            domains=[Path(d) for d in config.domains],
            intra_op_threads=config.threads,
            cascade=config.cascade,
        )
        return cls(guard, config)

    def scan(self, texts: Sequence[str]) -> list[list[Hit]]:
        """Return the findings of each text (``Hit`` offsets index into that text)."""
        self.stats["texts"] += len(texts)
        if not self.config.shortcuts:
            self.stats["raw_scans"] += len(texts)
            return self._scan_raw(list(texts))
        out: list[list[Hit] | None] = [None] * len(texts)
        raw: dict[str, list[int]] = {}
        pending: dict[str, list[tuple[int, Template]]] = {}
        for i, text in enumerate(texts):
            if not text.strip():
                self.stats["blank"] += 1
                out[i] = []
                continue
            if len(text) > _CACHE_CHARS:  # long texts (windows of huge lines, rare): never cached
                raw.setdefault(text, []).append(i)
                continue
            cached = self._exact.get_touch(text)
            if cached is not None:
                self.stats["exact_hits"] += 1
                out[i] = cached
                continue
            template = mask(text, ids=not self._mentions_id_keyword(text))
            if not template.slots:
                raw.setdefault(text, []).append(i)
                continue
            # The key holds the placeholder layout too: a literal "0" and a masked number read the same.
            key = f"{template.text}\x00{','.join(f'{a}:{b}' for a, b, _, _ in template.slots)}"
            state = self._templates.get_touch(key)
            if state is None:
                pending.setdefault(key, []).append((i, template))
            elif state is _HOT:
                raw.setdefault(text, []).append(i)
            else:
                self.stats["template_hits"] += 1
                out[i] = _apply(state, template)
        if pending:
            keys = list(pending)
            self.stats["templates"] += len(keys)
            uncertain: list[bool] = []
            scanned = self._scan_raw([pending[key][0][1].text for key in keys], uncertain)
            for key, hits, unsure in zip(keys, scanned, uncertain, strict=True):
                first = pending[key][0][1]
                if unsure or any(first.map_span(h.start, h.end) is None for h in hits):
                    self.stats["hot_templates"] += 1
                    self._templates.put(key, _HOT)
                    for i, _ in pending[key]:
                        raw.setdefault(texts[i], []).append(i)
                else:
                    self._templates.put(key, hits)
                    self.stats["template_hits"] += len(pending[key]) - 1
                    for i, template in pending[key]:
                        out[i] = _apply(hits, template)
        if raw:
            keys = list(raw)
            self.stats["raw_scans"] += len(keys)
            for key, hits in zip(keys, self._scan_raw(keys), strict=True):
                self.stats["exact_hits"] += len(raw[key]) - 1
                for i in raw[key]:
                    out[i] = hits
        for text, result in zip(texts, out, strict=True):
            if result is not None and text.strip() and len(text) <= _CACHE_CHARS:
                self._exact.put(text, result)
        return [result if result is not None else [] for result in out]

    def _mentions_id_keyword(self, text: str) -> bool:
        return self._id_keywords is None or bool(self._id_keywords.search(text))

    def _scan_raw(self, texts: list[str], near_misses: list[bool] | None = None) -> list[list[Hit]]:
        """Scan ``texts`` with the full guard; ``near_misses`` gets, per text, whether the model had a
        span of value shape just under its threshold there."""
        out: list[list[Hit]] = []
        size = self.config.batch_size
        for k in range(0, len(texts), size):
            for result in self.guard.scan_many(texts[k : k + size]):
                if near_misses is not None:
                    near_misses.append(bool(result.near_misses))
                out.append(
                    [
                        Hit(
                            f.label,
                            f.start,
                            f.end,
                            round(float(f.score), 4),
                            f.detector,
                            str(action),
                            str(f.metadata.get("kind", "")),
                            str(f.metadata.get("provider", "")),
                        )
                        for f, action in result.pairs()
                    ]
                )
        return out


def _apply(hits: list[Hit], template: Template) -> list[Hit]:
    out = []
    for hit in hits:
        span = template.map_span(hit.start, hit.end)
        if span is None:  # cannot happen for a cached template; kept as a guard against misuse
            raise RuntimeError("template finding touches a placeholder")
        out.append(hit.shifted(*span))
    return out


def _id_keywords(guard: Any) -> re.Pattern[str] | None:
    """Keywords of detector patterns that can match an id; None when ids must never be masked.

    A pattern without keywords that matches a sample id makes id masking unsafe for every text.
    """
    tables = [d.table for d in getattr(guard, "detectors", ()) if hasattr(d, "table")]
    if not tables:  # cannot inspect the detectors: never mask ids
        return None
    words: set[str] = set()
    for table in tables:
        for pattern in table.patterns:
            if any(pattern.regex.search(f" {sample} ") for sample in _ID_SAMPLES):
                if not pattern.keywords:
                    return None
                words.update(pattern.keywords)
    if not words:
        return re.compile(r"(?!x)x")  # matches nothing: no pattern can match an id
    return re.compile("|".join(re.escape(w) for w in sorted(words)), re.IGNORECASE)
