"""Markdown renderings of the peer benchmarks' results (``compare_presidio``, ``eval_realistic``).

The renderers only format figures already computed by :func:`training.evaluate.score_documents`;
they never see document text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bench.span_match import report_table
from training.evaluate import EvalReport

__all__ = ["presidio_markdown", "realistic_markdown"]


def _runtime(entry: Mapping[str, Any]) -> str:
    return f"load {entry['load_s']} s, scan {entry['runtime_s']} s ({entry['texts_per_s']} texts/s)"


def presidio_markdown(result: Mapping[str, Any], reports: Mapping[str, Mapping[str, EvalReport]]) -> str:
    """Render ``bench/results/presidio_comparison.md`` from the comparison's JSON and reports."""
    ds = result["dataset"]
    head = result["headline"]
    systems = result["systems"]
    labels = list(result["scored_labels"])
    per_label = ", ".join(f"{k} {v}" for k, v in sorted(ds["gold_spans"].items()))
    loc_address = (
        systems["presidio_location_as_address"]["exact"]["by_label"].get("ADDRESS", {}).get("f1", 0.0)
    )
    lines = [
        "# guard vs Microsoft Presidio on presidio-research synth_dataset_v2",
        "",
        f"Command: `{result['command']}`",
        "",
        f"Data: `{ds['path']}` ({ds['documents']} English texts, sha256 {ds['sha256'][:12]}). "
        f"Gold spans scored: {sum(ds['gold_spans'].values())} ({per_label}); "
        f"don't-care regions (US_DRIVER_LICENSE): {ds['dont_care_spans']}; unscored spans: "
        f"{sum(ds['unscored_spans'].values())}.",
        "",
        f"**Headline (exact span match, micro F1 over {len(labels)} mapped labels):** "
        f"{head['guard_system']} **{head['guard_micro_f1_exact']:.3f}** vs Presidio "
        f"**{head['presidio_micro_f1_exact']:.3f}**; relaxed overlap match: "
        f"{head['guard_micro_f1_overlap']:.3f} vs {head['presidio_micro_f1_overlap']:.3f}.",
        "",
        "Presidio has no street-address recognizer, so its ADDRESS recall is 0 by construction. "
        "Micro F1 (exact) without ADDRESS: "
        + ", ".join(f"{name} {systems[name]['micro_f1_exact_without_address']:.3f}" for name in reports)
        + ".",
        "",
        "## Exact span match (label, start and end equal)",
        "",
        report_table({k: v["exact"] for k, v in reports.items()}, labels),
        "",
        "## Relaxed overlap match (same label, at least one shared character, one-to-one)",
        "",
        report_table({k: v["overlap"] for k, v in reports.items()}, labels),
        "",
        "## Runtime (same machine, same process, one run; shared 2-core machine)",
        "",
    ]
    for name in reports:
        entry = systems[name]
        what = (
            entry.get("model_version")
            or f"presidio-analyzer {entry.get('version')}, {entry.get('spacy_model')}"
        )
        lines.append(f"- {name} ({what}): {_runtime(entry)}")
    loc = systems["presidio_location_as_address"]
    lines += [
        "",
        "## Variants",
        "",
        f"- Presidio with LOCATION mapped to ADDRESS: exact micro F1 {loc['exact']['micro']['f1']:.3f}, "
        f"overlap {loc['overlap']['micro']['f1']:.3f} (ADDRESS exact F1 {loc_address:.3f}).",
        "- Presidio score-threshold sweep (chosen on the test set, so optimistic for Presidio): "
        + "; ".join(
            f"{th}: exact {v['exact_f1']:.3f} / overlap {v['overlap_f1']:.3f}"
            for th, v in result["presidio_threshold_sweep"].items()
        ),
        "",
        "Mapping and decisions: see the docstring of `bench/compare_presidio.py` and `bench/README.md`.",
        "",
    ]
    return "\n".join(lines)


def realistic_markdown(
    result: Mapping[str, Any],
    reports: Mapping[str, EvalReport],
    labels: list[str],
    overlap: Mapping[str, EvalReport] | None = None,
) -> str:
    """Render ``bench/results/realistic_dev.md`` from the evaluation's JSON and entity reports.

    ``overlap``: the same configurations scored by relaxed overlap match (a section of its own).
    """
    ds = result["dataset"]
    langs = sorted({lang for rep in reports.values() for lang in rep.by_lang})
    lines = [
        "# guard on the realistic dev set",
        "",
        f"Command: `{result['command']}`",
        "",
        f"Data: `{ds['path']}` ({ds['documents']} texts, {ds['sensitive']} sensitive, {ds['benign']} benign; "
        f"sha256 {ds['sha256'][:12]}). Model: {result['model_version']}. "
        "Evaluation only: nothing is tuned on it.",
        "",
        "## Document level (verdict of the full Guard pipeline, default policy)",
        "",
        "| configuration | block recall | false-block rate | flag recall (sensitive) "
        "| false-flag rate (benign) | scan s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, entry in result["configurations"].items():
        doc = entry["documents"]
        lines.append(
            f"| {name} | {doc['block_recall']:.3f} "
            f"({doc['blocked_correctly']}/{doc['docs_with_blocking_gold']}) | "
            f"{doc['false_block_rate']:.3f} ({doc['clean_blocked']}/{doc['docs_without_blocking_gold']}) | "
            f"{doc['flag_recall']:.3f} | {doc['false_flag_rate']:.3f} | {entry['runtime_s']} |"
        )
    lines += [
        "",
        "Block recall: share of texts with a gold span of a blocking label whose verdict is `block`; "
        "false-block rate: share of the other texts whose verdict is `block`. Flag: verdict is not `pass`.",
        "",
        "## Entities, exact span match, per label",
        "",
        report_table(reports, labels),
        "",
        "## Entities, exact span match, per language",
        "",
        report_table(reports, langs, by="lang"),
        "",
    ]
    if overlap:
        lines += [
            "## Entities, relaxed overlap match (same label, a shared character, one-to-one), per label",
            "",
            "Micro F1: "
            + ", ".join(f"{name} **{rep.micro.f1:.3f}**" for name, rep in overlap.items())
            + " (exact: "
            + ", ".join(f"{name} {rep.micro.f1:.3f}" for name, rep in reports.items())
            + ").",
            "",
            report_table(overlap, labels),
            "",
        ]
    lines += [
        "## Annotation conventions (single annotator: reported apart)",
        "",
    ]
    for name, entry in result["configurations"].items():
        conv = entry["conventions"]
        greet, biz = conv["greeting_names"], conv["business_addresses"]
        lines.append(
            f"- {name}: greeting names recalled {greet['found']}/{greet['gold']}, "
            f"business (signature) addresses {biz['found']}/{biz['gold']}; "
            f"micro F1 with those spans as don't-care: {conv['micro_f1_without_conventions']:.3f} "
            f"(vs {entry['entities']['micro']['f1']:.3f})."
        )
    lines += ["", "Heuristics and decisions: see `bench/eval_realistic.py` and `bench/README.md`.", ""]
    return "\n".join(lines)
