"""OnnxTokenClassifier against real ONNX models built on the fly (tests/fixtures/tiny_model.py).

The table model is deterministic (chosen tokens -> chosen tags), so offsets, window
merging and calibration are checked against exact answers; the tiny random BERT is
context-dependent, so batching and coverage are checked on a model that behaves like one.
"""

from __future__ import annotations

import logging
import math
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from guard.detect.base import Detector
from guard.errors import InputError, ModelError
from guard.findings import Finding
from guard.model import OnnxTokenClassifier, TokenAnalysis, load_manifest
from guard.model.runtime import _lower_same_length
from guard.model.windows import plan_windows
from tests.fixtures.tiny_model import (
    TAGS,
    build_table_model,
    tags_for_substrings,
    write_manifest,
)

SECRET = "AKIAZQ3X7PL2MV9RT4WD"  # gitleaks:allow
# CJK without spaces, emoji with a skin tone, NFKC-composed combining marks, CRLF lines
MIXED = (
    "客户：月光计划の件です。\r\n担当 田中太郎 👍🏽🎉 電話 090-1234-5678\r\n"
    "Contact Rene\u0301e Dupont at café 🍣 Zürich; 密钥 " + SECRET + "\r\n"
    "Ms Zoe\u0308 signed.\r\n"
)
EXPECTED = {
    "月光计划": "CODENAME",
    "田中太郎": "PERSON",
    "090-1234-5678": "PHONE",
    "Rene\u0301e Dupont": "PERSON",
    SECRET: "SECRET",
    "Zoe\u0308": "PERSON",
}
MARGIN = 6.0


def _mass(margin: float, temperature: float) -> float:
    """P(B-X) + P(I-X) of a table-model token tagged X: its tag plus the pair's other tag."""
    top = math.exp(margin / temperature)
    return (top + 1.0) / (top + len(TAGS) - 1)


@pytest.fixture(scope="module")
def table_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_table_model(
        tmp_path_factory.mktemp("table"),
        tags_for_substrings(MIXED, EXPECTED),
        margin=MARGIN,
        max_length=128,
        stride=32,
    )


@pytest.fixture(scope="module")
def table(table_dir: Path) -> OnnxTokenClassifier:
    return OnnxTokenClassifier.load(table_dir, provider="cpu", intra_op_threads=1)


@pytest.fixture(scope="module")
def tiny(tiny_model_dir: Path) -> OnnxTokenClassifier:
    return OnnxTokenClassifier.load(tiny_model_dir, provider="cpu", intra_op_threads=1)


def _check_offsets(text: str, analysis: TokenAnalysis) -> None:
    """Every span starts on a token start and ends on a token end (plus trailing marks)."""
    filled = [(int(s), int(e)) for s, e in analysis.offsets if e > s]
    starts = {s for s, _ in filled}
    ends = {e for _, e in filled}
    for f in analysis.findings:
        core_end = f.end
        while text[core_end - 1] in "\u0301\u0308":
            core_end -= 1
        assert f.start in starts and core_end in ends, (f, text[f.start : f.end])
        assert not text[f.start].isspace() and not text[f.end - 1].isspace()


def test_is_a_detector_with_manifest_and_providers(table: OnnxTokenClassifier, table_dir: Path) -> None:
    assert isinstance(table, Detector)
    assert table.name == "model"
    assert table.manifest == load_manifest(table_dir)
    assert table.providers == ["CPUExecutionProvider"]
    assert "guard-test-table" in repr(table)


def test_offsets_exact_on_cjk_emoji_combining_marks_and_crlf(table: OnnxTokenClassifier) -> None:
    analysis = table.analyze(MIXED)
    found = [(f.label, MIXED[f.start : f.end]) for f in analysis.findings]
    assert sorted(found) == sorted((label, text) for text, label in EXPECTED.items())
    _check_offsets(MIXED, analysis)
    for f in analysis.findings:
        assert f.detector == "model"
        assert f.score == pytest.approx(_mass(MARGIN, 1.0), abs=1e-5)
        assert analysis.span_score(f.start, f.end, f.label) == pytest.approx(f.score, abs=1e-6)


