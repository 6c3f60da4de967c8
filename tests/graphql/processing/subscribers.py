"""Real subscription clients for the live server (`tests.live.serving`): gql over either
WebSocket subprotocol, and the events that tests drive with `record_event`."""

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import orjson
import pytest
from gql import Client, GraphQLRequest
from gql.client import AsyncClientSession
from gql.transport.websockets import WebsocketsTransport
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from app.models.enums import ProcessingStep, SampleStatus
from app.processing.events import record_event
from app.pubsub import Hub
from tests.factories import gid

TRANSPORT_WS = WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL  # graphql-transport-ws
LEGACY_WS = WebsocketsTransport.APOLLO_SUBPROTOCOL  # graphql-ws

both_protocols = pytest.mark.parametrize(
    "subprotocol", [TRANSPORT_WS, LEGACY_WS], ids=["graphql-transport-ws", "graphql-ws"]
)

SAMPLE_PROCESSING = """
subscription ($id: ID!, $after: Int) {
  sampleProcessing(id: $id, afterSequence: $after) { sequence status step progress message }
}
"""

# Within this, an awaited event has been lost: fail rather than hang.
WITHIN = 10.0


@asynccontextmanager
async def subscriber(
    host: str, subprotocol: str, token: str | None = None
) -> AsyncIterator[AsyncClientSession]:
    """A connected gql session; leaving the block closes the socket."""
    init = {} if token is None else {"Authorization": f"Bearer {token}"}
    transport = WebsocketsTransport(
        url=f"ws://{host}/graphql", init_payload=init, subprotocols=[subprotocol]
    )
    async with Client(transport=transport) as session:
        yield session


def processing(sample_id: uuid.UUID, after: int | None = None) -> GraphQLRequest:
    return GraphQLRequest(
        SAMPLE_PROCESSING, variable_values={"id": gid("Sample", sample_id), "after": after}
    )


def processing_payload(sample_id: uuid.UUID, after: int | None = None) -> dict[str, Any]:
    """A `subscribe`/`start` message's payload, for hand-driven sockets."""
    return {
        "query": SAMPLE_PROCESSING,
        "variables": {"id": gid("Sample", sample_id), "after": after},
    }


def events(results: list[dict[str, Any]]) -> list[tuple[int, str, str | None]]:
    """(sequence, status, step) of each `sampleProcessing` result."""
    return [
        (
            r["sampleProcessing"]["sequence"],
            r["sampleProcessing"]["status"],
            r["sampleProcessing"]["step"],
        )
        for r in results
    ]


async def take(stream: AsyncIterator[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    async with asyncio.timeout(WITHIN):
        return [await anext(stream) for _ in range(count)]


async def drain(
    stream: AsyncIterator[dict[str, Any]], within: float = WITHIN
) -> list[dict[str, Any]]:
    """Every remaining result, once the server completes the stream."""
    async with asyncio.timeout(within):
        return [result async for result in stream]


async def record(
    sessionmaker: async_sessionmaker[AsyncSession],
    sample_id: uuid.UUID,
    status: SampleStatus,
    step: ProcessingStep | None = None,
    *,
    message: str = "",
) -> None:
    """One event, committed (so notified) the way the worker's pipeline does it."""
    async with sessionmaker.begin() as session:
        await record_event(session, sample_id, status, step=step, message=message)


async def until(condition: Callable[[], bool], within: float = WITHIN) -> None:
    """Wait for a state of the server that it signals to no one (the hub's, mostly)."""
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110 - nothing to wait on but the state itself
            await asyncio.sleep(0.005)


async def registered(hub: Hub, count: int) -> None:
    """Wait until the hub has `count` subscriptions: the server-side subscribe ran."""
    await until(lambda: hub.subscriber_count >= count)


@asynccontextmanager
async def collecting(
    stream: AsyncIterator[dict[str, Any]],
) -> AsyncIterator["asyncio.Queue[dict[str, Any] | Exception]"]:
    """Results of a stream that never completes, as they come (or what it failed with)."""
    queue: asyncio.Queue[dict[str, Any] | Exception] = asyncio.Queue()

    async def pump() -> None:
        try:
            async for result in stream:
                queue.put_nowait(result)
        except Exception as error:  # noqa: BLE001 - handed to the test, which raises it
            queue.put_nowait(error)

    task = asyncio.create_task(pump())
    try:
        yield queue
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def next_of(queue: "asyncio.Queue[dict[str, Any] | Exception]") -> dict[str, Any]:
    async with asyncio.timeout(WITHIN):
        item = await queue.get()
    if isinstance(item, Exception):
        raise item
    return item


@asynccontextmanager
async def raw_socket(
    host: str,
    token: str | None = None,
    *,
    subprotocol: str = TRANSPORT_WS,
    init: bool = True,
    receive_buffer: int | None = None,
) -> AsyncIterator[ClientConnection]:
    """A hand-driven socket, acknowledged unless `init` is false.

    `receive_buffer` caps the kernel's receive buffer (autotuned up to tens of MB on
    loopback otherwise), so that a client that stops reading pushes back on the server soon.
    """
    address, _, port = host.partition(":")
    sock = socket.socket()
    if receive_buffer is not None:
        # Before connecting: the TCP window scale is agreed in the handshake.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, (address, int(port)))
    async with connect(
        f"ws://{host}/graphql", sock=sock, subprotocols=[Subprotocol(subprotocol)], max_size=2**22
    ) as ws:
        if init:
            payload = {} if token is None else {"Authorization": f"Bearer {token}"}
            await send(ws, {"type": "connection_init", "payload": payload})
            assert (await receive(ws))["type"] == "connection_ack"
        yield ws


async def send(socket: ClientConnection, message: dict[str, Any]) -> None:
    await socket.send(orjson.dumps(message).decode())


async def receive(socket: ClientConnection, within: float = WITHIN) -> dict[str, Any]:
    """The next message that is not a keep-alive."""
    async with asyncio.timeout(within):
        while True:
            message: dict[str, Any] = orjson.loads(await socket.recv())
            if message["type"] not in ("ka", "ping", "pong"):
                return message
