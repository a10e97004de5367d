"""``guard serve --incidents URL``: texts that block or redact become incidents in the store."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from serving.store import IncidentStore
from tests.serving.api.apifixtures import AWS_KEY, CARD, SECRET_TEXT, AppFactory


def test_blocking_texts_are_recorded_without_their_values(
    serve: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    db = tmp_path / "incidents.db"
    url = f"sqlite:///{db}"

    async def main() -> None:
        async with serve(incidents_url=url) as (_, client):
            clean = await client.post("/v1/scan", json={"text": "The weather is nice today."})
            assert clean.json()["verdict"] == "pass"
            body = {
                "texts": ["Lunch at noon?", SECRET_TEXT],
                "destination": "api.openai.com",
                "user": "alice",
            }
            batch = await client.post("/v1/scan/batch", json=body)
            assert [r["verdict"] for r in batch.json()["results"]] == ["pass", "block"]

    asyncio.run(main())
    store = IncidentStore(url, source="test")
    [stored] = store.query()
    incident = stored.incident
    assert stored.source == "server" and stored.model_version
    assert incident.action == "block" and incident.method == "/v1/scan/batch"
    assert incident.destination == "api.openai.com" and incident.client == "alice"
    assert {"SECRET", "CREDIT_CARD"} <= {f.label for f in incident.findings}
    assert all(f.location.startswith("text[1]:") for f in incident.findings)
    raw = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert (
        AWS_KEY.encode() not in raw and CARD.encode() not in raw and CARD.replace(" ", "").encode() not in raw
    )
    store.close()
