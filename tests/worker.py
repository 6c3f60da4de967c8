"""Running the processing worker in tests, and waiting for what it does."""

import asyncio
import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app import models
from app.models.enums import ProcessingStep, SampleStatus
from app.processing.worker import ProcessingWorker

FAST = {
    "worker_poll_seconds": 0.1,
    "worker_heartbeat_seconds": 0.2,
    "worker_stalled_seconds": 1.0,
    "processing_retry_base_seconds": 0.05,
}

STEPS = [
    ProcessingStep.PROBE,
    ProcessingStep.DECODE,
    ProcessingStep.ANALYZE,
    ProcessingStep.WAVEFORM,
    ProcessingStep.PREVIEW,
]

RunWorker = Callable[..., AbstractAsyncContextManager[ProcessingWorker]]


async def events_of(
    sessionmaker: async_sessionmaker[AsyncSession], sample_id: uuid.UUID
) -> list[models.ProcessingEvent]:
    async with sessionmaker() as session:
        rows = await session.scalars(
            select(models.ProcessingEvent)
            .where(models.ProcessingEvent.sample_id == sample_id)
            .order_by(models.ProcessingEvent.id)
        )
        return list(rows)


async def wait_until_settled(
    sessionmaker: async_sessionmaker[AsyncSession],
    sample_id: uuid.UUID,
    *,
    events_at_least: int = 2,
    within: float = 60.0,
) -> list[models.ProcessingEvent]:
    """The sample's events once the latest one is READY or FAILED."""
    async with asyncio.timeout(within):
        while True:
            events = await events_of(sessionmaker, sample_id)
            if len(events) >= events_at_least and events[-1].status in (
                SampleStatus.READY,
                SampleStatus.FAILED,
            ):
                return events
            await asyncio.sleep(0.05)


def files_under(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())
