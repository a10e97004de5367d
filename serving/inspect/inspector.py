"""The proxy-agnostic decision: pass a request unchanged, forward it redacted, or block it.

`Inspector.inspect(request) -> Outcome` is all an adapter (ICAP server, mitmproxy addon) calls. It
extracts every piece of the request (`serving.inspect.extract`), scans the views in one batch, applies
destination rules, writes redactions back into the same fields, renders the block response and
appends the incident. Failures follow the fail mode: ``closed`` (default) blocks, ``open`` passes; both
are logged. Nothing here logs or stores a guarded value.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import parse_qsl, urlsplit

from guard.errors import GuardError
from guard.findings import Finding
from guard.redact import mask_preview, redact, value_hash
from serving.inspect.blockpage import COACH_HOST, BlockPages, BlockResponse
from serving.inspect.destinations import DestinationRules
from serving.inspect.extract import CREDENTIAL_HEADERS, DEFAULT_SKIP_HEADERS, Extraction, View, extract
from serving.inspect.http import DecodedTooLarge, HttpRequest, UnsupportedEncoding
from serving.inspect.incidents import FindingRecord, Incident, IncidentSink, TrainingText, new_incident_id
from serving.inspect.scanner import Scanner

__all__ = ["DEFAULT_HELP", "InspectConfig", "Outcome", "Inspector"]

#: How to get help, on block pages, unless configured (`serving.inspect.settings.ProxySettings.help_text`).
DEFAULT_HELP = "If you think this is a mistake, contact the security team and quote the incident id."

log = logging.getLogger("guard.inspect")

Action = Literal["pass", "redact", "block", "respond"]


@dataclass(frozen=True, slots=True)
class InspectConfig:
    """Inspector settings (built once by the CLI or the addon's ``configure``).

    Attributes:
        max_body: largest body (wire and decoded) inspected; larger ones follow ``fail_mode``.
        fail_mode: ``closed`` blocks when scanning is impossible, ``open`` forwards (always logged).
        destinations: allow/strict host rules.
        skip_headers: lower-case header names not scanned.
        coach: block pages offer "confirm with a justification".
        coach_minutes: how long a confirmation lets the same request through.
        help_text: shown on block pages.
        hash_key: HMAC key for incident value hashes (default: random per process; see
            `serving.inspect.factory.incident_hash_key` for the per-installation key).
        deadline_s: budget of one request's inspection in `Inspector.inspect_async`; a request over
            it follows ``fail_mode`` (reason ``over_budget``), and other requests do not wait for it.
    """

    max_body: int = 1_048_576
    fail_mode: Literal["closed", "open"] = "closed"
    destinations: DestinationRules = field(default_factory=DestinationRules)
    skip_headers: frozenset[str] = DEFAULT_SKIP_HEADERS
    coach: bool = False
    coach_minutes: int = 10
    help_text: str = DEFAULT_HELP
    hash_key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    deadline_s: float = 10.0
    #: opt-in: incidents carry the texts that held findings, for ``guard train --feedback``
    #: (stored only in the incident store's ``incident_texts`` table; `TrainingText`)
    keep_training_text: bool = False

    def __post_init__(self) -> None:
        if self.max_body <= 0:
            raise ValueError("max_body must be positive")
        if self.fail_mode not in ("closed", "open"):
            raise ValueError("fail_mode must be 'closed' or 'open'")
        if len(self.hash_key) < 16:
            raise ValueError("hash_key must be at least 16 bytes")
        if not self.deadline_s > 0:
            raise ValueError("deadline_s must be positive")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the proxy must do.

    ``pass``/``redact``: forward ``request`` (rewritten for ``redact``). ``block``/``respond``: answer
    with ``response`` instead (``respond`` is the coach confirmation endpoint).
    """

    action: Action
    request: HttpRequest
    reason: str
    response: BlockResponse | None = None
    incident: Incident | None = None


@dataclass(frozen=True, slots=True)
class _Hit:
    view: View
    finding: Finding
    action: str


class Inspector:
    """Inspects requests with a `Scanner` under an `InspectConfig`.

    Args:
        scanner: in-process or remote scanner.
        config: settings.
        incidents: where incidents go (None: not recorded, only logged by id).
        allowlisted: host → keyed value hashes (the incidents' ``hash``) an admin allowlisted for
            it in the console (`serving.store.accounts.HashAllowlist`); such findings are dropped.
    """

    def __init__(
        self,
        scanner: Scanner,
        config: InspectConfig,
        incidents: IncidentSink | None = None,
        allowlisted: Callable[[str], frozenset[str]] | None = None,
    ) -> None:
        self.scanner = scanner
        self.config = config
        self.incidents = incidents
        self.allowlisted = allowlisted
        self.pages = BlockPages(config.help_text, coach=config.coach, coach_minutes=config.coach_minutes)
        self._lock = threading.Lock()
        self._pending: dict[str, tuple[str, float]] = {}  # incident id -> (fingerprint, expiry)
        self._approved: dict[str, float] = {}  # fingerprint -> expiry

    # -- entry points -------------------------------------------------------------------------

    def inspect(self, request: HttpRequest, *, rewrite: bool = True) -> Outcome:
        """Decide about one request (blocking; call it off the event loop).

        Args:
            request: the request as sent.
            rewrite: whether redaction may rewrite it; if not, what would be redacted is blocked.
        """
        if not request.url_valid:
            return self.fail(request, "uninspectable")
        if self.config.coach and request.host == COACH_HOST:
            if urlsplit(request.url).path.rstrip("/") == "/report":
                return self._report(request)
            return self._confirm(request)
        if self.config.destinations.classify(request.host) == "allow":
            return Outcome("pass", request, "allowlisted")
        if len(request.body) > self.config.max_body:
            return self.fail(request, "oversize")
        trusted = self.config.destinations.trusts_credentials(request.host)
        try:
            ext = extract(
                request,
                max_body=self.config.max_body,
                skip_headers=self.config.skip_headers,
                trust_credentials=trusted,
            )
        except DecodedTooLarge:
            return self.fail(request, "oversize")
        except (UnsupportedEncoding, ValueError):
            return self.fail(request, "uninspectable")
        try:
            results = self.scanner.scan_many(
                [v.text for v in ext.views],
                request.host or None,
                shallow=[v.shallow for v in ext.views],
            )
        except GuardError as exc:
            log.warning("scan failed (%s); fail mode %s", type(exc).__name__, self.config.fail_mode)
            return self.fail(request, "scanner_error")
        hits = [
            _Hit(view, f, a)
            for view, res in zip(ext.views, results, strict=True)
            for f, a in res.pairs()
            if not (view.kind == "meta" and _by_design(view.text, f, request.host))
        ]
        if self.allowlisted is not None and hits:
            allowed = self.allowlisted(request.host or "")
            if allowed:
                hits = [h for h in hits if self._hash(h) not in allowed]
        outcome = self._decide(request, ext, _drop_repeats(_drop_overreach(hits)), rewrite)
        if ext.unscanned and outcome.action != "block":
            log.warning("unscanned part (%s); fail mode %s", ", ".join(ext.unscanned), self.config.fail_mode)
            if self.config.fail_mode == "closed":
                return self.fail(request, "unscanned")
        return outcome

    async def inspect_async(
        self, request: HttpRequest, *, rewrite: bool = True, executor: Executor | None = None
    ) -> Outcome:
        """`inspect` off the event loop, within the request's budget (``config.deadline_s``).

        A request over budget, or any unexpected failure, follows the fail mode. The inspection
        thread of a request over budget runs to its end in the background; other requests use the
        executor's other threads and are not delayed by it.
        """
        loop = asyncio.get_running_loop()
        job = loop.run_in_executor(executor, functools.partial(self.inspect, request, rewrite=rewrite))
        try:
            return await asyncio.wait_for(job, self.config.deadline_s)
        except TimeoutError:
            log.warning("inspection over its %.1f s budget; fail mode %s", self.config.deadline_s,
                        self.config.fail_mode)  # fmt: skip
            return self.fail(request, "over_budget")
        except Exception as exc:  # noqa: BLE001 - any inspection failure follows the fail mode
            log.error("inspection failed: %s", type(exc).__name__)
            return self.fail(request, "scanner_error")

    def message_request(self, request: HttpRequest, data: str | bytes) -> HttpRequest:
        """One message sent on ``request``'s connection (WebSocket text or binary) as a request.

        The message is inspected like a body (JSON field by field, base64 decoded, split secrets
        joined, raw bytes decoded every plausible way); it cannot be rewritten mid-protocol, so
        inspect it with ``rewrite=False``: anything to redact blocks it.
        """
        body = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
        return HttpRequest("WEBSOCKET", request.url, (), body, request.client)

    def inspect_text(self, request: HttpRequest, text: str | bytes) -> Outcome:
        """Decide about one WebSocket message: pass or block (see `message_request`)."""
        return self.inspect(self.message_request(request, text), rewrite=False)

    # -- decisions ----------------------------------------------------------------------------

    def _decide(self, request: HttpRequest, ext: Extraction, hits: list[_Hit], rewrite: bool) -> Outcome:
        strict = not rewrite or self.config.destinations.classify(request.host) == "strict"
        # what must be redacted where it cannot be rewritten (raw bytes, URL host, header names) blocks
        fixed = [h for h in hits if h.action == "redact" and (strict or not h.view.rewritable)]
        blocking = [h for h in hits if h.action == "block"] + fixed
        redacting = [h for h in hits if h.action == "redact" and h not in fixed]
        for h in hits:
            if h.action == "alert":
                log.info("alert: %s in %s view", h.finding.label, h.view.kind)
        if blocking:
            fingerprint = self._fingerprint(request, blocking)
            if self._approved_now(fingerprint):
                return self._record(Outcome("pass", request, "coach_override"), "override", blocking)
            return self._block(request, "findings", blocking, fingerprint)
        if not redacting:
            return Outcome("pass", request, "clean")
        texts = [p.text for p in ext.pieces]
        spans: dict[int, list[tuple[int, int, str]]] = {}
        for h in redacting:
            for piece, lo, hi in h.view.locate(h.finding.start, h.finding.end):
                if lo is None or hi is None:
                    lo, hi = 0, len(texts[piece])
                spans.setdefault(piece, []).append((lo, hi, h.finding.label))
        for piece, items in spans.items():
            texts[piece] = _apply(texts[piece], items)
        try:
            rewritten = ext.rebuild(texts)
        except (ValueError, UnsupportedEncoding):
            return self._block(request, "uninspectable", redacting)
        return self._record(Outcome("redact", rewritten, "findings"), "redact", redacting)

    def _block(
        self, request: HttpRequest, reason: str, hits: list[_Hit], fingerprint: str | None = None
    ) -> Outcome:
        incident_id = new_incident_id()
        response = self.pages.block(
            incident_id=incident_id,
            labels=[h.finding.label for h in hits],
            reason=reason,
            destination=request.destination,
            accept=request.header("accept"),
        )
        if fingerprint is not None and self.config.coach:
            with self._lock:
                self._pending[incident_id] = (fingerprint, time.monotonic() + 3600)
        return self._record(Outcome("block", request, reason, response), "block", hits, incident_id)

    def fail(self, request: HttpRequest, reason: str) -> Outcome:
        """Apply the fail mode: block (closed) or pass (open), recording an incident either way."""
        if self.config.fail_mode == "open":
            return self._record(Outcome("pass", request, reason), "fail_open", [])
        return self._block(request, reason, [])

    def _record(
        self, outcome: Outcome, action: str, hits: list[_Hit], incident_id: str | None = None
    ) -> Outcome:
        incident = Incident(
            id=incident_id or new_incident_id(),
            action=action,
            reason=outcome.reason,
            client=outcome.request.client,
            method=outcome.request.method,
            destination=outcome.request.destination,
            findings=[self._finding_record(h) for h in hits],
            training=_training_texts(hits) if self.config.keep_training_text else (),
        )
        log.warning(
            "incident %s: %s (%s) %s %s labels=%s",
            incident.id, action, outcome.reason, incident.method, incident.destination, incident.labels,
        )  # fmt: skip
        if self.incidents is not None:
            self.incidents.write(incident)
        return Outcome(outcome.action, outcome.request, outcome.reason, outcome.response, incident)

    def _hash(self, hit: _Hit) -> str:
        return value_hash(hit.view.text[hit.finding.start : hit.finding.end], self.config.hash_key)

    def _finding_record(self, hit: _Hit) -> FindingRecord:
        value = hit.view.text[hit.finding.start : hit.finding.end]
        where = hit.view.locate(hit.finding.start, hit.finding.end)
        return FindingRecord(
            label=hit.finding.label,
            location=",".join(sorted({f"piece[{p}]" for p, _, _ in where})) or hit.view.origin or "message",
            view=hit.view.kind,
            detector=hit.finding.detector,
            score=round(hit.finding.score, 3),
            action=hit.action,
            preview=mask_preview(value),
            hash=self._hash(hit),
        )

    # -- coach mode ---------------------------------------------------------------------------

    def _fingerprint(self, request: HttpRequest, hits: list[_Hit]) -> str:
        # An approval covers the same sensitive values from the same client to the same scheme://host:port.
        h = hashlib.sha256(f"{request.client}|{request.destination}".encode())
        for value in sorted({hit.view.text[hit.finding.start : hit.finding.end] for hit in hits}):
            h.update(hashlib.sha256(value.encode()).digest())
        return h.hexdigest()

    def _approved_now(self, fingerprint: str) -> bool:
        if not self.config.coach:
            return False
        with self._lock:
            expiry = self._approved.get(fingerprint)
            return expiry is not None and expiry > time.monotonic()

    def _scrub(self, text: str) -> str:
        """The justification as stored: anything sensitive in it replaced by its label."""
        if not text:
            return text
        try:
            (res,) = self.scanner.scan_many([text], None)
        except GuardError:
            return "[unscanned justification withheld]"
        spans = [(f.start, f.end, f.label) for f, a in res.pairs() if a != "allow"]
        return _apply(text, spans) if spans else text

    def _report(self, request: HttpRequest) -> Outcome:
        """A user's report from the coach page ("this is not sensitive", "wrong kind"): scrubbed like a
        justification, recorded on the incident's trail for the security team; the block stands."""
        form = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
        incident_id = form.get("incident", "")
        note = self._scrub(form.get("report", "").strip()[:500])
        with self._lock:
            known = bool(note) and incident_id in self._pending
        response = self.pages.reported(incident_id, known)
        if not known:
            return Outcome("respond", request, "report_unknown", response)
        incident = Incident(
            id=incident_id, action="user_report", reason="reported", client=request.client,
            method=request.method, destination=request.destination, justification=note,
        )  # fmt: skip
        if self.incidents is not None:
            self.incidents.write(incident)
        return Outcome("respond", request, "user_report", response, incident)

    def _confirm(self, request: HttpRequest) -> Outcome:
        form = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
        incident_id = form.get("incident", "")
        justification = self._scrub(form.get("justification", "").strip()[:500])
        with self._lock:
            pending = self._pending.pop(incident_id, None) if justification else None
            if pending is not None:
                self._approved[pending[0]] = time.monotonic() + 60 * self.config.coach_minutes
        response = self.pages.confirmed(incident_id, pending is not None)
        if pending is None:
            return Outcome("respond", request, "coach_unknown", response)
        incident = Incident(
            id=incident_id,
            action="coach_confirm",
            reason="justified",
            client=request.client,
            method=request.method,
            destination=request.destination,
            justification=justification,
        )
        if self.incidents is not None:
            self.incidents.write(incident)
        return Outcome("respond", request, "coach_confirm", response, incident)


def _training_texts(hits: list[_Hit]) -> tuple[TrainingText, ...]:
    """The scanned views that hold findings, each once, with the spans found in it."""
    by_view: dict[int, tuple[View, list[tuple[int, int, str]]]] = {}
    for h in hits:
        by_view.setdefault(id(h.view), (h.view, []))[1].append(
            (h.finding.start, h.finding.end, h.finding.label)
        )
    return tuple(TrainingText(view.text, tuple(sorted(set(spans)))) for view, spans in by_view.values())


def _apply(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Replace spans (merged when they overlap) by ``[LABEL]`` placeholders, through `guard.redact`."""
    merged: list[tuple[int, int, str]] = []
    for lo, hi, label in sorted(spans):
        if merged and lo < merged[-1][1]:
            prev = merged[-1]
            merged[-1] = (prev[0], max(prev[1], hi), prev[2])
        else:
            merged.append((lo, hi, label))
    return redact(text, [Finding(label, lo, hi, 1.0, "inspector") for lo, hi, label in merged], "placeholder")


def _by_design(text: str, finding: Finding, host: str) -> bool:
    """Whether a ``meta`` view finding is what that part of a request carries by design.

    The destination's own name is no leak of an internal host; random-looking values in headers
    (session cookies, ETags, request ids) are no secret by shape alone, so only provider formats
    count there; a provider's key or a bearer JWT in a credential header, sent to that provider's
    own API, is its intended use.
    """
    first_line_end = text.find("\n")
    in_netloc = finding.end <= (first_line_end if first_line_end >= 0 else len(text))
    if in_netloc and finding.label == "INTERNAL_HOST":
        return True
    if finding.detector == "entropy":
        return True
    line_start = text.rfind("\n", 0, finding.start) + 1
    header = text[line_start : text.find(":", line_start)].strip().lower()
    if header in CREDENTIAL_HEADERS:
        provider = str(finding.metadata.get("provider") or "")
        return provider == "jwt" or (bool(provider) and DestinationRules.issued_by(provider, host))
    return False


def _drop_repeats(hits: list[_Hit]) -> list[_Hit]:
    """Drop ``raw`` and ``meta`` findings of a value already found in a rewritable view.

    The raw bytes repeat what the parser read; the same value found both ways is redacted where it
    stands, not blocked because the raw copy cannot be rewritten.
    """
    seen = {h.view.text[h.finding.start : h.finding.end] for h in hits if h.view.rewritable}
    return [h for h in hits if h.view.rewritable or h.view.text[h.finding.start : h.finding.end] not in seen]


def _drop_overreach(hits: list[_Hit]) -> list[_Hit]:
    """Drop joined-view findings that stretch a value already found field by field, with its label.

    Gluing values together can stretch a finding into its neighbour (``a@b.de`` + ``hello`` reads as
    the address ``a@b.dehello``); the joined view exists only for leaks no single field shows. A joined
    finding of another label is such a leak: a card split into ``4539 1488`` and ``0343 6467`` is a
    CREDIT_CARD across two fields even where the second half alone reads as a PHONE.
    """
    found: dict[int, list[tuple[int, int, str]]] = {}
    for h in hits:
        if h.view.kind == "fields":
            for piece, lo, hi in h.view.locate(h.finding.start, h.finding.end):
                if lo is not None and hi is not None:
                    found.setdefault(piece, []).append((lo, hi, h.finding.label))
    kept = []
    for h in hits:
        label = h.finding.label
        if h.view.kind == "joined" and any(
            lo is not None
            and hi is not None
            and any(lo < b and a < hi and label == seen for a, b, seen in found.get(piece, ()))
            for piece, lo, hi in h.view.locate(h.finding.start, h.finding.end)
        ):
            continue
        kept.append(h)
    return kept
