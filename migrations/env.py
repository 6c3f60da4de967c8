"""Alembic environment: async engine, our metadata, URL from Samplebase's settings.

`app.migrator` passes an open connection in `config.attributes["connection"]`; the
`alembic` command line (run from the project root) resolves the URL like the server does.
"""

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

import app.models
from app.db import async_url

target_metadata = app.models.Base.metadata

# procrastinate's tables come from its own schema script (revision 0003), not our models.
_FOREIGN_PREFIX = "procrastinate_"


def _include_name(name: str | None, type_: str, _parents: object) -> bool:
    return not (type_ == "table" and name is not None and name.startswith(_FOREIGN_PREFIX))


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        compare_server_default=True,
        include_name=_include_name,
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online(url: str) -> None:
    engine = create_async_engine(async_url(url), poolclass=NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_configure)
        await connection.commit()
    await engine.dispose()


def _url_from_settings() -> str:
    from app.config import get_settings
    from app.database_server import resolve_database_url

    return resolve_database_url(get_settings(), keep_embedded_running=True)


connection = context.config.attributes.get("connection")
if connection is not None:
    _configure(connection)
elif context.is_offline_mode():
    context.configure(url=_url_from_settings(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_online(_url_from_settings()))
