import uuid

import asyncpg

from app.pubsub import PROCESSING, PROCESSING_CHANNEL, Hub, ProcessingNotice, Resync, ResyncReason
from tests.pubsub.helpers import notify_processing, receive

_BURST = """
SELECT pg_notify(
    $1, json_build_object('sample', $2::text, 'uploader', $3::text, 'sequence', n)::text
)
FROM generate_series(1, $4::int) AS n
"""


async def test_a_slow_subscriber_stays_bounded_and_resyncs_without_holding_up_others(
    hub: Hub, notifier: asyncpg.Connection
) -> None:
    sample, uploader = uuid.uuid4(), uuid.uuid4()
    async with (
        hub.subscribe(PROCESSING, sample_id=sample, buffer=4) as slow,
        # One commit delivers all 1,000 in a burst: the fast reader's buffer takes a burst.
        hub.subscribe(PROCESSING, sample_id=sample, buffer=1000) as fast,
    ):
        await notifier.execute(_BURST, PROCESSING_CHANNEL, str(sample), str(uploader), 1000)

        received, slow_high_water = [], 0
        for _ in range(1000):
            received.append(await receive(fast))
            slow_high_water = max(slow_high_water, slow.pending)

        assert received == [ProcessingNotice(sample, uploader, n) for n in range(1, 1001)]
        assert slow_high_water <= 4
        assert await receive(slow) == Resync(ResyncReason.OVERFLOW)
        later = await notify_processing(notifier, sample, 1001, uploader)
        while (item := await receive(slow)) != later:
            assert isinstance(item, ProcessingNotice)
            assert item.sequence > 1000 - 4
        assert slow.pending == 0
