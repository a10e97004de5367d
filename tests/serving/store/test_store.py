"""The incident store on SQLite and on a real PostgreSQL: migrate, write, filter, decide."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from serving.inspect.incidents import FindingRecord, Incident, new_incident_id
from serving.store import IncidentStore
from serving.store.store import StoreError
from tests.serving.store.pgfixture import clear_store, pg_url  # noqa: F401 (pg_url: a fixture)

KEY = "AKIA" + "QYLPMN5HHHFPZAM2"  # gitleaks:allow (fake, real format)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[IncidentStore]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'state' / 'incidents.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    s = IncidentStore(url, source="icap", model_version="guard-multilingual@0.2.0")
    yield s
    if request.param == "postgresql":  # one cluster for the module: start each test empty
        clear_store(s)
    s.close()


def _incident(label: str, destination: str, minutes_ago: int = 0) -> Incident:
    stamp = (datetime.now(UTC) - timedelta(minutes=minutes_ago)).isoformat(timespec="milliseconds")
    finding = FindingRecord(
        label, "piece[2]", "fields", "regex", 0.95, "block", "AK****M2", "hmac-sha256:abc"
    )
    return Incident(
        new_incident_id(), "block", "findings", "10.0.0.7", "POST", destination, [finding], time=stamp
    )


def test_write_read_filter(store: IncidentStore) -> None:
    a = _incident("SECRET", "https://pastebin.com:443", minutes_ago=5)
    b = _incident("EMAIL", "https://api.example.com:443")
    for incident in (a, b):
        store.write(incident)
    got = store.get(a.id)
    assert got is not None and got.incident.findings == a.findings and got.source == "icap"
    assert got.model_version == "guard-multilingual@0.2.0" and got.verdict is None
    assert [s.incident.id for s in store.query()] == [b.id, a.id]  # newest first
    assert [s.incident.id for s in store.query(label="SECRET")] == [a.id]
    assert [s.incident.id for s in store.query(destination="pastebin")] == [a.id]
    assert [s.incident.id for s in store.query(since=datetime.now(UTC) - timedelta(minutes=1))] == [b.id]


def test_analyst_decisions_keep_a_trail(store: IncidentStore) -> None:
    incident = _incident("CODENAME", "https://chatgpt.com:443")
    store.write(incident)
    store.decide(incident.id, "false_positive", "ana", "public name of a web server")
    store.decide(incident.id, "confirmed", "bob")
    stored = store.get(incident.id)
    assert stored is not None and stored.verdict == "confirmed"
    assert [(d["analyst"], d["verdict"]) for d in store.decisions(incident.id)] == [
        ("ana", "false_positive"), ("bob", "confirmed"),
    ]  # fmt: skip
    assert [s.incident.id for s in store.query(verdict="unreviewed")] == []
    with pytest.raises(ValueError):
        store.decide(incident.id, "maybe", "ana")
    with pytest.raises(ValueError):
        store.decide("G-000000000000", "confirmed", "ana")


def test_reopening_migrates_nothing_twice(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'incidents.db'}"
    IncidentStore(url).write(_incident("SECRET", "https://x.example:443"))
    again = IncidentStore(url)
    assert len(again.query()) == 1
    with again.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_an_unreachable_database_is_a_clear_error_without_the_password() -> None:
    with pytest.raises(StoreError) as err:
        IncidentStore("postgresql+psycopg://guard:s3cret-pw@127.0.0.1:1/none")
    assert "s3cret-pw" not in str(err.value) and "127.0.0.1:1" in str(err.value)


def test_nothing_raw_is_stored(store: IncidentStore) -> None:
    from guard import Guard
    from serving.inspect.http import HttpRequest
    from serving.inspect.inspector import InspectConfig, Inspector
    from serving.inspect.scanner import LocalScanner

    inspector = Inspector(LocalScanner(Guard.load(model=False)), InspectConfig(), store)
    out = inspector.inspect(HttpRequest("POST", "https://paste.example/new?k=1", (), f"key {KEY}".encode()))
    assert out.action == "block"
    (stored,) = store.query()
    assert stored.incident.id == out.incident.id and stored.incident.labels == {"SECRET": 1}
    with store.engine.connect() as conn:
        dump = " ".join(str(row) for table in ("incidents", "findings") for row in
                        conn.exec_driver_sql(f"SELECT * FROM {table}").all())  # fmt: skip
    assert KEY not in dump and KEY[4:] not in dump and "k=1" not in dump


def test_the_proxies_write_to_a_store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from serving.inspect.factory import ProxySettings, build_inspector
    from serving.inspect.http import HttpRequest

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    url = f"sqlite:///{tmp_path / 'incidents.db'}"
    inspector = build_inspector(ProxySettings(no_model=True, incidents=url, source="icap"))
    out = inspector.inspect(HttpRequest("POST", "https://paste.example/new", (), f"key {KEY}".encode()))
    (stored,) = IncidentStore(url).query()
    assert stored.incident.id == out.incident.id and stored.source == "icap"
    assert (tmp_path / "state" / "guard" / "incident-hash.key").exists()


def test_proxies_keep_enforcing_and_spool_while_the_store_is_away(tmp_path: Path) -> None:
    import httpx

    from serving.incident_metrics import IncidentMetrics, SpoolingStore, serve_metrics
    from tests.serving.inspect.netfixtures import free_port

    urls = ["postgresql+psycopg://guard@127.0.0.1:1/none"]  # nothing listens: the store is away
    metrics = IncidentMetrics()
    port = free_port()
    serve_metrics(metrics, port)
    sink = SpoolingStore(lambda: IncidentStore(urls[0]), tmp_path / "spool.jsonl", metrics=metrics)
    first, second = _incident("SECRET", "https://a.example:443"), _incident("EMAIL", "https://b.example:443")
    sink.write(first)
    sink.write(second)
    assert len((tmp_path / "spool.jsonl").read_text().splitlines()) == 2
    assert "guard_incident_spool 2.0" in httpx.get(f"http://127.0.0.1:{port}/metrics").text
    urls[0] = f"sqlite:///{tmp_path / 'incidents.db'}"  # the database is back
    third = _incident("SECRET", "https://c.example:443")
    sink.write(third)
    stored = {s.incident.id for s in IncidentStore(urls[0]).query()}
    assert stored == {first.id, second.id, third.id} and not (tmp_path / "spool.jsonl").exists()
    assert "guard_incident_spool 0.0" in httpx.get(f"http://127.0.0.1:{port}/metrics").text


def test_incident_metrics_by_action_label_and_host(tmp_path: Path) -> None:
    from serving.incident_metrics import IncidentMetrics, MetricsSink

    metrics = IncidentMetrics()
    sink = MetricsSink(metrics)
    sink.write(_incident("SECRET", "https://pastebin.com:443"))
    sink.write(_incident("SECRET", "https://pastebin.com:443"))
    value = metrics.registry.get_sample_value(
        "guard_incidents_total", {"action": "block", "label": "SECRET", "destination": "pastebin.com"}
    )
    assert value == 2


def test_a_users_answer_to_a_block_page_goes_to_the_trail(store: IncidentStore) -> None:
    blocked = _incident("SECRET", "https://pastebin.com:443")
    store.write(blocked)
    store.write(blocked)  # a replay (a spool flushed twice): nothing changes, nothing raises
    for action, note in (("coach_confirm", "vendor support case"), ("user_report", "only a test key")):
        store.write(
            Incident(
                blocked.id, action, "justified", "alice", "POST", blocked.destination, justification=note
            )
        )
    got = store.get(blocked.id)
    assert got is not None and got.incident.justification == "vendor support case" and got.verdict is None
    trail = [(d["analyst"], d["verdict"], d["reason"]) for d in store.decisions(blocked.id)]
    assert trail == [
        ("user alice", "coach_confirm", "vendor support case"),
        ("user alice", "user_report", "only a test key"),
    ]
    assert len(store.query()) == 1
