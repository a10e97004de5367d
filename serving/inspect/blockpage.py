"""Block responses: an HTML page for browsers, JSON for API clients, chosen by the Accept header.

Both carry the same incident id, the kinds of data found (labels, never values), the destination
(``scheme://host:port`` only) and how to get help. In coach mode the page has a form to confirm with a
justification; it posts to `COACH_URL`, which the proxies route back to the inspector.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from importlib import resources
from string import Template

__all__ = ["BlockResponse", "BlockPages", "LABEL_TEXT", "COACH_HOST", "COACH_URL", "wants_html"]

#: The magic host of the coach-mode confirmation endpoint (``.invalid`` never resolves: RFC 2606).
COACH_HOST = "guard-coach.invalid"
COACH_URL = f"http://{COACH_HOST}/confirm"
REPORT_URL = f"http://{COACH_HOST}/report"

LABEL_TEXT: dict[str, str] = {
    "PERSON": "a person's name",
    "EMAIL": "an e-mail address",
    "PHONE": "a phone number",
    "ADDRESS": "a postal address",
    "NATIONAL_ID": "a national ID or tax number",
    "CREDIT_CARD": "a payment card number",
    "BANK_ACCOUNT": "a bank account number",
    "SECRET": "a credential (API key, token, password or private key)",
    "INTERNAL_HOST": "an internal host name or address",
    "CODENAME": "a confidential project code name",
    "CUSTOMER": "confidential customer information",
    "FINANCIAL": "a non-public financial figure",
}

REASON_TEXT: dict[str, str] = {
    "oversize": "the request body is larger than the inspection limit",
    "uninspectable": "the request body could not be decoded for inspection",
    "scanner_error": "the data guard is temporarily unavailable (fail-closed)",
}


@dataclass(frozen=True, slots=True)
class BlockResponse:
    """An HTTP response the proxy sends instead of forwarding the request."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


def wants_html(accept: str | None) -> bool:
    """True when the client prefers HTML (browsers); API clients get JSON."""
    if not accept:
        return False
    return "text/html" in accept.lower() or "application/xhtml" in accept.lower()


def _template(name: str) -> Template:
    return Template(resources.files("serving").joinpath("templates", name).read_text(encoding="utf-8"))


_UNKNOWN = "<!DOCTYPE html><title>guard</title><p>Unknown or expired incident.</p>"


def _answer(page: str | None) -> BlockResponse:
    """A coach-host answer: ``page`` with 200, or 404 for an unknown or expired incident (None)."""
    body = (page if page is not None else _UNKNOWN).encode()
    headers = (("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))))
    return BlockResponse(200 if page is not None else 404, headers, body)


class BlockPages:
    """Renders block and coach-confirmation responses.

    Args:
        help_text: how to get help (shown on the page and in the JSON), e.g. a help-desk address.
        coach: show the coach-mode confirmation form.
        coach_minutes: how long a confirmation lets the same request through.
    """

    def __init__(self, help_text: str, *, coach: bool = False, coach_minutes: int = 10) -> None:
        self.help_text = help_text
        self.coach = coach
        self.coach_minutes = coach_minutes
        self._page = _template("block.html")
        self._coach = _template("coach.html")
        self._confirmed = _template("confirmed.html")
        self._reported = _template("reported.html")

    def block(
        self, *, incident_id: str, labels: list[str], reason: str, destination: str, accept: str | None
    ) -> BlockResponse:
        """The 403 response for a blocked request (HTML or JSON by ``accept``)."""
        kinds = [LABEL_TEXT.get(label, label) for label in labels] or [REASON_TEXT.get(reason, reason)]
        headers = [("X-Guard-Incident", incident_id), ("Cache-Control", "no-store")]
        if wants_html(accept):
            coach = ""
            if self.coach and labels:
                coach = self._coach.substitute(
                    action=COACH_URL, report_action=REPORT_URL, incident_id=html.escape(incident_id)
                )
            body = self._page.substitute(
                labels="".join(f"<li>{html.escape(k)}</li>" for k in kinds),
                destination=html.escape(destination),
                incident_id=html.escape(incident_id),
                coach=coach,
                help=html.escape(self.help_text),
            ).encode()
            headers.append(("Content-Type", "text/html; charset=utf-8"))
        else:
            doc = {
                "error": "blocked_by_guard",
                "incident_id": incident_id,
                "labels": sorted(set(labels)),
                "reason": reason,
                "destination": destination,
                "help": self.help_text,
            }
            if self.coach and labels:
                doc["confirm_url"] = COACH_URL
                doc["report_url"] = REPORT_URL
            body = json.dumps(doc).encode()
            headers.append(("Content-Type", "application/json"))
        headers.append(("Content-Length", str(len(body))))
        return BlockResponse(403, tuple(headers), body)

    def reported(self, incident_id: str, ok: bool) -> BlockResponse:
        """The answer to a user's report (200 when recorded, 404 for an unknown incident)."""
        return _answer(self._reported.substitute(incident_id=html.escape(incident_id)) if ok else None)

    def confirmed(self, incident_id: str, ok: bool) -> BlockResponse:
        """The answer to a coach-mode confirmation (200 when recorded, 404 for an unknown incident)."""
        page = self._confirmed.substitute(incident_id=html.escape(incident_id), minutes=self.coach_minutes)
        return _answer(page if ok else None)
