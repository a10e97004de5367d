"""The console in headless Chromium (chromedriver + selenium): log in, filter, open, decide (heavy).

Chromium reaches 127.0.0.1 directly and everything else through a proxy that is not there, so a page
that needs anything from the network stays broken. Screenshots of the queue and of an incident are
kept in tests/artifacts/.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from serving.console import create_console
from serving.inspect.incidents import FindingRecord, Incident, new_incident_id
from serving.store import IncidentStore
from serving.store.accounts import Accounts
from tests.serving.console.consoleproc import console_on_loopback
from tests.serving.inspect.netfixtures import free_port
from tests.serving.inspect.proxyprocs import ROOT, install_system_deps

pytestmark = pytest.mark.heavy
ARTIFACTS = ROOT / "tests" / "artifacts"
PASSWORD = "correct horse battery"


def _incident(label: str, destination: str, client: str, minutes_ago: int) -> Incident:
    stamp = (datetime.now(UTC) - timedelta(minutes=minutes_ago)).isoformat(timespec="milliseconds")
    finding = FindingRecord(
        label, "piece[1]", "fields", "regex", 0.97, "block", "AK****M2", "hmac-sha256:" + "ef" * 8
    )
    return Incident(
        new_incident_id(), "block", "findings", client, "POST", destination, [finding], time=stamp
    )


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[tuple[str, IncidentStore, list[Incident]]]:
    store = IncidentStore(
        f"sqlite:///{tmp_path / 'incidents.db'}", source="icap", model_version="guard-multilingual@0.2.0"
    )
    Accounts(store).add("ada", "admin", PASSWORD)
    seeded = [
        _incident("SECRET", "https://pastebin.com/api/paste", "alice", 9),
        _incident("EMAIL", "https://chat.example.org/v1/messages", "bob", 5),
        _incident("CUSTOMER", "https://gist.example.com/new", "carol", 1),
    ]
    for incident in seeded:
        store.write(incident)
    with console_on_loopback(create_console(store)) as url:
        yield url, store, seeded
    store.close()


def _driver(profile: Path):  # type: ignore[no-untyped-def]
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    install_system_deps()
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    assert chromium and driver, "chromium and chromium-driver are installed by scripts/install-system-deps.sh"
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", f"--user-data-dir={profile}", "--window-size=1300,900",
                f"--proxy-server=http://127.0.0.1:{free_port()}"):  # fmt: skip
        options.add_argument(arg)
    return webdriver.Chrome(options=options, service=Service(executable_path=driver))


def test_an_analyst_logs_in_filters_opens_and_decides(
    site: tuple[str, IncidentStore, list[Incident]], tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as until
    from selenium.webdriver.support.ui import Select, WebDriverWait

    url, store, (secret, email, customer) = site
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser = _driver(tmp_path / "profile")
    try:
        browser.get(url + "/")
        assert browser.current_url.endswith("/login")
        browser.find_element(By.NAME, "username").send_keys("ada")
        browser.find_element(By.NAME, "password").send_keys(PASSWORD)
        browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        wait = WebDriverWait(browser, 30)
        wait.until(until.presence_of_element_located((By.ID, "queue")))
        rows = browser.find_elements(By.CSS_SELECTOR, "#queue tbody tr")
        assert len(rows) == 3 and customer.id in rows[0].get_attribute("innerHTML")  # newest first
        browser.save_screenshot(str(ARTIFACTS / "console-queue.png"))

        Select(browser.find_element(By.NAME, "label")).select_by_visible_text("SECRET")
        browser.find_element(By.ID, "apply").click()
        wait.until(until.url_contains("label=SECRET"))
        rows = browser.find_elements(By.CSS_SELECTOR, "#queue tbody tr")
        assert len(rows) == 1 and "pastebin.com" in rows[0].text

        rows[0].find_element(By.CSS_SELECTOR, "a").click()
        wait.until(until.presence_of_element_located((By.ID, "findings")))
        assert secret.id in browser.find_element(By.TAG_NAME, "h1").text
        assert "AK****M2" in browser.find_element(By.ID, "findings").text
        browser.save_screenshot(str(ARTIFACTS / "console-incident.png"))

        decide = browser.find_element(By.ID, "decide")
        decide.find_element(By.CSS_SELECTOR, "input[value=false_positive]").click()
        decide.find_element(By.NAME, "reason").send_keys("documented test key")
        decide.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(until.presence_of_element_located((By.ID, "trail")))
        assert browser.find_element(By.ID, "verdict").text == "false_positive"
        assert "documented test key" in browser.find_element(By.ID, "trail").text
    finally:
        browser.quit()
    got = store.get(secret.id)
    assert got is not None and got.verdict == "false_positive"
    assert [d["analyst"] for d in store.decisions(secret.id)] == ["ada"]
    for shot in ("console-queue.png", "console-incident.png"):
        assert (ARTIFACTS / shot).stat().st_size > 10_000
