"""Processing events: appended with the next sequence number, announced on commit."""

import uuid
from dataclasses import dataclass

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import ProcessingEvent, Sample
from app.models.enums import ProcessingStep, SampleStatus
from app.pubsub.notify import processing_notify


@dataclass(frozen=True)
class StepFailure:
    step: ProcessingStep
    code: str
    message: str
    retryable: bool


async def record_event(
    session: AsyncSession,
    sample_id: uuid.UUID,
    status: SampleStatus,
    *,
    step: ProcessingStep | None = None,
    progress: float = 0.0,
    message: str = "",
    failure: StepFailure | None = None,
) -> ProcessingEvent:
    """Append the sample's next event. PostgreSQL sends the notice only if this commits.

    The sequence comes from the sample row (`last_sequence`), which the UPDATE locks until
    commit: two workers that ever ran the same sample at once would queue there instead of
    taking the same number, so sequences stay strictly increasing across retries, stalled
    job recovery and reprocessing.
    """
    sequence, uploader_id = (
        await session.execute(
            update(Sample)
            .where(Sample.id == sample_id)
            .values(last_sequence=Sample.last_sequence + 1)
            .returning(Sample.last_sequence, Sample.uploader_id)
        )
    ).one()
    event = ProcessingEvent(
        sample_id=sample_id,
        sequence=sequence,
        status=status,
        step=step,
        progress=progress,
        message=message,
        error_step=failure and failure.step,
        error_code=failure and failure.code,
        error_message=failure and failure.message,
        error_retryable=failure and failure.retryable,
        created_at=func.now(),
    )
    session.add(event)
    await session.flush()
    await session.execute(processing_notify(sample_id, uploader_id, sequence))
    return event
