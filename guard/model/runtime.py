"""`OnnxTokenClassifier`: the ONNX token-classifier detector (named ``model``).

Pipeline for a batch of texts:

1. Tokenize with the directory's ``tokenizer.json`` (``tokenizers`` only), without
   special tokens, with the tokenizer's own truncation and padding disabled. If the
   manifest says ``lowercase``, characters are lowercased one by one where that keeps
   the length (so offsets still index the original text).
2. Cut each token sequence into overlapping windows (`guard.model.windows`): at most
   ``max_length`` tokens per window including the special tokens the tokenizer's
   post-processor adds (XLM-R: ``<s>`` ... ``</s>``), overlapping by ``stride``.
   Nothing is truncated, whatever the length of the text.
3. Windows with identical token ids (repeated log lines, pasted boilerplate, repeated
   records in one batch) run once: the graph's output for a window depends only on its
   ids, so every copy takes the same probabilities for the tokens it owns.
4. Batch the distinct windows of all texts together, sorted by length so that batches of
   similar lengths are padded little, each batch holding at most ``batch_tokens`` padded
   tokens (`CPU_BATCH_TOKENS` per thread on CPU, `DEFAULT_BATCH_TOKENS` on a GPU).
5. Softmax with the manifest temperature; each token takes the probabilities of the
   window where it is most central.
6. BIO-decode into character spans (`guard.model.decode`).

A classifier holds no mutable state after `OnnxTokenClassifier.load`; onnxruntime
sessions and ``tokenizers`` tokenizers may be called from several threads at once, so
one instance can serve concurrent requests.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Encoding, Tokenizer

from guard.errors import InputError, ModelError
from guard.findings import Finding
from guard.model.decode import TokenAnalysis, decode, softmax
from guard.model.manifest import ModelManifest, default_model_path, load_manifest
from guard.model.session import CPU, ModelIO, auto_disabled_optimizers, create_session, resolve_providers
from guard.model.windows import Window, plan_windows

__all__ = [
    "CPU_BATCH_TOKENS",
    "DEFAULT_BATCH_TOKENS",
    "SCORE_FLOOR",
    "SMALL_BATCH_TOKENS",
    "OnnxTokenClassifier",
]

log = logging.getLogger(__name__)

#: Findings scoring below this are dropped by the runtime; policy thresholds apply later.
SCORE_FLOOR = 0.05
#: Bound on padded tokens per inference call on a GPU, where big batches keep the device busy.
DEFAULT_BATCH_TOKENS = 8192
#: Bound on padded tokens per inference call on CPU, per intra-op thread: a call's activations
#: (the FFN's 4x hidden rows, the attention scores) then stay in the cores' L2 caches. Measured on
#: the shipped int8 model, 2 cores, 64 texts of 200 B / 4 texts of 8 KB per call
#: (`bench/bench_batch_tokens.py`, bench/results/batch_tokens.md): 1 thread is fastest at 256-1024
#: tokens per call (262-284 texts/s, 35.6-36.4 KB/s; 8192 tokens: 176, 26.1), 2 threads at 1024-2048
#: (394-396 texts/s, 58-60 KB/s; 8192 tokens: 321, 49.5).
CPU_BATCH_TOKENS = 512
#: On CPU, batches of at most this many padded tokens (a URL, a form field, a short chat message)
#: run on a single-threaded session: waking a thread pool costs more than it saves there. Measured
#: on the shipped int8 model, 2 cores: 12 tokens 1.19 ms on one thread vs 1.47 ms on two, 64 tokens
#: 3.0 vs 3.4 ms; at 260 tokens two threads win (14.1 vs 15.9 ms).
SMALL_BATCH_TOKENS = 128
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"


class OnnxTokenClassifier:
    """The transformer token classifier, a `guard.detect.base.Detector` named ``model``.

    Build it with `OnnxTokenClassifier.load`.

    Attributes:
        name: always ``"model"``.
        manifest: the validated ``guard_model.json``.
        path: the model directory.
        batch_tokens: padded tokens per inference call when `analyze_many` is not told
            (`CPU_BATCH_TOKENS` per intra-op thread on CPU, `DEFAULT_BATCH_TOKENS` on a GPU).
    """

    name = "model"

    def __init__(
        self,
        path: Path,
        manifest: ModelManifest,
        tokenizer: Tokenizer,
        session: ort.InferenceSession,
        score_floor: float = SCORE_FLOOR,
        small_session: ort.InferenceSession | None = None,
    ) -> None:
        """Wire loaded parts together; prefer `load`, which validates them.

        ``small_session``, when given, is a single-threaded session of the same graph that runs
        batches of at most `SMALL_BATCH_TOKENS` padded tokens.
        """
        self.path = path
        self.manifest = manifest
        self._tokenizer = tokenizer
        self._session = session
        self._small = small_session
        self._io = ModelIO(session, path / MODEL_FILE)
        self._floor = score_floor
        self._prefix, self._suffix = _special_ids(tokenizer)
        self._pad_id = _pad_id(tokenizer)
        self.batch_tokens = DEFAULT_BATCH_TOKENS
        if session.get_providers()[0] == CPU:
            threads = session.get_session_options().intra_op_num_threads or os.cpu_count() or 1
            self.batch_tokens = CPU_BATCH_TOKENS * threads
        self._content = manifest.max_length - len(self._prefix) - len(self._suffix)
        if self._content <= 2 * manifest.stride:
            raise ModelError(
                f"{path}: max_length {manifest.max_length} leaves {self._content} content tokens, "
                f"too few for stride {manifest.stride}"
            )
        self._check_width()

    @classmethod
    def load(
        cls,
        path: Path | str | None = None,
        provider: str = "auto",
        intra_op_threads: int | None = None,
        *,
        disabled_optimizers: Sequence[str] | None = None,
        score_floor: float = SCORE_FLOOR,
    ) -> OnnxTokenClassifier:
        """Load a model directory.

        Args:
            path: directory with ``model.onnx``, ``tokenizer.json`` and ``guard_model.json``;
                None loads the packaged default model (`default_model_path`).
            provider: ``"auto"``, ``"cpu"`` or ``"cuda"`` (see `guard.model.session`).
            intra_op_threads: onnxruntime intra-op threads (None: onnxruntime's default,
                one per physical core).
            disabled_optimizers: onnxruntime graph transformers to skip, e.g.
                `guard.model.session.INT8_CPU_SLOW_FUSIONS`; None (default) skips those for
                an int8 graph on CPU and keeps every fusion otherwise (see `guard.model.session`).
            score_floor: findings below this score are not reported.

        Raises:
            ModelError: the directory or one of its files is missing or corrupt, the graph
                does not match the manifest, or a forced provider is unavailable.
        """
        if not 0.0 <= score_floor <= 1.0:
            raise ValueError(f"score_floor must be in [0, 1], not {score_floor}")
        root = default_model_path() if path is None else Path(path)
        if not root.is_dir():
            raise ModelError(f"model directory {root} not found")
        manifest = load_manifest(root)
        tokenizer = _load_tokenizer(root / TOKENIZER_FILE)
        graph = root / MODEL_FILE
        if disabled_optimizers is None:  # decided once: the check reads the whole graph file
            disabled_optimizers = auto_disabled_optimizers(graph, resolve_providers(provider))
        session = create_session(graph, provider, intra_op_threads, disabled_optimizers)
        small = None
        if session.get_providers()[0] == CPU and intra_op_threads != 1:
            small = create_session(graph, "cpu", 1, disabled_optimizers)
        classifier = cls(root, manifest, tokenizer, session, score_floor, small)
        log.info(
            "loaded model %s %s from %s on %s",
            manifest.name,
            manifest.version,
            root,
            ",".join(classifier.providers),
        )
        return classifier

    @property
    def providers(self) -> list[str]:
        """Execution providers the session actually uses, in priority order."""
        return list(self._session.get_providers())

    @property
    def score_floor(self) -> float:
        """Findings scoring below this are not reported."""
        return self._floor

    def detect(self, text: str) -> list[Finding]:
        """Return the spans the model finds in ``text`` (the `Detector` protocol)."""
        return self.analyze_many([text])[0].findings

    def analyze(self, text: str) -> TokenAnalysis:
        """Analyse one text; see `analyze_many`."""
        return self.analyze_many([text])[0]

    def analyze_many(self, texts: Sequence[str], batch_tokens: int | None = None) -> list[TokenAnalysis]:
        """Analyse many texts, batching their windows together.

        Args:
            texts: the texts; each must be a ``str`` (empty is fine).
            batch_tokens: at most this many padded tokens per inference call (a window
                longer than this still runs, alone); None: `batch_tokens` of the instance
                (`CPU_BATCH_TOKENS` per intra-op thread on CPU, `DEFAULT_BATCH_TOKENS` on a GPU).

        Returns:
            One `TokenAnalysis` per text, in order. Results do not depend on batching.

        Raises:
            TypeError: ``texts`` is a single string or holds a non-string.
            InputError: a text cannot be tokenized (unpaired surrogate code points).
            ModelError: inference failed.
        """
        if isinstance(texts, str | bytes):
            raise TypeError("analyze_many takes a sequence of str, not a single text")
        for index, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"texts[{index}] is {type(text).__name__}, not str")
        if batch_tokens is None:
            batch_tokens = self.batch_tokens
        if batch_tokens < 1:
            raise ValueError(f"batch_tokens must be >= 1, not {batch_tokens}")
        encodings = self._encode(texts)
        n_tags = len(self.manifest.tags)
        ids = [np.asarray(enc.ids, dtype=np.int64) for enc in encodings]
        probs = [np.zeros((len(seq), n_tags), dtype=np.float32) for seq in ids]
        plans = [plan_windows(len(seq), self._content, self.manifest.stride) for seq in ids]
        groups: dict[bytes, list[tuple[int, Window]]] = {}
        for t, plan in enumerate(plans):
            for w in plan:
                groups.setdefault(ids[t][w.start : w.end].tobytes(), []).append((t, w))
        jobs = sorted(groups.values(), key=lambda copies: copies[0][1].end - copies[0][1].start)
        batches = 0
        for batch in _batches(jobs, batch_tokens, len(self._prefix) + len(self._suffix)):
            self._run(batch, ids, probs)
            batches += 1
        log.debug(
            "model scanned %d texts: %d tokens, %d windows (%d distinct), %d batches",
            len(texts),
            sum(len(seq) for seq in ids),
            sum(len(plan) for plan in plans),
            len(jobs),
            batches,
        )
        return [
            decode(
                text,
                enc.offsets,
                prob,
                self.manifest.tags,
                num_windows=len(plan),
                floor=self._floor,
            )
            for text, enc, prob, plan in zip(texts, encodings, probs, plans, strict=True)
        ]

    def _encode(self, texts: Sequence[str]) -> list[Encoding]:
        prepared = [_lower_same_length(t) for t in texts] if self.manifest.lowercase else list(texts)
        try:
            if len(prepared) == 1:  # no thread-pool hand-off for the common single request
                return [self._tokenizer.encode(prepared[0], add_special_tokens=False)]
            return list(self._tokenizer.encode_batch(prepared, add_special_tokens=False))
        except Exception as exc:  # tokenizers raises plain Exception/TypeError on bad str
            for index, text in enumerate(texts):
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError as bad:
                    raise InputError(
                        f"text {index} has an unpaired surrogate code point at offset {bad.start}"
                    ) from None
            raise ModelError(f"tokenization failed ({type(exc).__name__})") from exc

    def _run(
        self, batch: list[list[tuple[int, Window]]], ids: list[np.ndarray], probs: list[np.ndarray]
    ) -> None:
        """Run one batch of distinct windows; every copy stores the probabilities of the tokens it owns."""
        lead = len(self._prefix)
        width = max(copies[0][1].end - copies[0][1].start for copies in batch) + lead + len(self._suffix)
        input_ids = np.full((len(batch), width), self._pad_id, dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, copies in enumerate(batch):
            t, w = copies[0]
            seq = np.concatenate([self._prefix, ids[t][w.start : w.end], self._suffix])
            input_ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1
        try:
            small = self._small if input_ids.size <= SMALL_BATCH_TOKENS else None
            session = small if small is not None else self._session
            (logits,) = session.run([self._io.logits_name], self._io.feed(input_ids, mask))
        except Exception as exc:  # onnxruntime pybind errors; never include inputs
            raise ModelError(f"inference failed ({type(exc).__name__})") from exc
        for row, copies in enumerate(batch):
            n = copies[0][1].end - copies[0][1].start
            window_probs = softmax(logits[row, lead : lead + n], self.manifest.temperature)
            for t, w in copies:
                probs[t][w.own_start : w.own_end] = window_probs[w.own_start - w.start : w.own_end - w.start]

    def _check_width(self) -> None:
        """Fail early when the graph's output does not have one column per manifest tag."""
        tags = len(self.manifest.tags)
        width = self._io.width
        if width is None:  # dynamic last axis: ask the graph with a two-token input
            seq = np.concatenate([self._prefix, np.array([self._pad_id]), self._suffix])[None, :]
            try:
                (logits,) = self._session.run(
                    [self._io.logits_name], self._io.feed(seq.astype(np.int64), np.ones_like(seq))
                )
            except Exception as exc:
                raise ModelError(f"{self.path}: test inference failed ({type(exc).__name__})") from exc
            width = int(logits.shape[-1])
        if width != tags:
            raise ModelError(
                f"{self.path}: the graph outputs {width} tag columns but the manifest lists {tags} tags"
            )

    def __repr__(self) -> str:
        return f"OnnxTokenClassifier({self.manifest.name!r} {self.manifest.version!r} on {self.providers})"


