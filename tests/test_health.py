import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from app.config import Settings
from app.main import create_app
from tests.database import TestServer


async def _get(settings: Settings, url: str, path: str) -> httpx.Response:
    app = create_app(settings, database_url=url)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.get(path)


@pytest.fixture
async def unmigrated_database(server: TestServer) -> AsyncIterator[str]:
    url = await server.create_database("samplebase_unmigrated")
    yield url
    await server.drop_database(url)


async def test_healthz_answers_ok(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_is_ok_on_a_migrated_database(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    async with asyncio.timeout(10):
        await app.state.services.hub.wait_listening()

    response = await client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "pubsub": "ok"},
    }


async def test_readyz_is_503_when_migrations_are_behind(
    settings: Settings, unmigrated_database: str
) -> None:
    response = await _get(settings, unmigrated_database, "/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["migrations"].startswith("at base, head is")


async def test_readyz_is_503_when_the_database_is_unreachable(
    settings: Settings, server: TestServer
) -> None:
    missing = server.url_for("samplebase_no_such_database")

    response = await _get(settings, missing, "/readyz")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"].startswith("unreachable:")
    assert checks["pubsub"] in {"starting", "reconnecting"}
    # The liveness probe stays up: the process itself is fine.
    assert (await _get(settings, missing, "/healthz")).status_code == 200
