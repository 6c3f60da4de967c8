import functools
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from app import models
from app.graphql.core.loaders import Loader
from app.graphql.core.pagination import Connection, build_connection
from app.graphql.core.scope import OperationScope
from app.graphql.samples.types import Sample
from app.paging import PageRequest, key_in
from app.samples import listing


class SampleByIdLoader(Loader[uuid.UUID, Sample | None]):
    """Samples by primary key, regardless of visibility: callers check `visible_to`."""

    async def fetch(self, keys: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, Sample | None]:
        statement = select(*listing.SAMPLE_COLUMNS).where(key_in(models.Sample.id, keys))
        return {row.id: Sample.from_row(row) for row in await self.rows(statement)}


class WaveformBySampleIdLoader(Loader[uuid.UUID, list[float] | None]):
    async def fetch(self, keys: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, list[float] | None]:
        statement = select(models.Sample.id, models.Sample.waveform).where(
            key_in(models.Sample.id, keys)
        )
        return {row.id: row.waveform for row in await self.rows(statement)}


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


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One page shape (order and page arguments), shared by every parent in a batch."""

    order: listing.Order
    request: PageRequest


async def _pages(
    scope: OperationScope,
    parent: listing.Parent,
    counter: type[Loader[uuid.UUID, int]],
    keys: Sequence[tuple[uuid.UUID, PageSpec]],
) -> dict[tuple[uuid.UUID, PageSpec], Connection[Sample]]:
    """A page of listed samples per (parent, page shape): one statement per distinct shape."""
    by_spec: defaultdict[PageSpec, list[uuid.UUID]] = defaultdict(list)
    for parent_id, spec in keys:
        by_spec[spec].append(parent_id)
    counts = scope.loader(counter)
    found: dict[tuple[uuid.UUID, PageSpec], Connection[Sample]] = {}
    for spec, parent_ids in by_spec.items():
        async with scope.session() as session:
            pages = await listing.fetch_pages(
                session,
                scope.viewer,
                parent=parent,
                parent_keys=parent_ids,
                order=spec.order,
                page=spec.request,
            )
        for parent_id, page in pages.items():
            count = functools.partial(counts.load, parent_id)
            found[parent_id, spec] = build_connection(
                page, spec.request, spec.order.cursor_key, Sample.from_row, count
            )
    return found


async def _counts(
    scope: OperationScope, parent: listing.Parent, keys: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    async with scope.session() as session:
        return await listing.count_by_parent(session, scope.viewer, parent, keys)


PageKey = tuple[uuid.UUID, PageSpec]


class SampleCountByUploaderLoader(Loader[uuid.UUID, int]):
    async def fetch(self, keys: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, int]:
        return await _counts(self.scope, listing.UPLOADER, keys)


class SampleCountByTagLoader(Loader[uuid.UUID, int]):
    async def fetch(self, keys: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, int]:
        return await _counts(self.scope, listing.TAG, keys)


class SampleCountByPackLoader(Loader[uuid.UUID, int]):
    async def fetch(self, keys: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, int]:
        return await _counts(self.scope, listing.PACK, keys)


class SampleCountByLikerLoader(Loader[uuid.UUID, int]):
    async def fetch(self, keys: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, int]:
        return await _counts(self.scope, listing.LIKER, keys)


class SamplesByUploaderLoader(Loader[PageKey, Connection[Sample]]):
    async def fetch(self, keys: Sequence[PageKey]) -> Mapping[PageKey, Connection[Sample]]:
        return await _pages(self.scope, listing.UPLOADER, SampleCountByUploaderLoader, keys)


class SamplesByTagLoader(Loader[PageKey, Connection[Sample]]):
    async def fetch(self, keys: Sequence[PageKey]) -> Mapping[PageKey, Connection[Sample]]:
        return await _pages(self.scope, listing.TAG, SampleCountByTagLoader, keys)


class SamplesByPackLoader(Loader[PageKey, Connection[Sample]]):
    async def fetch(self, keys: Sequence[PageKey]) -> Mapping[PageKey, Connection[Sample]]:
        return await _pages(self.scope, listing.PACK, SampleCountByPackLoader, keys)


class SamplesByLikerLoader(Loader[PageKey, Connection[Sample]]):
    async def fetch(self, keys: Sequence[PageKey]) -> Mapping[PageKey, Connection[Sample]]:
        return await _pages(self.scope, listing.LIKER, SampleCountByLikerLoader, keys)
