"""Loaders of annotated data: round trips and clear errors naming file and line."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from training.data.errors import DataError
from training.data.loaders import load_any, load_conll, load_jsonl, load_label_studio

SECRET_TEXT = "hunter2-Passw0rd"  # gitleaks:allow  (must never appear in an error message)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_jsonl_round_trip(tmp_path: Path) -> None:
    rec = {
        "text": "Mail Anna at anna@corp.example.de",
        "spans": [
            {"start": 5, "end": 9, "label": "PERSON"},
            {"start": 13, "end": 33, "label": "EMAIL", "text": "anna@corp.example.de"},
        ],
        "lang": "en",
    }
    path = _write(tmp_path / "a.jsonl", json.dumps(rec) + "\n\n")
    ds = load_jsonl(path)
    assert ds.num_rows == 1
    row = ds[0]
    assert row["text"] == rec["text"] and row["lang"] == "en"
    assert [(s["start"], s["end"], s["label"]) for s in row["spans"]] == [(5, 9, "PERSON"), (13, 33, "EMAIL")]


def test_jsonl_gz(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": "no findings here", "spans": []}) + "\n")
    assert load_any(path).num_rows == 1


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"text": "pw ' + SECRET_TEXT + '", "spans": [', "malformed JSON"),
        (
            json.dumps({"text": "pw " + SECRET_TEXT, "spans": [{"start": 3, "end": 99, "label": "SECRET"}]}),
            "out of range",
        ),
        (
            json.dumps({"text": "pw " + SECRET_TEXT, "spans": [{"start": 3, "end": 8, "label": "PASSWORD"}]}),
            "unknown label",
        ),
        (
            json.dumps(
                {
                    "text": "pw " + SECRET_TEXT,
                    "spans": [
                        {"start": 3, "end": 10, "label": "SECRET"},
                        {"start": 5, "end": 12, "label": "SECRET"},
                    ],
                }
            ),
            "overlapping",
        ),
        (
            json.dumps({"text": "pw " + SECRET_TEXT, "spans": [{"start": 2, "end": 8, "label": "SECRET"}]}),
            "whitespace",
        ),
        (
            json.dumps(
                {
                    "text": "pw " + SECRET_TEXT,
                    "spans": [{"start": 3, "end": 8, "label": "SECRET", "text": "nope"}],
                }
            ),
            "does not match",
        ),
        (json.dumps({"spans": []}), "'text'"),
        (json.dumps(["a", "list"]), "expected an object"),
    ],
)
def test_jsonl_errors_name_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    good = json.dumps({"text": "fine", "spans": []})
    path = _write(tmp_path / "bad.jsonl", f"{good}\n{good}\n{line}\n")
    with pytest.raises(DataError) as info:
        load_jsonl(path)
    text = str(info.value)
    assert f"{path}:3" in text and message in text
    assert SECRET_TEXT not in text


def test_empty_files_are_errors(tmp_path: Path) -> None:
    for loader, name in ((load_jsonl, "e.jsonl"), (load_conll, "e.conll"), (load_label_studio, "e.json")):
        path = _write(tmp_path / name, "\n" if name != "e.json" else "[]")
        with pytest.raises(DataError, match="empty dataset"):
            loader(path)


def test_missing_file_and_non_utf8(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="not found"):
        load_jsonl(tmp_path / "missing.jsonl")
    bad = tmp_path / "latin1.jsonl"
    bad.write_bytes('{"text": "M\xfcller"}'.encode("latin-1"))
    with pytest.raises(DataError, match="not UTF-8"):
        load_jsonl(bad)


CONLL = """-DOCSTART- O

Send O
to O
Anna B-PERSON
Meier I-PERSON
at O
anna@kd.example B-EMAIL

