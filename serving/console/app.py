"""The incident console (``guard console``): the security team's queue, incident view and decisions.

Server-rendered pages (Jinja2, autoescaped), one local stylesheet, no script and nothing from a
CDN. What it shows comes from the incident store, which never holds a guarded value: labels,
locations, masked previews and keyed hashes.

- **Login**: accounts with scrypt-hashed passwords (`serving.store.accounts`), or the
  authenticated user a reverse proxy puts in a header (``user_header``, e.g. ``X-Remote-User``;
  the account must exist and be enabled). Five wrong passwords for one name lock it for a minute.
- **Sessions** are server-side (cookie ``guard_console``: HttpOnly, SameSite=Strict, Secure behind
  HTTPS); every form carries the session's CSRF token and a POST without it is refused (403).
- **Roles**: ``analyst`` sees the queue and decides (confirmed, false positive, missed);
  ``admin`` also allowlists a finding's value hash for its destination or everywhere.
- **Audit trail**: every decision and allowlist entry records who and when; the incident page
  shows its trail and the model version that judged it.
"""

from __future__ import annotations

import hmac
import logging
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, Form, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from guard.findings import LABELS
from serving.store.accounts import Accounts, Analyst
from serving.store.store import VERDICTS, IncidentStore

__all__ = ["COOKIE", "create_console"]

log = logging.getLogger(__name__)

COOKIE = "guard_console"
_TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "console"
_CSS = Path(__file__).resolve().parent.parent / "static" / "console.css"
_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _current(request: Request) -> Analyst:
    """The session's analyst; without a live session, a redirect to the login page."""
    analyst = request.app.state.accounts.session(request.cookies.get(COOKIE))
    if analyst is not None:
        return analyst  # type: ignore[no-any-return]
    raise HTTPException(status_code=303, headers={"Location": "/login"})


SessionDep = Annotated[Analyst, Depends(_current)]


class _LoginThrottle:
    """Five failures for one name lock it for ``lock_s`` seconds (in this process)."""

    def __init__(self, limit: int = 5, lock_s: float = 60.0) -> None:
        self.limit, self.lock_s = limit, lock_s
        self._fails: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def locked(self, name: str) -> bool:
        with self._lock:
            count, since = self._fails.get(name, (0, 0.0))
            return count >= self.limit and time.monotonic() - since < self.lock_s

    def failed(self, name: str) -> None:
        with self._lock:
            count, since = self._fails.get(name, (0, time.monotonic()))
            if time.monotonic() - since >= self.lock_s:
                count, since = 0, time.monotonic()
            self._fails[name] = (count + 1, since)

    def passed(self, name: str) -> None:
        with self._lock:
            self._fails.pop(name, None)


