"""Loaders for real annotated data: JSONL with character spans, CoNLL/BIO, Label Studio exports.

Every loader validates each record with `validate_example` and returns a `datasets.Dataset` with the
record schema (``text``, ``spans`` [{start, end, label}], ``lang``, ``channel``, ``template``). Bad input
raises `DataError` naming the file and line (JSONL, CoNLL) or task index (Label Studio); messages never
contain the annotated text.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guard.findings import LABELS
from training.data.errors import DataError
from training.data.record import Example, Span, validate_example

if TYPE_CHECKING:
    from datasets import Dataset

__all__ = ["load_any", "load_conll", "load_jsonl", "load_label_studio", "read_jsonl", "to_dataset"]


def to_dataset(examples: Sequence[Example], source: str = "<memory>") -> Dataset:
    """Build a `datasets.Dataset` with the record schema.

    Raises:
        DataError: ``examples`` is empty.
    """
    if not examples:
        raise DataError("empty dataset: no examples", source)
    from datasets import Dataset, Features, Value

    features = Features(
        {
            "text": Value("string"),
            # a list of structs (a HF ``Sequence`` of a dict would turn into a dict of lists)
            "spans": [{"start": Value("int32"), "end": Value("int32"), "label": Value("string")}],
            "lang": Value("string"),
            "channel": Value("string"),
            "template": Value("string"),
        }
    )
    columns: dict[str, list[Any]] = {k: [ex[k] for ex in examples] for k in features}  # type: ignore[literal-required]
    return Dataset.from_dict(columns, features=features)


def _open(path: str | Path) -> tuple[Path, str]:
    """Read a UTF-8 text file (``.gz`` transparently decompressed)."""
    p = Path(path)
    try:
        if p.suffix == ".gz":
            with gzip.open(p, "rt", encoding="utf-8") as fh:
                return p, fh.read()
        return p, p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError("file not found", str(p)) from None
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 (byte offset {exc.start})", str(p)) from None
    except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
        raise DataError(f"cannot read: {type(exc).__name__}", str(p)) from None


def read_jsonl(path: str | Path, *, default_lang: str = "und", channel: str = "annotated") -> list[Example]:
    """Parse and validate a JSONL file of ``{"text", "spans": [{"start","end","label"}], ...}`` records.

    Blank lines are skipped. A span may carry ``text``; it must then equal ``text[start:end]``.

    Raises:
        DataError: unreadable file, malformed JSON, invalid record or span (``file:line``), no records.
    """
    p, content = _open(path)
    out: list[Example] = []
    for lineno, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{p}:{lineno}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"malformed JSON ({exc.msg} at column {exc.colno})", where) from None
        if isinstance(raw, dict):
            raw.setdefault("lang", default_lang)
            raw.setdefault("channel", channel)
            raw.setdefault("template", "")
        example = validate_example(raw, where)
        for i, span in enumerate(raw.get("spans", [])):
            if "text" in span and span["text"] != raw["text"][span["start"] : span["end"]]:
                raise DataError(
                    f"span {i} [{span['start']}, {span['end']}): 'text' does not match the offsets", where
                )
        out.append(example)
    if not out:
        raise DataError("empty dataset: no records", str(p))
    return out


def load_jsonl(path: str | Path, *, default_lang: str = "und") -> Dataset:
    """`read_jsonl` into a `datasets.Dataset`."""
    return to_dataset(read_jsonl(path, default_lang=default_lang), str(path))


def load_conll(path: str | Path, *, lang: str = "und") -> Dataset:
    """Load a CoNLL/BIO file: one ``token ... TAG`` per line (tag in the last column), blank line
    between sentences, ``-DOCSTART-`` lines ignored. The text is the tokens joined by single spaces.

    ``I-X`` after ``O`` or after another label starts a new entity (the usual lenient BIO reading).

    Raises:
        DataError: a line without a tag, a malformed tag, an unknown label (``file:line``), no sentences.
    """
    p, content = _open(path)
    out: list[Example] = []
    tokens: list[tuple[str, str, int]] = []

    def flush() -> None:
        if tokens:
            out.append(_conll_sentence(tokens, p, lang))
            tokens.clear()

    for lineno, line in enumerate(content.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        if stripped.startswith("-DOCSTART-"):
            continue
        cols = stripped.split()
        if len(cols) < 2:
            raise DataError("expected 'token TAG' (a token and a BIO tag)", f"{p}:{lineno}")
        tag = cols[-1]
        if tag != "O":
            prefix, _, label = tag.partition("-")
            if prefix not in ("B", "I") or not label:
                raise DataError(f"malformed BIO tag {tag!r}", f"{p}:{lineno}")
            if label not in LABELS:
                raise DataError(
                    f"unknown label {label!r} (expected one of {', '.join(LABELS)})", f"{p}:{lineno}"
                )
        tokens.append((cols[0], tag, lineno))
    flush()
    if not out:
        raise DataError("empty dataset: no sentences", str(p))
    return to_dataset(out, str(p))


def _conll_sentence(tokens: list[tuple[str, str, int]], path: Path, lang: str) -> Example:
    text_parts: list[str] = []
    spans: list[Span] = []
    pos = 0
    current: Span | None = None
    for k, (token, tag, _) in enumerate(tokens):
        if k:
            text_parts.append(" ")
            pos += 1
        start, end = pos, pos + len(token)
        text_parts.append(token)
        pos = end
        label = tag[2:] if tag != "O" else None
        if label is not None and tag.startswith("I-") and current is not None and current["label"] == label:
            current["end"] = end
            continue
        if current is not None:
            spans.append(current)
            current = None
        if label is not None:
            current = {"start": start, "end": end, "label": label}
    if current is not None:
        spans.append(current)
    record = {
        "text": "".join(text_parts),
        "spans": spans,
        "lang": lang,
        "channel": "annotated",
        "template": "",
    }
    return validate_example(record, f"{path}:{tokens[0][2]}")


def _utf16_to_py(text: str, offset: int) -> int:
    """Convert a UTF-16 code-unit offset (JavaScript, Label Studio) to a Python str index."""
    units = 0
    for i, ch in enumerate(text):
        if units >= offset:
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def _ls_text(data: Any, where: str) -> str:
    if isinstance(data, dict):
        if isinstance(data.get("text"), str):
            return str(data["text"])
        strings = [v for v in data.values() if isinstance(v, str)]
        if len(strings) == 1:
            return strings[0]
    raise DataError("task has no 'data.text' string", where)


def _ls_spans(results: Iterable[Any], text: str, where: str) -> list[dict[str, Any]]:
    spans: list[dict[str, Any]] = []
    for j, res in enumerate(results):
        value = res.get("value") if isinstance(res, dict) else None
        if not isinstance(value, dict) or "start" not in value or "labels" not in value:
            continue  # other control types (choices, relations) carry no span
        labels = value["labels"]
        start, end = value["start"], value["end"]
        if not isinstance(labels, list) or len(labels) != 1 or type(start) is not int or type(end) is not int:
            raise DataError(f"result {j}: expected integer start/end and exactly one label", where)
        if isinstance(value.get("text"), str) and text[start:end] != value["text"]:
            start, end = _utf16_to_py(text, start), _utf16_to_py(text, end)
        if 0 <= start < end <= len(text):  # annotators often select surrounding blanks: trim them
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
        spans.append({"start": start, "end": end, "label": labels[0]})
    return spans


def load_label_studio(path: str | Path, *, lang: str = "und") -> Dataset:
    """Load a Label Studio JSON export (list of tasks with ``annotations[].result[].value``).

    Uses the first annotation of each task that is not cancelled (``completions`` in old exports).
    Offsets given in UTF-16 units (as the browser counts) are converted when ``value.text`` shows it.
    Surrounding whitespace inside a selection is trimmed. Tasks without annotation are skipped.

    Raises:
        DataError: malformed JSON, not a list of tasks, missing text, bad result, unknown label,
            out-of-range or overlapping spans (``file[task i]``), or no annotated task.
    """
    p, content = _open(path)
    try:
        tasks = json.loads(content)
    except json.JSONDecodeError as exc:
        raise DataError(f"malformed JSON ({exc.msg})", f"{p}:{exc.lineno}") from None
    if not isinstance(tasks, list):
        raise DataError("a Label Studio export must be a JSON list of tasks", str(p))
    out: list[Example] = []
    for i, task in enumerate(tasks):
        where = f"{p}[task {i}]"
        if not isinstance(task, dict):
            raise DataError("task is not an object", where)
        text = _ls_text(task.get("data"), where)
        annotations = task.get("annotations", task.get("completions")) or []
        if not isinstance(annotations, list):
            raise DataError("'annotations' is not a list", where)
        chosen = next((a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")), None)
        if chosen is None:
            continue
        spans = _ls_spans(chosen.get("result", []), text, where)
        record = {"text": text, "spans": spans, "lang": lang, "channel": "annotated", "template": ""}
        out.append(validate_example(record, where))
    if not out:
        raise DataError("empty dataset: no annotated tasks", str(p))
    return to_dataset(out, str(p))


def load_any(path: str | Path, *, lang: str = "und") -> Dataset:
    """Dispatch on the file suffix (``.gz`` ignored): ``.jsonl`` -> JSONL, ``.json`` -> Label Studio,
    ``.conll``/``.bio``/``.txt``/``.tsv`` -> CoNLL.

    Raises:
        DataError: unknown suffix, or whatever the chosen loader raises.
    """
    suffixes = [x.lower() for x in Path(path).suffixes if x.lower() != ".gz"]
    suffix = suffixes[-1] if suffixes else ""
    if suffix == ".jsonl":
        return load_jsonl(path, default_lang=lang)
    if suffix == ".json":
        return load_label_studio(path, lang=lang)
    if suffix in (".conll", ".bio", ".txt", ".tsv", ".iob"):
        return load_conll(path, lang=lang)
    raise DataError(f"unknown data format {suffix!r} (use .jsonl, .json (Label Studio) or .conll)", str(path))
