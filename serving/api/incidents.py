"""Incidents of ``guard serve``: a scan whose verdict is block or redact, in the incident store.

With ``GUARD_INCIDENTS_URL`` (``guard serve --incidents URL``) every text of a request that blocks
or redacts becomes an incident of source ``server``, written like the proxies' (labels, offsets,
masked previews, keyed hashes; never the text) to the same store, so the console shows them side
by side. The caller's user (``context.user``), destination and endpoint are recorded; the hash
key is the installation's incident key (`guard.keys`), shared with the proxies of this host.
A store that cannot be written spools to disk (`serving.incident_metrics.SpoolingStore`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from guard.redact import mask_preview, value_hash
from serving.inspect.incidents import FindingRecord, Incident, IncidentSink, new_incident_id

__all__ = ["ServerIncidents"]


class ServerIncidents:
    """Turns the server's scan results into incidents on ``sink``."""

    def __init__(self, sink: IncidentSink, hash_key: bytes) -> None:
        self.sink = sink
        self.hash_key = hash_key

    def record(
        self,
        endpoint: str,
        texts: Sequence[str],
        results: Sequence[Any],
        user: str | None,
        destination: str | None,
    ) -> list[str]:
        """Write one incident per text that blocks or redacts; returns their ids."""
        ids: list[str] = []
        for index, (text, result) in enumerate(zip(texts, results, strict=True)):
            if result.verdict not in ("block", "redact"):
                continue
            findings = [
                FindingRecord(
                    label=f.label,
                    location=f"text[{index}]:{f.start}-{f.end}",
                    view="text",
                    detector=f.detector,
                    score=round(f.score, 3),
                    action=action,
                    preview=mask_preview(text[f.start : f.end]),
                    hash=value_hash(text[f.start : f.end], self.hash_key),
                )  # fmt: skip
                for f, action in result.pairs()
                if action != "allow"
            ]
            incident = Incident(
                new_incident_id(), result.verdict, "findings", user, endpoint, destination or "", findings
            )
            self.sink.write(incident)
            ids.append(incident.id)
        return ids
