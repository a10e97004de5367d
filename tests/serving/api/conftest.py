"""Fixtures for the inference server tests: one real engine, in-process apps with lifespan.

The engine wraps a real `guard.Guard` on the real default model (``guard_model_dir``: the
packaged model, else the tiny test model). Detection assertions use deterministic hits the
regex detectors catch whatever the model quality: an AWS access key id and a Luhn-valid card.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")

import httpx  # noqa: E402
from fastapi import FastAPI  # noqa: E402

from serving.api import ServeSettings, create_app, hash_api_key  # noqa: E402
from serving.api.inference import Engine  # noqa: E402
from tests.serving.api.apifixtures import API_KEY, AppFactory  # noqa: E402


@pytest.fixture(autouse=True)
def _no_guard_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Settings read GUARD_* from the environment: keep the developer's shell out of the tests."""
    for name in list(os.environ):
        if name.startswith("GUARD_") and name != "GUARD_TEST_HEAVY":
            monkeypatch.delenv(name)
    yield


@pytest.fixture(scope="session")
def engine(guard_model_dir: Path) -> Engine:
    """One real engine (model + detectors + policy) shared by every in-process app."""
    return Engine.load(ServeSettings(model=guard_model_dir, provider="cpu"))


async def wait_ready(app: FastAPI, timeout_s: float = 60.0) -> None:
    service = app.state.service
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while service.status == "loading":
        if loop.time() > deadline:
            raise TimeoutError("app did not become ready")
        await asyncio.sleep(0.01)


@pytest.fixture
def serve(engine: Engine) -> AppFactory:
    """``async with serve(**settings) as (app, client)``: a started app and an httpx client on it.

    API keys are on by default (``API_KEY``); the client sends it unless ``auth=False``.
    """

    @contextlib.asynccontextmanager
    async def _serve(
        *, auth: bool = True, use_engine: bool = True, **overrides: Any
    ) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
        overrides.setdefault("api_key_hashes", [hash_api_key(API_KEY)])
        app = create_app(ServeSettings(**overrides), engine=engine if use_engine else None)
        headers = {"Authorization": f"Bearer {API_KEY}"} if auth else {}
        async with app.router.lifespan_context(app):
            if use_engine:
                await wait_ready(app)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://guard.test", headers=headers
            ) as client:
                yield app, client

    return _serve