Tamarind B-CODENAME
slips O
I-FINANCIAL I-FINANCIAL
"""


def test_conll_reconstructs_text_and_spans(tmp_path: Path) -> None:
    ds = load_conll(_write(tmp_path / "a.conll", CONLL), lang="en")
    assert ds.num_rows == 2
    first, second = ds[0], ds[1]
    assert first["text"] == "Send to Anna Meier at anna@kd.example"
    assert [(first["text"][s["start"] : s["end"]], s["label"]) for s in first["spans"]] == [
        ("Anna Meier", "PERSON"),
        ("anna@kd.example", "EMAIL"),
    ]
    # I- after another label starts a new entity (lenient BIO)
    assert [s["label"] for s in second["spans"]] == ["CODENAME", "FINANCIAL"]


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        ("Anna B-PERSON\nlonely\n", "expected 'token TAG'", 2),
        ("Anna B-NAME\n", "unknown label 'NAME'", 1),
        ("Anna X-PERSON\n", "malformed BIO tag", 1),
    ],
)
def test_conll_errors(tmp_path: Path, body: str, message: str, line: int) -> None:
    path = _write(tmp_path / "b.conll", body)
    with pytest.raises(DataError) as info:
        load_conll(path)
    assert f"{path}:{line}" in str(info.value) and message in str(info.value)


def _ls_task(text: str, results: list[dict[str, object]], cancelled: bool = False) -> dict[str, object]:
    return {"id": 1, "data": {"text": text}, "annotations": [{"was_cancelled": cancelled, "result": results}]}


def _ls_result(start: int, end: int, label: str, text: str | None = None) -> dict[str, object]:
    value: dict[str, object] = {"start": start, "end": end, "labels": [label]}
    if text is not None:
        value["text"] = text
    return {"from_name": "label", "to_name": "text", "type": "labels", "value": value}


def test_label_studio_export(tmp_path: Path) -> None:
    text = "😀 Ping Anna about Okapi "
    # browser offsets count the emoji as two UTF-16 units; the selection includes a trailing blank
    tasks = [
        _ls_task(text, [_ls_result(8, 13, "PERSON", "Anna "), _ls_result(19, 24, "CODENAME", "Okapi")]),
        _ls_task("skipped", [], cancelled=True),
        {"data": {"text": "no annotations"}, "annotations": []},
    ]
    ds = load_label_studio(_write(tmp_path / "export.json", json.dumps(tasks)))
    assert ds.num_rows == 1
    row = ds[0]
    assert [(row["text"][s["start"] : s["end"]], s["label"]) for s in row["spans"]] == [
        ("Anna", "PERSON"),
        ("Okapi", "CODENAME"),
    ]


@pytest.mark.parametrize(
    ("tasks", "message"),
    [
        ([_ls_task("x " + SECRET_TEXT, [_ls_result(2, 99, "SECRET")])], "out of range"),
        ([_ls_task("x " + SECRET_TEXT, [_ls_result(2, 6, "TOKEN")])], "unknown label"),
        (
            [_ls_task("x " + SECRET_TEXT, [_ls_result(2, 8, "SECRET"), _ls_result(4, 9, "SECRET")])],
            "overlapping",
        ),
        ([{"data": {"a": 1}, "annotations": []}], "no 'data.text'"),
        ([_ls_task("x", [{"value": {"start": "0", "end": 1, "labels": ["SECRET"]}}])], "integer start/end"),
        ({"not": "a list"}, "JSON list of tasks"),
    ],
)
def test_label_studio_errors(tmp_path: Path, tasks: object, message: str) -> None:
    path = _write(tmp_path / "bad.json", json.dumps(tasks))
    with pytest.raises(DataError) as info:
        load_label_studio(path)
    assert str(path) in str(info.value) and message in str(info.value)
    assert SECRET_TEXT not in str(info.value)
    if isinstance(tasks, list):
        assert "[task 0]" in str(info.value)


def test_label_studio_malformed_json(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.json", '[\n{"data": ')
    with pytest.raises(DataError, match=r"bad\.json:2: malformed JSON"):
        load_label_studio(path)


def test_load_any_rejects_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="unknown data format"):
        load_any(_write(tmp_path / "x.csv", "a,b"))
