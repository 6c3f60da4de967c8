"""On a 50,000-sample catalogue, first pages of the common listings use indexes.

Seeding takes ~30 s, so one database serves the whole module.
"""

import asyncio
import io
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from app import migrator
from app.db import async_url
from app.paging import PageRequest
from app.samples.listing import Order, SampleFilter, page_statement
from app.samples.ordering import SORT_KEYS
from app.seed import seed
from tests.database import TestServer

ORDERS = ["CREATED_AT", "TITLE", "BPM", "DURATION", "POPULARITY"]


@pytest.fixture(scope="module")
def catalogue_url(server: TestServer) -> Iterator[str]:
    async def prepare() -> str:
        url = await server.create_database("samplebase_plans")
        await migrator.upgrade(url)
        engine = create_async_engine(async_url(url), poolclass=NullPool)
        async with engine.begin() as connection:
            await seed(connection, users=500, samples=50_000, out=io.StringIO())
        await engine.dispose()
        return url

    url = asyncio.run(prepare())
    yield url
    asyncio.run(server.drop_database(url))


def _plan(url: str, filters: SampleFilter, order: Order) -> str:
    statement = page_statement(None, filters, order, PageRequest(size=20))
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    sql = statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True})

    async def explain() -> str:
        engine = create_async_engine(async_url(url), poolclass=NullPool)
        async with engine.connect() as connection:
            rows = (await connection.execute(text(f"EXPLAIN {sql}"))).scalars().all()
        await engine.dispose()
        return "\n".join(rows)

    return asyncio.run(explain())


@pytest.mark.slow
@pytest.mark.parametrize("field", ORDERS)
@pytest.mark.parametrize("descending", [True, False])
def test_every_sort_order_reads_an_index(catalogue_url: str, field: str, descending: bool) -> None:
    plan = _plan(catalogue_url, SampleFilter(), Order(SORT_KEYS[field], descending))

    assert "Seq Scan on samples" not in plan, plan
    assert "Index Scan" in plan, plan


@pytest.mark.slow
@pytest.mark.parametrize(
    ("filters", "order"),
    [
        (SampleFilter(search="dusty piano"), "RELEVANCE"),
        (SampleFilter(search="kick"), "CREATED_AT"),
        (SampleFilter(bpm_min=120, bpm_max=128), "BPM"),
        (SampleFilter(key="F#m"), "CREATED_AT"),
        (SampleFilter(tags=("techno",)), "CREATED_AT"),
        (SampleFilter(any_tags=("kick", "snare")), "POPULARITY"),
    ],
)
def test_filtered_first_pages_do_not_scan_samples(
    catalogue_url: str, filters: SampleFilter, order: str
) -> None:
    plan = _plan(catalogue_url, filters, Order(SORT_KEYS[order], descending=True))

    assert "Seq Scan on samples" not in plan, plan
