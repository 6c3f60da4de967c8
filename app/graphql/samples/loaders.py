import uuid
from collections.abc import Mapping, Sequence

from sqlalchemy import select

from app import models
from app.graphql.core.loaders import Loader, key_in
from app.graphql.samples.types import Sample

SAMPLE_COLUMNS = tuple(
    column for column in models.Sample.__table__.columns if column.key not in {"search_vector"}
)


class SampleByIdLoader(Loader[uuid.UUID, Sample | None]):
    """Samples by primary key, regardless of visibility: callers check `visible_to`."""

    async def fetch(self, keys: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, Sample | None]:
        rows = await self.rows(select(*SAMPLE_COLUMNS).where(key_in(models.Sample.id, keys)))
        return {row.id: Sample.from_row(row) for row in rows}


class LikedByViewerBySampleIdLoader(Loader[uuid.UUID, bool]):
    async def fetch(self, keys: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, bool]:
        viewer = self.scope.viewer
        if viewer is None:
            return {}
        rows = await self.rows(
            select(models.Like.sample_id).where(
                models.Like.user_id == viewer.id, key_in(models.Like.sample_id, keys)
            )
        )
        return {row.sample_id: True for row in rows}

    def missing(self) -> bool:
        return False
