"""bench.compare_presidio: label mapping, don't-care regions, exact vs overlap scoring, CLI errors.

The scoring and mapping run on hand-made records; the end-to-end run (real Presidio with its spaCy
model, real guard detectors) is heavy.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.compare_presidio import (
    GOLD_MAP,
    PRESIDIO_MAP,
    SCORED_LABELS,
    load_peer_set,
    main,
    map_presidio,
    score_system,
)

TEXT_A = "Call Jane Roe at 212-555-0143 or jane.roe@brightmail.org, 44 Elm Street, Springfield."
TEXT_B = "Licence 2270-66-1551 and SSN 078-05-1120 from 10.4.5.6 in Paris."


def _span(text: str, value: str, kind: str) -> dict[str, object]:
    start = text.index(value)
    return {
        "entity_type": kind,
        "entity_value": value,
        "start_position": start,
        "end_position": start + len(value),
    }


RECORDS = [
    {
        "full_text": TEXT_A,
        "spans": [
            _span(TEXT_A, "Jane Roe", "PERSON"),
            _span(TEXT_A, "212-555-0143", "PHONE_NUMBER"),
            _span(TEXT_A, "jane.roe@brightmail.org", "EMAIL_ADDRESS"),
            _span(TEXT_A, "44 Elm Street, Springfield", "STREET_ADDRESS"),
        ],
    },
    {
        "full_text": TEXT_B,
        "spans": [
            _span(TEXT_B, "2270-66-1551", "US_DRIVER_LICENSE"),
            _span(TEXT_B, "078-05-1120", "US_SSN"),
            _span(TEXT_B, "10.4.5.6", "IP_ADDRESS"),
            _span(TEXT_B, "Paris", "GPE"),
        ],
    },
]


@pytest.fixture
def peer_file(tmp_path: Path) -> Path:
    path = tmp_path / "synth.json"
    path.write_text(json.dumps(RECORDS), encoding="utf-8")
    return path


def test_mapping_tables_follow_the_dataset_readme() -> None:
    assert GOLD_MAP["STREET_ADDRESS"] == "ADDRESS" and GOLD_MAP["IBAN_CODE"] == "BANK_ACCOUNT"
    assert GOLD_MAP["US_SSN"] == "NATIONAL_ID" and "IP_ADDRESS" not in GOLD_MAP
    assert "STREET_ADDRESS" not in PRESIDIO_MAP and "LOCATION" not in PRESIDIO_MAP
    assert set(GOLD_MAP.values()) == set(SCORED_LABELS)


def test_load_maps_labels_keeps_dont_care_and_counts_unscored(peer_file: Path) -> None:
    docs = load_peer_set(peer_file)
    assert [s["label"] for s in docs[0]["spans"]] == ["PERSON", "PHONE", "EMAIL", "ADDRESS"]
    assert docs[1]["spans"] == [{"start": 29, "end": 40, "label": "NATIONAL_ID"}]
    assert docs[1]["ignore"] == [{"start": 8, "end": 20, "label": "US_DRIVER_LICENSE"}]
    assert docs[1]["unscored"] == {"IP_ADDRESS": 1, "GPE": 1}
    assert len(load_peer_set(peer_file, limit=1)) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{}", "expected a JSON list"),
        ("[", "cannot read the peer set"),
        ("[]", "no records"),
        ('[{"spans": []}]', "record 0 has no string 'full_text'"),
        ('[{"full_text": "abc", "spans": [{"entity_type": "PERSON"}]}]', "record 0 span 0 lacks"),
        (
            '[{"full_text": "abc", "spans": '
            '[{"entity_type": "PERSON", "start_position": 1, "end_position": 9}]}]',
            r"record 0 span 0 range \[1, 9\) outside the text",
        ),
    ],
)
def test_load_rejects_bad_files(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_peer_set(path)


def test_map_presidio_threshold_duplicates_and_location_variant() -> None:
    raw = [
        ("PERSON", 5, 13, 0.85),
        ("PHONE_NUMBER", 17, 29, 0.4),
        ("PHONE_NUMBER", 17, 29, 0.75),  # the same span from a second recognizer
        ("UK_NHS", 17, 29, 1.0),
        ("LOCATION", 73, 84, 0.85),
        ("URL", 41, 54, 0.5),
    ]
    assert map_presidio(raw) == [
        {"start": 5, "end": 13, "label": "PERSON"},
        {"start": 17, "end": 29, "label": "PHONE"},
    ]
    assert map_presidio(raw, threshold=0.5) == [
        {"start": 5, "end": 13, "label": "PERSON"},
        {"start": 17, "end": 29, "label": "PHONE"},
    ]
    assert map_presidio(raw, threshold=0.9) == []
    assert {"start": 73, "end": 84, "label": "ADDRESS"} in map_presidio(raw, location_as_address=True)


def test_score_system_exact_vs_overlap_and_dont_care(peer_file: Path) -> None:
    docs = load_peer_set(peer_file)
    addr = TEXT_A.index("44 Elm")
    predicted = [
        [
            {"start": 5, "end": 13, "label": "PERSON"},  # exact
            {"start": addr, "end": addr + 13, "label": "ADDRESS"},  # "44 Elm Street" only: overlap
            {"start": 0, "end": 4, "label": "PERSON"},  # wrong
        ],
        [
            {"start": 8, "end": 20, "label": "NATIONAL_ID"},  # on the driver licence: don't care
            {"start": 29, "end": 40, "label": "NATIONAL_ID"},  # exact
            {"start": 46, "end": 54, "label": "INTERNAL_HOST"},  # not a scored label
        ],
    ]
    reps = score_system(docs, predicted)
    exact, overlap = reps["exact"].micro, reps["overlap"].micro
    assert (exact.tp, exact.fp, exact.fn) == (2, 2, 3)
    assert (overlap.tp, overlap.fp, overlap.fn) == (3, 1, 2)
    assert reps["overlap"].by_label["ADDRESS"].f1 == 1.0
    assert "INTERNAL_HOST" not in reps["exact"].by_label
    with pytest.raises(ValueError, match="2 documents but 1 predictions"):
        score_system(docs, predicted[:1])


def test_cli_rejects_bad_input_without_traceback(peer_file: Path, tmp_path: Path) -> None:
    lines: list[str] = []
    bad = tmp_path / "missing.json"
    assert (
        main(["--no-model", "--guard-mode", "full", "--data", str(bad), "--out", str(tmp_path)], lines.append)
        == 2
    )
    assert lines and lines[0].startswith("error: ") and "cannot read the peer set" in lines[0]
    with pytest.raises(SystemExit) as exc:
        main(["--no-model", "--data", str(peer_file)], lines.append)
    assert exc.value.code == 2


@pytest.mark.heavy
def test_end_to_end_with_presidio_writes_figures_only(peer_file: Path, tmp_path: Path) -> None:
    pytest.importorskip("presidio_analyzer", reason="pip install -e '.[bench]'")
    out = tmp_path / "results"
    args = [
        "--no-model",
        "--guard-mode",
        "full",
        "--data",
        str(peer_file),
        "--out",
        str(out),
        "--name",
        "cmp",
    ]
    assert main(args, lambda _: None) == 0
    result = json.loads((out / "cmp.json").read_text(encoding="utf-8"))
    assert set(result["systems"]) == {"guard_full", "presidio", "presidio_location_as_address"}
    assert result["dataset"]["gold_spans"] == {
        "PERSON": 1,
        "PHONE": 1,
        "EMAIL": 1,
        "ADDRESS": 1,
        "NATIONAL_ID": 1,
    }
    presidio = result["systems"]["presidio"]["exact"]["by_label"]
    assert presidio["ADDRESS"]["predicted"] == 0  # no street-address recognizer
    assert presidio["EMAIL"]["f1"] == 1.0  # Presidio's e-mail regex finds the exact span
    assert result["systems"]["guard_full"]["exact"]["by_label"]["EMAIL"]["f1"] == 1.0
    dumped = (out / "cmp.json").read_text(encoding="utf-8") + (out / "cmp.md").read_text(encoding="utf-8")
    for secret in ("Jane Roe", "212-555-0143", "jane.roe", "Elm Street", "078-05-1120"):
        assert secret not in dumped
