"""onnxruntime session creation: execution provider choice, options, graph checks.

Providers:

* ``"auto"``: ``CUDAExecutionProvider`` when onnxruntime lists it (the ``onnxruntime-gpu``
  build, ``guard[gpu]``), else CPU. TensorRT is never chosen automatically. If the CUDA
  provider is listed but fails to start (no driver, wrong CUDA libraries), onnxruntime
  falls back to CPU and a warning is logged.
* ``"cpu"``: ``CPUExecutionProvider`` only.
* ``"cuda"``: CUDA is required: `ModelError` when it is not available or does not start.

Graph optimisation runs at ``ORT_ENABLE_ALL``. ``disabled_optimizers`` names onnxruntime
graph transformers to skip (passed to ``InferenceSession(disabled_optimizers=...)``);
`INT8_CPU_SLOW_FUSIONS` are the fusions that slow dynamically quantized (int8) BERT graphs
on CPUs with VNNI/AMX. ``None`` (the default) means *auto*: skip them when the session runs
on CPU only and the graph is dynamically quantized (it holds ``DynamicQuantizeLinear``
nodes), keep every fusion otherwise (fp32/fp16 graphs, GPU). Measured with
``bench/bench_scan.py`` on the shipped 6-layer int8 model, 2 cores of an idle Intel Xeon
(AMX): 14.0 k tokens/s with the fusions skipped vs 12.2 k with them (x1.15), p50 latency
19.7 vs 23.4 ms (bench/results/scan.md). Unknown transformer names are ignored by
onnxruntime.

Intra-op threads do not spin-wait between runs (onnxruntime's ``allow_spinning`` is off unless
``GUARD_ORT_SPINNING=1``): guard shares its cores with the proxy, the server's event loop or other
audit workers, and spinning burned ~12 ms of CPU after each 1.4 ms run of a short input. Through
the proxies (bench/bench_proxy.py, idle 2-core machine) a 1 KB POST gained 38 -> 27 ms p50 added
latency with spinning off; a dedicated, saturated inference server may set ``GUARD_ORT_SPINNING=1``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import onnxruntime as ort

from guard.errors import ModelError

__all__ = [
    "INT8_CPU_SLOW_FUSIONS",
    "auto_disabled_optimizers",
    "is_dynamically_quantized",
    "Provider",
    "ModelIO",
    "create_session",
    "resolve_providers",
]

log = logging.getLogger(__name__)

Provider = Literal["auto", "cpu", "cuda"]
CPU = "CPUExecutionProvider"
CUDA = "CUDAExecutionProvider"
#: onnxruntime transformer names (GraphTransformer::Name()) of the two fusions.
INT8_CPU_SLOW_FUSIONS: tuple[str, ...] = ("SkipLayerNormFusion", "BiasGeluFusion")
_INT_TYPES = {"tensor(int64)": np.int64, "tensor(int32)": np.int32}


def resolve_providers(provider: str, available: Sequence[str] | None = None) -> list[str]:
    """Return the onnxruntime provider list for ``provider``.

    Args:
        provider: ``"auto"``, ``"cpu"`` or ``"cuda"``.
        available: providers onnxruntime offers (default: ``ort.get_available_providers()``).

    Raises:
        ValueError: unknown ``provider`` value (programmer error).
        ModelError: ``"cuda"`` asked for but onnxruntime has no CUDA provider.
    """
    offered = list(ort.get_available_providers() if available is None else available)
    if provider == "cpu":
        return [CPU]
    if provider == "auto":
        return [CUDA, CPU] if CUDA in offered else [CPU]
    if provider == "cuda":
        if CUDA not in offered:
            raise ModelError(
                "provider 'cuda' asked for, but onnxruntime offers no CUDAExecutionProvider "
                "(install guard[gpu], i.e. onnxruntime-gpu, on a machine with an NVIDIA GPU)"
            )
        return [CUDA, CPU]
    raise ValueError(f"provider must be 'auto', 'cpu' or 'cuda', not {provider!r}")


class ModelIO:
    """Names and integer types of the graph's inputs, checked against the contract.

    Attributes:
        ids_name / mask_name: the ``input_ids`` and ``attention_mask`` inputs.
        type_ids_name: ``token_type_ids`` if the graph has it (fed zeros), else None.
        int_type: numpy integer type of the inputs (int64, or int32 for some exports).
        logits_name: the output read (``logits``, else the first output).
        width: number of tag columns if the graph declares it statically, else None.
    """

    def __init__(self, session: ort.InferenceSession, source: Path) -> None:
        inputs = {node.name: node for node in session.get_inputs()}
        for needed in ("input_ids", "attention_mask"):
            if needed not in inputs:
                raise ModelError(f"{source}: the graph has no input {needed!r}")
        extra = set(inputs) - {"input_ids", "attention_mask", "token_type_ids"}
        if extra:
            raise ModelError(f"{source}: unexpected graph inputs {sorted(extra)}")
        kinds = {inputs[name].type for name in inputs}
        if len(kinds) != 1 or next(iter(kinds)) not in _INT_TYPES:
            raise ModelError(f"{source}: graph inputs must all be int64 (or all int32), got {sorted(kinds)}")
        self.ids_name = "input_ids"
        self.mask_name = "attention_mask"
        self.type_ids_name = "token_type_ids" if "token_type_ids" in inputs else None
        self.int_type = _INT_TYPES[next(iter(kinds))]
        outputs = session.get_outputs()
        chosen = next((node for node in outputs if node.name == "logits"), outputs[0])
        self.logits_name: str = chosen.name
        shape = chosen.shape
        if len(shape) != 3:
            raise ModelError(f"{source}: output {chosen.name!r} must be [batch, seq, num_tags]")
        self.width: int | None = shape[2] if isinstance(shape[2], int) else None

    def feed(self, ids: np.ndarray, mask: np.ndarray) -> dict[str, np.ndarray]:
        """Build the ``run`` input dict from int64 ``ids`` and ``mask`` arrays."""
        feed = {
            self.ids_name: ids.astype(self.int_type, copy=False),
            self.mask_name: mask.astype(self.int_type, copy=False),
        }
        if self.type_ids_name is not None:
            feed[self.type_ids_name] = np.zeros_like(feed[self.ids_name])
        return feed


def is_dynamically_quantized(model_file: Path) -> bool:
    """Whether the graph holds ``DynamicQuantizeLinear`` nodes (int8 weights, uint8 activations).

    Op types are plain strings in the ONNX protobuf, so a byte search answers without the
    ``onnx`` package; an unreadable file answers False (`create_session` reports it).
    """
    try:
        with model_file.open("rb") as fh:
            tail = b""
            while chunk := fh.read(1 << 22):
                if b"DynamicQuantizeLinear" in tail + chunk:
                    return True
                tail = chunk[-32:]
    except OSError:
        return False
    return False


def auto_disabled_optimizers(model_file: Path, providers: Sequence[str]) -> tuple[str, ...]:
    """`INT8_CPU_SLOW_FUSIONS` for a dynamically quantized graph on CPU only, else nothing."""
    if list(providers) == [CPU] and is_dynamically_quantized(model_file):
        return INT8_CPU_SLOW_FUSIONS
    return ()


def create_session(
    model_file: Path,
    provider: str,
    intra_op_threads: int | None,
    disabled_optimizers: Sequence[str] | None = None,
    save_optimized: Path | None = None,
    profile_prefix: Path | None = None,
) -> ort.InferenceSession:
    """Open ``model_file`` with onnxruntime.

    Args:
        model_file: the ONNX graph.
        provider: ``"auto"``, ``"cpu"`` or ``"cuda"``.
        intra_op_threads: intra-op threads, None for onnxruntime's default.
        disabled_optimizers: graph transformers to skip; None chooses (`auto_disabled_optimizers`).
        save_optimized: where to write the optimised graph (benchmarks and tests inspect
            which fusions ran), None to skip.
        profile_prefix: write onnxruntime's per-operator profile (JSON, path returned by the
            session's ``end_profiling``) under this file prefix (benchmarks), None to skip.

    Raises:
        ModelError: the file is missing or not a loadable ONNX graph, or CUDA was forced
            and did not start.
        ValueError: bad ``provider`` or ``intra_op_threads`` (programmer error).
    """
    providers = resolve_providers(provider)
    if intra_op_threads is not None and intra_op_threads < 1:
        raise ValueError(f"intra_op_threads must be >= 1, not {intra_op_threads}")
    if not model_file.is_file():
        raise ModelError(f"ONNX graph {model_file} not found")
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.inter_op_num_threads = 1
    if intra_op_threads is not None:
        options.intra_op_num_threads = intra_op_threads
    if disabled_optimizers is None:
        disabled_optimizers = auto_disabled_optimizers(model_file, providers)
    if save_optimized is not None:
        options.optimized_model_filepath = str(save_optimized)
    if profile_prefix is not None:
        options.enable_profiling = True
        options.profile_file_prefix = str(profile_prefix)
    options.log_severity_level = 3  # errors only: onnxruntime warnings are not ours to print
    spinning = os.environ.get("GUARD_ORT_SPINNING", "0").strip()
    if spinning not in ("0", "1"):
        raise ModelError(f"GUARD_ORT_SPINNING must be 0 or 1, not {spinning!r}")
    options.add_session_config_entry("session.intra_op.allow_spinning", spinning)
    try:
        session = ort.InferenceSession(
            str(model_file),
            sess_options=options,
            providers=providers,
            disabled_optimizers=list(disabled_optimizers),
        )
    except Exception as exc:  # onnxruntime raises its own pybind types (Fail, InvalidProtobuf...)
        raise ModelError(f"cannot load ONNX graph {model_file}: {type(exc).__name__}") from exc
    used = session.get_providers()
    if CUDA in providers and CUDA not in used:
        if provider == "cuda":
            raise ModelError("provider 'cuda' asked for, but the CUDA execution provider did not start")
        log.warning("CUDA execution provider did not start; running on %s", used)
    return session
