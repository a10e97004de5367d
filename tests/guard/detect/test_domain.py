"""Domain packs: strict loading with file/key errors, and the detector on the Kestrel example pack."""

from __future__ import annotations

from pathlib import Path

import pytest

from guard.detect.base import ScanContext
from guard.detect.domain import DomainDetector, DomainPack, load_domain_pack
from guard.errors import ConfigError

KESTREL = Path(__file__).resolve().parents[3] / "deploy" / "domains" / "example-kestrel.yaml"
PACK_TEXT = """
company: {name: Acme, public_domains: [acme.com]}
internal_hosts: {domains: [acme.internal], ip_ranges: ["10.40.0.0/16", "fd00:ac::/32"]}
codenames:
  - {name: Okapi, aliases: [OKAPI, Projet Okapi]}
  - {name: Gekko, aliases: [月光]}
customers: [Halvorsen Shipping AS, Banque Lefèvre & Cie]
secret_formats:
  - {name: acme_key, regex: "acme_[A-Za-z0-9]{24}"}
internal_ids:
  - {name: employee_id, regex: "AC-[0-9]{6}"}
"""


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> DomainPack:
    path = tmp_path_factory.mktemp("pack") / "acme.yaml"
    path.write_text(PACK_TEXT, encoding="utf-8")
    return load_domain_pack(path)


@pytest.fixture(scope="module")
def det(pack: DomainPack) -> DomainDetector:
    return DomainDetector(pack)


def spans(det: DomainDetector, text: str, label: str | None = None) -> list[tuple[str, str]]:
    return [(f.label, text[f.start : f.end]) for f in det.detect(text) if label is None or f.label == label]


def test_kestrel_pack_loads() -> None:
    pack = load_domain_pack(KESTREL)
    assert "kestrel.internal" in pack.internal_hosts.domains
    assert any(c.name == "Okapi" for c in pack.codenames)
    assert pack.is_public_host("www.kestrel-dynamics.com")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see https://wiki.acme.internal/x/y?z=1.", "https://wiki.acme.internal/x/y?z=1"),
        ("ssh build-07.acme.internal now", "build-07.acme.internal"),
        ("ACME.INTERNAL is down", "ACME.INTERNAL"),
        ("https://user@git.acme.internal:8443/repo", "https://user@git.acme.internal:8443/repo"),
        ("主机git.acme.internal上", "git.acme.internal"),
    ],
)
def test_internal_hosts(det: DomainDetector, text: str, expected: str) -> None:
    assert spans(det, text, "INTERNAL_HOST") == [("INTERNAL_HOST", expected)]


@pytest.mark.parametrize(
    "text",
    [
        "visit www.acme.com today",
        "acme.internal.evil.org",
        "notacme.internal",
        "mail bob@acme.internal",
        "10.41.0.1",
    ],
)
def test_not_internal(det: DomainDetector, text: str) -> None:
    assert spans(det, text, "INTERNAL_HOST") == []


def test_ips_in_pack_ranges(det: DomainDetector) -> None:
    text = "db 10.40.3.4, cache fd00:ac::12, public 8.8.8.8"
    assert spans(det, text, "INTERNAL_HOST") == [
        ("INTERNAL_HOST", "10.40.3.4"),
        ("INTERNAL_HOST", "fd00:ac::12"),
    ]


def test_company_secret_format(det: DomainDetector) -> None:
    key = "acme_" + "aZ3" * 8
    (f,) = det.detect(f"key {key}")
    assert f.label == "SECRET" and f.metadata["kind"] == "acme_key"


def test_internal_ids_are_not_findings(det: DomainDetector) -> None:
    assert det.detect("ask AC-123456") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Projet Okapi est en retard", "Projet Okapi"),  # the alias is a project name
        ("Projekt Okapi startet", "Okapi"),  # cue before
        ("the Okapi project slipped", "Okapi"),  # cue after
        ("OKAPI status", "OKAPI"),  # all-caps alias
        ("月光計画の予算", "月光"),  # CJK suffix
        ("Le prototype Okapi atteint 410 Wh/kg", "Okapi"),  # codename context word
    ],
)
def test_codename_confirmed(det: DomainDetector, text: str, expected: str) -> None:
    (f,) = [f for f in det.detect(text) if f.label == "CODENAME"]
    assert text[f.start : f.end] == expected and f.score >= 0.5


@pytest.mark.parametrize(
    "text", ["The okapi is an animal of the Congo.", "月光が綺麗ですね", "Okapis eat leaves"]
)
def test_codename_in_ordinary_sense_stays_below_threshold(det: DomainDetector, text: str) -> None:
    assert all(f.score < 0.5 for f in det.detect(text))


class _Scorer:
    """Plays the SpanScorer protocol with a fixed score so the test controls the context decision."""

    def __init__(self, score: float) -> None:
        self.score = score
        self.calls: list[tuple[int, int, str]] = []

    def span_score(self, start: int, end: int, label: str) -> float:
        self.calls.append((start, end, label))
        return self.score


@pytest.mark.parametrize(("model_score", "confirmed"), [(0.9, True), (0.1, False)])
def test_model_score_decides_ambiguous_candidates(
    det: DomainDetector, model_score: float, confirmed: bool
) -> None:
    text = "Okapi is doing well"
    scorer = _Scorer(model_score)
    (f,) = det.detect(text, ScanContext(scorer=scorer))
    assert scorer.calls == [(0, 5, "CODENAME")]
    assert (f.score >= 0.5) is confirmed and f.metadata["confirmed_by"] == "model"


