"""Likes: one per user and sample; `samples.like_count` is kept in step here."""

import uuid

from sqlalchemy import delete, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.access import Viewer
from app.models import Like, Sample
from app.samples.service import visible_sample


class LikeService:
    def __init__(self, session: AsyncSession, viewer: Viewer) -> None:
        self.session = session
        self.viewer = viewer

    async def like(self, sample_id: uuid.UUID) -> Sample:
        """Idempotent: liking a sample twice counts once."""
        sample = await visible_sample(self.session, self.viewer, sample_id)
        added = await self.session.scalar(
            insert(Like)
            .values(user_id=self.viewer.id, sample_id=sample_id)
            .on_conflict_do_nothing()
            .returning(Like.sample_id)
        )
        if added is not None:
            await self._count(sample_id, +1)
        await self.session.refresh(sample)
        return sample

    async def unlike(self, sample_id: uuid.UUID) -> Sample:
        sample = await visible_sample(self.session, self.viewer, sample_id)
        removed = await self.session.scalar(
            delete(Like)
            .where(Like.user_id == self.viewer.id, Like.sample_id == sample_id)
            .returning(Like.sample_id)
        )
        if removed is not None:
            await self._count(sample_id, -1)
        await self.session.refresh(sample)
        return sample

    async def _count(self, sample_id: uuid.UUID, change: int) -> None:
        await self.session.execute(
            update(Sample)
            .where(Sample.id == sample_id)
            .values(like_count=Sample.like_count + change)
            .execution_options(synchronize_session=False)
        )
