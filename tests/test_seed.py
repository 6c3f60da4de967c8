import io
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from app import migrator
from app.db import async_url
from app.seed import seed
from tests.database import TestServer


@pytest.fixture
async def two_databases(server: TestServer) -> AsyncIterator[tuple[str, str]]:
    urls = (
        await server.create_database("samplebase_seed"),
        await server.create_database("samplebase_seed"),
    )
    for url in urls:
        await migrator.upgrade(url)
    yield urls
    for url in urls:
        await server.drop_database(url)


async def _seed_and_read(url: str, progress: io.StringIO) -> dict[str, object]:
    engine = create_async_engine(async_url(url), poolclass=NullPool)
    async with engine.begin() as connection:
        await seed(connection, users=15, samples=400, out=progress)
    async with engine.connect() as connection:

        async def q(sql: str) -> object:
            return (await connection.execute(text(sql))).all()

        result = {
            "samples": await q(
                "SELECT id, title, bpm, key, status, visibility FROM samples ORDER BY id"
            ),
            "combinations": await q(
                "SELECT DISTINCT status, visibility FROM samples ORDER BY 1, 2"
            ),
            "tags_per_sample": await q(
                "SELECT min(n), max(n) FROM "
                "(SELECT count(*) n FROM sample_tags GROUP BY sample_id) t"
            ),
            "vocabulary": await q("SELECT count(*) FROM tags"),
            "likes_match": await q(
                "SELECT bool_and(like_count = "
                "(SELECT count(*) FROM likes l WHERE l.sample_id = s.id)) FROM samples s"
            ),
            "searchable": await q(
                "SELECT count(*) FROM samples WHERE search_vector = ''::tsvector"
            ),
            "packs": await q("SELECT count(DISTINCT pack_id) FROM pack_samples"),
        }
    await engine.dispose()
    return result


async def test_seed_is_deterministic_and_covers_every_combination(
    two_databases: tuple[str, str],
) -> None:
    progress = io.StringIO()

    first = await _seed_and_read(two_databases[0], progress)
    second = await _seed_and_read(two_databases[1], io.StringIO())

    assert first == second
    assert len(first["samples"]) == 400  # type: ignore[arg-type]
    # every status x visibility combination
    assert len(first["combinations"]) == 12  # type: ignore[arg-type]
    assert first["tags_per_sample"] == [(3, 5)]
    assert first["vocabulary"][0][0] >= 300  # type: ignore[index]
    assert first["likes_match"] == [(True,)]
    assert first["searchable"] == [(0,)]
    assert first["packs"][0][0] > 0  # type: ignore[index]
    assert "100%" in progress.getvalue()
