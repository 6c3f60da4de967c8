"""Subscriptions leave no trace when they end, however they end."""

import asyncio
import uuid
from typing import Any

import asyncpg
import pytest

from app.pubsub import PROCESSING, PUBLISHED, Hub, HubState, ProcessingNotice, Subscription
from app.pubsub.registry import Registry
from tests.pubsub.helpers import WAIT_SECONDS


async def _consume(subscription: Subscription[ProcessingNotice], entered: asyncio.Event) -> int:
    count = 0
    async with subscription:
        entered.set()
        async for _item in subscription:
            count += 1
    return count


async def test_a_cancelled_subscriber_unregisters(hub: Hub) -> None:
    entered = asyncio.Event()
    task = asyncio.create_task(_consume(hub.subscribe(PROCESSING, sample_id=uuid.uuid4()), entered))
    await entered.wait()
    assert hub.subscriber_count == 1

    task.cancel()
    await asyncio.wait([task])

    assert task.cancelled()
    assert hub.subscriber_count == 0


async def test_leaving_subscriptions_empties_the_sample_index() -> None:
    registry = Registry()
    sample = uuid.uuid4()
    subscriptions: list[Subscription[Any]] = [
        Subscription(registry, PROCESSING, sample_id=sample, match=None, buffer=1),
        Subscription(registry, PROCESSING, sample_id=uuid.uuid4(), match=None, buffer=1),
        Subscription(registry, PUBLISHED, sample_id=sample, match=None, buffer=1),
        Subscription(registry, PUBLISHED, sample_id=None, match=None, buffer=1),
    ]
    for subscription in subscriptions:
        await subscription.__aenter__()
    assert (len(registry), registry.indexed_samples) == (4, 3)

    for subscription in subscriptions:
        await subscription.__aexit__(None, None, None)

    assert (len(registry), registry.indexed_samples) == (0, 0)


async def test_stop_ends_every_iteration_and_later_subscriptions(dsn: str) -> None:
    hub = Hub(dsn, min_backoff=0.01, max_backoff=0.02)
    async with hub:
        entered = [asyncio.Event(), asyncio.Event()]
        tasks = [
            asyncio.create_task(_consume(hub.subscribe(PROCESSING), entered[0])),
            asyncio.create_task(
                _consume(hub.subscribe(PROCESSING, sample_id=uuid.uuid4()), entered[1])
            ),
        ]
        await asyncio.gather(*(event.wait() for event in entered))

    async with asyncio.timeout(WAIT_SECONDS):
        assert await asyncio.gather(*tasks) == [0, 0]
    assert hub.state is HubState.STOPPED
    assert not hub.connected
    assert hub.subscriber_count == 0
    async with hub.subscribe(PROCESSING) as late:
        assert [item async for item in late] == []


async def test_stop_closes_the_listening_connection(dsn: str, notifier: asyncpg.Connection) -> None:
    hub = Hub(dsn)
    async with hub:
        async with asyncio.timeout(WAIT_SECONDS):
            await hub.wait_listening()
        pid = hub.backend_pid
        assert (
            await notifier.fetchval(
                "SELECT application_name FROM pg_stat_activity WHERE pid = $1", pid
            )
            == "samplebase-pubsub"
        )

    assert hub.backend_pid is None
    async with asyncio.timeout(WAIT_SECONDS):
        # The backend exits just after the client's goodbye; only the server can tell when.
        while await notifier.fetchval(  # noqa: ASYNC110 - nothing local to wait on
            "SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pid
        ):
            await asyncio.sleep(0.01)


def test_a_hub_rejects_channels_it_does_not_listen_on(dsn: str) -> None:
    hub = Hub(dsn, channels=[PUBLISHED])

    with pytest.raises(ValueError, match="does not listen on samplebase_processing"):
        hub.subscribe(PROCESSING)


async def test_stop_ends_a_hub_that_never_connected(dsn: str) -> None:
    attempts, retried = 0, asyncio.Event()

    async def unreachable(_dsn: str) -> object:
        nonlocal attempts
        attempts += 1
        if attempts > 1:
            retried.set()
        raise ConnectionRefusedError("server unreachable")

    hub = Hub(dsn, min_backoff=0.01, max_backoff=0.02, connect=unreachable)
    async with hub, hub.subscribe(PROCESSING) as subscription:
        async with asyncio.timeout(WAIT_SECONDS):
            await retried.wait()
        assert hub.state is HubState.STARTING

    assert (hub.state, subscription.closed) == (HubState.STOPPED, True)


async def test_iterating_a_subscription_outside_its_block_fails_loudly(hub: Hub) -> None:
    subscription = hub.subscribe(PROCESSING)

    with pytest.raises(RuntimeError, match="async with"):
        await anext(subscription)
