"""The publisher helpers, executed by a SQLAlchemy session: delivery follows the transaction."""

import uuid

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.pubsub import (
    PROCESSING,
    PUBLISHED,
    Hub,
    ProcessingNotice,
    PublishedNotice,
    processing_notify,
    published_notify,
)
from tests.pubsub.helpers import notify_processing, receive


async def test_a_notice_is_delivered_on_commit_and_not_before(
    hub: Hub, notifier: asyncpg.Connection, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    sample, uploader, fence = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    async with hub.subscribe(PROCESSING) as subscription, sessionmaker() as session:
        await session.execute(processing_notify(sample, uploader, 1))
        # Notices reach the listener in commit order: once a notice committed later has
        # arrived, an early delivery of the pending one would have arrived before it.
        fence_notice = await notify_processing(notifier, fence, 1)
        assert await receive(subscription) == fence_notice

        await session.commit()

        assert await receive(subscription) == ProcessingNotice(sample, uploader, 1)


async def test_a_notice_in_a_rolled_back_transaction_is_never_delivered(
    hub: Hub, notifier: asyncpg.Connection, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    sample, fence = uuid.uuid4(), uuid.uuid4()
    async with hub.subscribe(PUBLISHED) as subscription:
        async with sessionmaker() as session:
            await session.execute(published_notify(sample))
            await session.rollback()

        await notifier.execute(
            "SELECT pg_notify($1, $2)", PUBLISHED.name, PublishedNotice(fence).payload()
        )

        assert await receive(subscription) == PublishedNotice(fence)
        assert subscription.pending == 0
