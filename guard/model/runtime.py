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
4. Run the distinct windows. On CPU each window runs alone, one window per call on a
   single-threaded session, and the calls of one `analyze_many` run in parallel on a pool of
   ``intra_op_threads`` threads. A dynamically quantized (int8) graph computes one activation
   scale per call over the whole input tensor, so in a batched call a window's scores moved with
   the other texts in the batch (the shipped model: a code name scored 0.9948 to 0.9988 depending
   on its batch, 28 of 30 random batches differed from the text alone). One window per call makes
   a text's findings a pure function of the text: the server's verdict does not depend on other
   users' concurrent requests, and local, resumed and Spark audits agree. On 2 cores it is faster
   than the former batched calls on a 2-thread session (64 x 200 B texts 472.9 vs 395.5 texts/s,
   8 KB texts 68.6 vs 59.6 KB/s) and within ~10 % of batches run on the same thread pool
   (bench/results/batch_tokens.md); with one thread and short log lines it is slower than
   batching (the audit, bench/results/audit_20mb.md). On a GPU the windows are
   batched, sorted by length so that batches of similar lengths are padded little, each batch
   holding at most ``batch_tokens`` padded tokens (`DEFAULT_BATCH_TOKENS`).
   With a cascade gate in the model directory (`guard.model.cascade`, on unless ``cascade`` is
   False), only the distinct windows the gate lets through run; the others own ``O`` tokens.
5. Softmax with the manifest temperature; each token takes the probabilities of the
   window where it is most central.
6. BIO-decode into character spans (`guard.model.decode`).

After `OnnxTokenClassifier.load` a classifier's only mutable state is its call pool, created
under a lock on first use; onnxruntime sessions and ``tokenizers`` tokenizers may be called
from several threads at once, so one instance can serve concurrent requests.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Encoding, Tokenizer

from guard.detect.base import ScanContext
from guard.errors import InputError, ModelError
from guard.findings import Finding
from guard.model.cascade import Gate
from guard.model.decode import TokenAnalysis, decode, softmax
from guard.model.manifest import ModelManifest, default_model_path, load_manifest
from guard.model.session import CPU, ModelIO, auto_disabled_optimizers, create_session, resolve_providers
from guard.model.windows import Window, plan_windows

__all__ = [
    "DEFAULT_BATCH_TOKENS",
    "SCORE_FLOOR",
    "OnnxTokenClassifier",
]

log = logging.getLogger(__name__)

#: Findings scoring below this are dropped by the runtime; policy thresholds apply later.
SCORE_FLOOR = 0.05
#: Bound on padded tokens per inference call on a GPU, where big batches keep the device busy.
DEFAULT_BATCH_TOKENS = 8192
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"


