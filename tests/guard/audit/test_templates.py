"""guard.audit.templates: what is masked, offset mapping, and safety against the real detector table."""

from __future__ import annotations

import random

import pytest

from guard.audit.templates import mask

LINES = [
    "2026-11-22T10:00:00.123Z INFO [1234] GET /api status=200 took 12ms size=5123 "
    "request_id=3f2a9c81d4e5b6a7",
    '10.0.0.1 - - [22/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 512 rt=0.2',
    '{"ts": "2026-11-22 10:00:00", "status": 500, "latency": 12.5, '
    '"trace_id": "0af7651916cd43dd8448eb211c80319c"}',
]


def test_masks_only_values_that_cannot_be_sensitive() -> None:
    t = mask(LINES[0])
    assert t.text == (
        "2000-01-01T00:00:00Z INFO [0] GET /api status=0 took 0ms size=0 request_id=0000000000000000"
    )
    kept = (
        "salary=85000 price: 300 port=8080 code=1234 token=deadbeefdeadbeef card 4111111111111111 "
        "+1 415 555 0123"
    )
    assert mask(kept).text == kept  # money context, non-technical keys, long digit runs, phones stay


def test_access_log_status_and_bytes_are_masked_by_the_format() -> None:
    # Common/Combined Log Format: status and bytes sent follow the quoted request line, whatever the
    # path says (a money word in the URL is no reason to keep a byte count)
    line = '51.4.7.9 - - [22/Nov/2026:10:00:00 +0000] "POST /api/invoices?page=3 HTTP/2.0" 201 84341 "-"'
    assert mask(line).text == (
        '8.8.8.8 - - [2000-01-01T00:00:00Z] "POST /api/invoices?page=3 HTTP/2.0" 200 0 "-"'
    )
    kept = '"GET / HTTP/1.1" 200 4111111111111111 "-" and "GET / HTTP/1.1" 2000 12 and HTTP/1.1" 200 12ab'
    assert mask(kept).text == kept  # card-length runs, non-status codes and non-numbers stay


def test_ids_are_kept_when_asked() -> None:
    text = "heroku key 123e4567-e89b-42d3-a456-42661417400f request_id=3f2a9c81d4e5b6a7"
    assert mask(text, ids=False).text == text
    assert "00000000-0000" in mask(text).text


def test_map_span_shifts_constant_text_and_refuses_placeholders() -> None:
    raw = LINES[0] + " user=bob@example.org"
    t = mask(raw)
    start = t.text.index("bob@")
    mapped = t.map_span(start, start + len("bob@example.org"))
    assert mapped is not None and raw[mapped[0] : mapped[1]] == "bob@example.org"
    assert t.map_span(0, 4) is None  # inside the timestamp placeholder
    assert t.map_span(t.text.index("status=0") + 7, t.text.index("status=0") + 8) is None


def _digits(rng: random.Random) -> str:
    """Sometimes a digit group right before a value: masked values must not join it into a number."""
    return f"{rng.randrange(10 ** rng.randrange(1, 6))} " if rng.random() < 0.5 else ""


def _variants(rng: random.Random) -> str:
    d = _digits
    day = f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    ts = f"{day}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00Z"
    return (
        f"{d(rng)}{ts} WARN [{rng.randrange(1, 99999)}] status={rng.randrange(100, 600)} took "
        f"{d(rng)}{rng.randrange(1, 99999)}ms size={rng.randrange(1, 99999)} port={rng.randrange(1, 65535)} "
        f"{d(rng)}{rng.randrange(10**8):08x}-{rng.randrange(1 << 16):04x}-4{rng.randrange(1 << 12):03x}-"
        f"a{rng.randrange(1 << 12):03x}-{rng.randrange(1 << 48):012x} request_id={rng.getrandbits(64):016x} "
        f"from 10.2.{rng.randrange(256)}.{rng.randrange(1, 255)} mail ops@kestrel-corp.com "
        f"offset={d(rng)}{rng.randrange(10 ** rng.randrange(1, 13))} user_id={rng.randrange(10**9)} "
        f"client {d(rng)}{rng.randrange(1, 256)}.{rng.randrange(256)}."
        f"{rng.randrange(256)}.{rng.randrange(256)} "
        f"rows={rng.randrange(10**6)} "
        f'"GET /a HTTP/1.1" {rng.randrange(100, 600)} {rng.randrange(10 ** rng.randrange(1, 10))} '
        f"rt={rng.random():.3f}"
    )


@pytest.mark.parametrize("seed", range(4))
def test_detectors_see_the_same_thing_on_template_and_raw(seed: int) -> None:
    """The safety claim: no deterministic detector hit depends on a masked value.

    For many random values of every masked kind, the default detector set finds exactly the template's
    hits mapped back, and none of its raw hits touches a masked slot. A new pattern that matches
    timestamps, UUIDs, correlation ids or small technical numbers makes this fail.
    """
    from guard import Guard

    guard = Guard.load(model=False)
    rng = random.Random(seed)
    for _ in range(300):
        raw = _variants(rng)
        t = mask(raw)
        assert len(t.slots) >= 4
        raw_hits = {(f.label, f.start, f.end) for f in guard.scan(raw).findings}
        tmpl_hits = set()
        for f in guard.scan(t.text).findings:
            span = t.map_span(f.start, f.end)
            assert span is not None, f"template hit {f.label} touches a placeholder"
            tmpl_hits.add((f.label, *span))
        assert raw_hits == tmpl_hits
        assert {label for label, _, _ in raw_hits} >= {"INTERNAL_HOST", "EMAIL"}
