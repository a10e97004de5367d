"""Live verification (``--verify``) against local stand-ins of the providers' APIs.

No traffic leaves the machine: each provider's endpoint points at an HTTP server on 127.0.0.1 that
answers like the provider's documented read-only call (GitHub ``GET /user``, Slack ``auth.test``,
Stripe ``GET /v1/balance``).
"""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from guard.audit.engine import AuditOptions, run_audit
from guard.audit.outputs import write_reports
from guard.audit.scanner import ScanConfig
from guard.cli import app
from guard.verify import Verifier, aws_pair, parse_endpoints, sigv4_authorization

# fake credentials in the providers' formats  gitleaks:allow
LIVE_GH = "ghp_" + "Zq8Lw2Rt5Yp1Mn4Bv7Cx0Kj3Hg6Fd9Sa2QeX"
DEAD_GH = "ghp_" + "Wk3Np6Rs9Tu2Vx5Yz8Ab1Cd4Ef7Gh0Ij3KlX"
LIVE_SLACK = "xoxb-" + "284756193027-903817264519-" + "Qw3Er7Ty1Ui5Op9As2Df6Gh0J"
LIVE_STRIPE = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc9Kx"
AWS_ID = "AKIA" + "QYLPMN5HHHFPZAM4"
AWS_SECRET = "Jk3nR8" + "vQ2pL5xW9tY1zB7cH4mD6fG0sA8eU3iO2k"
STS_PATH = "/?Action=GetCallerIdentity&Version=2011-06-15"


