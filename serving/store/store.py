"""`IncidentStore`: incidents of every writer in one database, SQLite by default, PostgreSQL to share.

The URL chooses the database (``GUARD_INCIDENTS_URL``): ``sqlite:///path/incidents.db`` (one file,
WAL mode, works out of the box) or ``postgresql+psycopg://user@host/db``. The schema is created and
upgraded by Alembic (`IncidentStore.upgrade`, run on open). The store keeps what the JSONL log
keeps: labels, locations, masked previews and keyed hashes, never a guarded value; analysts'
decisions go to their own table (who decided what, when).

It implements the inspector's incident sink (``write(incident)``), so the ICAP server and the
mitmproxy addon write to it as they write to a JSONL file.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from guard.errors import ConfigError
from serving.inspect.incidents import FindingRecord, Incident, TrainingText
from serving.store.schema import decisions, findings, incident_texts, incidents

__all__ = ["VERDICTS", "IncidentStore", "StoreError", "StoredIncident"]

log = logging.getLogger(__name__)

#: What an analyst can decide about an incident.
VERDICTS = ("confirmed", "false_positive", "missed")


class StoreError(ConfigError):
    """The store cannot be opened, migrated or written (unreachable database, bad URL)."""


@dataclass(frozen=True, slots=True)
class StoredIncident:
    """An incident as read back, with its findings and the analyst's latest verdict."""

    incident: Incident
    source: str
    model_version: str | None
    verdict: str | None


def _utc(text: str) -> datetime:
    stamp = datetime.fromisoformat(text)
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


