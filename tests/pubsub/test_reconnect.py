"""Losing the LISTEN connection: the hub reconnects and every subscription resyncs."""

import asyncio
import logging
import uuid
from typing import Any

import asyncpg
import pytest

from app.pubsub import PROCESSING, PUBLISHED, Hub, HubState, Resync, ResyncReason
from tests.pubsub.helpers import WAIT_SECONDS, notify_processing, receive, started

RECONNECTED = Resync(ResyncReason.RECONNECTED)


async def _terminate(notifier: asyncpg.Connection, pid: int | None) -> None:
    assert pid is not None
    assert await notifier.fetchval("SELECT pg_terminate_backend($1)", pid)


class _Gate:
    """A connect function that can hold connections back, keeping the hub in RECONNECTING."""

    def __init__(self) -> None:
        self.open = asyncio.Event()
        self.open.set()
        self.holding = asyncio.Event()

    async def connect(self, dsn: str) -> Any:
        if not self.open.is_set():
            self.holding.set()
            await self.open.wait()
        return await asyncpg.connect(dsn)


async def test_a_terminated_connection_is_replaced_and_every_subscriber_resyncs(
    dsn: str, notifier: asyncpg.Connection, caplog: pytest.LogCaptureFixture
) -> None:
    gate, sample = _Gate(), uuid.uuid4()
    async with Hub(dsn, min_backoff=0.01, max_backoff=0.05, connect=gate.connect) as hub:
        await started(hub)
        old_pid = hub.backend_pid
        async with (
            hub.subscribe(PROCESSING, sample_id=sample) as keyed,
            hub.subscribe(PROCESSING) as unkeyed,
            hub.subscribe(PUBLISHED) as published,
        ):
            unread = await notify_processing(notifier, sample, 1)
            assert await receive(unkeyed) == unread
            gate.open.clear()

            with caplog.at_level(logging.INFO, logger="app.pubsub"):
                await _terminate(notifier, old_pid)
                async with asyncio.timeout(WAIT_SECONDS):
                    await gate.holding.wait()

                assert (hub.state, hub.connected, hub.backend_pid) == (
                    HubState.RECONNECTING,
                    False,
                    None,
                )
                assert not any(s.closed for s in (keyed, unkeyed, published))

                gate.open.set()
                await started(hub)

            assert (hub.state, hub.connected) == (HubState.LISTENING, True)
            assert hub.backend_pid not in {None, old_pid}
            # The notice left unread before the loss is dropped: the catch-up read covers it.
            assert [await receive(s) for s in (keyed, unkeyed, published)] == [RECONNECTED] * 3
            after = await notify_processing(notifier, sample, 2)
            assert await receive(keyed) == after
            assert await receive(unkeyed) == after
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "lost its connection (connection closed)" in warnings[0]
    assert any("reconnected after" in r.getMessage() for r in caplog.records)


async def test_reconnecting_backs_off_while_the_server_is_unreachable(
    dsn: str, notifier: asyncpg.Connection, caplog: pytest.LogCaptureFixture
) -> None:
    attempts = 0
    unreachable = False

    async def flaky_connect(dsn: str) -> Any:
        nonlocal attempts, unreachable
        attempts += 1
        if unreachable and attempts <= 3:
            raise ConnectionRefusedError("server unreachable")
        return await asyncpg.connect(dsn)

    async with Hub(dsn, min_backoff=0.01, max_backoff=0.02, connect=flaky_connect) as hub:
        await started(hub)
        async with hub.subscribe(PROCESSING) as subscription:
            unreachable = True
            with caplog.at_level(logging.WARNING, logger="app.pubsub"):
                await _terminate(notifier, hub.backend_pid)

                assert await receive(subscription) == RECONNECTED

            assert attempts == 4
            assert hub.connected
            notice = await notify_processing(notifier, uuid.uuid4(), 1)
            assert await receive(subscription) == notice
    retries = [r.getMessage() for r in caplog.records if "could not connect" in r.getMessage()]
    assert len(retries) == 2
    assert all("ConnectionRefusedError" in message for message in retries)


async def test_a_first_connection_failure_is_retried_before_listening(dsn: str) -> None:
    attempts = 0

    async def failing_twice(dsn: str) -> Any:
        nonlocal attempts
        attempts += 1
        if attempts <= 2:
            raise OSError("not yet")
        return await asyncpg.connect(dsn)

    async with Hub(dsn, min_backoff=0.01, max_backoff=0.02, connect=failing_twice) as hub:
        assert hub.state is HubState.STARTING
        await started(hub)

        assert (attempts, hub.state) == (3, HubState.LISTENING)


class _Hanging:
    """A connection whose queries stop answering once `hang` is set, as behind a dead link."""

    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection
        self.hang = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.connection, name)

    async def fetchval(self, query: str) -> Any:
        if self.hang:
            await asyncio.Event().wait()
        return await self.connection.fetchval(query)


async def test_a_connection_that_stops_answering_is_replaced(
    dsn: str, notifier: asyncpg.Connection
) -> None:
    connections: list[_Hanging] = []

    async def connect(dsn: str) -> _Hanging:
        connections.append(_Hanging(await asyncpg.connect(dsn)))
        return connections[-1]

    async with Hub(
        dsn,
        min_backoff=0.01,
        max_backoff=0.02,
        health_interval=0.02,
        health_timeout=0.05,
        connect=connect,
    ) as hub:
        await started(hub)
        async with hub.subscribe(PROCESSING) as subscription:
            connections[0].hang = True

            assert await receive(subscription) == RECONNECTED
            assert len(connections) == 2
            assert connections[0].connection.is_closed()
            notice = await notify_processing(notifier, uuid.uuid4(), 1)
            assert await receive(subscription) == notice


async def test_subscriptions_made_before_the_first_connection_resync_once_it_listens(
    dsn: str,
) -> None:
    hub = Hub(dsn, min_backoff=0.01, max_backoff=0.02)
    async with hub.subscribe(PROCESSING) as early, hub:
        await started(hub)

        assert await receive(early) == RECONNECTED
