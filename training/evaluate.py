"""Entity-level and document-level evaluation of predicted character spans.

A predicted span counts as a true positive when label, start and end all equal a gold
span (exact match, the strict entity-level criterion). Scores are reported micro over
all entities, per label and per language. Document level: *block recall* is the share
of documents with a gold span of a blocking label whose prediction blocks, the
*false-block rate* the share of documents without such a span whose prediction blocks.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["BLOCKING_LABELS", "EvalReport", "PRF", "score_documents", "spans_of"]

#: Labels whose presence blocks a document under the default policy (taxonomy.md).
BLOCKING_LABELS = frozenset(
    {
        "SECRET",
        "CREDIT_CARD",
        "BANK_ACCOUNT",
        "NATIONAL_ID",
        "INTERNAL_HOST",
        "CODENAME",
        "CUSTOMER",
        "FINANCIAL",
    }
)

Span = tuple[int, int, str]


@dataclass
class PRF:
    """Counts and the derived precision, recall and F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "support": self.tp + self.fn,
            "predicted": self.tp + self.fp,
        }


@dataclass
class EvalReport:
    """Every figure of one evaluation run."""

    micro: PRF = field(default_factory=PRF)
    by_label: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    by_lang: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    docs: int = 0
    docs_blocking: int = 0
    docs_blocked_correctly: int = 0
    docs_clean: int = 0
    docs_clean_blocked: int = 0

    @property
    def block_recall(self) -> float:
        return self.docs_blocked_correctly / self.docs_blocking if self.docs_blocking else 0.0

    @property
    def false_block_rate(self) -> float:
        return self.docs_clean_blocked / self.docs_clean if self.docs_clean else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "micro": self.micro.as_dict(),
            "by_label": {k: v.as_dict() for k, v in sorted(self.by_label.items())},
            "by_lang": {k: v.as_dict() for k, v in sorted(self.by_lang.items())},
            "documents": self.docs,
            "block_recall": round(self.block_recall, 4),
            "false_block_rate": round(self.false_block_rate, 4),
            "docs_with_blocking_gold": self.docs_blocking,
            "docs_without_blocking_gold": self.docs_clean,
        }


def _spans(items: Iterable[Mapping[str, Any]], labels: frozenset[str] | None) -> Counter[Span]:
    out: Counter[Span] = Counter()
    for s in items:
        if labels is None or s["label"] in labels:
            out[(int(s["start"]), int(s["end"]), str(s["label"]))] += 1
    return out


def score_documents(
    gold_docs: Sequence[Mapping[str, Any]],
    predicted: Sequence[Sequence[Mapping[str, Any]]],
    *,
    labels: Iterable[str] | None = None,
    blocking: frozenset[str] = BLOCKING_LABELS,
) -> EvalReport:
    """Score predicted spans against gold documents.

    Args:
        gold_docs: records with ``spans`` (``start``, ``end``, ``label``) and optional ``lang``.
        predicted: per document, the predicted spans (same keys).
        labels: restrict scoring to these labels (e.g. the labels a peer set annotates).
        blocking: labels that make a document block.
    """
    if len(gold_docs) != len(predicted):
        raise ValueError(f"{len(gold_docs)} gold documents but {len(predicted)} predictions")
    keep = frozenset(labels) if labels is not None else None
    report = EvalReport()
    for doc, pred in zip(gold_docs, predicted, strict=True):
        gold = _spans(doc["spans"], keep)
        guess = _spans(pred, keep)
        lang = str(doc.get("lang", "unknown"))
        for span in gold | guess:
            tp = min(gold[span], guess[span])
            fp = guess[span] - tp
            fn = gold[span] - tp
            for bucket in (report.micro, report.by_label[span[2]], report.by_lang[lang]):
                bucket.tp += tp
                bucket.fp += fp
                bucket.fn += fn
        report.docs += 1
        gold_blocks = any(s[2] in blocking for s in gold)
        pred_blocks = any(s[2] in blocking for s in guess)
        if gold_blocks:
            report.docs_blocking += 1
            report.docs_blocked_correctly += pred_blocks
        else:
            report.docs_clean += 1
            report.docs_clean_blocked += pred_blocks
    return report


def spans_of(results: Sequence[Any]) -> list[list[dict[str, Any]]]:
    """The findings of product scans (`guard.ScanResult`) as the span dicts `score_documents` reads."""
    return [[{"start": f.start, "end": f.end, "label": f.label} for f in r.findings] for r in results]
