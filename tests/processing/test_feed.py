"""Following one sample's events from the database, as notices say when to look."""

import asyncio

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app import models
from app.models.enums import ProcessingStep, SampleStatus
from app.processing.feed import EventReader, follow_sample
from app.pubsub import PROCESSING, ResyncReason, Subscription
from app.pubsub.registry import Registry
from tests.factories import make_sample, make_user


async def test_a_catch_up_longer_than_one_read_goes_on_to_the_end(
    session: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given: a follower that missed 2,500 events (the hub reconnected), the last one READY
    sample = await make_sample(session, await make_user(session), status=SampleStatus.READY)
    count = 2_500
    await session.execute(
        insert(models.ProcessingEvent),
        [
            {
                "sample_id": sample,
                "sequence": n,
                "status": SampleStatus.READY if n == count else SampleStatus.PROCESSING,
                "step": ProcessingStep.READY if n == count else ProcessingStep.ANALYZE,
                "progress": n / count,
            }
            for n in range(1, count + 1)
        ],
    )
    await session.commit()
    async with Subscription(
        Registry(), PROCESSING, sample_id=sample, match=None, buffer=8
    ) as notices:
        notices.resync(ResyncReason.RECONNECTED)

        # when: it catches up, with no further notice to come
        async with asyncio.timeout(10):
            events = [
                event
                async for event in follow_sample(EventReader(sessionmaker), notices, sample, 0)
            ]

    # then: every event, up to the terminal one
    assert [event.sequence for event in events] == list(range(1, count + 1))
