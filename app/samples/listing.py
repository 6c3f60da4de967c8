"""Pages of samples: filters, visibility, keyset pagination, counts.

A root listing is one statement (`fetch_page`); nested listings under many parents are
one statement too (`fetch_pages`): a LATERAL subquery per parent key, each using the
same ordering and keyset as the root one.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    exists,
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from app import paging
from app.access import Viewer, listed_samples
from app.models import Like, PackSample, Sample, SampleKind, Tag, sample_tags
from app.paging import Page, PageRequest, SimpleKey, Sorting, Statement, key_in
from app.samples import search
from app.samples.ordering import SortKey

# Everything a Sample field reads, bar the bulky waveform (loaded only when selected).
SAMPLE_COLUMNS = tuple(
    c for c in Sample.__table__.columns if c.key not in {"search_vector", "waveform"}
)


@dataclass(frozen=True, slots=True)
class SampleFilter:
    search: str | None = None
    tags: tuple[str, ...] = ()
    any_tags: tuple[str, ...] = ()
    bpm_min: float | None = None
    bpm_max: float | None = None
    key: str | None = None
    duration_min_ms: int | None = None
    duration_max_ms: int | None = None
    kind: SampleKind | None = None
    uploader_id: uuid.UUID | None = None
    pack_id: uuid.UUID | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None

    def clauses(self) -> list[ColumnElement[bool]]:
        clauses: list[ColumnElement[bool]] = []
        if self.search is not None:
            clauses.append(search.matches(self.search))
        for name in self.tags:
            clauses.append(_tagged(Tag.name == name))
        if self.any_tags:
            clauses.append(_tagged(Tag.name.in_(self.any_tags)))
        bounds: list[tuple[Any, Any, Any]] = [
            (Sample.bpm, self.bpm_min, self.bpm_max),
            (Sample.duration_ms, self.duration_min_ms, self.duration_max_ms),
        ]
        for column, low, high in bounds:
            if low is not None:
                clauses.append(column >= low)
            if high is not None:
                clauses.append(column <= high)
        if self.key is not None:
            clauses.append(Sample.key == self.key)
        if self.kind is not None:
            clauses.append(Sample.kind == self.kind)
        if self.uploader_id is not None:
            clauses.append(Sample.uploader_id == self.uploader_id)
        if self.pack_id is not None:
            in_pack = (PackSample.sample_id == Sample.id) & (PackSample.pack_id == self.pack_id)
            clauses.append(exists().where(in_pack))
        if self.created_after is not None:
            clauses.append(Sample.created_at > self.created_after)
        if self.created_before is not None:
            clauses.append(Sample.created_at < self.created_before)
        return clauses


def _tagged(tag_condition: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(
        sample_tags.c.sample_id == Sample.id,
        sample_tags.c.tag_id == Tag.id,
        tag_condition,
    )


@dataclass(frozen=True, slots=True)
class Order:
    key: SortKey
    descending: bool

    @property
    def cursor_key(self) -> SimpleKey:
        """Cursors name their order and direction: the sort keys differ per direction."""
        direction = "DESC" if self.descending else "ASC"
        return SimpleKey(f"{self.key.name} {direction}", self.key.dump, self.key.load)


def _sorting(order: Order, search_text: str | None) -> Sorting:
    key = order.key.expression(descending=order.descending, search_text=search_text)
    return Sorting(key, Sample.id, order.descending)


def page_statement(
    viewer: Viewer | None, filters: SampleFilter, order: Order, page: PageRequest
) -> Statement:
    statement = select(*SAMPLE_COLUMNS).where(listed_samples(viewer), *filters.clauses())
    return paging.ordered(statement, _sorting(order, filters.search), page)


async def fetch_page(
    session: AsyncSession,
    viewer: Viewer | None,
    filters: SampleFilter,
    order: Order,
    page: PageRequest,
) -> Page:
    rows = (await session.execute(page_statement(viewer, filters, order, page))).all()
    return paging.page_of(rows, page)


async def count(session: AsyncSession, viewer: Viewer | None, filters: SampleFilter) -> int:
    statement = (
        select(func.count()).select_from(Sample).where(listed_samples(viewer), *filters.clauses())
    )
    return int((await session.execute(statement)).scalar_one())


@dataclass(frozen=True, slots=True)
class Parent:
    """How samples hang under a parent: the parent's key column, and any join needed."""

    key: Any  # column compared with the parent key
    join: Any = None  # (table, onclause) or None


UPLOADER = Parent(Sample.uploader_id)
TAG = Parent(sample_tags.c.tag_id, (sample_tags, sample_tags.c.sample_id == Sample.id))
PACK = Parent(PackSample.pack_id, (PackSample, PackSample.sample_id == Sample.id))
LIKER = Parent(Like.user_id, (Like, Like.sample_id == Sample.id))


async def fetch_pages(
    session: AsyncSession,
    viewer: Viewer | None,
    *,
    parent: Parent,
    parent_keys: Sequence[uuid.UUID],
    order: Order,
    page: PageRequest,
) -> dict[uuid.UUID, Page]:
    """One page of each parent's listed samples, in one statement."""

    def statement_for(parent_key: ColumnElement[Any]) -> Statement:
        statement = select(*SAMPLE_COLUMNS)
        if parent.join is not None:
            statement = statement.join(*parent.join)
        return statement.where(parent.key == parent_key, listed_samples(viewer))

    return await paging.fetch_pages(
        session,
        parent_keys=parent_keys,
        key_type=parent.key.type,
        statement_for=statement_for,
        sorting=_sorting(order, None),
        request=page,
    )


async def count_by_parent(
    session: AsyncSession, viewer: Viewer | None, parent: Parent, parent_keys: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    statement = select(parent.key, func.count()).select_from(Sample)
    if parent.join is not None:
        statement = statement.join(*parent.join)
    statement = statement.where(key_in(parent.key, parent_keys), listed_samples(viewer))
    return await paging.count_per_key(session, statement.group_by(parent.key), parent_keys)
