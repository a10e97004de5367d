"""The inspector with a real in-process `guard.Guard` (real ONNX model + regex detectors)."""

from __future__ import annotations

import base64
import gzip
import json
import logging
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from guard.errors import ModelError
from serving.inspect.destinations import DestinationRules
from serving.inspect.http import HttpRequest
from serving.inspect.incidents import IncidentLog
from serving.inspect.inspector import InspectConfig, Inspector
from serving.inspect.scanner import LocalScanner, RemoteScanner
from tests.serving.inspect import evasion
from tests.serving.inspect.netfixtures import MODEL_CODENAME

AWS_KEY = "AKIA" + "QYLPMN5HHHFPZAM2"  # gitleaks:allow (fake, real format)
CARD = "4111111111111111"  # gitleaks:allow (test card, Luhn-valid)
EMAIL = "jane.roe@corp-mail.de"
PEM = (  # gitleaks:allow (fake key)
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n"  # gitleaks:allow
    "-----END PRIVATE KEY-----"
)


@pytest.fixture(scope="module")
def scanner(proxy_model_dir: Path) -> LocalScanner:
    from guard import Guard

    return LocalScanner(Guard.load(model=proxy_model_dir))


@pytest.fixture()
def inspector(scanner: LocalScanner, tmp_path: Path) -> Inspector:
    return Inspector(scanner, InspectConfig(max_body=10_000, coach=True), IncidentLog(tmp_path / "inc.jsonl"))


def _json(obj: object, url: str = "http://api.example.com/v1/items", **headers: str) -> HttpRequest:
    hdrs = (("Content-Type", "application/json"), *headers.items())
    return HttpRequest("POST", url, hdrs, json.dumps(obj).encode(), client="10.0.0.7")


def test_clean_request_passes_unchanged(inspector: Inspector) -> None:
    req = _json({"title": "Team lunch", "when": "Friday"})
    out = inspector.inspect(req)
    assert out.action == "pass" and out.request is req and out.incident is None


@pytest.mark.parametrize(
    "request_",
    [
        _json({"a": {"b": [f"key {AWS_KEY}"]}}),
        _json({AWS_KEY: "x"}),
        _json({"p1": AWS_KEY[:9], "p2": AWS_KEY[9:]}),
        _json({"blob": base64.b64encode(f"id={AWS_KEY}".encode()).decode()}),
        _json({"q": "query { user }", "variables": {"key": PEM}}),
        HttpRequest("GET", f"http://x.example.com/s?q={AWS_KEY}"),
        HttpRequest("GET", f"http://x.example.com/p/{CARD}"),
        HttpRequest("GET", "http://x.example.com/s?q=" + AWS_KEY.replace("A", "%2541")),
        HttpRequest("POST", "http://x.example.com/f", (("Content-Type", "application/x-www-form-urlencoded"),),  # noqa: E501
                    f"{AWS_KEY}=on".encode()),
        HttpRequest("POST", "http://x.example.com/f", (("Content-Encoding", "br"),),
                    __import__("brotli").compress(f"card {CARD}".encode())),
        HttpRequest("POST", "http://x.example.com/f", (("X-Token-Note", AWS_KEY),)),
        _json({"msg": f"Project {MODEL_CODENAME} ships in May"}),
    ],
    ids=["nested-json", "json-key", "split", "base64", "graphql-pem", "query", "path", "double-percent",
         "form-name", "brotli", "header", "model-codename"],
)  # fmt: skip
def test_leaks_are_blocked(inspector: Inspector, request_: HttpRequest) -> None:
    out = inspector.inspect(request_)
    assert out.action == "block", out.reason
    assert out.response is not None and out.response.status == 403
    assert out.incident is not None and out.incident.findings


GITHUB_TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"  # gitleaks:allow (fake, real format)


def _post(body: bytes, url: str = "http://x.example.com/f", **headers: str) -> HttpRequest:
    return HttpRequest("POST", url, tuple(headers.items()), body, client="10.0.0.7")