def test_offsets_survive_a_shift_by_astral_characters(table: OnnxTokenClassifier) -> None:
    # the same text after code points outside the BMP: offsets are str indices, not UTF-16 units
    prefix = "🎉🍣😀𠀀 "
    findings = table.detect(prefix + MIXED)
    assert [f.shifted(-len(prefix)) for f in findings] == table.detect(MIXED)


def test_span_score_is_zero_elsewhere_and_validates(table: OnnxTokenClassifier) -> None:
    analysis = table.analyze(MIXED)
    start = MIXED.index("Contact")
    assert analysis.span_score(start, start + 7, "PERSON") < 0.01
    assert analysis.span_score(start, start + 7, "SECRET") < 0.01
    with pytest.raises(ValueError, match="unknown label"):
        analysis.span_score(0, 3, "PASSWORD")
    with pytest.raises(ValueError, match="bad range"):
        analysis.span_score(5, 5, "PERSON")
    with pytest.raises(ValueError, match="bad range"):
        analysis.span_score(0, len(MIXED) + 1, "PERSON")


def test_temperature_from_the_manifest_calibrates_scores(table_dir: Path, tmp_path: Path) -> None:
    for name in ("model.onnx", "tokenizer.json"):
        os.symlink(table_dir / name, tmp_path / name)
    write_manifest(tmp_path, max_length=128, stride=32, temperature=2.5)
    hot = OnnxTokenClassifier.load(tmp_path, provider="cpu")
    scores = {f.score for f in hot.detect(MIXED)}
    assert scores and all(s == pytest.approx(_mass(MARGIN, 2.5), abs=1e-5) for s in scores)
    # the runtime reports nothing under its floor (policy thresholds apply later, elsewhere)
    assert _mass(MARGIN, 2.5) < 0.5
    assert OnnxTokenClassifier.load(tmp_path, provider="cpu", score_floor=0.5).detect(MIXED) == []


def _long_text(tokens_wanted: int, secret_at: list[int]) -> str:
    """Filler of one-token words, CODENAME at both ends, SECRET starting at the given token indices."""
    from tokenizers import Tokenizer

    from tests.fixtures.tiny_model import tokenizer_json_path

    tokenizer = Tokenizer.from_file(str(tokenizer_json_path()))

    def count(piece: str) -> int:
        return len(tokenizer.encode(piece, add_special_tokens=False).ids)

    assert count("report report") == 2  # "▁report" is one token
    head, secret_len = count("月光计划"), count(" " + SECRET)
    words: list[str] = []
    pos = head
    queue = sorted(secret_at)
    while pos < tokens_wanted:
        if queue and pos == queue[0]:
            queue.pop(0)
            words.append(SECRET)
            pos += secret_len
        else:
            words.append("report")
            pos += 1
    assert not queue
    return "月光计划 " + " ".join(words) + " 月光计划"


def test_20000_token_text_is_covered_and_boundary_spans_decoded_once(table: OnnxTokenClassifier) -> None:
    content = table.manifest.max_length - 2
    plan = plan_windows(20_002, content, table.manifest.stride)
    cut = plan[100].own_end  # ownership moves from window 100 to 101 here
    edge = plan[140].end  # window 140 ends here, inside the second secret
    text = _long_text(20_000, [cut - 7, edge - 5])
    analysis = table.analyze(text)
    assert analysis.num_tokens >= 20_000
    assert analysis.num_windows == len(plan_windows(analysis.num_tokens, content, table.manifest.stride))
    found = [(f.label, text[f.start : f.end]) for f in analysis.findings]
    codename = ("CODENAME", "月光计划")
    assert found == [codename, ("SECRET", SECRET), ("SECRET", SECRET), codename]
    # the secrets really straddle the cut and the edge (token indices of their spans)
    starts = analysis.offsets[:, 0]
    for finding, boundary in zip(analysis.findings[1:3], (cut, edge), strict=True):
        first = int(np.searchsorted(starts, finding.start))
        last = int(np.searchsorted(starts, finding.end)) - 1
        assert first < boundary <= last
    _check_offsets(text, analysis)


