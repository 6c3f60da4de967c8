"""Engine, sessions and the declarative base.

Concurrency: graphql-core resolves sibling fields concurrently and aiodataloader
runs each batch as its own task, but one `AsyncSession` must never be used by two
tasks at once. Each GraphQL operation therefore owns one lazily opened session
behind an `asyncio.Lock` (`app.graphql.core.scope.OperationScope`): every
resolver and loader batch takes the lock for the duration of its statement.
Batching keeps the number of statements per operation to one per level, so the
serialisation costs little, and the whole operation sees one transaction.
"""

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, MetaData, func, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase

from app.config import Settings

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: DateTime(timezone=True)}


def async_url(url: str | URL) -> URL:
    """The asyncpg form of any PostgreSQL URL (`postgres://`, `postgresql://`, …)."""
    if isinstance(url, str) and url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    return make_url(url).set(drivername="postgresql+asyncpg")


def libpq_url(url: str | URL) -> str:
    """The psql-compatible `postgresql://` form of a URL."""
    parsed = async_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def create_engine(url: str | URL, settings: Settings) -> AsyncEngine:
    server_settings = {"application_name": "samplebase", "timezone": "UTC"}
    if settings.db_statement_timeout_ms:
        server_settings["statement_timeout"] = str(settings.db_statement_timeout_ms)
    return create_async_engine(
        async_url(url),
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
        pool_pre_ping=True,
        pool_recycle=1800,
        connect_args={"server_settings": server_settings},
    )


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def database_now(session: AsyncSession) -> datetime:
    """The server's clock: what `now()` stamps rows with, whatever this host's clock says."""
    now: datetime = (await session.execute(select(func.now()))).scalar_one()
    return now
