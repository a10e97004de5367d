"""Neutral identifiers have the expected shapes."""

from __future__ import annotations

import random
import re
import uuid

from training.data import neutral


def test_shapes() -> None:
    rng = random.Random(0)
    for _ in range(100):
        assert uuid.UUID(neutral.uuid4(rng)).version == 4
        assert re.fullmatch(r"[0-9a-f]{40}", neutral.hex_id(rng, 40))
        assert re.fullmatch(r"v?\d+\.\d+\.\d+(-rc\.\d|-beta)?", neutral.version(rng))
        assert re.fullmatch(r"[A-Z]+-\d+|#\d+", neutral.ticket_key(rng))
        assert neutral.order_number(rng).strip()


def test_resource_names_are_not_secrets_to_the_detectors() -> None:
    """Pod names, object ids and slugs are hard negatives: the deterministic detectors agree."""
    from guard.detect.entropy import EntropyDetector

    det = EntropyDetector()
    rng = random.Random(1)
    for _ in range(300):
        pod = neutral.pod_name(rng)
        assert re.fullmatch(
            r"[a-z]+-[bcdfghjklmnpqrstvwxz2456789]{8,10}-[bcdfghjklmnpqrstvwxz2456789]{5}", pod
        )
        for value in (pod, neutral.object_id(rng), neutral.slug_id(rng)):
            assert det.detect(f"id {value}") == [], value
