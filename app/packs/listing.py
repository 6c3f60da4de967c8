"""Pages of packs, newest first: all listed packs, or each owner's."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app import paging
from app.access import Viewer, listed_packs
from app.models import Pack
from app.paging import Page, PageRequest, SimpleKey, Sorting, Statement, key_in, load_datetime

PACK_COLUMNS = (
    Pack.id,
    Pack.owner_id,
    Pack.name,
    Pack.description,
    Pack.visibility,
    Pack.created_at,
    Pack.updated_at,
)


CREATED_AT = SimpleKey("CREATED_AT", datetime.isoformat, load_datetime)
_SORTING = Sorting(Pack.created_at, Pack.id, descending=True)


async def fetch_page(session: AsyncSession, viewer: Viewer | None, request: PageRequest) -> Page:
    statement = select(*PACK_COLUMNS).where(listed_packs(viewer))
    return await paging.fetch_page(session, statement, _SORTING, request)


async def count(session: AsyncSession, viewer: Viewer | None) -> int:
    statement = select(func.count()).select_from(Pack).where(listed_packs(viewer))
    return int((await session.execute(statement)).scalar_one())


async def fetch_pages_by_owner(
    session: AsyncSession,
    viewer: Viewer | None,
    owner_ids: Sequence[uuid.UUID],
    request: PageRequest,
) -> dict[uuid.UUID, Page]:
    def statement_for(owner_id: ColumnElement[Any]) -> Statement:
        return select(*PACK_COLUMNS).where(Pack.owner_id == owner_id, listed_packs(viewer))

    return await paging.fetch_pages(
        session,
        parent_keys=owner_ids,
        key_type=Pack.__table__.c.owner_id.type,
        statement_for=statement_for,
        sorting=_SORTING,
        request=request,
    )


async def count_by_owner(
    session: AsyncSession, viewer: Viewer | None, owner_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    statement = (
        select(Pack.owner_id, func.count())
        .where(key_in(Pack.owner_id, owner_ids), listed_packs(viewer))
        .group_by(Pack.owner_id)
    )
    return await paging.count_per_key(session, statement, owner_ids)
