import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence

from sqlalchemy import select

from app import models
from app.graphql.core.loaders import Loader
from app.graphql.tags.types import Tag
from app.paging import key_in


class TagByIdLoader(Loader[uuid.UUID, Tag | None]):
    async def fetch(self, keys: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, Tag | None]:
        rows = await self.rows(
            select(models.Tag.id, models.Tag.name).where(key_in(models.Tag.id, keys))
        )
        return {row.id: Tag.from_row(row) for row in rows}


class TagByNameLoader(Loader[str, Tag | None]):
    async def fetch(self, keys: Sequence[str]) -> Mapping[str, Tag | None]:
        rows = await self.rows(
            select(models.Tag.id, models.Tag.name).where(key_in(models.Tag.name, keys))
        )
        return {row.name: Tag.from_row(row) for row in rows}


class TagsBySampleIdLoader(Loader[uuid.UUID, list[Tag]]):
    async def fetch(self, keys: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, list[Tag]]:
        links = models.sample_tags.c
        rows = await self.rows(
            select(links.sample_id, models.Tag.id, models.Tag.name)
            .join(models.Tag, models.Tag.id == links.tag_id)
            .where(key_in(links.sample_id, keys))
            .order_by(links.sample_id, models.Tag.name)
        )
        tags: defaultdict[uuid.UUID, list[Tag]] = defaultdict(list)
        for row in rows:
            tags[row.sample_id].append(Tag.from_row(row))
        return tags

    def missing(self) -> list[Tag]:
        return []
