"""docs/secrets.md lists the rule families that patterns.yaml has (regenerate with `make docs`)."""

from __future__ import annotations

import re
from pathlib import Path

from guard.detect.patterns import family_table, load_patterns

DOC = Path(__file__).resolve().parents[3] / "docs" / "secrets.md"


def test_the_family_table_in_the_docs_is_the_table_of_patterns_yaml() -> None:
    doc = DOC.read_text(encoding="utf-8")
    m = re.search(r"<!-- families:begin -->\n(.*)<!-- families:end -->", doc, re.S)
    assert m is not None, "docs/secrets.md lost its families markers"
    assert m.group(1) == family_table(), "docs/secrets.md is stale: run `make docs`"


def test_every_secret_pattern_has_a_row() -> None:
    table = family_table()
    names = [p.name for p in load_patterns().patterns if p.label == "SECRET"]
    assert len(names) >= 120
    assert all(f"`{name}`" in table for name in names)
