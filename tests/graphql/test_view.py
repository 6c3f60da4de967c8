"""WebSocket authentication through a real uvicorn server and a real WebSocket client."""

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
import uvicorn
from sqlalchemy.ext.asyncio import AsyncSession
from websockets.asyncio.client import ClientConnection, connect

from app.config import Settings
from app.main import create_app
from app.models import Role
from tests.factories import make_user
from tests.graphql.client import access_token

ME = "{ me { username role } }"


@pytest.fixture
async def server_url(settings: Settings, database_url: str) -> AsyncIterator[str]:
    app = create_app(settings, database_url=database_url)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, ws="websockets-sansio", log_level="warning"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"ws://127.0.0.1:{port}/graphql"
    server.should_exit = True
    await task


async def _receive(ws: ClientConnection) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
    return message


async def _me_over_transport_ws(url: str, init_payload: dict[str, Any]) -> dict[str, Any]:
    async with connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init", "payload": init_payload}))
        assert (await _receive(ws))["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": ME}}))
        result = await _receive(ws)
        assert result["type"] == "next"
        assert (await _receive(ws)) == {"id": "1", "type": "complete"}
        payload: dict[str, Any] = result["payload"]
        return payload


async def _closed_with(ws: ClientConnection) -> int | None:
    """The close code, once the server has closed the socket (within 10 s)."""
    await asyncio.wait_for(ws.wait_closed(), timeout=10)
    return ws.close_code


async def test_connection_init_authorization_header_sets_the_viewer(
    server_url: str, session: AsyncSession, settings: Settings
) -> None:
    user = await make_user(session, username="dana", role=Role.MODERATOR)
    token = access_token(settings, user, Role.MODERATOR)

    result = await _me_over_transport_ws(server_url, {"Authorization": f"Bearer {token}"})

    assert result == {"data": {"me": {"username": "dana", "role": "MODERATOR"}}}


async def test_connection_init_auth_token_sets_the_viewer(
    server_url: str, session: AsyncSession, settings: Settings
) -> None:
    user = await make_user(session, username="erin")

    result = await _me_over_transport_ws(server_url, {"authToken": access_token(settings, user)})

    assert result == {"data": {"me": {"username": "erin", "role": "USER"}}}


async def test_no_token_is_anonymous(server_url: str) -> None:
    assert await _me_over_transport_ws(server_url, {}) == {"data": {"me": None}}


@pytest.mark.parametrize(
    "payload",
    [
        {"Authorization": "Bearer forged.token.value"},
        {"authToken": "forged.token.value"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"authToken": 42},
        {"Authorization": ["Bearer", "x"]},
    ],
    ids=["authorization", "authToken", "other-scheme", "not-a-string", "not-a-header"],
)
async def test_bad_token_closes_the_socket_with_4403(
    server_url: str, payload: dict[str, Any]
) -> None:
    async with connect(server_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))

        assert await _closed_with(ws) == 4403


async def test_legacy_protocol_accepts_a_good_token(
    server_url: str, session: AsyncSession, settings: Settings
) -> None:
    # Legacy `graphql-ws` runs subscriptions only (none exist yet): the ack is what we can see.
    token = access_token(settings, await make_user(session, username="fay"))

    async with connect(server_url, subprotocols=["graphql-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authToken": token}}))

        assert (await _receive(ws)) == {"type": "connection_ack"}


async def test_legacy_protocol_closes_with_4403_on_a_bad_token(server_url: str) -> None:
    async with connect(server_url, subprotocols=["graphql-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authToken": "forged"}}))
        error = await _receive(ws)

        assert error == {
            "type": "connection_error",
            "payload": {"message": "Invalid access token."},
        }
        assert await _closed_with(ws) == 4403
