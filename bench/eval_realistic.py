"""Evaluate guard on the realistic dev set (200 hand-written outbound texts, 6 languages).

Data: ``../shared/data/realistic-dev/cases.jsonl`` (evaluation only: never tune or train on it,
never copy it). Two configurations of the full Guard pipeline (model + deterministic detectors,
default policy) are measured on the same texts:

* ``full+kestrel``: with the Kestrel domain pack ``tests/data/domains/kestrel.yaml`` (headline);
* ``full``: without a domain pack.

Figures:

* entities: exact span match (label, start, end) by :func:`training.evaluate.score_documents`,
  micro, per label and per language, over all 12 labels; and the relaxed overlap match of the
  Presidio comparison (same label, at least one shared character, one-to-one:
  :func:`bench.span_match.snap_overlaps`), micro and per label;
* documents, from the pipeline's *verdict*: block recall (texts with a gold span of a blocking
  label, ``training.evaluate.BLOCKING_LABELS``, whose verdict is ``block``), false-block rate
  (the other texts whose verdict is ``block``), and flag recall / false-flag rate (verdict not
  ``pass``) on the set's ``sensitive`` / benign texts;
* annotation conventions the set's README calls single-annotator choices, reported apart:
  first names in greetings and business addresses in signatures. They are found by heuristics
  (:func:`convention_spans`): a PERSON span after a greeting word on its line (``Hi``, ``Dear``,
  ``Hallo``, ``Bonjour``...) or at a line start followed by a Japanese honorific and a comma or
  line end; an ADDRESS span with a company legal form (GmbH, Inc, SAS, 株式会社...) in the three
  lines before it. Reported: how many of them guard finds, and micro F1 with them as don't-care.

Usage::

    python bench/eval_realistic.py                  # packaged model
    python bench/eval_realistic.py --model DIR
    python bench/eval_realistic.py --tiny           # the tiny random test model (proves the script)
    python bench/eval_realistic.py --no-model       # guard's deterministic detectors alone

Writes ``bench/results/realistic_dev.json`` and ``.md`` (figures only, never text).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.machine import shown_command, shown_path  # noqa: E402
from bench.peer_report import realistic_markdown  # noqa: E402
from bench.span_match import SpanDict, drop_overlapping, findings_to_spans, snap_overlaps  # noqa: E402
from guard.errors import GuardError  # noqa: E402
from guard.findings import LABELS  # noqa: E402
from training.evaluate import BLOCKING_LABELS, EvalReport, score_documents  # noqa: E402

__all__ = [
    "CASES",
    "DOMAIN_PACK",
    "convention_scores",
    "convention_spans",
    "document_scores",
    "load_cases",
    "main",
]

#: The team's shared data folder sits beside the repository (``../shared``).
CASES = Path(__file__).resolve().parents[2] / "shared" / "data" / "realistic-dev" / "cases.jsonl"
DOMAIN_PACK = Path(__file__).resolve().parents[1] / "deploy" / "domains" / "example-kestrel.yaml"

_GREETING = re.compile(
    r"(?i)^[>\s]*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|hallo|moin|servus|liebe[rs]?|"
    r"sehr geehrte[rs]?(?: (?:herr|frau))?|bonjour|bonsoir|salut|coucou|cher|chère|madame|monsieur)"
    r"[\s,]+$"
)
_HONORIFIC_AFTER = re.compile(r"^\s*(?:様|さん|先生|殿|君|ちゃん)\s*(?:[、,，]|$|\n)")
_LEGAL_FORM = re.compile(
    r"(?i)\b(?:gmbh|ag|se|kg|inc\.?|ltd\.?|llc|corp\.?|plc|s\.?a\.?s\.?|sarl|s\.a\.|co\., ltd\.?)(?=\W|$)"
    r"|株式会社|有限会社|有限公司|股份公司"
)


def load_cases(path: Path) -> list[dict[str, Any]]:
    """Read and validate ``cases.jsonl``.

    Raises:
        ValueError: unreadable file or a bad record; the message names ``file:line``, never text.
    """
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ValueError(f"{path}: cannot read ({type(exc).__name__})") from None
    docs: list[dict[str, Any]] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from None
        if (
            not isinstance(rec, dict)
            or not isinstance(rec.get("text"), str)
            or not isinstance(rec.get("spans"), list)
        ):
            raise ValueError(f"{path}:{n}: a record needs a string 'text' and a 'spans' list")
        spans: list[SpanDict] = []
        for j, s in enumerate(rec["spans"]):
            try:
                start, end, label = int(s["start"]), int(s["end"]), str(s["label"])
            except (KeyError, TypeError, ValueError):
                raise ValueError(f"{path}:{n}: span {j} lacks start/end/label") from None
            if label not in LABELS:
                raise ValueError(f"{path}:{n}: span {j} has unknown label {label!r}")
            if not 0 <= start < end <= len(rec["text"]):
                raise ValueError(f"{path}:{n}: span {j} range [{start}, {end}) outside the text")
            spans.append({"start": start, "end": end, "label": label})
        docs.append(
            {
                "id": str(rec.get("id", n)),
                "lang": str(rec.get("lang", "unknown")),
                "text": rec["text"],
                "spans": spans,
                "sensitive": bool(rec.get("sensitive", bool(spans))),
            }
        )
    if not docs:
        raise ValueError(f"{path}: no records")
    return docs


def convention_spans(text: str, spans: Sequence[Mapping[str, Any]]) -> dict[str, list[SpanDict]]:
    """Return the gold spans that follow the set's single-annotator conventions.

    Returns:
        ``{"greeting_names": [...], "business_addresses": [...]}`` (see the module docstring).
    """
    greetings: list[SpanDict] = []
    business: list[SpanDict] = []
    for s in spans:
        start, end = int(s["start"]), int(s["end"])
        line_start = text.rfind("\n", 0, start) + 1
        prefix = text[line_start:start]
        span = {"start": start, "end": end, "label": str(s["label"])}
        if s["label"] == "PERSON" and (
            _GREETING.match(prefix)
            or (not prefix.strip(" >") and _HONORIFIC_AFTER.match(text[end : end + 4]))
        ):
            greetings.append(span)
        elif s["label"] == "ADDRESS":
            before = "\n".join(text[:start].split("\n")[-4:])
            if _LEGAL_FORM.search(before):
                business.append(span)
    return {"greeting_names": greetings, "business_addresses": business}


def document_scores(docs: Sequence[Mapping[str, Any]], verdicts: Sequence[str]) -> dict[str, Any]:
    """Document-level figures from verdicts (see the module docstring)."""
    if len(docs) != len(verdicts):
        raise ValueError(f"{len(docs)} documents but {len(verdicts)} verdicts")
    blocking = [any(s["label"] in BLOCKING_LABELS for s in d["spans"]) for d in docs]
    n_block = sum(blocking)
    hit = sum(b and v == "block" for b, v in zip(blocking, verdicts, strict=True))
    clean_blocked = sum((not b) and v == "block" for b, v in zip(blocking, verdicts, strict=True))
    sens = [bool(d["sensitive"]) for d in docs]
    flagged = sum(s and v != "pass" for s, v in zip(sens, verdicts, strict=True))
    false_flag = sum((not s) and v != "pass" for s, v in zip(sens, verdicts, strict=True))
    n_clean, n_sens = len(docs) - n_block, sum(sens)
    return {
        "block_recall": round(hit / n_block, 4) if n_block else 0.0,
        "false_block_rate": round(clean_blocked / n_clean, 4) if n_clean else 0.0,
        "blocked_correctly": hit,
        "clean_blocked": clean_blocked,
        "docs_with_blocking_gold": n_block,
        "docs_without_blocking_gold": n_clean,
        "flag_recall": round(flagged / n_sens, 4) if n_sens else 0.0,
        "false_flag_rate": round(false_flag / (len(docs) - n_sens), 4) if len(docs) - n_sens else 0.0,
        "verdicts": {v: verdicts.count(v) for v in ("pass", "redact", "block")},
    }


def convention_scores(
    docs: Sequence[Mapping[str, Any]], predicted: Sequence[Sequence[SpanDict]]
) -> dict[str, Any]:
    """How many convention spans (:func:`convention_spans`) are found exactly, and micro F1 without them.

    Without them means: the convention spans leave the gold, and predictions overlapping them are
    dropped (don't-care), then :func:`training.evaluate.score_documents` scores the rest.
    """
    if len(docs) != len(predicted):
        raise ValueError(f"{len(docs)} documents but {len(predicted)} predictions")
    conv = [convention_spans(d["text"], d["spans"]) for d in docs]
    out: dict[str, Any] = {}
    for kind in ("greeting_names", "business_addresses"):
        gold = found = 0
        for c, pred in zip(conv, predicted, strict=True):
            keys = {(p["start"], p["end"], p["label"]) for p in pred}
            gold += len(c[kind])
            found += sum((s["start"], s["end"], s["label"]) in keys for s in c[kind])
        out[kind] = {"gold": gold, "found": found}
    reduced: list[dict[str, Any]] = []
    kept: list[list[SpanDict]] = []
    for d, c, pred in zip(docs, conv, predicted, strict=True):
        zone = c["greeting_names"] + c["business_addresses"]
        keys = {(z["start"], z["end"], z["label"]) for z in zone}
        reduced.append(
            dict(d, spans=[s for s in d["spans"] if (s["start"], s["end"], s["label"]) not in keys])
        )
        kept.append(drop_overlapping(pred, zone))
    out["micro_f1_without_conventions"] = round(score_documents(reduced, kept).micro.f1, 4)
    return out


def evaluate(
    args: argparse.Namespace, model: Path | None | Literal[False]
) -> tuple[dict[str, Any], dict[str, EvalReport], dict[str, EvalReport]]:
    """Run both configurations; returns (results JSON, exact and overlap entity reports for the tables)."""
    from guard import Guard

    data = Path(args.data)
    docs = load_cases(data)
    texts = [d["text"] for d in docs]
    configs: dict[str, Any] = {}
    reports: dict[str, EvalReport] = {}
    overlap: dict[str, EvalReport] = {}
    version = "none"
    for name, domains in (("full+kestrel", [Path(args.domain)]), ("full", [])):
        t0 = time.perf_counter()
        guard = Guard.load(model=model, domains=domains)
        load_s = time.perf_counter() - t0
        version = guard.model_version
        t0 = time.perf_counter()
        results = guard.scan_many(texts)
        run_s = time.perf_counter() - t0
        predicted = [findings_to_spans(r.findings) for r in results]
        reports[name] = score_documents(docs, predicted)
        snapped = [snap_overlaps(d["spans"], p) for d, p in zip(docs, predicted, strict=True)]
        overlap[name] = score_documents(docs, snapped)
        configs[name] = {
            "entities": reports[name].as_dict(),
            "entities_overlap": overlap[name].as_dict(),
            "documents": document_scores(docs, [r.verdict for r in results]),
            "conventions": convention_scores(docs, predicted),
            "load_s": round(load_s, 2),
            "runtime_s": round(run_s, 2),
        }
    result = {
        "dataset": {
            "path": shown_path(data),
            "sha256": hashlib.sha256(data.read_bytes()).hexdigest(),
            "documents": len(docs),
            "sensitive": sum(d["sensitive"] for d in docs),
            "benign": sum(not d["sensitive"] for d in docs),
            "gold_spans": len([s for d in docs for s in d["spans"]]),
        },
        "domain_pack": shown_path(args.domain),
        "model_version": version,
        "headline": "full+kestrel",
        "configurations": configs,
    }
    return result, reports, overlap


def main(argv: Sequence[str] | None = None, printer: Callable[[str], None] = print) -> int:
    """Command-line entry point; returns the exit status (2 on bad input or a missing model)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--model", help="guard model directory (default: the packaged model)")
    source.add_argument("--tiny", action="store_true", help="build and use the tiny random test model")
    source.add_argument("--no-model", action="store_true", help="guard's deterministic detectors only")
    parser.add_argument("--data", default=str(CASES), help="cases.jsonl")
    parser.add_argument(
        "--domain", default=str(DOMAIN_PACK), help="domain pack of the headline configuration"
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"), help="output directory")
    parser.add_argument("--name", default="realistic_dev", help="result file stem")
    args = parser.parse_args(argv)
    command = shown_command("eval_realistic.py", argv if argv is not None else sys.argv[1:])
    with tempfile.TemporaryDirectory(prefix="guard-realistic-") as tmp:
        try:
            if args.tiny:
                from tests.fixtures.tiny_model import build_tiny_model  # torch: only for --tiny

                model: Path | None | Literal[False] = build_tiny_model(Path(tmp) / "tiny")
            elif args.no_model:
                model = False
            else:
                model = Path(args.model) if args.model else None
            result, reports, overlap = evaluate(args, model)
        except (GuardError, ValueError) as exc:
            printer(f"error: {exc}")
            return 2
    result["command"] = command.strip()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    md = realistic_markdown(result, reports, list(LABELS), overlap)
    (out / f"{args.name}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (out / f"{args.name}.md").write_text(md, encoding="utf-8")
    printer(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
