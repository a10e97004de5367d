"""Write MODEL_CARD.md next to a model: data, metrics, limits. Every number comes from the run."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["write_model_card"]


def _prf_table(rows: Mapping[str, Mapping[str, Any]]) -> list[str]:
    lines = ["| | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for name, r in rows.items():
        lines.append(
            f"| {name} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | {r['support']} |"
        )
    return lines


def _eval_section(title: str, report: Mapping[str, Any]) -> list[str]:
    micro = report["micro"]
    lines = [
        f"### {title}",
        "",
        f"Entity-level micro F1 **{micro['f1']:.3f}** (P {micro['precision']:.3f}, R {micro['recall']:.3f}, "
        f"{micro['support']} gold entities, {report['documents']} documents). Document level: block recall "
        f"{report['block_recall']:.3f}, false-block rate {report['false_block_rate']:.3f}.",
        "",
        "Per label:",
        "",
        *_prf_table(report["by_label"]),
        "",
        "Per language:",
        "",
        *_prf_table(report["by_lang"]),
        "",
    ]
    return lines


def _real_text_section(title: str, report: Mapping[str, Any]) -> list[str]:
    """A `training.realtext.evaluate.real_text_report`: harmless rates per language and source."""
    inj = report["injected"]
    lines = [
        f"### {title}",
        "",
        "Harmless paragraphs (no gold span): the share with any finding (none is supported by the "
        "labels) and the share blocked.",
        "",
        "| slice | paragraphs | with a finding | blocked |",
        "|---|---|---|---|",
    ]
    for key, row in report["harmless"].items():
        f, b = row["flagged"], row["blocked"]
        flag, block = f"{f['rate'] * 100:.1f} % ({f['count']})", f"{b['rate'] * 100:.1f} % ({b['count']})"
        lines.append(f"| {key} | {f['n']} | {flag} | {block} |")
    if report["labels_on_harmless"]:
        found = ", ".join(f"{k} {v}" for k, v in report["labels_on_harmless"].items())
        lines += ["", f"Labels of the findings on harmless paragraphs: {found}."]
    if inj["records"]:
        micro = inj["micro"]
        br = inj["block_recall"]
        lines += [
            "",
            f"Real text with generated values ({inj['records']} records): entity micro F1 {micro['f1']:.3f} "
            f"(P {micro['precision']:.3f}, R {micro['recall']:.3f}), block recall {br['rate']:.3f} "
            f"({br['count']}/{br['n']}).",
        ]
    return [*lines, ""]


def write_model_card(
    model_dir: str | Path,
    *,
    manifest: Mapping[str, Any],
    data: Mapping[str, Any],
    evaluations: Mapping[str, Mapping[str, Any]],
    training: Mapping[str, Any],
    limits: list[str],
    command: str,
    real_text: Mapping[str, Mapping[str, Any]] | None = None,
) -> Path:
    """Render the card from the run's own figures and write it into ``model_dir``."""
    export = manifest.get("metrics", {}).get("export", {})
    lines = [
        f"# {manifest['name']} {manifest['version']}",
        "",
        f"Token classifier for guard's 12 labels, fine-tuned from `{manifest['base_model']}`. "
        f"Windows of {manifest['max_length']} tokens with {manifest['stride']} tokens of overlap; "
        f"softmax temperature {manifest['temperature']}.",
        "",
        "Reproduce:",
        "",
        f"```\n{command}\n```",
        "",
        "## Training",
        "",
        *[f"- {k}: {v}" for k, v in training.items()],
        "",
        "## Data",
        "",
        *[f"- {k}: {v}" for k, v in data.items()],
        "",
        "## Evaluation",
        "",
    ]
    for title, report in evaluations.items():
        lines += _eval_section(title, report)
    for title, report in (real_text or {}).items():
        lines += _real_text_section(title, report)
    if export:
        lines += [
            "## Export",
            "",
            f"- ONNX fp32 vs PyTorch: max abs logit difference {export['fp32_max_abs_diff']:.2e}",
            f"- int8 vs fp32: {export['int8_tag_agreement'] * 100:.2f} % of tokens get the same tag",
            f"- self-attention fused into one onnxruntime Attention node in "
            f"{export.get('fused_attention_layers', 0)} layers",
            f"- size: fp32 {export['fp32_bytes'] / 1e6:.1f} MB, int8 {export['int8_bytes'] / 1e6:.1f} MB",
            "",
        ]
    lines += ["## Per-label thresholds", "", "| label | threshold |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in manifest["thresholds"].items()]
    lines += ["", "## Limits", "", *[f"- {item}" for item in limits], ""]
    path = Path(model_dir) / "MODEL_CARD.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