class OnnxTokenClassifier:
    """The transformer token classifier, a `guard.detect.base.Detector` named ``model``.

    Build it with `OnnxTokenClassifier.load`.

    Attributes:
        name: always ``"model"``.
        manifest: the validated ``guard_model.json``.
        path: the model directory.
        batch_tokens: padded tokens per inference call when `analyze_many` is not told:
            None on CPU (one window per call), `DEFAULT_BATCH_TOKENS` on a GPU.
        parallel: windows run at once on CPU (threads of the call pool; 1: on the caller's thread).
    """

    name = "model"

    def __init__(
        self,
        path: Path,
        manifest: ModelManifest,
        tokenizer: Tokenizer,
        session: ort.InferenceSession,
        score_floor: float = SCORE_FLOOR,
        parallel: int = 1,
    ) -> None:
        """Wire loaded parts together; prefer `load`, which validates them.

        On CPU, ``session`` should be single-threaded: windows run one per call, ``parallel`` calls
        at once.
        """
        if parallel < 1:
            raise ValueError(f"parallel must be >= 1, not {parallel}")
        self.path = path
        self.manifest = manifest
        self._tokenizer = tokenizer
        self._session = session
        self._io = ModelIO(session, path / MODEL_FILE)
        self._floor = score_floor
        self._prefix, self._suffix = _special_ids(tokenizer)
        self._pad_id = _pad_id(tokenizer)
        on_cpu = session.get_providers()[0] == CPU
        self.batch_tokens: int | None = None if on_cpu else DEFAULT_BATCH_TOKENS
        self.parallel = parallel if on_cpu else 1
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        self._content = manifest.max_length - len(self._prefix) - len(self._suffix)
        self._o_column = manifest.tags.index("O")
        #: the first-stage gate, when the model ships one (`load`); `cascade` switches it off
        self.gate: Gate | None = None
        self.cascade = True
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
            intra_op_threads: inference threads (None: one per core). On CPU each window runs
                on a single-threaded session and this many windows run at once; on a GPU it is
                onnxruntime's intra-op thread count.
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
        if intra_op_threads is not None and intra_op_threads < 1:
            raise ValueError(f"intra_op_threads must be >= 1, not {intra_op_threads}")
        graph = root / MODEL_FILE
        providers = resolve_providers(provider)
        if disabled_optimizers is None:  # decided once: the check reads the whole graph file
            disabled_optimizers = auto_disabled_optimizers(graph, providers)
        on_cpu = providers == [CPU]
        session = create_session(graph, provider, 1 if on_cpu else intra_op_threads, disabled_optimizers)
        if not on_cpu and session.get_providers()[0] == CPU:  # the GPU did not start: CPU after all
            on_cpu = True
            session = create_session(graph, "cpu", 1, auto_disabled_optimizers(graph, [CPU]))
        parallel = (intra_op_threads or os.cpu_count() or 1) if on_cpu else 1
        classifier = cls(root, manifest, tokenizer, session, score_floor, parallel)
        if manifest.cascade is not None:
            classifier.gate = Gate.load(root, manifest.cascade, classifier.vocab_size)
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

    def detect(self, text: str, context: ScanContext | None = None) -> list[Finding]:
        """Return the spans the model finds in ``text`` (the `Detector` protocol)."""
        return self.analyze_many([text])[0].findings

    def analyze(self, text: str) -> TokenAnalysis:
        """Analyse one text; see `analyze_many`."""
        return self.analyze_many([text])[0]

    def analyze_many(
        self, texts: Sequence[str], batch_tokens: int | None = None, cascade: bool | None = None
    ) -> list[TokenAnalysis]:
        """Analyse many texts, batching their windows together.

        Args:
            texts: the texts; each must be a ``str`` (empty is fine).
            batch_tokens: batch windows into calls of at most this many padded tokens (a
                window longer than this still runs, alone); None: `batch_tokens` of the
                instance (on CPU None: one window per call, see the module docstring).
            cascade: let the gate skip windows (None: the instance's `cascade`; without a gate
                every window runs either way).

        Returns:
            One `TokenAnalysis` per text, in order. With one window per call (the CPU default)
            a text's results do not depend on the other texts; in batched calls of a
            dynamically quantized graph its scores move slightly with the batch.

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
        if batch_tokens is not None and batch_tokens < 1:
            raise ValueError(f"batch_tokens must be >= 1, not {batch_tokens}")
        encodings = self._encode(texts)
        n_tags = len(self.manifest.tags)
        ids = [np.asarray(enc.ids, dtype=np.int64) for enc in encodings]
        probs = [np.zeros((len(seq), n_tags), dtype=np.float32) for seq in ids]
        plans, groups = self.window_groups(ids)
        distinct = len(groups)
        jobs = self._gated(list(groups.values()), ids, probs, self.cascade if cascade is None else cascade)
        jobs.sort(key=lambda copies: copies[0][1].end - copies[0][1].start)
        if batch_tokens is None:
            calls = [[job] for job in jobs]
        else:
            calls = list(_batches(jobs, batch_tokens, len(self._prefix) + len(self._suffix)))
        self._run_all(calls, ids, probs)
        batches = len(calls)
        log.debug(
            "model scanned %d texts: %d tokens, %d windows (%d distinct, %d past the gate), %d batches",
            len(texts),
            sum(len(seq) for seq in ids),
            sum(len(plan) for plan in plans),
            distinct,
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

    def _gated(
        self,
        jobs: list[list[tuple[int, Window]]],
        ids: list[np.ndarray],
        probs: list[np.ndarray],
        use_gate: bool,
    ) -> list[list[tuple[int, Window]]]:
        """The distinct windows the gate lets through; every copy of the others owns ``O`` tokens."""
        if self.gate is None or not use_gate:
            return jobs
        kept: list[list[tuple[int, Window]]] = []
        for copies in jobs:
            t, w = copies[0]
            if self.gate.passes(ids[t][w.start : w.end]):
                kept.append(copies)
            else:
                for t2, w2 in copies:
                    probs[t2][w2.own_start : w2.own_end, self._o_column] = 1.0
        return kept

    def window_groups(
        self, ids: Sequence[np.ndarray]
    ) -> tuple[list[list[Window]], dict[bytes, list[tuple[int, Window]]]]:
        """The windows of each token sequence, and the same windows grouped by their token ids: a
        window that occurs more than once (repeated lines, several texts) is one group, its copies
        ``(sequence index, window)`` in order of first occurrence. Each group runs once."""
        plans = [plan_windows(len(seq), self._content, self.manifest.stride) for seq in ids]
        groups: dict[bytes, list[tuple[int, Window]]] = {}
        for t, plan in enumerate(plans):
            for w in plan:
                groups.setdefault(ids[t][w.start : w.end].tobytes(), []).append((t, w))
        return plans, groups

    def token_ids(self, texts: Sequence[str]) -> list[np.ndarray]:
        """Content token ids of each text, as `analyze_many` windows them (for `training.cascade`)."""
        return [np.asarray(enc.ids, dtype=np.int64) for enc in self._encode(texts)]

    @property
    def vocab_size(self) -> int:
        """Ids the tokenizer can produce."""
        return int(self._tokenizer.get_vocab_size())

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
            (logits,) = self._session.run([self._io.logits_name], self._io.feed(input_ids, mask))
        except Exception as exc:  # onnxruntime pybind errors; never include inputs
            raise ModelError(f"inference failed ({type(exc).__name__})") from exc
        for row, copies in enumerate(batch):
            n = copies[0][1].end - copies[0][1].start
            window_probs = softmax(logits[row, lead : lead + n], self.manifest.temperature)
            for t, w in copies:
                probs[t][w.own_start : w.own_end] = window_probs[w.own_start - w.start : w.own_end - w.start]

    def _run_all(
        self, calls: list[list[list[tuple[int, Window]]]], ids: list[np.ndarray], probs: list[np.ndarray]
    ) -> None:
        """Run the calls (each a batch of distinct windows, in length order), `parallel` at once.

        Windows of one text own disjoint token ranges, so the threads never write the same rows.
        """
        if self.parallel == 1 or len(calls) < 2:
            for batch in calls:
                self._run(batch, ids, probs)
            return
        with self._pool_lock:
            if self._pool is None:  # created on first use: a pool must not exist before a fork
                self._pool = ThreadPoolExecutor(self.parallel, thread_name_prefix="guard-model")
        # longest first: the threads finish together
        list(self._pool.map(lambda batch: self._run(batch, ids, probs), reversed(calls)))

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

    def close(self) -> None:
        """Stop the call pool and drop the session; the classifier cannot be used afterwards."""
        with self._pool_lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None
        self.session = None

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