class IncidentStore:
    """A SQLAlchemy engine on the incident schema (thread-safe; one per process).

    Args:
        url: SQLAlchemy URL (``sqlite:///…``, ``postgresql+psycopg://…``).
        source: the writer this process is (``icap``, ``proxy``, ``server``, ``audit``).
        model_version: the model that judged the incidents this process writes.

    Raises:
        StoreError: a bad URL, an unreachable database, or a failed migration.
    """

    def __init__(self, url: str, *, source: str = "proxy", model_version: str | None = None) -> None:
        self.url = url
        self.source = source
        self.model_version = model_version
        self._lock = threading.Lock()
        try:
            self.engine = self._engine(url)
            self.upgrade()
        except (SQLAlchemyError, ValueError, OSError) as exc:
            raise StoreError(f"incident store {self.safe_url}: {type(exc).__name__}: {exc}") from None

    @property
    def safe_url(self) -> str:
        """The URL without its password (for logs and errors)."""
        from sqlalchemy.engine import make_url

        try:
            return make_url(self.url).render_as_string(hide_password=True)
        except (ValueError, SQLAlchemyError):
            return "(unparseable URL)"

    @staticmethod
    def _engine(url: str) -> Engine:
        if url.startswith("sqlite"):
            path = url.split("///", 1)[1] if "///" in url else ""
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

            @event.listens_for(engine, "connect")
            def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
                cursor = dbapi_conn.cursor()
                cursor.execute("PRAGMA journal_mode=WAL")  # readers (the console) never block writers
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.close()

            return engine
        return create_engine(url, pool_pre_ping=True)

    def upgrade(self) -> None:
        """Bring the schema to the newest revision (Alembic ``upgrade head``)."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    # -- writing ---------------------------------------------------------------------------------

    def write(self, incident: Incident) -> None:
        """Store one incident with its findings (the inspector's incident sink)."""
        row = {
            "id": incident.id, "time": _utc(incident.time), "source": self.source, "action": incident.action,
            "reason": incident.reason, "client": incident.client, "method": incident.method,
            "destination": incident.destination, "labels": ",".join(sorted(incident.labels)),
            "model_version": self.model_version, "justification": incident.justification,
        }  # fmt: skip
        rows = [
            {"incident_id": incident.id, "idx": i, "label": f.label, "location": f.location,
             "view": f.view, "detector": f.detector, "score": f.score, "action": f.action,
             "preview": f.preview, "hash": f.hash}
            for i, f in enumerate(incident.findings)
        ]  # fmt: skip
        texts = [
            {
                "incident_id": incident.id,
                "idx": i,
                "text": t.text,
                "spans": json.dumps([list(s) for s in t.spans]),
            }
            for i, t in enumerate(incident.training)
        ]  # opt-in only (keep_training_text)
        try:
            with self._lock, self.engine.begin() as conn:
                conn.execute(insert(incidents), [row])
                if rows:
                    conn.execute(insert(findings), rows)
                if texts:
                    conn.execute(insert(incident_texts), texts)
        except IntegrityError:
            self._follow_up(incident)  # the id is stored: a user's answer to its block page, or a replay
        except SQLAlchemyError as exc:
            raise StoreError(f"incident store {self.safe_url}: cannot write ({type(exc).__name__})") from None

    def _follow_up(self, incident: Incident) -> None:
        """A second write of a stored incident id: a user's justification (coach mode) or report goes
        to the incident's trail (and a justification onto the incident); a replayed write (a spool
        flushed twice) changes nothing. Never raises for a duplicate: a spooled duplicate must not
        hold back the incidents queued behind it."""
        if incident.action not in ("coach_confirm", "user_report"):
            log.info("incident %s is already stored", incident.id)
            return
        user = f"user {incident.client}" if incident.client else "user"
        try:
            with self._lock, self.engine.begin() as conn:
                if incident.action == "coach_confirm":
                    conn.execute(
                        update(incidents)
                        .where(incidents.c.id == incident.id)
                        .values(justification=incident.justification)
                    )
                conn.execute(
                    insert(decisions),
                    [{"incident_id": incident.id, "time": _utc(incident.time), "analyst": user[:255],
                      "verdict": incident.action, "reason": incident.justification}],
                )  # fmt: skip
        except SQLAlchemyError as exc:
            raise StoreError(f"incident store {self.safe_url}: cannot write ({type(exc).__name__})") from None

    def decide(self, incident_id: str, verdict: str, analyst: str, reason: str | None = None) -> None:
        """Record an analyst's verdict (kept in the decisions trail; the incident shows the latest).

        Raises:
            ValueError: an unknown verdict or incident.
        """
        if verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}")
        with self._lock, self.engine.begin() as conn:
            done = conn.execute(
                update(incidents).where(incidents.c.id == incident_id).values(verdict=verdict)
            )
            if done.rowcount != 1:
                raise ValueError("no such incident")
            conn.execute(
                insert(decisions),
                [{"incident_id": incident_id, "time": datetime.now(UTC), "analyst": analyst,
                  "verdict": verdict, "reason": reason}],
            )  # fmt: skip

    # -- reading ---------------------------------------------------------------------------------

    def query(
        self,
        *,
        label: str | None = None,
        destination: str | None = None,
        client: str | None = None,
        verdict: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
    ) -> list[StoredIncident]:
        """Incidents, newest first, filtered like the console's queue."""
        stmt = select(incidents).order_by(incidents.c.time.desc()).limit(limit)
        if label:
            stmt = stmt.where(
                incidents.c.id.in_(select(findings.c.incident_id).where(findings.c.label == label))
            )
        if destination:
            stmt = stmt.where(incidents.c.destination.contains(destination, autoescape=True))
        if client:
            stmt = stmt.where(incidents.c.client == client)
        if verdict == "unreviewed":
            stmt = stmt.where(incidents.c.verdict.is_(None))
        elif verdict:
            stmt = stmt.where(incidents.c.verdict == verdict)
        if since:
            stmt = stmt.where(incidents.c.time >= since)
        if until:
            stmt = stmt.where(incidents.c.time < until)
        with self.engine.connect() as conn:
            heads = conn.execute(stmt).mappings().all()
            return self._with_findings(conn, heads)

    def get(self, incident_id: str) -> StoredIncident | None:
        with self.engine.connect() as conn:
            heads = conn.execute(select(incidents).where(incidents.c.id == incident_id)).mappings().all()
            found = self._with_findings(conn, heads)
        return found[0] if found else None

    def reviewed_texts(self) -> list[tuple[str, str, list[TrainingText]]]:
        """``(incident id, verdict, texts)`` of every reviewed incident (texts empty without the opt-in)."""
        with self.engine.connect() as conn:
            heads = conn.execute(
                select(incidents.c.id, incidents.c.verdict).where(incidents.c.verdict.is_not(None))
            ).all()
            by_id: dict[str, list[TrainingText]] = {h.id: [] for h in heads}
            if by_id:
                for r in conn.execute(
                    select(incident_texts)
                    .where(incident_texts.c.incident_id.in_(list(by_id)))
                    .order_by(incident_texts.c.incident_id, incident_texts.c.idx)
                ).mappings():
                    spans = tuple((int(a), int(b), str(label)) for a, b, label in json.loads(r["spans"]))
                    by_id[r["incident_id"]].append(TrainingText(r["text"], spans))
        return [(h.id, str(h.verdict), by_id[h.id]) for h in heads]

    def decisions(self, incident_id: str) -> list[dict[str, Any]]:
        """The decisions trail of one incident, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(decisions).where(decisions.c.incident_id == incident_id).order_by(decisions.c.id)
            ).mappings()
            return [dict(r) for r in rows]

    @staticmethod
    def _with_findings(conn: Any, heads: Sequence[Any]) -> list[StoredIncident]:
        if not heads:
            return []
        ids = [h["id"] for h in heads]
        by_id: dict[str, list[FindingRecord]] = {i: [] for i in ids}
        for f in conn.execute(
            select(findings)
            .where(findings.c.incident_id.in_(ids))
            .order_by(findings.c.incident_id, findings.c.idx)
        ).mappings():
            by_id[f["incident_id"]].append(
                FindingRecord(
                    f["label"],
                    f["location"],
                    f["view"],
                    f["detector"],
                    f["score"],
                    f["action"],
                    f["preview"],
                    f["hash"],
                )  # fmt: skip
            )
        out = []
        for h in heads:
            stamp = h["time"] if h["time"].tzinfo else h["time"].replace(tzinfo=UTC)
            incident = Incident(
                id=h["id"], action=h["action"], reason=h["reason"], client=h["client"], method=h["method"],
                destination=h["destination"], findings=by_id[h["id"]], justification=h["justification"],
                time=stamp.isoformat(timespec="milliseconds"),
            )  # fmt: skip
            out.append(StoredIncident(incident, h["source"], h["model_version"], h["verdict"]))
        return out

    def close(self) -> None:
        self.engine.dispose()
