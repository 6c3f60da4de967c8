import logging
import uuid

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.pubsub import (
    PROCESSING,
    PROCESSING_CHANNEL,
    PUBLISHED,
    Hub,
    ProcessingNotice,
    PublishedNotice,
    processing_notify,
    published_notify,
)
from tests.pubsub.helpers import drain, notify_processing, receive


async def test_a_subscriber_receives_notices_in_commit_order(
    hub: Hub, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    sample, uploader = uuid.uuid4(), uuid.uuid4()
    async with hub.subscribe(PROCESSING, sample_id=sample) as subscription:
        async with sessionmaker() as session:
            for sequence in range(1, 21):
                await session.execute(processing_notify(sample, uploader, sequence))
                await session.commit()

        received = [await receive(subscription) for _ in range(20)]

    assert received == [ProcessingNotice(sample, uploader, n) for n in range(1, 21)]


async def test_sample_id_and_match_select_what_a_subscription_gets(
    hub: Hub, notifier: asyncpg.Connection
) -> None:
    a, b, mine, theirs = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    async with (
        hub.subscribe(PROCESSING) as everything,
        hub.subscribe(PROCESSING, sample_id=a) as of_a,
        hub.subscribe(PROCESSING, match=lambda notice: notice.uploader_id == mine) as my_uploads,
        hub.subscribe(
            PROCESSING, sample_id=a, match=lambda notice: notice.sequence > 1
        ) as of_a_after_first,
    ):
        sent = [
            await notify_processing(notifier, a, 1, mine),
            await notify_processing(notifier, b, 1, mine),
            await notify_processing(notifier, a, 2, mine),
            await notify_processing(notifier, b, 2, theirs),
        ]
        # Dispatch offers each notice to every subscription at once: when the unfiltered one
        # has the last notice, the others have been offered all of them.
        assert [await receive(everything) for _ in sent] == sent

        assert await drain(of_a) == [sent[0], sent[2]]
        assert await drain(my_uploads) == sent[:3]
        assert await drain(of_a_after_first) == [sent[2]]


async def test_each_channel_reaches_only_its_own_subscribers(
    hub: Hub, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    sample, uploader = uuid.uuid4(), uuid.uuid4()
    async with (
        hub.subscribe(PROCESSING, sample_id=sample) as processing,
        hub.subscribe(PUBLISHED, sample_id=sample) as published,
    ):
        async with sessionmaker() as session:
            await session.execute(published_notify(sample))
            await session.commit()
            await session.execute(processing_notify(sample, uploader, 1))
            await session.commit()

        assert await receive(processing) == ProcessingNotice(sample, uploader, 1)
        assert await receive(published) == PublishedNotice(sample)
        assert processing.pending == published.pending == 0


async def test_a_malformed_payload_is_skipped_and_the_hub_carries_on(
    hub: Hub, notifier: asyncpg.Connection, caplog: pytest.LogCaptureFixture
) -> None:
    sample = uuid.uuid4()
    async with hub.subscribe(PROCESSING) as subscription:
        with caplog.at_level(logging.WARNING, logger="app.pubsub"):
            await notifier.execute("SELECT pg_notify($1, 'not json')", PROCESSING_CHANNEL)
            notice = await notify_processing(notifier, sample, 1)

            assert await receive(subscription) == notice

    assert "malformed payload" in caplog.text


async def test_a_failing_match_costs_only_its_own_subscription(
    hub: Hub, notifier: asyncpg.Connection, caplog: pytest.LogCaptureFixture
) -> None:
    sample = uuid.uuid4()

    def broken(_notice: ProcessingNotice) -> bool:
        raise RuntimeError("bug")

    async with (
        hub.subscribe(PROCESSING, match=broken) as failing,
        hub.subscribe(PROCESSING) as healthy,
    ):
        with caplog.at_level(logging.ERROR, logger="app.pubsub"):
            notice = await notify_processing(notifier, sample, 1)

            assert await receive(healthy) == notice

        assert failing.pending == 0
    assert "Subscription failed to take a notice" in caplog.text
