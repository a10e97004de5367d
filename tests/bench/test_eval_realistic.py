"""bench.eval_realistic: case loading, convention heuristics, verdict-level scores, end to end.

The end-to-end run uses guard's real deterministic detectors (``--no-model``) and a hand-made
domain pack, so the expected verdicts are known without a trained model.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.eval_realistic import convention_scores, convention_spans, document_scores, load_cases, main

HOST_TEXT = "build fails on git.acme.internal since friday"
CLEAN_TEXT = "see https://docs.python.org/3/ for the asyncio docs"
SECRET_TEXT = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"  # gitleaks:allow
PACK = "company: {name: Acme, public_domains: [acme.com]}\ninternal_hosts: {domains: [acme.internal]}\n"


def _case(i: int, text: str, spans: list[tuple[str, str]], lang: str = "en") -> dict[str, object]:
    out = []
    for value, label in spans:
        start = text.index(value)
        out.append({"start": start, "end": start + len(value), "label": label, "text": value})
    return {
        "id": f"t{i}",
        "lang": lang,
        "channel": "chat",
        "text": text,
        "spans": out,
        "sensitive": bool(out),
    }


def _write(path: Path, cases: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in cases) + "\n", encoding="utf-8")
    return path


def _spans(text: str, *items: tuple[str, str]) -> list[dict[str, object]]:
    return [{"start": text.index(v), "end": text.index(v) + len(v), "label": lb} for v, lb in items]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Hi Jenna,\n\nthe report is attached.", "Jenna"),
        ("Context\n\nDear Omar,\nplease find", "Omar"),
        ("Hallo Lukas,\nanbei die Datei", "Lukas"),
        ("Sehr geehrte Frau Brandt,\n\nanbei", "Brandt"),
        ("Bonjour Nathalie,\n\nvoici", "Nathalie"),
        ("山本さん、お疲れ様です。", "山本"),
        ("> 佐藤様\n> 先日は", "佐藤"),
    ],
)
def test_greeting_names_are_recognised(text: str, value: str) -> None:
    conv = convention_spans(text, _spans(text, (value, "PERSON")))
    assert [s["start"] for s in conv["greeting_names"]] == [text.index(value)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Applicant: Darius Whitfield\nSSN: none", "Darius Whitfield"),
        ("I talked to Jenna about it.", "Jenna"),
        ("The history of the hill is long", "hill"),
        ("山本 健太\n営業本部", "山本 健太"),
    ],
)
def test_other_person_spans_are_not_greetings(text: str, value: str) -> None:
    assert convention_spans(text, _spans(text, (value, "PERSON")))["greeting_names"] == []


def test_business_address_needs_a_legal_form_just_above() -> None:
    sig = "Best regards\nJulia Roth\nAcme Widgets GmbH\nHauptstr. 5, 80331 München\nTel 089 1234"
    conv = convention_spans(sig, _spans(sig, ("Hauptstr. 5, 80331 München", "ADDRESS")))
    assert len(conv["business_addresses"]) == 1
    home = "Order for Anna Weber\nShip to: Hauptstr. 5, 80331 München"
    assert (
        convention_spans(home, _spans(home, ("Hauptstr. 5, 80331 München", "ADDRESS")))["business_addresses"]
        == []
    )
    far = "Acme Widgets GmbH\n\n\n\n\nShip to: Hauptstr. 5, 80331 München"
    assert (
        convention_spans(far, _spans(far, ("Hauptstr. 5, 80331 München", "ADDRESS")))["business_addresses"]
        == []
    )


def test_convention_scores_count_found_and_drop_them_from_f1() -> None:
    text = "Hi Jenna,\nplease call Omar Haddad on 0171 2345678"
    docs = [
        {"text": text, "lang": "en", "spans": _spans(text, ("Jenna", "PERSON"), ("Omar Haddad", "PERSON"))}
    ]
    pred = [[{"start": 3, "end": 9, "label": "PERSON"}, *_spans(text, ("Omar Haddad", "PERSON"))]]
    out = convention_scores(docs, pred)
    assert out["greeting_names"] == {"gold": 1, "found": 0}
    assert out["business_addresses"] == {"gold": 0, "found": 0}
    assert out["micro_f1_without_conventions"] == 1.0  # the sloppy greeting span no longer counts


def test_document_scores_from_verdicts() -> None:
    docs = [
        {"spans": [{"label": "SECRET"}], "sensitive": True},
        {"spans": [{"label": "INTERNAL_HOST"}], "sensitive": True},
        {"spans": [{"label": "EMAIL"}], "sensitive": True},
        {"spans": [], "sensitive": False},
        {"spans": [], "sensitive": False},
    ]
    out = document_scores(docs, ["block", "redact", "redact", "block", "pass"])
    assert (out["block_recall"], out["blocked_correctly"], out["docs_with_blocking_gold"]) == (0.5, 1, 2)
    assert (out["false_block_rate"], out["clean_blocked"], out["docs_without_blocking_gold"]) == (
        0.3333,
        1,
        3,
    )
    assert (out["flag_recall"], out["false_flag_rate"]) == (1.0, 0.5)
    assert out["verdicts"] == {"pass": 1, "redact": 2, "block": 2}
    with pytest.raises(ValueError, match="5 documents but 1 verdicts"):
        document_scores(docs, ["pass"])


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", r"cases.jsonl:2: not JSON"),
        ('{"text": "x"}', r"cases.jsonl:2: a record needs"),
        ('{"text": "abc", "spans": [{"start": 0, "end": 2, "label": "NAME"}]}', "unknown label 'NAME'"),
        ('{"text": "abc", "spans": [{"start": 2, "end": 9, "label": "PERSON"}]}', r"range \[2, 9\) outside"),
        ('{"text": "abc", "spans": [{"end": 2, "label": "PERSON"}]}', "span 0 lacks start/end/label"),
    ],
)
def test_load_cases_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text('{"text": "ok", "spans": []}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_cases(path)


def test_load_cases_defaults(tmp_path: Path) -> None:
    case = {"text": HOST_TEXT, "spans": [{"start": 15, "end": 32, "label": "INTERNAL_HOST"}]}
    (doc,) = load_cases(_write(tmp_path / "cases.jsonl", [case]))
    assert (doc["id"], doc["lang"], doc["sensitive"]) == ("1", "unknown", True)
    assert doc["spans"] == [{"start": 15, "end": 32, "label": "INTERNAL_HOST"}]
    with pytest.raises(ValueError, match="no records"):
        load_cases(_write(tmp_path / "empty.jsonl", []))


def test_end_to_end_detectors_with_and_without_pack(tmp_path: Path) -> None:
    cases = [
        _case(1, HOST_TEXT, [("git.acme.internal", "INTERNAL_HOST")]),
        _case(2, f"token={SECRET_TEXT} pls help", [(SECRET_TEXT, "SECRET")], lang="de"),
        _case(3, CLEAN_TEXT, []),
    ]
    data = _write(tmp_path / "cases.jsonl", cases)
    pack = tmp_path / "acme.yaml"
    pack.write_text(PACK, encoding="utf-8")
    out = tmp_path / "results"
    printed: list[str] = []
    args = ["--no-model", "--data", str(data), "--domain", str(pack), "--out", str(out), "--name", "rd"]
    assert main(args, printed.append) == 0
    result = json.loads((out / "rd.json").read_text(encoding="utf-8"))
    with_pack, without = result["configurations"]["full+kestrel"], result["configurations"]["full"]
    assert with_pack["documents"]["block_recall"] == 1.0
    assert with_pack["documents"]["false_block_rate"] == 0.0
    assert with_pack["entities"]["by_label"]["INTERNAL_HOST"]["f1"] == 1.0
    assert without["documents"]["block_recall"] == 0.5  # only the secret blocks without the pack
    assert set(with_pack["entities"]["by_lang"]) == {"en", "de"}
    dumped = (out / "rd.json").read_text(encoding="utf-8") + (out / "rd.md").read_text(encoding="utf-8")
    for value in ("git.acme.internal", SECRET_TEXT, "asyncio", "build fails"):
        assert value not in dumped and value not in "\n".join(printed)


def test_cli_bad_data_is_a_clear_error(tmp_path: Path) -> None:
    printed: list[str] = []
    assert (
        main(["--no-model", "--data", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path)], printed.append)
        == 2
    )
    assert printed == [f"error: {tmp_path / 'nope.jsonl'}: cannot read (FileNotFoundError)"]
