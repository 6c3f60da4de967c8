"""Throwaway PostgreSQL databases for the suite: on TEST_DATABASE_URL's server, or embedded."""

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from app.db import libpq_url


class TestServer:
    """A PostgreSQL server on which the suite may create and drop databases."""

    __test__ = False

    def __init__(self, admin_url: str) -> None:
        self.admin_url = libpq_url(admin_url)

    def url_for(self, database: str) -> str:
        return make_url(self.admin_url).set(database=database).render_as_string(hide_password=False)

    async def create_database(self, prefix: str = "samplebase_test") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        connection = await asyncpg.connect(self.admin_url)
        try:
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()
        return self.url_for(name)

    async def drop_database(self, url: str) -> None:
        name = make_url(url).database
        connection = await asyncpg.connect(self.admin_url)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()


@contextmanager
def test_server() -> Iterator[TestServer]:
    external = os.environ.get("TEST_DATABASE_URL")
    if external:
        yield TestServer(external)
        return
    from pgserver.postgres_server import get_server

    with tempfile.TemporaryDirectory(prefix="samplebase-test-") as directory:
        server = get_server(Path(directory) / "pgdata", cleanup_mode="stop")
        try:
            yield TestServer(server.get_uri())
        finally:
            server.cleanup()
