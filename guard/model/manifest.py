"""The model manifest (``guard_model.json``) and where the packaged model lives.

A model directory holds ``model.onnx``, ``tokenizer.json`` and ``guard_model.json``
(docs/architecture.md). This module reads and validates the manifest only; the runtime
(`guard.model.runtime`) checks the ONNX graph and tokenizer against it.

Manifest contract (format 1):

* ``format``: 1.
* ``name``, ``version``: non-empty strings; ``base_model``: string.
* ``tags``: BIO tags, index = logit column. Exactly one ``"O"``; every other tag is
  ``B-<LABEL>`` or ``I-<LABEL>`` with a label of `guard.findings.LABELS`, and each label
  present has both its B- and I- tag. A model may cover a subset of the 12 labels.
* ``max_length``: tokens per window *including* special tokens, 8..8192.
* ``stride``: overlap between consecutive windows in tokens, ``0 <= stride`` and
  small enough that a window advances by at least one token.
* ``lowercase``: lowercase the text before tokenizing (length-preserving, see runtime).
* ``temperature``: softmax temperature from calibration, ``> 0``.
* ``thresholds``: optional ``{label: score}`` in [0, 1]; labels absent get 0.5. The
  runtime only exposes them: the policy applies them.
* ``metrics``: optional JSON object, shown by ``guard`` commands, never interpreted.
* ``created``: optional string (ISO 8601).
* ``cascade``: optional ``{"file": str, "threshold": number, "level": number in (0, 1)}``: the
  first-stage gate (`guard.model.cascade`), its file relative to the model directory.

Errors name the file and the key, never the values of the model's texts.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from guard.errors import ModelError
from guard.findings import LABELS
from guard.model.cascade import CascadeSpec

__all__ = [
    "DEFAULT_THRESHOLD",
    "MANIFEST_FILE",
    "ModelManifest",
    "default_model_path",
    "load_manifest",
    "parse_manifest",
]

MANIFEST_FILE = "guard_model.json"
DEFAULT_THRESHOLD = 0.5
_FORMAT = 1
_MAX_WINDOW = 8192
_MIN_WINDOW = 8


@dataclass(frozen=True)
class ModelManifest:
    """Validated content of ``guard_model.json``.

    Attributes:
        name: model name (``guard-multilingual``).
        version: model version string, reported by ``Guard.model_version``.
        base_model: the pretrained encoder it was fine-tuned from.
        tags: BIO tags in logit-column order (``tags[0]`` need not be ``O``).
        labels: labels covered, in order of first appearance in ``tags``.
        max_length: tokens per window, special tokens included.
        stride: overlap between windows, in tokens.
        lowercase: whether text is lowercased before tokenization.
        temperature: softmax temperature (> 0).
        thresholds: per-label score thresholds, one per label in ``labels``.
        metrics: free-form evaluation metrics.
        created: creation timestamp, if given.
        cascade: the first-stage gate, if the model ships one.
    """

    name: str
    version: str
    base_model: str
    tags: tuple[str, ...]
    labels: tuple[str, ...]
    max_length: int
    stride: int
    lowercase: bool
    temperature: float
    thresholds: Mapping[str, float] = field(hash=False)
    metrics: Mapping[str, Any] = field(hash=False)
    created: str | None = None
    cascade: CascadeSpec | None = None

    def tag_columns(self, label: str) -> tuple[int, int]:
        """Return the logit columns ``(B-label, I-label)``.

        Raises:
            KeyError: the model does not cover ``label``.
        """
        return self.tags.index(f"B-{label}"), self.tags.index(f"I-{label}")


def default_model_path() -> Path:
    """Return the packaged default model directory (``guard/data/model``).

    Raises:
        ModelError: the package ships no model (``guard_model.json`` absent).
    """
    path = Path(__file__).resolve().parent.parent / "data" / "model"
    if not (path / MANIFEST_FILE).is_file():
        raise ModelError(
            f"no packaged model: {path / MANIFEST_FILE} is absent; pass a model directory "
            "or install a guard build that ships the default model"
        )
    return path


def load_manifest(path: Path | str) -> ModelManifest:
    """Read and validate a manifest.

    Args:
        path: a model directory (its ``guard_model.json`` is read) or the manifest file.

    Raises:
        ModelError: the file is missing, unreadable, not JSON, or fails validation.
    """
    path = Path(path)
    file = path / MANIFEST_FILE if path.is_dir() else path
    if not file.is_file():
        raise ModelError(f"model manifest {file} not found")
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError(f"cannot read model manifest {file}: {type(exc).__name__}") from exc
    except json.JSONDecodeError as exc:
        raise ModelError(f"model manifest {file} is not valid JSON (line {exc.lineno})") from exc
    return parse_manifest(raw, source=str(file))


def parse_manifest(raw: Any, source: str = MANIFEST_FILE) -> ModelManifest:
    """Validate a decoded manifest object.

    Args:
        raw: the JSON value.
        source: file name used in error messages.

    Raises:
        ModelError: a key is missing or has a bad value.
    """
    if not isinstance(raw, dict):
        raise ModelError(f"{source}: top level must be a JSON object")
    fmt = _get(raw, "format", int, source)
    if fmt != _FORMAT:
        raise ModelError(f"{source}: unsupported format {fmt} (this guard reads format {_FORMAT})")
    name = _nonempty(raw, "name", source)
    version = _nonempty(raw, "version", source)
    base_model = _get(raw, "base_model", str, source)
    tags, labels = _check_tags(raw.get("tags"), source)
    max_length = _get(raw, "max_length", int, source)
    if not _MIN_WINDOW <= max_length <= _MAX_WINDOW:
        raise ModelError(f"{source}: max_length {max_length} outside [{_MIN_WINDOW}, {_MAX_WINDOW}]")
    stride = _get(raw, "stride", int, source)
    # a window holds at most max_length - 2 content tokens (XLM-R adds <s> and </s>)
    if not 0 <= stride <= (max_length - 2) // 2:
        raise ModelError(f"{source}: stride {stride} outside [0, (max_length - 2) // 2]")
    lowercase = _get(raw, "lowercase", bool, source)
    temperature = float(_get(raw, "temperature", (int, float), source))
    if not (math.isfinite(temperature) and temperature > 0):
        raise ModelError(f"{source}: temperature must be a finite number > 0")
    thresholds = _check_thresholds(raw.get("thresholds", {}), labels, source)
    metrics = raw.get("metrics", {})
    if not isinstance(metrics, dict):
        raise ModelError(f"{source}: metrics must be a JSON object")
    created = raw.get("created")
    if created is not None and not isinstance(created, str):
        raise ModelError(f"{source}: created must be a string")
    cascade = _check_cascade(raw.get("cascade"), source)
    return ModelManifest(
        name=name,
        version=version,
        base_model=base_model,
        tags=tags,
        labels=labels,
        max_length=max_length,
        stride=stride,
        lowercase=lowercase,
        temperature=temperature,
        thresholds=MappingProxyType(thresholds),
        metrics=MappingProxyType(dict(metrics)),
        created=created,
        cascade=cascade,
    )


def _get(raw: dict[str, Any], key: str, kind: type | tuple[type, ...], source: str) -> Any:
    if key not in raw:
        raise ModelError(f"{source}: missing key {key!r}")
    value = raw[key]
    # bool is an int subclass: reject it where a number is expected
    bad_bool = isinstance(value, bool) and kind is not bool
    if bad_bool or not isinstance(value, kind):
        expected = kind.__name__ if isinstance(kind, type) else "number"
        raise ModelError(f"{source}: key {key!r} must be of type {expected}")
    return value


def _nonempty(raw: dict[str, Any], key: str, source: str) -> str:
    value: str = _get(raw, key, str, source)
    if not value.strip():
        raise ModelError(f"{source}: key {key!r} must not be empty")
    return value


def _check_tags(tags: Any, source: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise ModelError(f"{source}: 'tags' must be a list of strings")
    if len(set(tags)) != len(tags):
        raise ModelError(f"{source}: 'tags' contains duplicates")
    if tags.count("O") != 1:
        raise ModelError(f"{source}: 'tags' must contain the tag 'O' exactly once")
    labels: list[str] = []
    for tag in tags:
        if tag == "O":
            continue
        prefix, _, label = tag.partition("-")
        if prefix not in ("B", "I") or label not in LABELS:
            raise ModelError(f"{source}: tag {tag!r} is not B-/I- + one of the {len(LABELS)} labels")
        if label not in labels:
            labels.append(label)
    for label in labels:
        if f"B-{label}" not in tags or f"I-{label}" not in tags:
            raise ModelError(f"{source}: label {label} needs both B- and I- tags")
    return tuple(tags), tuple(labels)


def _check_thresholds(raw: Any, labels: tuple[str, ...], source: str) -> dict[str, float]:
    if not isinstance(raw, dict):
        raise ModelError(f"{source}: thresholds must be a JSON object")
    out = {label: DEFAULT_THRESHOLD for label in labels}
    for label, value in raw.items():
        if label not in labels:
            raise ModelError(f"{source}: threshold for {label!r}, a label the model does not emit")
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
            raise ModelError(f"{source}: threshold for {label} must be a number in [0, 1]")
        out[label] = float(value)
    return out


def _check_cascade(raw: Any, source: str) -> CascadeSpec | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ModelError(f"{source}: cascade must be a JSON object")
    file = _nonempty(raw, "file", f"{source} cascade")
    if "/" in file or "\\" in file or file.startswith("."):
        raise ModelError(f"{source}: cascade file must be a plain file name in the model directory")
    threshold = float(_get(raw, "threshold", (int, float), f"{source} cascade"))
    level = float(_get(raw, "level", (int, float), f"{source} cascade"))
    if not math.isfinite(threshold) or not 0.0 < level < 1.0:
        raise ModelError(f"{source}: cascade threshold must be finite and level in (0, 1)")
    return CascadeSpec(file=file, threshold=threshold, level=level)
