"""Block responses: HTML for browsers, JSON for API clients, same incident id, no values."""

from __future__ import annotations

import json

import pytest

from serving.inspect.blockpage import COACH_URL, BlockPages, wants_html


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        ("text/html,application/xhtml+xml,*/*;q=0.8", True),
        ("application/json", False),
        (None, False),
        ("*/*", False),
    ],
)
def test_wants_html(accept: str | None, html: bool) -> None:
    assert wants_html(accept) is html


def test_html_page_escapes_and_lists_kinds() -> None:
    pages = BlockPages("Ask <help@corp>", coach=True)
    resp = pages.block(
        incident_id="G-1", labels=["SECRET", "EMAIL"], reason="findings", destination="https://a.example",
        accept="text/html",
    )  # fmt: skip
    body = resp.body.decode()
    assert resp.status == 403 and ("X-Guard-Incident", "G-1") in resp.headers
    assert "a credential" in body and "an e-mail address" in body and "Ask &lt;help@corp&gt;" in body
    assert COACH_URL in body and 'name="justification"' in body
    assert dict(resp.headers)["Content-Length"] == str(len(resp.body))


def test_json_for_api_clients_and_reason_without_labels() -> None:
    resp = BlockPages("help").block(
        incident_id="G-2",
        labels=[],
        reason="oversize",
        destination="http://b.example",
        accept="application/json",
    )
    doc = json.loads(resp.body)
    assert doc == {
        "error": "blocked_by_guard", "incident_id": "G-2", "labels": [], "reason": "oversize",
        "destination": "http://b.example", "help": "help",
    }  # fmt: skip


def test_confirmation_pages() -> None:
    pages = BlockPages("help", coach=True, coach_minutes=5)
    assert pages.confirmed("G-3", True).status == 200 and b"5 minutes" in pages.confirmed("G-3", True).body
    assert pages.confirmed("G-3", False).status == 404
