"""Changes to existing samples by their owners (and admins): delete, reprocess."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.access import (
    Viewer,
    can_change_sample_visibility,
    can_delete_sample,
    can_edit_sample,
    can_view_sample,
)
from app.errors import NotFoundError, PermissionDeniedError
from app.models import ProcessingEvent, Sample
from app.models.enums import BpmSource, SampleStatus, Visibility
from app.processing.events import record_event
from app.pubsub.notify import published_notify
from app.samples.details import Checks, replace_tags
from app.samples.search import refresh_search_vectors


class Unchanged:
    """The marker of a field that an edit leaves alone."""


UNCHANGED = Unchanged()


@dataclass(frozen=True)
class SampleChanges:
    """Fields to change; UNCHANGED (the default) leaves one as it is."""

    title: str | Unchanged = UNCHANGED
    description: str | Unchanged = UNCHANGED
    tags: list[str] | Unchanged = UNCHANGED
    visibility: Visibility | Unchanged = UNCHANGED
    bpm: float | Unchanged | None = UNCHANGED
    key: str | Unchanged | None = UNCHANGED

    @property
    def edits_content(self) -> bool:
        fields = (self.title, self.description, self.tags, self.bpm, self.key)
        return any(value is not UNCHANGED for value in fields)


class SampleService:
    def __init__(self, session: AsyncSession, viewer: Viewer) -> None:
        self.session = session
        self.viewer = viewer

    async def update(self, sample_id: uuid.UUID, changes: SampleChanges) -> Sample:
        """Edit the uploader's details (owner, admin); moderators may only hide a sample.

        A READY sample that becomes PUBLIC is announced to `samplePublished` on commit.
        """
        sample = await self._target(
            sample_id,
            allowed=lambda viewer, owner: (
                not changes.edits_content or can_edit_sample(viewer, owner)
            ),
        )
        if not isinstance(changes.visibility, Unchanged) and not can_change_sample_visibility(
            self.viewer, sample.uploader_id, sample.status, sample.visibility, changes.visibility
        ):
            raise PermissionDeniedError(
                "You may not give this sample that visibility.", field="visibility"
            )
        values = _checked(changes)
        released = (
            values.get("visibility") is Visibility.PUBLIC
            and sample.visibility is not Visibility.PUBLIC
            and sample.status is SampleStatus.READY
        )
        tags = values.pop("tags", None)
        for name, value in values.items():
            setattr(sample, name, value)
        await self.session.flush()
        if tags is not None:
            await replace_tags(self.session, sample_id, tags)
        elif "title" in values or "description" in values:
            await refresh_search_vectors(self.session, [sample_id])
        if released:
            await self.session.execute(published_notify(sample_id))
        await self.session.refresh(sample)
        return sample

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
        sample = await visible_sample(self.session, self.viewer, sample_id, for_update=True)
        if not allowed(self.viewer, sample.uploader_id):
            raise PermissionDeniedError("Only the uploader (or an admin) may do this.", field="id")
        return sample


async def visible_sample(
    session: AsyncSession, viewer: Viewer, sample_id: uuid.UUID, *, for_update: bool = False
) -> Sample:
    """The sample, if the viewer may see it; NOT_FOUND alike when missing or hidden."""
    sample = await session.get(Sample, sample_id, with_for_update=for_update)
    if sample is None or not can_view_sample(
        viewer, sample.uploader_id, sample.status, sample.visibility
    ):
        raise NotFoundError("No such sample.", field="id")
    return sample


def _checked(changes: SampleChanges) -> dict[str, Any]:
    """The column values to write, all checked first: an invalid form changes nothing."""
    checks = Checks()
    values: dict[str, Any] = {}
    if not isinstance(changes.title, Unchanged):
        values["title"] = checks.title(changes.title)
    if not isinstance(changes.description, Unchanged):
        values["description"] = checks.description(changes.description)
    if not isinstance(changes.tags, Unchanged):
        values["tags"] = checks.tags(changes.tags)
    if not isinstance(changes.bpm, Unchanged):
        values["bpm"] = checks.bpm(changes.bpm)
        # Cleared, the next analysis (reprocessSample) may fill it in again.
        values["bpm_source"] = BpmSource.USER if changes.bpm is not None else None
        values["bpm_confidence"] = None
    if not isinstance(changes.key, Unchanged):
        values["key"] = checks.key(changes.key)
        values["key_confidence"] = None
    if not isinstance(changes.visibility, Unchanged):
        values["visibility"] = changes.visibility
    checks.raise_if_any()
    return values