def test_no_token_is_left_without_a_prediction(tiny: OnnxTokenClassifier) -> None:
    text = " ".join(f"zeile {i} 行 {i} ligne" for i in range(2_500))
    analysis = tiny.analyze(text)
    assert analysis.num_tokens > 20_000
    assert np.allclose(analysis.probs.sum(axis=1), 1.0, atol=1e-4)
    assert not analysis.probs.flags.writeable and not analysis.offsets.flags.writeable
    _check_offsets(text, analysis)


TEXTS = [
    "Call Anna at +49 170 1234567 about the Q3 forecast.",
    "",
    "顧客名：山田商事、契約額は３億円。パスワードは hunter2 です。",
    "   \r\n\t ",
    "déjà vu 👍🏽 " * 40,
    " ".join(f"line {i}: host db{i}.corp.internal user=svc pwd=Xy{i}z" for i in range(300)),
    "x",
]


def _same(a: TokenAnalysis, b: TokenAnalysis) -> None:
    assert a.num_tokens == b.num_tokens and a.num_windows == b.num_windows
    np.testing.assert_allclose(a.probs, b.probs, atol=2e-5)
    assert [(f.label, f.start, f.end) for f in a.findings] == [(f.label, f.start, f.end) for f in b.findings]
    assert [f.score for f in a.findings] == pytest.approx([f.score for f in b.findings], abs=2e-5)


def test_batching_equals_unbatched(tiny: OnnxTokenClassifier) -> None:
    single = [tiny.analyze(text) for text in TEXTS]
    for batch_tokens in (1, 300, 100_000):
        batched = tiny.analyze_many(TEXTS, batch_tokens=batch_tokens)
        assert len(batched) == len(TEXTS)
        for a, b in zip(single, batched, strict=True):
            _same(a, b)
    assert any(a.findings for a in single)  # the comparison is not vacuous


def _batches_run(clf: OnnxTokenClassifier, caplog: pytest.LogCaptureFixture, **kwargs: int) -> int:
    caplog.clear()
    clf.analyze_many(TEXTS, **kwargs)
    return int(re.findall(r"(\d+) batches", caplog.text)[-1])


