"""Full-text search over title (weight A), tag names (B) and description (C).

PostgreSQL core full-text only: the embedded server ships no pg_trgm.
"""

import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, Double, bindparam, cast, func, literal_column, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.models import Sample

CONFIG = "english"

_REFRESH = """
UPDATE samples AS s
SET search_vector =
    setweight(to_tsvector('english', s.title), 'A')
    || setweight(to_tsvector('english', coalesce(t.names, '')), 'B')
    || setweight(to_tsvector('english', s.description), 'C')
FROM (
    SELECT s2.id, string_agg(tags.name, ' ') AS names
    FROM samples AS s2
    LEFT JOIN sample_tags ON sample_tags.sample_id = s2.id
    LEFT JOIN tags ON tags.id = sample_tags.tag_id
    {where}
    GROUP BY s2.id
) AS t
WHERE t.id = s.id
"""


async def refresh_search_vectors(
    session: AsyncSession | AsyncConnection, sample_ids: Sequence[uuid.UUID] | None = None
) -> None:
    """Rebuild `search_vector` for the given samples (all when None), after text or tags change."""
    if sample_ids is None:
        await session.execute(text(_REFRESH.format(where="")))
        return
    statement = text(_REFRESH.format(where="WHERE s2.id = ANY(:ids)")).bindparams(
        bindparam("ids", list(sample_ids))
    )
    await session.execute(statement)


def query(search: str) -> ColumnElement[object]:
    return func.websearch_to_tsquery(literal_column(f"'{CONFIG}'::regconfig"), search)


def matches(search: str) -> ColumnElement[bool]:
    return Sample.search_vector.bool_op("@@")(query(search))


def rank(search: str) -> ColumnElement[float]:
    # ts_rank_cd is float4; as float8 it round-trips exactly through a cursor.
    return cast(func.ts_rank_cd(Sample.search_vector, query(search)), Double)
