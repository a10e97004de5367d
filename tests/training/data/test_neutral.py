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