class _Provider(BaseHTTPRequestHandler):
    seen: list[tuple[str, str]] = []

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def _answer(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        auth = self.headers.get("Authorization", "")
        self.seen.append((self.path, auth))
        if self.path == "/user":
            self._answer(200 if auth == f"token {LIVE_GH}" else 401, {"login": "octo"})
        elif self.path == "/v1/balance":
            live = "Basic " + base64.b64encode(f"{LIVE_STRIPE}:".encode()).decode()
            self._answer(200 if auth == live else 401, {"object": "balance"})
        elif self.path == STS_PATH:
            self._sts(auth)
        elif self.path.startswith("/slow"):
            time.sleep(2)
            self._answer(200, {})
        elif self.path.startswith("/moved"):
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.2:9/user")
            self.end_headers()
        else:
            self._answer(500, {"error": "boom"})

    def _sts(self, auth: str) -> None:
        """AWS STS GetCallerIdentity: 200 for a correctly signed request of the known key pair."""
        found = re.search(r"Credential=([A-Z0-9]+)/", auth)
        if found is None or found.group(1) != AWS_ID:
            self._xml(403, "InvalidClientTokenId")
            return
        url = f"http://{self.headers['Host']}{self.path}"
        want = sigv4_authorization("GET", url, {}, AWS_ID, AWS_SECRET, region="us-east-1", service="sts",
                                   amz_date=self.headers.get("X-Amz-Date", ""))  # fmt: skip
        if auth == want:
            self._xml(200, None)
        else:
            self._xml(403, "SignatureDoesNotMatch")

    def _xml(self, status: int, code: str | None) -> None:
        ok = "<GetCallerIdentityResponse><Account>1</Account></GetCallerIdentityResponse>"
        body = f"<ErrorResponse><Error><Code>{code}</Code></Error></ErrorResponse>" if code else ok
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:  # noqa: N802
        auth = self.headers.get("Authorization", "")
        self.seen.append((self.path, auth))
        if auth == f"Bearer {LIVE_SLACK}":
            self._answer(200, {"ok": True})
        elif "ratelimit" in self.path:
            self._answer(200, {"ok": False, "error": "ratelimited"})
        else:
            self._answer(200, {"ok": False, "error": "invalid_auth"})


@pytest.fixture()
def provider() -> Iterator[str]:
    _Provider.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Provider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _everywhere(base: str) -> dict[str, str]:
    return {"github": base, "slack": base, "stripe": base}


def test_live_and_rejected_credentials_per_provider(provider: str) -> None:
    v = Verifier(_everywhere(provider), rate_per_s=1000)
    assert v.verify("github", LIVE_GH) == "verified"
    assert v.verify("github", DEAD_GH) == "invalid"
    assert v.verify("slack", LIVE_SLACK) == "verified"
    assert v.verify("slack", "xoxb-0-0-nope") == "invalid"
    assert v.verify("stripe", LIVE_STRIPE) == "verified"
    assert v.verify("stripe", "sk_live_" + "0" * 24) == "invalid"
    assert ("/user", f"token {LIVE_GH}") in _Provider.seen


def test_what_cannot_be_decided_is_unknown(provider: str) -> None:
    assert Verifier(rate_per_s=1000).verify("pem", "-----BEGIN ...") == "unknown"  # no check exists
    assert Verifier(rate_per_s=1000).verify(None, LIVE_GH) == "unknown"
    busy = Verifier({"slack": provider + "/ratelimit"}, rate_per_s=1000)
    assert busy.verify("slack", "xoxb-1-2-x") == "unknown"  # an answer that is no verdict
    broken = Verifier({"github": provider + "/error"}, rate_per_s=1000)
    assert broken.verify("github", LIVE_GH) == "unknown"  # 500
    slow = Verifier({"github": provider + "/slow"}, timeout_s=0.2, rate_per_s=1000)
    assert slow.verify("github", LIVE_GH) == "unknown"  # timed out
    refused = Verifier({"github": "http://127.0.0.1:9"}, timeout_s=1, rate_per_s=1000)
    assert refused.verify("github", LIVE_GH) == "unknown"


def test_a_redirect_is_not_followed_with_the_credential(provider: str) -> None:
    v = Verifier({"github": provider + "/moved"}, timeout_s=1, rate_per_s=1000)
    assert v.verify("github", LIVE_GH) == "unknown"
    assert len(_Provider.seen) == 1


def test_each_value_is_checked_once_and_the_run_has_a_budget(provider: str) -> None:
    v = Verifier(_everywhere(provider), rate_per_s=1000, max_checks=2)
    for _ in range(5):
        assert v.verify("github", LIVE_GH) == "verified"
    assert v.verify("github", DEAD_GH) == "invalid"
    assert v.verify("slack", LIVE_SLACK) == "unknown"  # budget spent: no call
    assert len(_Provider.seen) == 2
    assert v.calls == {"github": 2}


def test_calls_to_one_provider_are_spaced_by_the_rate(provider: str, monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr("guard.verify.time.sleep", waits.append)
    v = Verifier(_everywhere(provider), rate_per_s=2)
    for i in range(3):
        v.verify("github", f"ghp_{i:036d}")
    assert len(waits) == 2 and all(0.0 < w <= 1.0 for w in waits)
    assert waits[1] > waits[0]  # the third call waits for two intervals, not one


def test_endpoints_off_this_machine_must_be_https() -> None:
    with pytest.raises(ValueError, match="https"):
        Verifier({"github": "http://github.acme.example"})
    assert Verifier({"github": "https://github.acme.example/api/v3"})
    with pytest.raises(ValueError, match="no check for provider"):
        parse_endpoints(["nosuch=https://x.example"])
    with pytest.raises(ValueError, match="PROVIDER=URL"):
        parse_endpoints(["github"])
    with pytest.raises(ValueError, match="not an http"):
        parse_endpoints(["github=ftp://x.example"])


def test_logs_name_the_provider_and_status_never_the_value(
    provider: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    Verifier(_everywhere(provider), rate_per_s=1000).verify("github", LIVE_GH)
    assert "github" in caplog.text and "verified" in caplog.text
    assert LIVE_GH not in caplog.text and LIVE_GH[4:12] not in caplog.text


runner = CliRunner()


def test_guard_scan_verify_marks_rows_and_sarif(
    provider: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    src = tmp_path / "src"
    src.mkdir()
    (src / "deploy.sh").write_text(f"export GH_TOKEN={LIVE_GH}\nexport OLD_TOKEN={DEAD_GH}\n")
    sarif = tmp_path / "out.sarif"
    result = runner.invoke(
        app,
        ["scan", str(src), "--no-model", "--json", "--sarif", str(sarif), "--verify",
         "--verify-endpoint", f"github={provider}"],
    )  # fmt: skip
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    by_line = {r["line"]: r["verification"] for r in rows if r["label"] == "SECRET"}
    assert by_line == {1: "verified", 2: "invalid"}
    assert LIVE_GH not in result.stdout
    results = json.loads(sarif.read_text())["runs"][0]["results"]
    live = [r for r in results if r["properties"]["verification"] == "verified"]
    assert len(live) == 1 and live[0]["level"] == "error" and live[0]["rank"] == 100.0
    assert LIVE_GH not in sarif.read_text()


def test_guard_scan_without_verify_makes_no_call(provider: str, tmp_path: Path) -> None:
    (tmp_path / "a.env").write_text(f"GH_TOKEN={LIVE_GH}\n")
    result = runner.invoke(app, ["scan", str(tmp_path / "a.env"), "--no-model", "--json"])
    assert all("verification" not in json.loads(line) for line in result.stdout.splitlines())
    assert _Provider.seen == []
    bad = runner.invoke(app, ["scan", str(tmp_path / "a.env"), "--verify-endpoint", f"github={provider}"])
    assert bad.exit_code != 0 and "--verify-endpoint needs --verify" in bad.output


def test_audit_verify_counts_live_credentials_in_rows_and_report(provider: str, tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text(
        f"2026-12-01T10:00:00 deploy token={LIVE_GH}\n2026-12-01T10:01:00 rotated token={DEAD_GH}\n"
        "2026-12-01T10:02:00 nothing here\n"
    )
    opts = AuditOptions(
        inputs=(str(log),), out=tmp_path / "out", scan=ScanConfig(), hash_key=b"k" * 32,
        verify=True, verify_endpoints=(("github", provider),),
    )  # fmt: skip
    run = run_audit(opts)
    rows = [json.loads(line) for line in (tmp_path / "out" / "findings.jsonl").read_text().splitlines()]
    assert sorted(r["verification"] for r in rows if r["label"] == "SECRET") == ["invalid", "verified"]
    assert run.summary.by_verification == {"verified": 1, "invalid": 1}
    write_reports(tmp_path / "out", run.summary, ("html",), seconds=1.0, engine="local", model_version="t",
                  tool_version="t")  # fmt: skip
    page = (tmp_path / "out" / "report.html").read_text()
    assert "live credentials (verified)" in page
    assert LIVE_GH not in page and LIVE_GH not in (tmp_path / "out" / "findings.jsonl").read_text()


def test_sigv4_signs_the_published_aws_example() -> None:
    got = sigv4_authorization(
        "GET", "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
        {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
        "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        region="us-east-1", service="iam", amz_date="20150830T123600Z",
    )  # fmt: skip
    assert got == (
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date, "
        "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
    )


def test_an_aws_key_is_checked_with_the_nearest_secret_of_its_text(provider: str) -> None:
    text = f"[default]\naws_access_key_id = {AWS_ID}\naws_secret_access_key = {AWS_SECRET}\n"
    assert aws_pair(AWS_ID, text) == aws_pair(AWS_SECRET, text) == (AWS_ID, AWS_SECRET)
    v = Verifier({"aws": provider}, rate_per_s=1000)
    assert v.verify("aws", AWS_ID, text) == "verified"
    assert v.verify("aws", AWS_SECRET, text) == "verified"  # the same pair: checked once
    assert v.calls == {"aws": 1}
    wrong = text.replace(AWS_SECRET, AWS_SECRET[::-1])
    assert v.verify("aws", AWS_ID, wrong) == "invalid"  # SignatureDoesNotMatch
    other = text.replace(AWS_ID, "AKIA" + "B" * 16)
    assert v.verify("aws", "AKIA" + "B" * 16, other) == "invalid"  # InvalidClientTokenId
    assert v.verify("aws", AWS_ID, f"key {AWS_ID} alone") == "unknown"  # no secret: no call
    temporary = "ASIA" + AWS_ID[4:]
    assert v.verify("aws", temporary, text.replace(AWS_ID, temporary)) == "unknown"  # needs a token
    assert v.calls == {"aws": 3}
