"""The PostgreSQL server in use: `DATABASE_URL`, or an embedded one in the data dir.

The embedded server (pgserver) keeps its cluster in `<data dir>/pgdata`, listens on
a unix socket only, and is shared by every Samplebase process of that data dir
(pgserver counts handles and stops the server when the last one closes). One
`samplebase serve` at a time may own a data dir; `ServeLock` enforces that.
"""

import asyncio
import fcntl
import logging
import os
from pathlib import Path
from types import TracebackType
from typing import Self

import asyncpg

from app.config import ConfigurationError, Settings

logger = logging.getLogger(__name__)

DATABASE_NAME = "samplebase"


class DataDirError(ConfigurationError):
    """The data directory cannot be used; the message says why and what to do."""


class ServeLock:
    """An exclusive `flock` on `<data dir>/serve.lock`, released when the process dies."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "serve.lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise DataDirError(
                f"Another samplebase serve (pid {holder}) is using the data directory "
                f"{self.path.parent.resolve()}. Stop it first, or point SAMPLEBASE_DATA_DIR "
                "at another directory."
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.release()


class EmbeddedPostgres:
    def __init__(self, data_dir: Path, *, keep_running: bool = False) -> None:
        self.data_dir = data_dir
        self.keep_running = keep_running
        self._server: object | None = None

    def start(self) -> str:
        """Start (or join) the embedded server; return the URL of our database."""
        prepare_data_dir(self.data_dir)
        from pgserver.postgres_server import get_server

        pgdata = self.data_dir.resolve() / "pgdata"
        try:
            server = get_server(pgdata, cleanup_mode=None if self.keep_running else "stop")
        except Exception as error:
            log = pgdata / "log"
            detail = log.read_text()[-2000:] if log.exists() else str(error)
            raise DataDirError(
                f"The embedded PostgreSQL in {pgdata} did not start: {error}\n{detail}"
            ) from error
        self._server = server
        admin_url: str = server.get_uri()
        asyncio.run(_ensure_database(admin_url, DATABASE_NAME))
        return str(server.get_uri(DATABASE_NAME))

    def stop(self) -> None:
        if self._server is not None and not self.keep_running:
            self._server.cleanup()  # type: ignore[attr-defined]
        self._server = None


def prepare_data_dir(data_dir: Path) -> None:
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DataDirError(
            f"Cannot create the data directory {data_dir}: {error.strerror}."
        ) from error
    if not os.access(data_dir, os.W_OK | os.X_OK):
        raise DataDirError(f"The data directory {data_dir.resolve()} is not writable.")


async def _ensure_database(admin_url: str, name: str) -> None:
    connection = await asyncpg.connect(admin_url)
    try:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


def resolve_database_url(settings: Settings, *, keep_embedded_running: bool) -> str:
    """`DATABASE_URL` if set; otherwise start the embedded server and return its URL."""
    if settings.database_url:
        return settings.database_url
    return EmbeddedPostgres(settings.data_dir, keep_running=keep_embedded_running).start()
