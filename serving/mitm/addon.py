"""mitmproxy 11 addon: every request and client WebSocket message goes through the `Inspector`.

Options (``--set guard_...=``) are made from `ProxySettings`' fields and parsed into it in
``configure`` (bad values raise ``OptionsError``); an option left at its default lets the environment
(``GUARD_*``) and the settings file (``guard_config``) decide. Hooks
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
from serving.inspect.factory import build_inspector
from serving.inspect.http import HttpRequest
from serving.inspect.inspector import Inspector, Outcome
from serving.inspect.settings import MitmOption, ProxySettings, mitmproxy_options, options_given
from serving.mitm.flags import FLAGS_ENV

__all__ = ["GuardAddon"]

log = logging.getLogger("guard.mitm")


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


def _last_value_wins(options: Any, declared: list[MitmOption]) -> None:
    """A guard option given twice (``--set guard_x=a --set guard_x=b``, or config.yaml and --set) keeps
    its last value, as command lines do.

    mitmproxy collects the repeats of an option it does not know yet into a list and, when the
    script registers the option, fails with "multiple values": the script is then dropped and the
    proxy forwards everything unguarded. Only single-valued guard options are collapsed here.
    """
    single = {o.name for o in declared if get_origin(o.typespec) is not Sequence}
    for name, value in list(options.deferred.items()):
        values = getattr(value, "val", None)
        if name in single and isinstance(values, list) and len(values) > 1:
            options.deferred[name] = type(value)([values[-1]])
            log.warning("guard: %s given %d times; the last value counts", name, len(values))


class GuardAddon:
    """Blocks or redacts leaking requests and drops leaking WebSocket messages."""

    def __init__(self) -> None:
        self.inspector: Inspector | None = None
        self.settings: ProxySettings | None = None
        self.options: list[MitmOption] = []

    def load(self, loader: Any) -> None:
        self.options = mitmproxy_options()
        for o in self.options:
            loader.add_option(o.name, o.typespec, o.default, o.help)
        _last_value_wins(loader.master.options, self.options)
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
        try:
            settings = ProxySettings.resolve(options_given(ctx.options, self.options), source="proxy")
            self.inspector = build_inspector(settings)
            self.settings = settings
        except GuardError as exc:
            raise exceptions.OptionsError(f"guard: {exc}") from exc  # type: ignore[no-untyped-call]

    def running(self) -> None:
        # mitmdump's flow log prints request URLs, whose paths and queries can carry the very secrets
        # the guard blocks: switch it off (guard writes its own incident log).
        if "flow_detail" in ctx.options and ctx.options.flow_detail:
            ctx.options.update(flow_detail=0)  # type: ignore[no-untyped-call]
            log.info("guard: flow_detail set to 0 (URLs may carry guarded text)")
        if self.inspector is not None and self.settings is not None:  # stderr even under `mitmdump -q`
            opts, settings = ctx.options, self.settings
            guard = getattr(self.inspector.scanner, "guard", None)
            model = getattr(guard, "model_version", None) or (settings.server or "detectors only")
            sys.stderr.write(
                f"guard proxy listening on {opts.listen_host or '0.0.0.0'}:{opts.listen_port or 8080}; "
                f"model {model}; policy {settings.policy or 'packaged default'}; "
                f"fail mode {self.inspector.config.fail_mode}; "
                f"incidents {settings.incidents or 'not kept'}\n"
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
