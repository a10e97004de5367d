"""mitmproxy 11 addon: every request and client WebSocket message goes through the `Inspector`.

Options (``--set guard_...=``) are parsed in ``configure`` (bad values raise ``OptionsError``). Hooks
are thin: convert the flow to `HttpRequest`, inspect in a worker thread (never on the event loop),
apply the outcome. ``stream_large_bodies`` is refused, because a streamed body would pass unseen; a
body over ``guard_max_body`` is blocked (fail-closed) instead. HTTP/2 and the company CA (put it in
the confdir as ``mitmproxy-ca.pem``) are mitmproxy's own features.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any, get_origin

from mitmproxy import ctx, exceptions, http

from guard.errors import GuardError
from serving.inspect.destinations import DEFAULT_STRICT
from serving.inspect.factory import DEFAULT_INCIDENTS, InspectorSettings, build_inspector
from serving.inspect.http import HttpRequest
from serving.inspect.inspector import Inspector, Outcome
from serving.mitm.flags import FLAGS_ENV

__all__ = ["GuardAddon"]

log = logging.getLogger("guard.mitm")

_HELP = "If you think this is a mistake, contact the security team and quote the incident id."

_OPTIONS: list[tuple[str, Any, Any, str]] = [
    ("guard_model", str | None, None, "model directory (default: the packaged model)"),
    ("guard_no_model", bool, False, "deterministic detectors only (no transformer; degraded, fast)"),
    ("guard_cascade", bool, True, "the model's gate skips windows that hold nothing (false: full scan)"),
    ("guard_policy", str | None, None, "policy YAML (default: the packaged policy)"),
    ("guard_domains", Sequence[str], [], "domain pack files"),
    ("guard_server", str | None, None, "scan through this guard server URL instead of in process"),
    # mitmproxy's --set parses no float options: the timeout travels as a string.
    ("guard_server_timeout", str, "2.0", "seconds before a remote scan fails (then: fail mode)"),
    ("guard_api_key", str | None, None, "guard server API key"),
    ("guard_deadline", str, "10.0", "seconds one request may take to inspect; over it: the fail mode"),
    ("guard_fail_mode", str, "", "closed | open (default: the policy's, else closed)"),
    ("guard_max_body", int, 1_048_576, "largest body inspected; larger bodies follow the fail mode"),
    ("guard_incidents", str | None, DEFAULT_INCIDENTS, "incident log (JSON lines, rotated)"),
    ("guard_allow", Sequence[str], [], "approved destination hosts, not inspected"),
    ("guard_strict", Sequence[str], list(DEFAULT_STRICT), "paste/AI-chat hosts: redact becomes block"),
    ("guard_coach", bool, False, "coach mode: users may confirm with a justification"),
    ("guard_help", str, _HELP,
     "help text on block pages"),
    ("guard_alert_webhooks", Sequence[str], [], "URLs for a Slack-compatible JSON message per block"),
    ("guard_syslog", str | None, None, "udp://host:port or tcp://host:port: CEF incidents to a SIEM"),
    ("guard_metrics_port", int | None, None, "serve Prometheus /metrics of the incidents on 127.0.0.1:PORT"),
    ("guard_credentials", Sequence[str], [], "hosts trusted with Authorization/Cookie headers (company SSO)"),
    ("guard_hash_key", str, "",
     "HMAC key for incident hashes, 16+ bytes (default: $GUARD_INCIDENT_HASH_KEY, else generated per "
     "installation beside the incident log)"),
    ("guard_keep_training_text", bool, False,
     "opt-in: the incident store keeps the texts that held findings, for guard train --feedback"),
]  # fmt: skip


def _to_request(flow: http.HTTPFlow) -> HttpRequest:
    req = flow.request
    headers = tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in req.headers.fields)
    peer = flow.client_conn.peername
    return HttpRequest(
        req.method.upper(), req.pretty_url, headers, req.raw_content or b"", peer[0] if peer else None
    )


def _response(outcome: Outcome) -> http.Response:
    assert outcome.response is not None
    resp = outcome.response
    return http.Response.make(
        resp.status, resp.body, http.Headers([(k.encode(), v.encode()) for k, v in resp.headers])
    )


def _last_value_wins(options: Any) -> None:
    """A guard option given twice (``--set guard_x=a --set guard_x=b``, or config.yaml and --set) keeps
    its last value, as command lines do.

    mitmproxy collects the repeats of an option it does not know yet into a list and, when the
    script registers the option, fails with "multiple values": the script is then dropped and the
    proxy forwards everything unguarded. Only single-valued guard options are collapsed here.
    """
    single = {name for name, typespec, _, _ in _OPTIONS if get_origin(typespec) is not Sequence}
    for name, value in list(options.deferred.items()):
        values = getattr(value, "val", None)
        if name in single and isinstance(values, list) and len(values) > 1:
            options.deferred[name] = type(value)([values[-1]])
            log.warning("guard: %s given %d times; the last value counts", name, len(values))


class GuardAddon:
    """Blocks or redacts leaking requests and drops leaking WebSocket messages."""

    def __init__(self) -> None:
        self.inspector: Inspector | None = None

    def load(self, loader: Any) -> None:
        for name, typespec, default, help_text in _OPTIONS:
            loader.add_option(name, typespec, default, help_text)
        _last_value_wins(loader.master.options)
        flags = os.environ.get(FLAGS_ENV)
        if flags:  # `guard proxy`'s flags: they win over <confdir>/config.yaml (serving.mitm.flags)
            try:
                given = json.loads(flags)
                options = loader.master.options
                for name in given:  # the file's value waits in `deferred` and would be applied last
                    options.deferred.pop(name, None)
                options.update(**given)
            except (ValueError, TypeError, KeyError) as exc:
                raise exceptions.OptionsError(f"guard: bad {FLAGS_ENV}: {type(exc).__name__}") from exc  # type: ignore[no-untyped-call]

    def configure(self, updated: set[str]) -> None:
        if ctx.options.stream_large_bodies:
            raise exceptions.OptionsError("guard: stream_large_bodies would forward bodies unseen; unset it")  # type: ignore[no-untyped-call]
        if not any(name.startswith("guard_") for name in updated):
            return
        opts = ctx.options
        if opts.guard_fail_mode not in ("", "closed", "open"):
            raise exceptions.OptionsError("guard_fail_mode must be 'closed' or 'open'")  # type: ignore[no-untyped-call]
        try:
            timeout = float(opts.guard_server_timeout)
            deadline = float(opts.guard_deadline)
        except ValueError as exc:
            raise exceptions.OptionsError("guard_server_timeout and guard_deadline must be seconds") from exc  # type: ignore[no-untyped-call]
        settings = InspectorSettings(
            model=opts.guard_model,
            no_model=opts.guard_no_model, cascade=opts.guard_cascade, policy=opts.guard_policy,
            domains=tuple(opts.guard_domains),
            server=opts.guard_server, server_timeout=timeout, api_key=opts.guard_api_key,
            fail_mode=opts.guard_fail_mode or None, max_body=opts.guard_max_body,
            incidents=opts.guard_incidents,
            allow=tuple(opts.guard_allow), strict=tuple(opts.guard_strict), coach=opts.guard_coach,
            credentials=tuple(opts.guard_credentials), help_text=opts.guard_help, deadline_s=deadline,
            alert_webhooks=tuple(opts.guard_alert_webhooks), syslog=opts.guard_syslog,
            metrics_port=opts.guard_metrics_port, keep_training_text=opts.guard_keep_training_text,
            hash_key=opts.guard_hash_key or os.environ.get("GUARD_INCIDENT_HASH_KEY") or None,
        )  # fmt: skip
        try:
            self.inspector = build_inspector(settings)
        except GuardError as exc:
            raise exceptions.OptionsError(f"guard: {exc}") from exc  # type: ignore[no-untyped-call]

    def running(self) -> None:
        # mitmdump's flow log prints request URLs, whose paths and queries can carry the very secrets
        # the guard blocks: switch it off (guard writes its own incident log).
        if "flow_detail" in ctx.options and ctx.options.flow_detail:
            ctx.options.update(flow_detail=0)  # type: ignore[no-untyped-call]
            log.info("guard: flow_detail set to 0 (URLs may carry guarded text)")
        if self.inspector is not None:  # what runs, on stderr even under `mitmdump -q`
            opts = ctx.options
            guard = getattr(self.inspector.scanner, "guard", None)
            model = getattr(guard, "model_version", None) or (opts.guard_server or "detectors only")
            sys.stderr.write(
                f"guard proxy listening on {opts.listen_host or '0.0.0.0'}:{opts.listen_port or 8080}; "
                f"model {model}; policy {opts.guard_policy or 'packaged default'}; "
                f"fail mode {self.inspector.config.fail_mode}; "
                f"incidents {opts.guard_incidents or 'not kept'}\n"
            )
            sys.stderr.flush()

    def requestheaders(self, flow: http.HTTPFlow) -> None:
        # Refuse a declared oversize body before it is read: it would be blocked anyway.
        if self.inspector is None or flow.response is not None:
            return
        length = flow.request.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.inspector.config.max_body:
            outcome = self.inspector.fail(_to_request(flow), "oversize")
            if outcome.response is not None:
                flow.response = _response(outcome)

    async def request(self, flow: http.HTTPFlow) -> None:
        if flow.response is not None or flow.error or not flow.live:
            return
        if self.inspector is None:
            flow.response = http.Response.make(503, b"guard: not configured", {"Content-Type": "text/plain"})
            return
        outcome = await self._inspect(flow, _to_request(flow))
        if outcome.response is not None:
            flow.response = _response(outcome)
        elif outcome.action == "redact":
            new = outcome.request
            flow.request.url = new.url
            flow.request.headers = http.Headers([(k.encode(), v.encode()) for k, v in new.headers])
            flow.request.raw_content = new.body

    async def websocket_message(self, flow: http.HTTPFlow) -> None:
        if self.inspector is None or flow.websocket is None:
            return
        message = flow.websocket.messages[-1]
        if not message.from_client:
            return
        request = self.inspector.message_request(_to_request(flow), message.content)
        outcome = await self.inspector.inspect_async(request, rewrite=False)
        if outcome.action == "block":
            message.drop()  # type: ignore[no-untyped-call] # only the leaking message; the connection stays up

    async def _inspect(self, flow: http.HTTPFlow, request: HttpRequest) -> Outcome:
        assert self.inspector is not None
        return await self.inspector.inspect_async(request)