def test_customers_with_legal_variants(det: DomainDetector) -> None:
    text = "Halvorsen Shipping wants a 12% discount; Banque Lefevre signed the contract."
    found = spans(det, text, "CUSTOMER")
    assert found == [("CUSTOMER", "Halvorsen Shipping"), ("CUSTOMER", "Banque Lefevre")]
    assert all(f.score >= 0.5 for f in det.detect(text) if f.label == "CUSTOMER")


def test_customer_without_confidential_context_is_a_candidate(det: DomainDetector) -> None:
    (f,) = det.detect("Halvorsen Shipping AS was founded in Bergen.")
    assert f.label == "CUSTOMER" and f.score < 0.5


def _pack_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "pack.yaml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("company: {name: A}\ncolour: red\n", "colour: Extra inputs are not permitted"),
        ("company: {name: A}\ninternal_hosts: {ip_ranges: ['10.0.0.1/8']}\n", "internal_hosts.ip_ranges[0]"),
        ("company: {name: A}\ninternal_hosts: {domains: ['not a domain']}\n", "internal_hosts.domains[0]"),
        ("company: {name: A}\nsecret_formats: [{name: x, regex: '(a'}]\n", "secret_formats[0].regex"),
        (
            "company: {name: A}\nsecret_formats: [{name: x, regex: '(?<=k)ey'}]\n",
            "without backreferences or lookaround",
        ),
        ("company: {name: A}\ncodenames: [{name: ''}]\n", "codenames[0].name"),
        ("internal_hosts: {}\n", "company: Field required"),
        ("company: [\n", "invalid YAML at line"),
        ("- a\n", "must be a mapping"),
    ],
)
def test_bad_pack_names_file_and_key(tmp_path: Path, body: str, message: str) -> None:
    path = _pack_file(tmp_path, body)
    with pytest.raises(ConfigError) as err:
        load_domain_pack(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_missing_pack(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_domain_pack(tmp_path / "nope.yaml")


def test_pack_is_frozen(pack: DomainPack) -> None:
    with pytest.raises(ValueError):
        pack.customers = ()  # type: ignore[misc]


def test_detector_needs_a_pack() -> None:
    with pytest.raises(ValueError):
        DomainDetector([])


@pytest.mark.parametrize(
    "own",
    ["Kestrel Dynamics", "kestrel dynamics", "Kestrel Dynamics GmbH", "ケストレル・ダイナミクス株式会社"],
)
def test_own_company_is_never_a_customer(own: str) -> None:
    from guard.findings import Finding

    det = DomainDetector(load_domain_pack(KESTREL))
    text = f"Mit freundlichen Grüßen\n{own}\nOstwald Energie GmbH zahlt 31 % Marge."
    start = text.index(own)
    candidates = [
        Finding("CUSTOMER", start, start + len(own), 0.9, "model"),  # the model's view of the signature
        Finding("CODENAME", start, start + 7, 0.9, "model"),  # "Kestrel" alone, inside the own name
        Finding("PERSON", start, start + len(own), 0.9, "model"),  # other labels are not touched
        *det.detect(text),
    ]
    kept = [(f.label, text[f.start : f.end]) for f in det.without_own_company(text, candidates)]
    assert ("CUSTOMER", own) not in kept and ("CODENAME", own[:7]) not in kept
    assert ("PERSON", own) in kept
    assert ("CUSTOMER", "Ostwald Energie GmbH") in kept  # a real customer next to it stays


def test_own_company_needs_whole_words(det: DomainDetector) -> None:
    from guard.findings import Finding

    text = "Acmeo Corp renewed."  # "Acme" is the pack's company, "Acmeo" is someone else
    found = [Finding("CUSTOMER", 0, 10, 0.9, "model")]
    assert det.without_own_company(text, found) == found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("psql -h db.acme.internal:5432 -U app", "db.acme.internal:5432"),  # the port belongs to the host
        ("ssh 10.40.3.7:22 failed", "10.40.3.7:22"),
        ("route 10.40.0.0/16 via the VPN", "10.40.0.0/16"),  # so does a CIDR prefix length
        ("db.acme.internal: disk full", "db.acme.internal"),  # a colon is not a port
        ("at 10.40.1.2:30:00 the link dropped", "10.40.1.2"),  # nor is a time after an address
    ],
)
def test_host_spans_keep_port_and_prefix(det: DomainDetector, text: str, expected: str) -> None:
    assert spans(det, text, "INTERNAL_HOST") == [("INTERNAL_HOST", expected)]


@pytest.mark.timeout(120)  # a hang guard: with backtracking this pattern runs for hours on 1 MiB
def test_a_catastrophic_pack_regex_scans_in_linear_time(tmp_path: Path) -> None:
    path = _pack_file(tmp_path, "company: {name: A}\nsecret_formats: [{name: x, regex: '(a+)+b'}]\n")
    det = DomainDetector(load_domain_pack(path))
    assert det.detect("a" * (1 << 20)) == []
    assert [f.label for f in det.detect("aaab")] == ["SECRET"]
