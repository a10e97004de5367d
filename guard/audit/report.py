"""Self-contained HTML summary report of an audit (inline SVG charts, no script, no network).

Charts: findings by label, by file, over time (hourly, when records carry timestamps) and the top
recurring value hashes; then input problems by kind and file, and how much work the shortcuts saved.
Every string is HTML-escaped; the report holds labels, counts, file names, masked previews and hashes
only, never a guarded value.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import UTC, datetime

from guard.audit.summary import Summary

__all__ = ["render_report"]

_COLORS = {
    "SECRET": "#c0392b",
    "CREDIT_CARD": "#d35400",
    "BANK_ACCOUNT": "#e67e22",
    "NATIONAL_ID": "#8e44ad",
    "INTERNAL_HOST": "#2c3e50",
    "CODENAME": "#16a085",
    "CUSTOMER": "#27ae60",
    "FINANCIAL": "#f39c12",
    "PERSON": "#2980b9",
    "EMAIL": "#3498db",
    "PHONE": "#1abc9c",
    "ADDRESS": "#7f8c8d",
}
_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f4f6f8;
color:#1d2630}
header{background:#1d2630;color:#fff;padding:18px 32px}header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;color:#b8c4d0}main{padding:20px 32px;max-width:1200px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:18px}
.card{background:#fff;border-radius:8px;padding:12px 18px;min-width:130px;box-shadow:0 1px 3px #0002}
.card b{display:block;font-size:24px}.card span{color:#5b6b7b;font-size:12px;text-transform:uppercase}
.card.bad b{color:#c0392b}.card.ok b{color:#27ae60}
section{background:#fff;border-radius:8px;padding:14px 20px;margin-bottom:18px;box-shadow:0 1px 3px #0002}
h2{font-size:16px;margin:0 0 10px}table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:4px 8px;border-bottom:1px solid #e5e9ee;font-size:13px}
th{color:#5b6b7b;font-weight:600}code{font-size:12px}.muted{color:#8795a3}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:18px}
"""


