"""Changes to existing samples by their owners (and admins): delete, reprocess."""

import uuid
from collections.abc import Callable

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.access import Viewer, can_delete_sample, can_edit_sample, can_view_sample
from app.errors import NotFoundError, PermissionDeniedError
from app.models import ProcessingEvent, Sample
from app.models.enums import SampleStatus
from app.processing.events import record_event


class SampleService:
    def __init__(self, session: AsyncSession, viewer: Viewer) -> None:
        self.session = session
        self.viewer = viewer

    async def delete(self, sample_id: uuid.UUID) -> list[str]:
        """Delete the sample; returns the storage keys it held, to discard after commit."""
        sample = await self._target(sample_id, allowed=can_delete_sample)
        keys = [sample.storage_key]
        if sample.preview_storage_key is not None:
            keys.append(sample.preview_storage_key)
        await self.session.execute(delete(Sample).where(Sample.id == sample_id))
        return keys

    async def reprocess(self, sample_id: uuid.UUID) -> tuple[Sample, bool]:
        """Queue a new run; False when one is already waiting to start.

        A READY sample stays READY, with its current values, until the new run succeeds.
        """
        sample = await self._target(sample_id, allowed=can_edit_sample)
        latest = await self.session.scalar(
            select(ProcessingEvent.status)
            .where(ProcessingEvent.sample_id == sample_id)
            .order_by(ProcessingEvent.sequence.desc())
            .limit(1)
        )
        if latest is SampleStatus.QUEUED:
            return sample, False
        if sample.status is SampleStatus.FAILED:
            sample.status = SampleStatus.QUEUED
        await record_event(self.session, sample_id, SampleStatus.QUEUED, message="Queued again")
        return sample, True

    async def _target(
        self, sample_id: uuid.UUID, *, allowed: Callable[[Viewer | None, uuid.UUID], bool]
    ) -> Sample:
        sample = await self.session.get(Sample, sample_id, with_for_update=True)
        viewer = self.viewer
        if sample is None or not can_view_sample(
            viewer, sample.uploader_id, sample.status, sample.visibility
        ):
            raise NotFoundError("No such sample.", field="id")
        if not allowed(viewer, sample.uploader_id):
            raise PermissionDeniedError("Only the uploader (or an admin) may do this.", field="id")
        return sample