def test_cpu_runs_one_window_per_call_by_default(
    tiny: OnnxTokenClassifier, tiny_model_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert tiny.providers[0] == "CPUExecutionProvider"
    assert tiny.batch_tokens is None and tiny.parallel == 1  # the fixture runs one thread
    two = OnnxTokenClassifier.load(tiny_model_dir, provider="cpu", intra_op_threads=2)
    assert two.batch_tokens is None and two.parallel == 2
    caplog.set_level(logging.DEBUG, logger="guard.model.runtime")
    calls = _batches_run(two, caplog)
    distinct = int(re.findall(r"\((\d+) distinct, ", caplog.text)[-1])
    assert calls == distinct > len(TEXTS)
    assert calls > _batches_run(two, caplog, batch_tokens=100_000)
    for a, b in zip(two.analyze_many(TEXTS), tiny.analyze_many(TEXTS), strict=True):
        _same(a, b)  # windows run in parallel on two threads: same results as one at a time


def test_a_text_scores_the_same_whatever_else_is_in_the_call() -> None:
    # The shipped int8 graph quantizes activations with one scale per call: batched with other
    # texts, a code name scored anywhere from 0.9948 to 0.9988. One window per call must make the
    # scores a pure function of the text.
    import random

    clf = OnnxTokenClassifier.load(provider="cpu", intra_op_threads=2)
    rng = random.Random(3)
    words = ["alpha", "user", "id=42", "GET /api/v1/orders?id=99", "error", "timeout", "Q3", "roadmap"]
    others = [" ".join(rng.choice(words) for _ in range(rng.randint(5, 40))) for _ in range(100)]
    text = "2026-12-01T10:00:00Z INFO worker-3 roadmap review: project Zephyrquill slips to Q3"
    alone = clf.analyze(text)
    assert [f.label for f in alone.findings] == ["CODENAME"]
    for _ in range(5):
        batch = [*rng.sample(others, 20), text]
        rng.shuffle(batch)
        within = clf.analyze_many(batch)[batch.index(text)]
        np.testing.assert_array_equal(within.probs, alone.probs)
    batched = clf.analyze_many([*others[:20], text], batch_tokens=4096)[-1]
    assert not np.array_equal(batched.probs, alone.probs)  # what one window per call avoids


def test_repeated_windows_run_once_with_the_same_result(
    tiny: OnnxTokenClassifier, caplog: pytest.LogCaptureFixture
) -> None:
    block = " ".join(f"line {i}: host db{i}.corp.internal user=svc" for i in range(60))
    repeated = f"{block} {block} {block} tail {SECRET}"
    caplog.set_level(logging.DEBUG, logger="guard.model.runtime")
    together = tiny.analyze_many([repeated, block, block])
    windows, distinct = (
        int(n)
        for n in re.search(r"(\d+) windows \((\d+) distinct, ", caplog.text).groups()  # type: ignore[union-attr]
    )
    assert distinct < windows  # copies of the block ran once
    # without any copy in the call, each window runs on its own: same probabilities
    cut = tiny.manifest.max_length - 2
    alone = tiny.analyze(repeated)
    assert alone.num_tokens > 3 * cut
    _same(together[0], alone)
    _same(together[1], tiny.analyze_many([block], batch_tokens=1)[0])
    _same(together[1], together[2])


def test_concurrent_calls_from_threads_agree(tiny: OnnxTokenClassifier) -> None:
    expected = tiny.analyze_many(TEXTS)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: tiny.analyze_many(TEXTS), range(8)))
    for result in results:
        for a, b in zip(expected, result, strict=True):
            _same(a, b)


def test_empty_and_whitespace_texts(tiny: OnnxTokenClassifier) -> None:
    assert tiny.detect("") == []
    empty = tiny.analyze("")
    assert (empty.num_tokens, empty.num_windows, empty.findings) == (0, 0, [])
    assert tiny.analyze_many([]) == []
    assert tiny.detect(" \r\n\t ") == []