@pytest.mark.parametrize(
    "request_",
    [
        _post(b"\x00deploy with access key " + AWS_KEY.encode(), **{"Content-Type": "text/plain"}),
        _post(f"deploy with access key {AWS_KEY}".encode("utf-16-le"), **{"Content-Type": "text/plain"}),
        _post(f"key {AWS_KEY}".encode("utf-16"), **{"Content-Type": "application/octet-stream"}),
        _post(f'{{"note": "{AWS_KEY}", "note": "hi"}}'.encode(), **{"Content-Type": "application/json"}),
        _post(f"{AWS_KEY}\r\n--b\r\nContent-Disposition: form-data; name=x\r\n\r\nv\r\n--b--\r\n".encode(),
              **{"Content-Type": "multipart/form-data; boundary=b"}),
        _post(f"key {AWS_KEY}".encode(), **{"Content-Type": "multipart/form-data; boundary=never"}),
        _post(f"key {AWS_KEY}".encode(), **{"Content-Type": "text/plain; charset=cp037"}),
        HttpRequest("GET", f"http://{AWS_KEY}.exfil.example/"),
        HttpRequest("GET", f"http://{AWS_KEY}:x@files.example/"),
        HttpRequest("GET", "http://x.example.com/", (("User-Agent", f"curl/8 {AWS_KEY}"),)),
        HttpRequest("GET", "http://x.example.com/", (("Cookie", f"k={AWS_KEY}"),)),
        HttpRequest("GET", "http://x.example.com/", (("Authorization", f"token {GITHUB_TOKEN}"),)),
        HttpRequest("GET", "http://x.example.com/", ((f"X-{AWS_KEY}", "1"),)),
    ],
    ids=["nul-byte", "utf-16-le", "utf-16-bom", "duplicate-json-key", "multipart-preamble",
         "missing-boundary", "wrong-charset", "dns-host", "userinfo", "user-agent", "cookie",
         "authorization-elsewhere", "header-name"],
)  # fmt: skip
def test_parts_a_parser_misses_are_scanned(inspector: Inspector, request_: HttpRequest) -> None:
    out = inspector.inspect(request_)
    assert out.action == "block", out.reason
    assert out.incident is not None and out.incident.findings


def test_credentials_by_design_pass(scanner: LocalScanner) -> None:
    insp = Inspector(scanner, InspectConfig(destinations=DestinationRules(credentials=("corp.example",))))
    session = "Jx8K2mQ9vT4wLp7ZrN3bYc6dFh1sGk5a"  # a random session id, no provider format
    browser = (("Cookie", f"_sess={session}; logged_in=yes"), ("If-None-Match", '"5f3c2a1b9d8e7f6a5b4c3d2e"'))
    assert insp.inspect(HttpRequest("GET", "https://news.example.org/", browser)).action == "pass"
    # a provider's key sent to its own API is its intended use
    gh = (("Authorization", f"token {GITHUB_TOKEN}"),)
    assert insp.inspect(HttpRequest("GET", "https://api.github.com/user", gh)).action == "pass"
    # the company's SSO cookie to its own hosts is not read at all
    sso = (("Cookie", f"aws={AWS_KEY}"),)
    assert insp.inspect(HttpRequest("GET", "https://sso.corp.example/", sso)).action == "pass"
    assert insp.inspect(HttpRequest("GET", "https://x.example.org/", sso)).action == "block"
    # an internal destination's own name is no leak of itself
    assert insp.inspect(HttpRequest("GET", "http://10.1.2.3:8080/status")).action == "pass"


@pytest.mark.parametrize(("mode", "action"), [("closed", "block"), ("open", "pass")])
def test_a_file_that_cannot_be_opened_follows_the_fail_mode(
    scanner: LocalScanner, mode: str, action: str
) -> None:
    from tests.serving.inspect import filemakers as mk

    insp = Inspector(scanner, InspectConfig(fail_mode=mode))  # type: ignore[arg-type]
    out = insp.inspect(_post(mk.encrypted_zip(b"anything"), **{"Content-Type": "application/zip"}))
    assert (out.action, out.reason) == (action, "unscanned" if action == "block" else "clean")
    # a file that opens is scanned, whatever the fail mode: the key inside blocks it
    out = insp.inspect(
        _post(mk.zip_of({"k.txt": f"key {AWS_KEY}".encode()}), **{"Content-Type": "application/zip"})
    )
    assert (out.action, out.reason) == ("block", "findings")


def test_a_value_in_both_parsed_and_raw_views_is_still_redacted(inspector: Inspector) -> None:
    out = inspector.inspect(_json({"to": EMAIL, "body": "hi"}))
    assert out.action == "redact" and json.loads(out.request.body) == {"to": "[EMAIL]", "body": "hi"}


def test_redaction_writes_back_into_the_same_field(inspector: Inspector) -> None:
    req = _json({"to": [EMAIL], "body": "hello", "n": 2}, url=f"http://mail.example.com/send?cc={EMAIL}&x=1")
    req = req.with_body(gzip.compress(req.body)).with_headers([*req.headers, ("Content-Encoding", "gzip")])
    out = inspector.inspect(req)
    assert out.action == "redact"
    body = json.loads(gzip.decompress(out.request.body))
    assert body == {"to": ["[EMAIL]"], "body": "hello", "n": 2}
    assert out.request.header("content-length") == str(len(out.request.body))
    assert dict(parse_qsl(urlsplit(out.request.url).query)) == {"cc": "[EMAIL]", "x": "1"}


