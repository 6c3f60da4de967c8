"""Which failures are worth another attempt."""

import asyncpg
import psycopg
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from app.storage import InvalidStorageKeyError, StorageError, StorageObjectNotFoundError

_TRANSIENT = (
    ConnectionError,
    TimeoutError,
    OperationalError,
    InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    psycopg.OperationalError,
    StorageError,
)


def is_transient(error: BaseException) -> bool:
    """Storage I/O and lost database connections pass; bugs and bad audio do not."""
    if isinstance(error, StorageObjectNotFoundError | InvalidStorageKeyError):
        return False  # the original is gone, or a bug: trying again changes nothing
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, _TRANSIENT) or (
        isinstance(error, OSError) and not isinstance(error, FileNotFoundError)
    )
