import uuid
from collections.abc import Mapping, Sequence

from sqlalchemy import select

from app import models
from app.graphql.core.loaders import Loader, key_in
from app.graphql.packs.types import Pack

_COLUMNS = (
    models.Pack.id,
    models.Pack.owner_id,
    models.Pack.name,
    models.Pack.description,
    models.Pack.visibility,
    models.Pack.created_at,
    models.Pack.updated_at,
)


class PackByIdLoader(Loader[uuid.UUID, Pack | None]):
    async def fetch(self, keys: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, Pack | None]:
        rows = await self.rows(select(*_COLUMNS).where(key_in(models.Pack.id, keys)))
        return {row.id: Pack.from_row(row) for row in rows}


class PackBySampleIdLoader(Loader[uuid.UUID, Pack | None]):
    async def fetch(self, keys: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, Pack | None]:
        membership = models.PackSample
        rows = await self.rows(
            select(membership.sample_id, *_COLUMNS)
            .join(models.Pack, models.Pack.id == membership.pack_id)
            .where(key_in(membership.sample_id, keys))
        )
        return {row.sample_id: Pack.from_row(row) for row in rows}