def test_multipart_upload_redacted_part_by_part(inspector: Inspector) -> None:
    body = (b'--B\r\nContent-Disposition: form-data; name="note"\r\n\r\nhi\r\n'
            b'--B\r\nContent-Disposition: form-data; name="f"; filename="c.txt"\r\n'
            b"Content-Type: text/plain\r\n\r\n"
            + f"contact {EMAIL} today".encode() + b"\r\n--B--\r\n")  # fmt: skip
    req = HttpRequest(
        "POST", "http://u.example.com/up", (("Content-Type", "multipart/form-data; boundary=B"),), body
    )
    out = inspector.inspect(req)
    assert out.action == "redact"
    assert b"contact [EMAIL] today" in out.request.body and b'name="note"\r\n\r\nhi\r\n' in out.request.body


def test_strict_destination_turns_redact_into_block(scanner: LocalScanner) -> None:
    insp = Inspector(scanner, InspectConfig(destinations=DestinationRules(strict=("paste.example",))))
    assert insp.inspect(_json({"to": EMAIL}, url="https://paste.example/new")).action == "block"
    assert insp.inspect(_json({"to": EMAIL})).action == "redact"


def test_allowlisted_destination_is_not_inspected(scanner: LocalScanner) -> None:
    insp = Inspector(scanner, InspectConfig(destinations=DestinationRules(allow=("corp.internal",))))
    assert insp.inspect(_json({"k": AWS_KEY}, url="https://git.corp.internal/x")).reason == "allowlisted"


def test_oversize_and_undecodable_bodies_fail_closed(inspector: Inspector) -> None:
    big = HttpRequest("POST", "http://x.example.com/", (), b"a" * 10_001)
    assert inspector.inspect(big).reason == "oversize" and inspector.inspect(big).action == "block"
    bomb = HttpRequest(
        "POST", "http://x.example.com/", (("Content-Encoding", "gzip"),), gzip.compress(b"a" * 50_000)
    )
    assert inspector.inspect(bomb).reason == "oversize"
    bad = HttpRequest("POST", "http://x.example.com/", (("Content-Encoding", "gzip"),), b"not gzip")
    assert inspector.inspect(bad).reason == "uninspectable"


@pytest.mark.parametrize(("mode", "action"), [("closed", "block"), ("open", "pass")])
def test_fail_mode_when_the_server_is_down(mode: str, action: str, tmp_path: Path) -> None:
    from tests.serving.inspect.netfixtures import free_port

    scanner = RemoteScanner(f"http://127.0.0.1:{free_port()}", timeout=0.5)
    log = IncidentLog(tmp_path / "i.jsonl")
    insp = Inspector(scanner, InspectConfig(fail_mode=mode), log)  # type: ignore[arg-type]
    out = insp.inspect(_json({"k": "v"}))
    assert (out.action, out.reason) == (action, "scanner_error")
    assert json.loads((tmp_path / "i.jsonl").read_text())["action"] == (
        "block" if mode == "closed" else "fail_open"
    )
    with pytest.raises(ModelError):
        scanner.scan_many(["x"], None)


def test_coach_confirmation_lets_the_same_request_through(inspector: Inspector, tmp_path: Path) -> None:
    req = _json({"k": AWS_KEY})
    blocked = inspector.inspect(req)
    assert blocked.action == "block" and blocked.incident is not None
    form = f"incident={blocked.incident.id}&justification=vendor+support+case".encode()
    confirm = HttpRequest("POST", "http://guard-coach.invalid/confirm", (), form, client="10.0.0.7")
    answer = inspector.inspect(confirm)
    assert answer.action == "respond" and answer.response is not None and answer.response.status == 200
    again = inspector.inspect(req)
    assert (again.action, again.reason) == ("pass", "coach_override")
    lines = [json.loads(line) for line in (tmp_path / "inc.jsonl").read_text().splitlines()]
    assert [line["action"] for line in lines] == ["block", "coach_confirm", "override"]
    assert lines[1]["justification"] == "vendor support case"


