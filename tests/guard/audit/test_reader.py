"""guard.audit.reader: formats, multi-line grouping, long lines, bad input reported with file:line."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
import zstandard

from guard.audit.reader import ReadOptions, Unit, read_source
from guard.audit.sources import Problem, discover


def _read(path: Path, opts: ReadOptions | None = None, **kw: object) -> tuple[list[Unit], list[Problem]]:
    sources, problems = discover([str(path)])
    units: list[Unit] = []
    for item in read_source(sources[0], opts or ReadOptions(), **kw):  # type: ignore[arg-type]
        if isinstance(item, Unit):
            units.append(item)
            problems.extend(item.problems)
        else:
            problems.append(item)
    return units, problems


def test_stack_traces_are_grouped_with_their_line(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text(
        '2026-01-01 ERROR boom\nTraceback (most recent call last):\n  File "x.py", line 1\n'
        "ValueError: bad\n2026-01-01 INFO ok\n",
        encoding="utf-8",
    )
    units, problems = _read(log)
    assert [(u.line, u.last_line) for u in units] == [(1, 4), (5, 5)]
    assert units[0].texts[0][1].count("\n") == 3
    assert problems == []


@pytest.mark.parametrize("suffix", [".gz", ".zst"])
def test_compressed_inputs_and_truncation(tmp_path: Path, suffix: str) -> None:
    data = "".join(f"line {i} user=a{i}@example.org\n" for i in range(5000)).encode()
    packed = gzip.compress(data) if suffix == ".gz" else zstandard.ZstdCompressor().compress(data)
    whole, cut = tmp_path / f"ok.log{suffix}", tmp_path / f"cut.log{suffix}"
    whole.write_bytes(packed)
    cut.write_bytes(packed[: len(packed) // 2])
    units, problems = _read(whole)
    assert len(units) == 5000 and problems == []
    units, problems = _read(cut)
    assert [p.kind for p in problems] == ["truncated"]
    assert problems[0].line == len(units) + 1 and len(units) < 5000


def test_bad_lines_are_scanned_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_bytes(b'{"msg": "fine", "id": 7}\n{broken\ncaf\xe9 latin\nnul\x00here\n')
    units, problems = _read(path, ReadOptions(text_fields=("msg",), id_field="id"))
    assert [u.texts[0] for u in units] == [
        ("msg", "fine"),
        ("", "{broken"),
        ("", "café latin"),
        ("", "nul here"),
    ]
    assert units[0].record_id == "7"
    assert sorted((p.line, p.kind) for p in problems) == [
        (2, "invalid_json"),
        (3, "decode_fallback"),
        (3, "invalid_json"),
        (4, "control_chars"),
        (4, "invalid_json"),
    ]


def test_long_line_is_windowed_with_overlap(tmp_path: Path) -> None:
    path = tmp_path / "big.log"
    body = "x" * 5000 + " AKIAQYLPMN5HHHFPZAM2 " + "y" * 5000  # gitleaks:allow
    path.write_text(body + "\nnext\n", encoding="utf-8")
    units, problems = _read(path, ReadOptions(max_line_bytes=4096, overlap=512))
    assert [p.kind for p in problems] == ["long_line"]
    windows = [u for u in units if u.line == 1]
    assert len(windows) == 3 and windows[-1].cut is False and all(w.cut for w in windows[:-1])
    rebuilt = windows[0].texts[0][1] + "".join(w.texts[0][1][w.head :] for w in windows[1:])
    assert rebuilt == body
    assert [u.texts[0][1] for u in units if u.line == 2] == ["next"]


def test_csv_columns_and_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('note,amount,id\n"multi\nline",12,a1\nplain,13,a2\n', encoding="utf-8")
    units, problems = _read(path, ReadOptions(text_fields=("note",), id_field="id"))
    assert [(u.line, u.texts, u.record_id) for u in units] == [
        (2, (("note", "multi\nline"),), "a1"),
        (4, (("note", "plain"),), "a2"),
    ]
    units, problems = _read(path, ReadOptions(text_fields=("nope",)))
    assert [p.kind for p in problems] == ["missing_field"] and len(units[0].texts) == 3


def test_resume_by_offset_or_by_count_gives_the_same_units(tmp_path: Path) -> None:
    path = tmp_path / "a.log"
    path.write_bytes(b"".join(b"l%d\n" % i for i in range(100)) + b"bad \xff\n")
    units, _ = _read(path)
    cut = units[41]
    by_offset, p1 = _read(path, skip=42, offset=cut.offset, line=cut.last_line)
    by_count, p2 = _read(path, skip=42)
    assert by_offset == by_count == units[42:]
    assert [p.kind for p in p1] == [p.kind for p in p2] == ["decode_fallback"]


def test_discover_reports_missing_and_unreadable(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.log").write_text("x\n", encoding="utf-8")
    (tmp_path / "d" / "dangling.log").symlink_to(tmp_path / "gone")
    sources, problems = discover([str(tmp_path / "d"), str(tmp_path / "nope.log"), str(tmp_path / "*.zzz")])
    assert [p.kind for p in problems] == ["no_match", "no_match"]
    dangling = [s for s in sources if s.path.endswith("dangling.log")][0]
    assert [p.kind for p in read_source(dangling, ReadOptions())] == ["unreadable"]  # type: ignore[union-attr]
