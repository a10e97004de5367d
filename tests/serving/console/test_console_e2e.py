"""A request blocked by real Squid + ``guard icap`` and by real ``mitmdump`` + guard is in the console
as soon as the proxy has answered, on SQLite and on PostgreSQL (heavy).

Both proxies write to one incident store URL; the console reads the same store. The incident is
written before the block page goes out, so the console must show it at once: the test looks
right after the 403, without waiting.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from serving.console import create_console
from serving.store import IncidentStore
from serving.store.accounts import Accounts
from tests.serving.console.consoleproc import console_on_loopback
from tests.serving.inspect.netfixtures import TestCA, Upstream
from tests.serving.inspect.proxyprocs import GuardIcap, Mitmdump, Squid
from tests.serving.store.pgfixture import running_postgres

pytestmark = pytest.mark.heavy
AWS_KEY = "AKIA" + "QYLPMN5HHHFPZAM2"  # gitleaks:allow (fake, real format)
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'incidents.db'}"
    else:
        with running_postgres() as url:
            yield url


@pytest.fixture(scope="module")
def console(store_url: str) -> Iterator[httpx.Client]:
    store = IncidentStore(store_url, source="console")
    Accounts(store).add("ada", "analyst", PASSWORD)
    with console_on_loopback(create_console(store)) as url, httpx.Client(base_url=url, timeout=30) as client:
        assert client.post("/login", data={"username": "ada", "password": PASSWORD}).status_code in (200, 303)
        yield client
    store.close()


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> TestCA:
    return TestCA(tmp_path_factory.mktemp("ca"))


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    server = Upstream()
    yield server
    server.close()


def _in_console(console: httpx.Client, incident_id: str) -> tuple[str, str]:
    queue = console.get("/").text
    page = console.get(f"/incidents/{incident_id}")
    assert page.status_code == 200, page.text[:500]
    return queue, page.text


def test_squid_and_icap(
    store_url: str, console: httpx.Client, ca: TestCA, upstream: Upstream,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:  # fmt: skip
    # deterministic detectors (--no-model): the store and the console are under test, not the model
    icap = GuardIcap(tmp_path_factory.mktemp("icap"), Path("unused"), "--no-model", "--incidents", store_url)
    squid = Squid(icap.port, ca)
    try:
        with squid.client(ca) as c:
            resp = c.post(upstream.url("/api", host="localhost"), json={"note": f"key={AWS_KEY}"})
        assert resp.status_code == 403
        incident_id = resp.json()["incident_id"]
        queue, page = _in_console(console, incident_id)  # no wait: written before the 403 went out
        assert incident_id in queue and "icap" in page and "SECRET" in page
        assert AWS_KEY not in queue + page
    finally:
        squid.close()
        icap.close()


def test_mitmdump(
    store_url: str,
    console: httpx.Client,
    ca: TestCA,
    upstream: Upstream,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    proxy = Mitmdump(
        tmp_path_factory.mktemp("mitm"), {"guard_incidents": store_url, "guard_no_model": "true"}, ca
    )
    try:
        with proxy.client(ca) as c:
            url = upstream.url("/api", host="localhost")
            resp = c.post(url, json={"note": f"key={AWS_KEY}"}, headers={"Accept": "application/json"})
        assert resp.status_code == 403
        incident_id = resp.json()["incident_id"]
        queue, page = _in_console(console, incident_id)
        assert incident_id in queue and "proxy" in page and "SECRET" in page
        assert AWS_KEY not in queue + page
    finally:
        proxy.close()
