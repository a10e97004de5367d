"""Fixtures of the audit tests: a table model with a model-only code name, and a planted-leak corpus."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

CODENAME = "Zephyrquill"
_BENCH = Path(__file__).resolve().parents[3] / "bench"


@pytest.fixture(scope="session")
def audit_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real ONNX table model: the tokens of `CODENAME` predict CODENAME, everything else ``O``.

    Deterministic and sparse like a trained model, so planted model-only leaks have a known answer.
    """
    from tests.fixtures.tiny_model import build_table_model, tags_for_substrings

    out = tmp_path_factory.mktemp("audit_table_model")
    text = f"roadmap review: project {CODENAME} slips"
    build_table_model(out, tags_for_substrings(text, {CODENAME: "CODENAME"}), max_length=128, stride=16)
    return out


@pytest.fixture(scope="session")
def planted_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, object]]]:
    """A small realistic corpus with planted leaks, plus bad inputs; returns (directory, planted list).

    Bad inputs: a truncated gzip, a JSONL file with an invalid line, a Latin-1 line, and a 300 kB single
    line with an AWS key across the first window boundary (the audit uses 64 kB windows).
    """
    sys.path.insert(0, str(_BENCH))
    from make_log_corpus import make_corpus

    root = tmp_path_factory.mktemp("planted")
    corpus = root / "logs"
    manifest = make_corpus(corpus, 0.25, 0.3, 60, seed=3, codename=CODENAME)
    planted = list(manifest["planted"])  # type: ignore[call-overload]
    (corpus / "planted.json").unlink()
    key = "AKIAQYLPMN5HHHFPZAM3"  # gitleaks:allow
    long_line = "x" * 65530 + f" key={key} " + "y" * 250_000
    (corpus / "huge.log").write_text(f"start\n{long_line}\nend\n", encoding="utf-8")
    planted.append({"file": "huge.log", "line": 2, "label": "SECRET", "value": key})
    packed = gzip.compress(
        b"".join(b"rotated line %d ok\n" % i for i in range(3000))
        + b"card 4111111111111111 in old log\n"
        + b"tail\n" * 2000
    )
    (corpus / "old.log.gz").write_bytes(packed[: int(len(packed) * 0.8)])
    (corpus / "bad.jsonl").write_bytes(
        b'{"msg": "ok"}\n{"msg": broken mail ops.lead@kestrel-corp.com\n'
        b"caf\xe9 contact jean.dupont@kestrel-corp.com\n"
    )
    planted.append({"file": "bad.jsonl", "line": 2, "label": "EMAIL", "value": "ops.lead@kestrel-corp.com"})
    planted.append(
        {"file": "bad.jsonl", "line": 3, "label": "EMAIL", "value": "jean.dupont@kestrel-corp.com"}
    )
    (root / "planted.json").write_text(json.dumps(planted), encoding="utf-8")
    return corpus, planted
