import functools
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence

from sqlalchemy import select

from app import models
from app.graphql.core.loaders import Loader
from app.graphql.core.pagination import Connection, build_connection
from app.graphql.packs.types import Pack
from app.packs import listing
from app.paging import PageRequest, key_in

PageKey = tuple[uuid.UUID, PageRequest]


class PackByIdLoader(Loader[uuid.UUID, Pack | None]):
    """Packs by primary key, regardless of visibility: callers check `visible_to`."""

    async def fetch(self, keys: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, Pack | None]:
        statement = select(*listing.PACK_COLUMNS).where(key_in(models.Pack.id, keys))
        return {row.id: Pack.from_row(row) for row in await self.rows(statement)}


class PackBySampleIdLoader(Loader[uuid.UUID, Pack | None]):
    async def fetch(self, keys: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, Pack | None]:
        membership = models.PackSample
        rows = await self.rows(
            select(membership.sample_id, *listing.PACK_COLUMNS)
            .join(models.Pack, models.Pack.id == membership.pack_id)
            .where(key_in(membership.sample_id, keys))
        )
        return {row.sample_id: Pack.from_row(row) for row in rows}


class PackCountByOwnerLoader(Loader[uuid.UUID, int]):
    async def fetch(self, keys: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, int]:
        async with self.scope.session() as session:
            return await listing.count_by_owner(session, self.scope.viewer, keys)


class PacksByOwnerLoader(Loader[PageKey, Connection[Pack]]):
    async def fetch(self, keys: Sequence[PageKey]) -> Mapping[PageKey, Connection[Pack]]:
        by_request: defaultdict[PageRequest, list[uuid.UUID]] = defaultdict(list)
        for owner_id, request in keys:
            by_request[request].append(owner_id)
        counts = self.scope.loader(PackCountByOwnerLoader)
        found: dict[PageKey, Connection[Pack]] = {}
        for request, owner_ids in by_request.items():
            async with self.scope.session() as session:
                pages = await listing.fetch_pages_by_owner(
                    session, self.scope.viewer, owner_ids, request
                )
            for owner_id, page in pages.items():
                count = functools.partial(counts.load, owner_id)
                found[owner_id, request] = build_connection(
                    page, request, listing.CREATED_AT, Pack.from_row, count
                )
        return found
