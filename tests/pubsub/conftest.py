from collections.abc import AsyncIterator

import asyncpg
import pytest

from app.db import libpq_url
from app.pubsub import Hub
from tests.pubsub.helpers import started


@pytest.fixture
def dsn(database_url: str) -> str:
    return libpq_url(database_url)


@pytest.fixture
async def hub(dsn: str) -> AsyncIterator[Hub]:
    async with Hub(dsn, min_backoff=0.01, max_backoff=0.05) as hub:
        await started(hub)
        yield hub


@pytest.fixture
async def notifier(dsn: str) -> AsyncIterator[asyncpg.Connection]:
    """A publisher's connection, separate from the hub's."""
    connection = await asyncpg.connect(dsn)
    yield connection
    await connection.close()