def _bars(items: Sequence[tuple[str, int]], colors: dict[str, str] | None = None, width: int = 520) -> str:
    if not items:
        return '<p class="muted">nothing to show</p>'
    top = max(count for _, count in items) or 1
    row, label_w = 24, 190
    total_w, total_h = width + label_w + 70, row * len(items) + 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total_w} {total_h}" width="100%" '
        f'style="max-width:{total_w}px" role="img">'
    ]
    for i, (name, count) in enumerate(items):
        y = i * row + 3
        w = max(2, int(width * count / top))
        color = (colors or {}).get(name, "#3b82c4")
        short = name if len(name) <= 28 else "…" + name[-27:]
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"<title>{html.escape(name)}</title>{html.escape(short)}</text>"
        )
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w}" height="{row - 6}" rx="3" fill="{color}"/>')
        parts.append(f'<text x="{label_w + w + 6}" y="{y + 14}" font-size="12">{count:,}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _timeline(by_hour: dict[str, int], width: int = 1060, height: int = 180) -> str:
    if not by_hour:
        return '<p class="muted">no timestamps found in records with findings</p>'
    hours = sorted(by_hour)
    top = max(by_hour.values()) or 1
    n = len(hours)
    bar = max(1.0, (width - 60) / n)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 40}" '
        'width="100%" role="img">',
        f'<line x1="50" y1="{height}" x2="{width}" y2="{height}" stroke="#9aa7b4"/>',
        f'<text x="44" y="12" text-anchor="end" font-size="11">{top:,}</text>',
        f'<text x="44" y="{height}" text-anchor="end" font-size="11">0</text>',
    ]
    for i, hour in enumerate(hours):
        h = max(1, int((height - 10) * by_hour[hour] / top))
        x = 50 + i * bar
        parts.append(
            f'<rect x="{x:.1f}" y="{height - h}" width="{max(1.0, bar - 1):.1f}" height="{h}" '
            f'fill="#c0392b"><title>{html.escape(hour)}:00 — {by_hour[hour]:,}</title></rect>'
        )
    for i in sorted({0, n // 2, n - 1}):
        anchor = "end" if i == n - 1 and n > 1 else "start"
        x = 50 + (i + 1) * bar if anchor == "end" else 50 + i * bar
        parts.append(
            f'<text x="{x:.1f}" y="{height + 16}" font-size="11" text-anchor="{anchor}">'
            f"{html.escape(hours[i])}:00</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _card(value: str, name: str, cls: str = "") -> str:
    return f'<div class="card {cls}"><b>{html.escape(value)}</b><span>{html.escape(name)}</span></div>'


def render_report(
    summary: Summary,
    *,
    title: str = "guard audit",
    seconds: float = 0.0,
    engine: str = "local",
    model_version: str = "",
) -> str:
    """Return the report page as a string (write it with UTF-8)."""
    mb = summary.chars / 1e6
    blocked = summary.by_action.get("block", 0)
    problems = sum(summary.problems.values())
    cards = [
        _card(f"{summary.files:,}", "files"),
        _card(f"{summary.units:,}", "records"),
        _card(f"{mb:,.1f} MB", "scanned"),
        _card(f"{summary.findings:,}", "findings", "bad" if summary.findings else "ok"),
        _card(f"{blocked:,}", "blocking findings", "bad" if blocked else "ok"),
        _card(f"{problems:,}", "input problems", "bad" if problems else "ok"),
    ]
    if summary.by_verification:  # --verify: live credentials come first
        checked = summary.by_verification
        live = checked.get("verified", 0)
        cards[:0] = [
            _card(f"{live:,}", "live credentials (verified)", "bad" if live else "ok"),
            _card(f"{checked.get('invalid', 0):,} / {checked.get('unknown', 0):,}", "rejected / unchecked"),
        ]
    if seconds > 0:
        cards.append(_card(f"{mb / seconds:,.2f} MB/s", f"in {seconds:,.0f} s"))
    top_hashes = summary.by_hash.most_common(15)
    hash_rows = "".join(
        f"<tr><td><code>{html.escape(h)}</code></td><td>{html.escape(summary.hash_labels.get(h, ''))}</td>"
        f"<td>{n:,}</td></tr>"
        for h, n in top_hashes
    )
    problem_rows = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{n:,}</td></tr>" for k, n in summary.problems.most_common()
    )
    problem_file_rows = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{n:,}</td></tr>" for k, n in summary.problem_files.most_common(20)
    )
    sc = summary.scanner
    work = (
        f"{sc.get('texts', 0):,} texts: {sc.get('exact_hits', 0):,} exact duplicates, "
        f"{sc.get('template_hits', 0):,} answered by {sc.get('templates', 0):,} templates "
        f"({sc.get('hot_templates', 0):,} hot), {sc.get('raw_scans', 0):,} scanned raw, "
        f"{sc.get('blank', 0):,} blank"
    )
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>{_CSS}</style></head>
<body><header><h1>{html.escape(title)}</h1>
<p>{html.escape(when)} · engine {html.escape(engine)} · model {
        html.escape(model_version or "default")
    }</p></header>
<main><div class="cards">{"".join(cards)}</div>
<div class="grid"><section><h2>Findings by label</h2>
{_bars(sorted(summary.by_label.items(), key=lambda kv: -kv[1]), _COLORS)}</section>
<section><h2>Findings by action</h2>{
        _bars(sorted(summary.by_action.items(), key=lambda kv: -kv[1]))
    }</section></div>
<section><h2>Findings by file (top 20)</h2>{_bars(summary.by_file.most_common(20), width=760)}</section>
<section><h2>Findings over time (per hour)</h2>{_timeline(dict(summary.by_hour))}</section>
<section><h2>Top recurring values (keyed hashes)</h2>
{
        "<table><tr><th>value hash</th><th>label</th><th>occurrences</th></tr>" + hash_rows + "</table>"
        if hash_rows
        else '<p class="muted">no findings</p>'
    }</section>
<div class="grid"><section><h2>Input problems by kind</h2>
{"<table>" + problem_rows + "</table>" if problem_rows else '<p class="muted">none</p>'}</section>
<section><h2>Input problems by file</h2>
{
        "<table>" + problem_file_rows + "</table>" if problem_file_rows else '<p class="muted">none</p>'
    }</section></div>
<section><h2>Work</h2><p>{html.escape(work)}</p></section>
</main></body></html>
"""
