"""Every detector on adversarial input at the proxy's body limit (1 MiB) ends: no quadratic pattern.

A hang guard, not a speed figure (bench/ has those): the timeout is far above linear time and far
below what a quadratic pattern needs on a megabyte (the JWT pattern took 129 s on 393 kB of "eyJ"
before its lookbehind went back into the regex).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from guard.detect.domain import DomainDetector, load_domain_pack
from guard.detect.entropy import EntropyDetector
from guard.detect.patterns import PatternDetector
from guard.normalize import normalize

LIMIT = 1 << 20
KESTREL = Path(__file__).resolve().parents[3] / "deploy" / "domains" / "example-kestrel.yaml"

#: Runs of what patterns repeat: key alphabets, separators, prefixes of known formats.
UNITS = [
    "-----BEGIN PRIVATE KEY-----\n", "QUJD", "a", "aA0-_", "1 ", "1", "a@", "a.", ":", "a1:", "http://",
    "-", "\\", "=", "10.0.", "password=", "'a", " ", "\n", "a/", "+1", "DE89", "eyJ", "AKIA", "ghp_",
    "sk_live_", "xoxb-", "\\u00", "&#", "\u200b", "１", "AAAA.", "a-b-", "0x", "Bearer ",
    "-----BEGIN PUBLIC KEY-----\n", "public_key = ", "ENC[AES256_GCM,data:", "curl ", "curl -u a:",
    "sha256~", "dnkey-", "'secret_key' => '", "4b1d", "sgp_",
]  # fmt: skip


@pytest.fixture(scope="module")
def detectors() -> list[object]:
    return [PatternDetector(), EntropyDetector(), DomainDetector(load_domain_pack(KESTREL))]


@pytest.mark.timeout(300)
@pytest.mark.parametrize("unit", UNITS, ids=[repr(u)[1:-1][:12] for u in UNITS])
def test_each_detector_ends_on_a_megabyte_of_repeats(detectors: list[object], unit: str) -> None:
    text = (unit * (LIMIT // len(unit) + 1))[:LIMIT]
    for det in detectors:
        found = det.detect(text)  # type: ignore[attr-defined]
        assert all(0 <= f.start < f.end <= len(text) for f in found)
    norm = normalize(text)
    assert len(norm.segments) >= 1