def test_nothing_sensitive_in_logs_incidents_or_pages(
    inspector: Inspector, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secrets = [AWS_KEY, CARD, EMAIL]
    outs = [inspector.inspect(_json({"k": s, "note": f"x {s}"}, Accept="text/html")) for s in secrets]
    outs.append(inspector.inspect(_json({"k": AWS_KEY})))
    dumped = caplog.text + (tmp_path / "inc.jsonl").read_text()
    dumped += "".join(o.response.body.decode() for o in outs if o.response is not None)
    for s in secrets:
        assert s not in dumped and s[2:-2] not in dumped
    assert "AK****M2" in dumped  # masked preview


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("hello there", "pass"),
        (json.dumps({"type": "msg", "body": f"key {AWS_KEY}"}), "block"),
        (base64.b64encode(f"key {AWS_KEY}".encode()).decode(), "block"),
        (f"write to {EMAIL}", "block"),  # a message cannot be redacted in flight
    ],
)
def test_websocket_messages(inspector: Inspector, text: str, action: str) -> None:
    handshake = HttpRequest("GET", "wss://chat.example.com/socket", (), b"", client="10.0.0.7")
    out = inspector.inspect_text(handshake, text)
    assert out.action == action
    if action == "block":
        assert out.incident is not None and out.incident.method == "WEBSOCKET"


def test_coach_justification_is_scrubbed(inspector: Inspector, tmp_path: Path) -> None:
    blocked = inspector.inspect(_json({"k": AWS_KEY}))
    assert blocked.incident is not None
    form = f"incident={blocked.incident.id}&justification=ask+{EMAIL}+about+it".encode()
    inspector.inspect(HttpRequest("POST", "http://guard-coach.invalid/confirm", (), form, client="10.0.0.7"))
    lines = [json.loads(line) for line in (tmp_path / "inc.jsonl").read_text().splitlines()]
    assert lines[-1]["justification"] == "ask [EMAIL] about it"


def test_a_request_over_its_budget_follows_the_fail_mode_and_delays_no_other() -> None:
    import asyncio
    import socket
    from concurrent.futures import ThreadPoolExecutor

    # a guard server that accepts and never answers: the scan outlives the request's budget
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    port = silent.getsockname()[1]
    scanner = RemoteScanner(f"http://127.0.0.1:{port}", timeout=30.0)
    rules = DestinationRules(allow=("ok.example",))
    insp = Inspector(scanner, InspectConfig(deadline_s=0.5, destinations=rules))
    pool = ThreadPoolExecutor(max_workers=2)

    async def both() -> tuple[str, str, str]:
        slow = asyncio.ensure_future(insp.inspect_async(_json({"k": "v"}), executor=pool))
        await asyncio.sleep(0.05)
        other = await insp.inspect_async(HttpRequest("GET", "http://ok.example/"), executor=pool)
        done_first = "other" if not slow.done() else "slow"
        out = await slow
        return out.action, out.reason, done_first + ":" + other.reason

    try:
        action, reason, order = asyncio.run(both())
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        silent.close()
        scanner.close()
    assert (action, reason) == ("block", "over_budget")
    assert order == "other:allowlisted"  # answered while the slow one was still waiting


@pytest.mark.parametrize("case", evasion.cases(), ids=lambda c: c.id)
def test_the_evasion_suite_leaks_nothing(inspector: Inspector, case: evasion.Case) -> None:
    out = inspector.inspect(case.request("http://upstream.example"))
    if case.hidden:  # compressed in a file, or split so that one half would leave: only a block is safe
        assert out.action == "block", (out.reason, case.id)
    if out.action == "redact":  # forwarded rewritten: the value must be gone from every part
        sent = out.request
        wire = sent.url + "".join(f"{k}:{v}" for k, v in sent.headers) + sent.body.decode("latin-1")
        assert case.value not in wire and case.value.replace(" ", "") not in wire
    else:
        assert out.action == "block", (out.reason, case.id)


def test_a_user_report_from_the_coach_page_is_scrubbed_and_recorded(
    inspector: Inspector, tmp_path: Path
) -> None:
    blocked = inspector.inspect(_json({"k": AWS_KEY}, Accept="text/html"))
    assert blocked.incident is not None and blocked.response is not None
    assert b'id="guard-report"' in blocked.response.body  # the coach page offers the report form
    form = f"incident={blocked.incident.id}&report=only+a+test+key,+ask+{EMAIL}".encode()
    answer = inspector.inspect(
        HttpRequest("POST", "http://guard-coach.invalid/report", (), form, client="10.0.0.7")
    )
    assert answer.action == "respond" and answer.response is not None and answer.response.status == 200
    again = inspector.inspect(_json({"k": AWS_KEY}))
    assert again.action == "block"  # a report does not let anything through
    lines = [json.loads(line) for line in (tmp_path / "inc.jsonl").read_text().splitlines()]
    assert lines[1]["action"] == "user_report" and lines[1]["justification"] == "only a test key, ask [EMAIL]"
    unknown = b"incident=G-000000000000&report=hello"
    miss = inspector.inspect(HttpRequest("POST", "http://guard-coach.invalid/report", (), unknown))
    assert miss.response is not None and miss.response.status == 404
