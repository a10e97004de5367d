"""guard.audit.scanner with the shipped model: the template shortcut must not lose what a raw scan finds."""

from __future__ import annotations

import random

from guard import Guard
from guard.audit.scanner import RecordScanner, ScanConfig
from guard.audit.templates import mask


def _event_lines(n: int) -> list[str]:
    rng = random.Random(5)
    return [
        f"2026-11-20T00:38:{i % 60:02d}.{rng.randrange(1000):03d}Z DEBUG [order-service] published event "
        f"topic=orders partition={rng.randrange(64)} offset={rng.randrange(10**7)} "
        f"request_id={rng.getrandbits(128):032x} roadmap review: project Zephyrquill slips to Q3"
        for i in range(n)
    ]


def test_a_template_with_a_model_near_miss_is_scanned_raw() -> None:
    # The shipped model scores the code name 0.999 on these raw lines but 0.886 in their template
    # (calibrated threshold 0.95): reusing the template's answer would lose the leak on every line.
    guard = Guard.load()
    lines = _event_lines(12)
    template = mask(lines[0]).text
    assert "CODENAME" in guard.scan(template).near_misses
    assert not any(f.label == "CODENAME" for f in guard.scan(template).findings)

    fast = RecordScanner(guard, ScanConfig())
    plain = RecordScanner(guard, ScanConfig(shortcuts=False))
    found = fast.scan(lines)
    assert found == plain.scan(lines)
    assert all(any(h.label == "CODENAME" for h in hits) for hits in found)
    assert fast.stats["hot_templates"] == 1 and fast.stats["template_hits"] == 0


def test_near_misses_name_labels_under_threshold_only() -> None:
    guard = Guard.load()
    clean = guard.scan("the release notes are in the usual place, see you on the call")
    assert clean.near_misses == ()
    leak = guard.scan("roadmap review: project Zephyrquill slips to Q3")
    assert any(f.label == "CODENAME" for f in leak.findings)
    assert "CODENAME" not in leak.near_misses