def _load_tokenizer(file: Path) -> Tokenizer:
    if not file.is_file():
        raise ModelError(f"tokenizer {file} not found")
    try:
        tokenizer = Tokenizer.from_file(str(file))
    except Exception as exc:  # tokenizers raises a bare Exception on bad JSON
        raise ModelError(f"tokenizer {file} is not a valid tokenizers file") from exc
    # windows are cut here, not by the tokenizer: its own truncation would drop text
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def _special_ids(tokenizer: Tokenizer) -> tuple[np.ndarray, np.ndarray]:
    """Special token ids the post-processor puts before and after a single sequence."""
    enc = tokenizer.encode("a", add_special_tokens=True)
    mask = enc.special_tokens_mask
    content = [i for i, special in enumerate(mask) if not special]
    first = content[0] if content else len(mask)
    last = content[-1] + 1 if content else len(mask)
    return (
        np.asarray(enc.ids[:first], dtype=np.int64),
        np.asarray(enc.ids[last:], dtype=np.int64),
    )


def _pad_id(tokenizer: Tokenizer) -> int:
    for token in ("<pad>", "[PAD]"):
        token_id = tokenizer.token_to_id(token)
        if token_id is not None:
            return int(token_id)
    return 0  # padded positions are masked out, the id only has to exist


def _lower_same_length(text: str) -> str:
    """Lowercase character by character, keeping characters whose lowercase is longer."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(low := c.lower()) != 1 else low for c in text)


def _batches(
    jobs: list[list[tuple[int, Window]]], batch_tokens: int, specials: int
) -> list[list[list[tuple[int, Window]]]]:
    """Group length-sorted distinct windows (with their copies): rows x longest row <= batch_tokens."""
    batches: list[list[list[tuple[int, Window]]]] = []
    current: list[list[tuple[int, Window]]] = []
    for job in jobs:
        length = job[0][1].end - job[0][1].start + specials  # jobs are sorted: this is the longest
        if current and (len(current) + 1) * length > batch_tokens:
            batches.append(current)
            current = []
        current.append(job)
    if current:
        batches.append(current)
    return batches
