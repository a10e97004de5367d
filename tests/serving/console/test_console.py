"""The incident console on SQLite and on a real PostgreSQL: login, roles, CSRF, queue, decisions,
allowlist, and the allowlist taking effect in the inspector."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from guard import Guard
from serving.console import create_console
from serving.inspect.http import HttpRequest
from serving.inspect.incidents import FindingRecord, Incident, new_incident_id
from serving.inspect.inspector import InspectConfig, Inspector
from serving.inspect.scanner import LocalScanner
from serving.store import IncidentStore
from serving.store.accounts import Accounts, HashAllowlist, hash_password, verify_password
from tests.serving.console.consoleproc import console_on_loopback
from tests.serving.store.pgfixture import clear_store, pg_url  # noqa: F401 (pg_url: a fixture)

ADMIN_PW = "correct horse battery"
ANALYST_PW = "staple gun 2026 spring"
KEY = "AKIA" + "QYLPMN5HHHFPZAM2"  # gitleaks:allow (fake, real format)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[IncidentStore]:
    url = (
        f"sqlite:///{tmp_path / 'incidents.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    s = IncidentStore(url, source="icap", model_version="guard-multilingual@0.2.0")
    accounts = Accounts(s)
    accounts.add("ada", "admin", ADMIN_PW)
    accounts.add("ann", "analyst", ANALYST_PW)
    yield s
    if request.param == "postgresql":
        clear_store(s)
    s.close()


Client = httpx.Client


@pytest.fixture()
def console(store: IncidentStore) -> Iterator[Callable[..., httpx.Client]]:
    """``console(**options)``: a real console (uvicorn on a loopback port) and a client with cookies."""
    with ExitStack() as stack:

        def start(**options: Any) -> httpx.Client:
            url = stack.enter_context(console_on_loopback(create_console(store, **options)))
            return stack.enter_context(httpx.Client(base_url=url, timeout=30))

        yield start


def _incident(label: str, destination: str, client: str = "10.0.0.7", minutes_ago: int = 0) -> Incident:
    stamp = (datetime.now(UTC) - timedelta(minutes=minutes_ago)).isoformat(timespec="milliseconds")
    finding = FindingRecord(
        label, "piece[2]", "fields", "regex", 0.95, "block", "AK****M2", "hmac-sha256:" + "ab" * 8
    )
    return Incident(
        new_incident_id(), "block", "findings", client, "POST", destination, [finding], time=stamp
    )


def _login(client: Client, user: str, password: str) -> None:
    done = client.post("/login", data={"username": user, "password": password}, follow_redirects=False)
    assert done.status_code == 303, done.text


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_every_page_needs_a_session(store: IncidentStore, console: Callable[..., Client]) -> None:
    client = console()
    for path in ("/", "/allowlist", "/incidents/x"):
        got = client.get(path, follow_redirects=False)
        assert got.status_code == 303 and got.headers["location"] == "/login"
    assert (
        client.post("/incidents/x/decide", data={"verdict": "confirmed"}, follow_redirects=False).status_code
        == 303
    )
    login = client.get("/login")
    assert login.status_code == 200 and "Content-Security-Policy" in login.headers
    assert login.headers["X-Frame-Options"] == "DENY" and login.headers["Cache-Control"] == "no-store"


def test_wrong_passwords_fail_and_lock_the_name(store: IncidentStore, console: Callable[..., Client]) -> None:
    client = console()
    bad = client.post("/login", data={"username": "ann", "password": "nope"})
    assert bad.status_code == 401 and 'id="login-error"' in bad.text and "console" not in bad.cookies
    for _ in range(5):
        client.post("/login", data={"username": "ann", "password": "nope"})
    locked = client.post("/login", data={"username": "ann", "password": ANALYST_PW})
    assert locked.status_code == 401  # locked for a minute even with the right password
    _login(client, "ada", ADMIN_PW)  # other names are not locked


def test_queue_filters_and_incident_page(store: IncidentStore, console: Callable[..., Client]) -> None:
    a = _incident("SECRET", "https://pastebin.com/api", client="alice", minutes_ago=3)
    b = _incident("EMAIL", "https://chat.example.org/v1", client="bob")
    for incident in (a, b):
        store.write(incident)
    client = console()
    _login(client, "ann", ANALYST_PW)
    page = client.get("/").text
    assert page.index(b.id) < page.index(a.id)  # newest first
    only = client.get("/", params={"label": "SECRET"}).text
    assert a.id in only and b.id not in only
    assert (
        b.id in client.get("/", params={"user": "bob"}).text
        and a.id not in client.get("/", params={"user": "bob"}).text
    )
    assert a.id in client.get("/", params={"destination": "pastebin"}).text
    assert client.get("/", params={"label": "NOPE"}).status_code == 400
    detail = client.get(f"/incidents/{a.id}").text
    assert "AK****M2" in detail and "guard-multilingual@0.2.0" in detail and "unreviewed" in detail
    assert KEY not in detail
    assert "/allowlist" not in detail.split("<main>")[1]  # analysts get no allowlist form
    assert client.get("/incidents/nosuch").status_code == 404


def test_decisions_need_the_csrf_token_and_leave_a_trail(
    store: IncidentStore, console: Callable[..., Client]
) -> None:
    a = _incident("SECRET", "https://pastebin.com/api")
    store.write(a)
    client = console()
    _login(client, "ann", ANALYST_PW)
    csrf = _csrf(client.get(f"/incidents/{a.id}").text)
    no_token = client.post(f"/incidents/{a.id}/decide", data={"verdict": "confirmed"})
    assert no_token.status_code == 403
    wrong = client.post(f"/incidents/{a.id}/decide", data={"verdict": "confirmed", "csrf": "forged"})
    assert wrong.status_code == 403
    no_reason = client.post(f"/incidents/{a.id}/decide", data={"verdict": "false_positive", "csrf": csrf})
    assert no_reason.status_code == 400
    done = client.post(
        f"/incidents/{a.id}/decide",
        data={"verdict": "false_positive", "reason": "test fixture key", "csrf": csrf},
        follow_redirects=False,
    )
    assert done.status_code == 303
    got = store.get(a.id)
    assert got is not None and got.verdict == "false_positive"
    trail = store.decisions(a.id)
    assert [(d["analyst"], d["verdict"], d["reason"]) for d in trail] == [
        ("ann", "false_positive", "test fixture key")
    ]
    assert "false_positive" in client.get("/", params={"verdict": "false_positive"}).text
    assert a.id not in client.get("/", params={"verdict": "unreviewed"}).text


def test_only_admins_allowlist_and_only_hashes_of_the_incident(
    store: IncidentStore, console: Callable[..., Client]
) -> None:
    a = _incident("SECRET", "https://pastebin.com/api")
    store.write(a)
    value_hash = a.findings[0].hash
    analyst = console()
    _login(analyst, "ann", ANALYST_PW)
    csrf = _csrf(analyst.get(f"/incidents/{a.id}").text)
    form = {"value_hash": value_hash, "scope": "destination", "reason": "public test key", "csrf": csrf}
    assert analyst.post(f"/incidents/{a.id}/allowlist", data=form).status_code == 403
    admin = console()
    _login(admin, "ada", ADMIN_PW)
    csrf = _csrf(admin.get(f"/incidents/{a.id}").text)
    bad = {**form, "csrf": csrf, "value_hash": "hmac-sha256:" + "cd" * 8}
    assert admin.post(f"/incidents/{a.id}/allowlist", data=bad).status_code == 400
    ok = admin.post(f"/incidents/{a.id}/allowlist", data={**form, "csrf": csrf}, follow_redirects=False)
    assert ok.status_code == 303
    entries = Accounts(store).allowlisted()
    assert [(e["hash"], e["destination"], e["analyst"]) for e in entries] == [
        (value_hash, "pastebin.com", "ada")
    ]
    assert "pastebin.com" in admin.get("/allowlist").text


def test_logout_ends_the_session(store: IncidentStore, console: Callable[..., Client]) -> None:
    client = console()
    _login(client, "ann", ANALYST_PW)
    csrf = _csrf(client.get("/").text)
    assert client.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_reverse_proxy_user_header_logs_in_known_accounts_only(
    store: IncidentStore, console: Callable[..., Client]
) -> None:
    Accounts(store).add("sso-carol", "analyst", None)
    client = console(user_header="X-Remote-User")
    got = client.get("/login", headers={"X-Remote-User": "sso-carol"}, follow_redirects=False)
    assert got.status_code == 303
    assert "sso-carol" in client.get("/").text
    stranger = console(user_header="X-Remote-User")
    assert stranger.get("/login", headers={"X-Remote-User": "mallory"}).status_code == 403
    ignored = console()  # without --user-header the header means nothing
    assert ignored.get("/login", headers={"X-Remote-User": "sso-carol"}).status_code == 200
    assert ignored.get("/", follow_redirects=False).status_code == 303
    assert not Accounts(store).check("sso-carol", "")  # a header-only account has no password


def test_an_allowlisted_hash_passes_for_its_destination_only(store: IncidentStore) -> None:
    config = InspectConfig(hash_key=b"k" * 32)
    accounts = Accounts(store)
    inspector = Inspector(
        LocalScanner(Guard.load(model=False)), config, store, HashAllowlist(accounts.hashes_for, 0.0)
    )
    body = f'{{"message": "our test key is {KEY}"}}'.encode()
    request = HttpRequest("POST", "https://pastebin.com/api", (("Content-Type", "application/json"),), body)
    first = inspector.inspect(request)
    assert first.action == "block" and first.incident is not None
    hashes = {f.hash for f in first.incident.findings if f.label == "SECRET"}
    for h in hashes:
        accounts.allow(h, "pastebin.com", "ada", "public test key", first.incident.id)
    assert inspector.inspect(request).action == "pass"
    elsewhere = HttpRequest("POST", "https://gist.example.com/api", request.headers, body)
    assert inspector.inspect(elsewhere).action == "block"


def test_passwords_are_stored_as_salted_scrypt() -> None:
    stored = hash_password(ADMIN_PW)
    assert stored.startswith("scrypt$") and ADMIN_PW not in stored and stored != hash_password(ADMIN_PW)
    assert verify_password(ADMIN_PW, stored) and not verify_password("wrong", stored)
    assert not verify_password(ADMIN_PW, None) and not verify_password(ADMIN_PW, "md5$x")


def test_accounts_refuse_short_passwords_and_unknown_roles(store: IncidentStore) -> None:
    accounts = Accounts(store)
    with pytest.raises(ValueError, match="12 characters"):
        accounts.add("bob", "analyst", "short")
    with pytest.raises(ValueError, match="role"):
        accounts.add("bob", "root", ADMIN_PW)
    accounts.disable("ann")
    assert not accounts.check("ann", ANALYST_PW) and accounts.role_of("ann") is None
