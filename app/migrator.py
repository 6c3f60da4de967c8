"""Applying and inspecting Alembic migrations from inside the application."""

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from app.db import async_url

_SOURCE_TREE_MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
MIGRATIONS_DIR = (
    _SOURCE_TREE_MIGRATIONS
    if _SOURCE_TREE_MIGRATIONS.is_dir()
    else Path(__file__).resolve().parent / "_migrations"
)
# Serialises concurrent `migrate`/`serve` starts against one database.
_ADVISORY_LOCK_KEY = 0x5A4D_B45E


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def head_revisions() -> frozenset[str]:
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


async def current_revisions(connection: AsyncConnection) -> frozenset[str]:
    def read(sync_connection: Connection) -> frozenset[str]:
        return frozenset(MigrationContext.configure(sync_connection).get_current_heads())

    return await connection.run_sync(read)


async def upgrade(url: str, revision: str = "head") -> None:
    engine = create_async_engine(async_url(url), poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.execute(
                text("SELECT pg_advisory_lock(:key)"), {"key": _ADVISORY_LOCK_KEY}
            )
            await connection.commit()
            try:
                await connection.run_sync(
                    lambda sync: command.upgrade(alembic_config(sync), revision)
                )
                await connection.commit()
            finally:
                await connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": _ADVISORY_LOCK_KEY}
                )
                await connection.commit()
    finally:
        await engine.dispose()


async def downgrade(url: str, revision: str = "base") -> None:
    engine = create_async_engine(async_url(url), poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(
                lambda sync: command.downgrade(alembic_config(sync), revision)
            )
            await connection.commit()
    finally:
        await engine.dispose()
