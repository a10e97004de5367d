"""bench.profile_scan: stacks to stages, and onnxruntime's per-operator profile of a session."""

from __future__ import annotations

import json
from pathlib import Path

from bench.profile_scan import STAGES, fold, stage_of
from guard.model.session import create_session

_LOOP = "<module> (p.py:1);_worker (bench/profile_scan.py:80);_measured_loop (bench/profile_scan.py:7)"


def test_a_stack_goes_to_its_most_specific_stage() -> None:
    run = "Guard.scan (guard/api.py:280);OnnxTokenClassifier._run (guard/model/runtime.py:352)"
    assert stage_of(run + ";Session.run (onnxruntime/capi/onnxruntime_inference_collection.py:406)") == (
        "model: onnxruntime run"
    )
    decoding = "Guard.scan (guard/api.py:280);decode (guard/model/decode.py:120)"
    assert stage_of(decoding) == "model: BIO decoding"
    assert stage_of("Guard._detect (guard/api.py:331);detect (guard/detect/patterns.py:299)") == (
        "detectors: pattern table"
    )
    assert stage_of("Guard._finish (guard/api.py:380)") == STAGES[-1][0]


def test_fold_counts_only_samples_of_the_measured_loop() -> None:
    raw = "\n".join(
        [
            f"{_LOOP};Guard.scan (guard/api.py:280);detect (guard/detect/entropy.py:50) 3",
            f"{_LOOP};Guard.scan (guard/api.py:280);fuse (guard/fusion.py:130) 2",
            "<module> (profile_scan.py:1);_find_and_load (<frozen importlib._bootstrap>:1) 40",
            "<module> (profile_scan.py:1);Guard.load (guard/api.py:240) 7",
            "",
        ]
    )
    stages, total = fold(raw)
    assert total == 5
    assert stages == {"detectors: entropy": 3, "fusion": 2}


def test_a_profiled_session_writes_kernel_times_per_operator(tiny_model_dir: Path, tmp_path: Path) -> None:
    import numpy as np

    session = create_session(tiny_model_dir / "model.onnx", "cpu", 1, profile_prefix=tmp_path / "ort")
    names = [i.name for i in session.get_inputs()]
    ids = np.array([[0, 5, 6, 7, 2]], dtype=np.int64)
    session.run(None, {n: ids if "ids" in n else np.ones_like(ids) for n in names})
    profile = Path(session.end_profiling())
    assert profile.parent == tmp_path and profile.name.startswith("ort")
    events = json.loads(profile.read_text())
    kernels = [e for e in events if e.get("cat") == "Node" and e["name"].endswith("_kernel_time")]
    assert kernels and all("op_name" in e["args"] for e in kernels)
