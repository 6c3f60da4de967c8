"""Pages of tags: alphabetical, optionally by name prefix.

Only tags on at least one sample the viewer could list are shown, so that tags used
solely by private samples do not leak their names.
"""

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app import paging
from app.access import Viewer, listed_samples
from app.models import Sample, Tag, sample_tags
from app.paging import Page, PageRequest, SimpleKey, Sorting, Statement, load_str

NAME = SimpleKey("NAME", str, load_str)
_SORTING = Sorting(Tag.name, Tag.id, descending=False)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _listed(viewer: Viewer | None, prefix: str | None) -> list[ColumnElement[bool]]:
    used = exists().where(
        sample_tags.c.tag_id == Tag.id,
        Sample.id == sample_tags.c.sample_id,
        listed_samples(viewer),
    )
    clauses: list[ColumnElement[bool]] = [used]
    if prefix:
        clauses.append(Tag.name.startswith(_escape_like(prefix), escape="\\"))
    return clauses


def _statement(viewer: Viewer | None, prefix: str | None) -> Statement:
    return select(Tag.id, Tag.name).where(*_listed(viewer, prefix))


async def fetch_page(
    session: AsyncSession, viewer: Viewer | None, prefix: str | None, request: PageRequest
) -> Page:
    return await paging.fetch_page(session, _statement(viewer, prefix), _SORTING, request)


async def count(session: AsyncSession, viewer: Viewer | None, prefix: str | None) -> int:
    statement = select(func.count()).select_from(Tag).where(*_listed(viewer, prefix))
    return int((await session.execute(statement)).scalar_one())
