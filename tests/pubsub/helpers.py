import asyncio
import uuid
from typing import Any

import asyncpg

from app.pubsub import (
    PROCESSING_CHANNEL,
    Hub,
    ProcessingNotice,
    PublishedNotice,
    Resync,
    Subscription,
)

# Long enough for a loaded CI machine, short enough that a lost notice fails fast.
WAIT_SECONDS = 5.0


async def started(hub: Hub) -> None:
    async with asyncio.timeout(WAIT_SECONDS):
        await hub.wait_listening()


async def receive(subscription: Subscription[Any]) -> ProcessingNotice | PublishedNotice | Resync:
    async with asyncio.timeout(WAIT_SECONDS):
        item: ProcessingNotice | PublishedNotice | Resync = await anext(subscription)
    return item


async def drain(subscription: Subscription[Any]) -> list[Any]:
    """The notices the subscription holds right now (these reads don't wait)."""
    return [await receive(subscription) for _ in range(subscription.pending)]


async def notify_processing(
    connection: asyncpg.Connection,
    sample_id: uuid.UUID,
    sequence: int,
    uploader_id: uuid.UUID | None = None,
) -> ProcessingNotice:
    notice = ProcessingNotice(sample_id, uploader_id or uuid.uuid4(), sequence)
    await connection.execute("SELECT pg_notify($1, $2)", PROCESSING_CHANNEL, notice.payload())
    return notice
