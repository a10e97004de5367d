"""Manifest validation: every bad manifest is a clear ModelError naming the key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from guard.errors import ModelError
from guard.findings import LABELS
from guard.model import ModelManifest, default_model_path, load_manifest
from guard.model.manifest import parse_manifest

TAGS = ["O"] + [f"{p}-{label}" for label in LABELS for p in ("B", "I")]


def _good() -> dict[str, Any]:
    return {
        "format": 1,
        "name": "guard-multilingual",
        "version": "2026.11.0",
        "base_model": "intfloat/multilingual-e5-small",
        "tags": list(TAGS),
        "max_length": 256,
        "stride": 64,
        "lowercase": False,
        "temperature": 1.3,
        "thresholds": {"PERSON": 0.6},
        "metrics": {"f1": 0.9},
        "created": "2026-11-22T00:00:00Z",
    }


def test_good_manifest_loads_from_directory_and_file(tmp_path: Path) -> None:
    (tmp_path / "guard_model.json").write_text(json.dumps(_good()), encoding="utf-8")
    for source in (tmp_path, tmp_path / "guard_model.json"):
        manifest = load_manifest(source)
        assert isinstance(manifest, ModelManifest)
        assert manifest.labels == LABELS
        assert manifest.tags == tuple(TAGS)
        assert manifest.temperature == 1.3
        assert manifest.thresholds["PERSON"] == 0.6
        assert manifest.thresholds["SECRET"] == 0.5  # default for labels without one
        assert manifest.tag_columns("SECRET") == (TAGS.index("B-SECRET"), TAGS.index("I-SECRET"))
    with pytest.raises(TypeError):
        manifest.thresholds["PERSON"] = 0.1  # type: ignore[index]


def test_subset_of_labels_is_allowed() -> None:
    raw = _good() | {"tags": ["O", "B-SECRET", "I-SECRET"], "thresholds": {}}
    assert parse_manifest(raw).labels == ("SECRET",)


def test_missing_file_and_bad_json(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not found"):
        load_manifest(tmp_path)
    (tmp_path / "guard_model.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="not valid JSON"):
        load_manifest(tmp_path)
    (tmp_path / "guard_model.json").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ModelError, match="cannot read"):
        load_manifest(tmp_path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": 2}, "unsupported format"),
        ({"name": ""}, "'name' must not be empty"),
        ({"version": 3}, "'version' must be of type str"),
        ({"tags": "O B-PERSON"}, "list of strings"),
        ({"tags": ["B-PERSON", "I-PERSON"]}, "'O' exactly once"),
        ({"tags": ["O", "B-PERSON", "I-PERSON", "B-PERSON"]}, "duplicates"),
        ({"tags": ["O", "B-PERSON"]}, "both B- and I-"),
        ({"tags": ["O", "B-PASSWORD", "I-PASSWORD"]}, "not B-/I- \\+ one of"),
        ({"max_length": 4}, "max_length 4 outside"),
        ({"max_length": "256"}, "'max_length' must be of type int"),
        ({"max_length": True}, "'max_length' must be of type int"),
        ({"stride": 200}, "stride 200 outside"),
        ({"lowercase": "no"}, "'lowercase' must be of type bool"),
        ({"temperature": 0}, "temperature must be"),
        ({"temperature": float("nan")}, "temperature must be"),
        ({"thresholds": {"PASSWORD": 0.5}}, "does not emit"),
        ({"thresholds": {"PERSON": 1.5}}, "must be a number in \\[0, 1\\]"),
        ({"thresholds": []}, "thresholds must be a JSON object"),
        ({"metrics": [1]}, "metrics must be a JSON object"),
        ({"created": 2026}, "created must be a string"),
    ],
)
def test_bad_values_name_the_key(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ModelError, match=message):
        parse_manifest(_good() | change, source="m.json")


@pytest.mark.parametrize(
    "key",
    ["format", "name", "version", "base_model", "tags", "max_length", "stride", "lowercase", "temperature"],
)
def test_missing_keys_are_named(key: str) -> None:
    raw = _good()
    del raw[key]
    with pytest.raises(ModelError, match=key):
        parse_manifest(raw, source="m.json")


def test_top_level_must_be_an_object() -> None:
    with pytest.raises(ModelError, match="JSON object"):
        parse_manifest([1, 2])


def test_default_model_path_is_the_package_data_dir_or_a_clear_error() -> None:
    try:
        path = default_model_path()
    except ModelError as exc:
        assert "guard_model.json" in str(exc) and "no packaged model" in str(exc)
    else:
        assert path.parts[-2:] == ("data", "model")
        assert (path / "guard_model.json").is_file()