def test_bad_input_is_refused_clearly(tiny: OnnxTokenClassifier) -> None:
    with pytest.raises(TypeError, match="sequence of str"):
        tiny.analyze_many("one text")
    with pytest.raises(TypeError, match=r"texts\[1\] is bytes"):
        tiny.analyze_many(["ok", b"raw"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="is int"):
        tiny.detect(42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="batch_tokens"):
        tiny.analyze_many(["ok"], batch_tokens=0)
    bad = f"token {SECRET} \ud800 tail"
    with pytest.raises(InputError, match="unpaired surrogate code point at offset 27") as info:
        tiny.detect(bad)
    assert SECRET not in str(info.value)


def test_lowercase_models_keep_offsets(table_dir: Path, tmp_path: Path) -> None:
    text = "İstanbul ZEPHYR launch"
    assert len(_lower_same_length(text)) == len(text)
    shutil.copyfile(table_dir / "tokenizer.json", tmp_path / "tokenizer.json")
    build_table_model(tmp_path, tags_for_substrings(text.lower(), {"zephyr": "CODENAME"}), max_length=32)
    write_manifest(tmp_path, lowercase=True, max_length=32, stride=8)
    findings = OnnxTokenClassifier.load(tmp_path, provider="cpu").detect(text)
    assert [(f.label, text[f.start : f.end]) for f in findings] == [("CODENAME", "ZEPHYR")]


def test_logs_carry_no_guarded_text(
    table_dir: Path, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG, logger="guard")
    clf = OnnxTokenClassifier.load(table_dir, provider="cpu")
    findings = clf.analyze_many([MIXED, MIXED * 3])[0].findings
    assert any(f.label == "SECRET" for f in findings)
    assert "loaded model guard-test-table" in caplog.text and "model scanned 2 texts" in caplog.text
    out, err = capfd.readouterr()
    for secret in (SECRET, "田中太郎", "090-1234-5678"):
        assert secret not in caplog.text and secret not in out and secret not in err
    assert all(isinstance(f, Finding) for f in findings)


# --- bad model directories -----------------------------------------------------------------


def _linked_copy(src: Path, dst: Path, skip: str = "") -> Path:
    dst.mkdir(exist_ok=True)
    for name in ("model.onnx", "tokenizer.json", "guard_model.json"):
        if name != skip:
            os.symlink(src / name, dst / name)
    return dst


def test_missing_directory_and_files(tiny_model_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="model directory .* not found"):
        OnnxTokenClassifier.load(tmp_path / "nope")
    missing = [
        ("model.onnx", "ONNX graph .* not found"),
        ("tokenizer.json", "tokenizer .* not found"),
        ("guard_model.json", "manifest .* not found"),
    ]
    for name, message in missing:
        with pytest.raises(ModelError, match=message):
            OnnxTokenClassifier.load(_linked_copy(tiny_model_dir, tmp_path / name, skip=name), provider="cpu")


def test_corrupt_files(tiny_model_dir: Path, tmp_path: Path) -> None:
    onnx_dir = _linked_copy(tiny_model_dir, tmp_path / "onnx", skip="model.onnx")
    (onnx_dir / "model.onnx").write_bytes(b"\x08\x07garbage" * 100)
    with pytest.raises(ModelError, match="cannot load ONNX graph"):
        OnnxTokenClassifier.load(onnx_dir, provider="cpu")
    tok_dir = _linked_copy(tiny_model_dir, tmp_path / "tok", skip="tokenizer.json")
    (tok_dir / "tokenizer.json").write_text('{"version": "1.0", "model": 3}', encoding="utf-8")
    with pytest.raises(ModelError, match="not a valid tokenizers file"):
        OnnxTokenClassifier.load(tok_dir, provider="cpu")


def test_tags_must_match_the_graph_output_width(tiny_model_dir: Path, tmp_path: Path) -> None:
    model_dir = _linked_copy(tiny_model_dir, tmp_path / "m", skip="guard_model.json")
    write_manifest(model_dir, tags=["O", "B-SECRET", "I-SECRET"], thresholds={})
    with pytest.raises(ModelError, match="outputs 25 tag columns but the manifest lists 3"):
        OnnxTokenClassifier.load(model_dir, provider="cpu")


def test_window_too_small_for_the_stride(tiny_model_dir: Path, tmp_path: Path) -> None:
    model_dir = _linked_copy(tiny_model_dir, tmp_path / "m", skip="guard_model.json")
    write_manifest(model_dir, max_length=10, stride=4)
    with pytest.raises(ModelError, match="too few for stride"):
        OnnxTokenClassifier.load(model_dir, provider="cpu")


def test_public_interface_and_the_shared_fixture(guard_model_dir: Path) -> None:
    import guard.model

    for name in guard.model.__all__:
        assert hasattr(guard.model, name), name
    clf = OnnxTokenClassifier.load(guard_model_dir, provider="cpu")
    (analysis,) = clf.analyze_many(["Ping Anna at anna@corp.example"])
    assert analysis.num_tokens > 0 and analysis.text_length == 30
    assert set(clf.manifest.thresholds) == set(clf.manifest.labels)
    assert all(f.detector == "model" and f.score >= clf.score_floor for f in analysis.findings)
