"""The client side of benchmarks/subscriptions.py, run in a process of its own: N
graphql-transport-ws connections (plain `websockets`, messages written by hand), each
subscribed to one sample's processing, recording what arrives and when.

The process tells its parent over a pipe when every client has a sequence (`("all", n)`)
and when every subscription has completed (`("complete", 0)`); it sends back every
client's deliveries after the parent says "stop".
"""

import asyncio
import json
import resource
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

SUBSCRIPTION = "subscription ($id: ID!) { sampleProcessing(id: $id) { sequence status progress } }"


def raise_file_limit() -> int:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


@dataclass
class Client:
    received: list[tuple[int, float]] = field(default_factory=list)
    completed: bool = False
    problem: str | None = None


@dataclass(frozen=True)
class Plan:
    url: str
    token: str
    sample_id: str
    clients: int
    handshakes: int
    deflate: bool


async def _subscriber(
    plan: Plan, client: Client, gate: asyncio.Semaphore, progress: "_Progress"
) -> None:
    try:
        async with gate:
            websocket = await connect(
                plan.url,
                subprotocols=[Subprotocol("graphql-transport-ws")],
                compression="deflate" if plan.deflate else None,
                open_timeout=120,
                ping_interval=None,
                max_queue=None,
            )
            await websocket.send(
                json.dumps(
                    {
                        "type": "connection_init",
                        "payload": {"Authorization": f"Bearer {plan.token}"},
                    }
                )
            )
            _expect_ack(json.loads(await websocket.recv()))
            await websocket.send(
                json.dumps(
                    {
                        "id": "1",
                        "type": "subscribe",
                        "payload": {"query": SUBSCRIPTION, "variables": {"id": plan.sample_id}},
                    }
                )
            )
        await _listen(websocket, client, progress)
    except Exception as error:  # noqa: BLE001 - every failure is a finding to report
        client.problem = f"{type(error).__name__}: {error}"
        progress.failed()


def _expect_ack(message: dict[str, object]) -> None:
    if message["type"] != "connection_ack":
        raise RuntimeError(f"no ack: {message}")


async def _listen(websocket: ClientConnection, client: Client, progress: "_Progress") -> None:
    async with websocket:
        async for raw in websocket:
            message = json.loads(raw)
            if message["type"] == "next":
                if "errors" in message["payload"]:
                    raise RuntimeError(f"errors: {message['payload']['errors']}")
                sequence = message["payload"]["data"]["sampleProcessing"]["sequence"]
                client.received.append((sequence, time.monotonic()))
                progress.got(sequence)
            elif message["type"] == "complete":
                client.completed = True
                progress.done()
                return
            elif message["type"] == "ping":
                await websocket.send(json.dumps({"type": "pong"}))
            elif message["type"] != "pong":
                raise RuntimeError(f"unexpected: {message}")


class _Progress:
    """Tells the producer (over a pipe) when every client has a sequence, or has finished."""

    def __init__(self, pipe: Connection, clients: int) -> None:
        self.pipe = pipe
        self.clients = clients
        self.counts: dict[int, int] = {}
        self.finished = 0

    def got(self, sequence: int) -> None:
        self.counts[sequence] = self.counts.get(sequence, 0) + 1
        self._maybe_all(sequence)

    def failed(self) -> None:
        self.clients -= 1
        for sequence in list(self.counts):
            self._maybe_all(sequence)

    def done(self) -> None:
        self.finished += 1
        if self.finished == self.clients:
            self.pipe.send(("complete", 0))

    def _maybe_all(self, sequence: int) -> None:
        if self.counts.get(sequence) == self.clients:
            self.pipe.send(("all", sequence))


# (deliveries as (sequence, monotonic time), completed, what went wrong) per client.
Outcome = tuple[list[tuple[int, float]], bool, str | None]


def run_clients(plan: Plan, pipe: Connection) -> None:
    raise_file_limit()

    async def run() -> list[Client]:
        clients = [Client() for _ in range(plan.clients)]
        progress = _Progress(pipe, plan.clients)
        gate = asyncio.Semaphore(plan.handshakes)
        tasks = [asyncio.create_task(_subscriber(plan, c, gate, progress)) for c in clients]
        await asyncio.to_thread(pipe.recv)  # "stop": the producer is done
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return clients

    clients = asyncio.run(run())
    pipe.send(("results", [(c.received, c.completed, c.problem) for c in clients]))
