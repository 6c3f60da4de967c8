"""Scale-out: API processes without workers, a worker process, one PostgreSQL between them.

An upload through one API process is processed by the worker process, and a subscriber
on the other API process receives every event: fan-out crosses processes through NOTIFY.
On SIGTERM an API process closes its WebSockets with 1001 (going away).
"""

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import websockets
from gql import Client, GraphQLRequest
from gql.transport.websockets import WebsocketsTransport
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from tests.audio import loop_file
from tests.factories import make_user
from tests.graphql.client import access_token
from tests.graphql.uploads import upload
from tests.live import free_port

pytestmark = pytest.mark.slow

PROCESSING = """
subscription ($id: ID!) {
  sampleProcessing(id: $id, afterSequence: 0) { sequence status step }
}
"""
MINE = "subscription { myProcessing { sequence status sample { id } } }"


@asynccontextmanager
async def _process(*args: str, env: dict[str, str]) -> AsyncIterator[asyncio.subprocess.Process]:
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "app", *args, env=env)
    try:
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                async with asyncio.timeout(30):
                    await process.wait()
            except TimeoutError:
                process.kill()
                await process.wait()


async def _ready(port: int) -> None:
    async with asyncio.timeout(60), httpx.AsyncClient() as client:
        while True:
            try:
                response = await client.get(f"http://127.0.0.1:{port}/readyz")
                if response.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)


@pytest.fixture
def environment(settings: Settings, database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"},
        "DATABASE_URL": database_url,
        "SAMPLEBASE_DATA_DIR": str(tmp_path / "data"),
        "SAMPLEBASE_STORAGE_DIR": str(tmp_path / "media"),
        "SECRET_KEY": settings.secret_key,
        "WORKER_POLL_SECONDS": "0.2",
        "LOG_LEVEL": "WARNING",
    }


def _transport(port: int, token: str) -> WebsocketsTransport:
    return WebsocketsTransport(
        url=f"ws://127.0.0.1:{port}/graphql",
        init_payload={"Authorization": f"Bearer {token}"},
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
    )


async def _collect(port: int, token: str, request: GraphQLRequest, count: int | None) -> list[Any]:
    results = []
    async with Client(transport=_transport(port, token)) as client:
        async for result in client.subscribe(request):
            results.append(result)
            if count is not None and len(results) == count:
                break
    return results


async def test_an_upload_on_one_process_is_followed_live_on_another(
    session: AsyncSession, settings: Settings, environment: dict[str, str]
) -> None:
    token = access_token(settings, await make_user(session))
    first, second = free_port(), free_port()
    async with (
        _process("serve", "--no-worker", "--port", str(first), env=environment),
        _process("serve", "--no-worker", "--port", str(second), env=environment),
    ):
        await asyncio.gather(_ready(first), _ready(second))
        # every event of the viewer's samples, from before the upload
        mine = asyncio.create_task(_collect(second, token, GraphQLRequest(MINE), count=7))
        await asyncio.sleep(0.5)  # let the subscription register before the upload

        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{first}") as api:
            response = await upload(api, loop_file(), token=token)
        sample_id = response.json()["data"]["uploadSample"]["sample"]["id"]
        request = GraphQLRequest(PROCESSING, variable_values={"id": sample_id})
        following = asyncio.create_task(_collect(second, token, request, count=None))

        async with _process("worker", env=environment):
            async with asyncio.timeout(90):
                events = await following
                mine_events = await mine

    assert [e["sampleProcessing"]["sequence"] for e in events] == list(range(1, 8))
    assert [e["sampleProcessing"]["step"] for e in events] == [
        None,
        "PROBE",
        "DECODE",
        "ANALYZE",
        "WAVEFORM",
        "PREVIEW",
        "READY",
    ]
    assert [e["myProcessing"]["sequence"] for e in mine_events] == list(range(1, 8))
    assert {e["myProcessing"]["sample"]["id"] for e in mine_events} == {sample_id}


async def _closed(connection: websockets.ClientConnection) -> websockets.ConnectionClosed:
    while True:
        try:
            await connection.recv()
        except websockets.ConnectionClosed as closed:
            return closed


async def test_sigterm_closes_websockets_with_going_away(
    session: AsyncSession, settings: Settings, environment: dict[str, str]
) -> None:
    token = access_token(settings, await make_user(session))
    port = free_port()
    async with _process("serve", "--no-worker", "--port", str(port), env=environment) as server:
        await _ready(port)
        async with websockets.connect(
            f"ws://127.0.0.1:{port}/graphql",
            subprotocols=[websockets.Subprotocol("graphql-transport-ws")],
        ) as socket_:
            await socket_.send(
                orjson.dumps(
                    {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
                ).decode()
            )
            assert orjson.loads(await socket_.recv())["type"] == "connection_ack"
            await socket_.send(
                orjson.dumps({"id": "1", "type": "subscribe", "payload": {"query": MINE}}).decode()
            )
            await asyncio.sleep(0.3)

            server.send_signal(signal.SIGTERM)

            async with asyncio.timeout(15):
                closed = await _closed(socket_)
        async with asyncio.timeout(30):
            assert await server.wait() == 0

    assert closed.rcvd is not None
    assert closed.rcvd.code == 1001