def create_console(
    store: IncidentStore,
    *,
    user_header: str | None = None,
    secure_cookies: bool = False,
    session_hours: float = 8.0,
) -> FastAPI:
    """The console app on ``store``.

    Args:
        store: the incident store (SQLite or PostgreSQL).
        user_header: trust this header for the logged-in user (only behind a reverse proxy that
            sets it and strips it from clients); None: password login only.
        secure_cookies: mark the session cookie Secure (the console is served over HTTPS).
        session_hours: session lifetime.
    """
    accounts = Accounts(store, session_hours=session_hours)
    templates = Jinja2Templates(directory=str(_TEMPLATES))
    throttle = _LoginThrottle()
    app = FastAPI(title="guard console", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.accounts = accounts

    @app.middleware("http")
    async def _security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        for name, value in _HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status)

    def _set_cookie(response: Response, token: str) -> None:
        response.set_cookie(
            COOKIE, token, httponly=True, samesite="strict", secure=secure_cookies,
            max_age=int(session_hours * 3600), path="/",
        )  # fmt: skip

    def checked_form(analyst: Analyst, csrf: str) -> None:
        if not csrf or not hmac.compare_digest(csrf, analyst.csrf):
            raise HTTPException(status_code=403, detail="bad or missing CSRF token: reload the page")

    @app.exception_handler(HTTPException)
    async def _errors(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 303:
            return RedirectResponse(exc.headers["Location"] if exc.headers else "/login", status_code=303)
        return page(request, "error.html", exc.status_code, message=str(exc.detail), analyst=None)

    @app.get("/console.css", include_in_schema=False)
    async def css() -> FileResponse:
        return FileResponse(_CSS, media_type="text/css")

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/login", response_class=HTMLResponse)
    async def login_form(request: Request) -> Response:
        if user_header and (name := request.headers.get(user_header)):
            if accounts.role_of(name) is None:
                message = "no console account for this user"
                return page(request, "error.html", 403, message=message, analyst=None)
            response = RedirectResponse("/", status_code=303)
            _set_cookie(response, accounts.open_session(name))
            log.info("console login by proxy header")
            return response
        return page(request, "login.html", analyst=None, failed=False)

    @app.post("/login", response_class=HTMLResponse)
    async def login(
        request: Request, username: Annotated[str, Form()], password: Annotated[str, Form()]
    ) -> Response:
        if throttle.locked(username) or not accounts.check(username, password):
            throttle.failed(username)
            log.warning("console login failed")
            return page(request, "login.html", 401, analyst=None, failed=True)
        throttle.passed(username)
        response = RedirectResponse("/", status_code=303)
        _set_cookie(response, accounts.open_session(username))
        log.info("console login")
        return response

    @app.post("/logout")
    async def logout(request: Request, analyst: SessionDep, csrf: Annotated[str, Form()] = "") -> Response:
        checked_form(analyst, csrf)
        accounts.close_session(request.cookies.get(COOKIE))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    @app.get("/", response_class=HTMLResponse)
    async def queue(
        request: Request,
        analyst: SessionDep,
        label: Annotated[str | None, Query()] = None,
        destination: Annotated[str | None, Query()] = None,
        user: Annotated[str | None, Query()] = None,
        verdict: Annotated[str | None, Query()] = None,
        since: Annotated[str | None, Query()] = None,
        until: Annotated[str | None, Query()] = None,
    ) -> Response:
        filters = {"label": label or "", "destination": destination or "", "user": user or "",
                   "verdict": verdict or "", "since": since or "", "until": until or ""}  # fmt: skip
        if label and label not in LABELS:
            raise HTTPException(status_code=400, detail="unknown label")
        if verdict and verdict not in (*VERDICTS, "unreviewed"):
            raise HTTPException(status_code=400, detail="unknown verdict")
        rows = store.query(
            label=label or None, destination=destination or None, client=user or None,
            verdict=verdict or None, since=_day(since), until=_day(until, end=True), limit=200,
        )  # fmt: skip
        return page(request, "queue.html", analyst=analyst, rows=rows, filters=filters, labels=LABELS,
                    verdicts=VERDICTS)  # fmt: skip

    @app.get("/incidents/{incident_id}", response_class=HTMLResponse)
    async def incident(request: Request, incident_id: str, analyst: SessionDep) -> Response:
        found = store.get(incident_id)
        if found is None:
            raise HTTPException(status_code=404, detail="no such incident")
        host = urlsplit(found.incident.destination).hostname or found.incident.destination
        return page(request, "incident.html", analyst=analyst, item=found, trail=store.decisions(incident_id),
                    verdicts=VERDICTS, host=host)  # fmt: skip

    @app.post("/incidents/{incident_id}/decide")
    async def decide(
        incident_id: str,
        analyst: SessionDep,
        verdict: Annotated[str, Form()],
        csrf: Annotated[str, Form()] = "",
        reason: Annotated[str, Form()] = "",
    ) -> Response:
        checked_form(analyst, csrf)
        if verdict == "false_positive" and not reason.strip():
            raise HTTPException(status_code=400, detail="a false positive needs a reason")
        try:
            store.decide(incident_id, verdict, analyst.username, reason.strip()[:2000] or None)
        except ValueError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from None
        log.info("console decision %s on an incident", verdict)
        return RedirectResponse(f"/incidents/{incident_id}", status_code=303)

    @app.post("/incidents/{incident_id}/allowlist")
    async def allow(
        incident_id: str,
        analyst: SessionDep,
        value_hash: Annotated[str, Form()],
        scope: Annotated[str, Form()],
        csrf: Annotated[str, Form()] = "",
        reason: Annotated[str, Form()] = "",
    ) -> Response:
        checked_form(analyst, csrf)
        if not analyst.admin:
            raise HTTPException(status_code=403, detail="allowlisting needs the admin role")
        found = store.get(incident_id)
        if found is None:
            raise HTTPException(status_code=404, detail="no such incident")
        if value_hash not in {f.hash for f in found.incident.findings}:
            raise HTTPException(status_code=400, detail="the hash is not one of this incident's findings")
        host = urlsplit(found.incident.destination).hostname or found.incident.destination
        if scope not in ("destination", "everywhere"):
            raise HTTPException(status_code=400, detail="scope is destination or everywhere")
        if not reason.strip():
            raise HTTPException(status_code=400, detail="an allowlist entry needs a reason")
        accounts.allow(value_hash, host if scope == "destination" else "*", analyst.username,
                       reason.strip()[:2000], incident_id)  # fmt: skip
        log.info("console allowlisted a value hash (%s)", scope)
        return RedirectResponse(f"/incidents/{incident_id}", status_code=303)

    @app.get("/allowlist", response_class=HTMLResponse)
    async def allowlist(request: Request, analyst: SessionDep) -> Response:
        return page(request, "allowlist.html", analyst=analyst, entries=accounts.allowlisted())

    return app


def _day(text: str | None, *, end: bool = False) -> datetime | None:
    """``YYYY-MM-DD`` (or an ISO time) as an aware datetime; ``end`` moves a bare day to its end."""
    if not text:
        return None
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:
        raise HTTPException(status_code=400, detail="dates are YYYY-MM-DD") from None
    if end and len(text) == 10:
        stamp = stamp.replace(hour=23, minute=59, second=59)
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
