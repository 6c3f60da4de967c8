"""Objects as files under one root directory.

Writes are atomic: an object's final name only ever points at complete, fsynced content.
Finished files are hard-linked into place (no copy, and the link appears whole); where
linking is impossible (another filesystem, no hard links) they are copied to a temporary
name beside the target, fsynced and renamed over it. Blocking calls run in worker threads.
"""

import asyncio
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from starlette.responses import FileResponse, Response

from app.storage.errors import StorageObjectNotFoundError
from app.storage.keys import validate_key

STAGING_DIRNAME = ".staging"


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def staging_dir(self) -> Path:
        # Under the root, so that staged uploads are on the same filesystem and link into place.
        return self.root / STAGING_DIRNAME

    def path(self, key: str) -> Path:
        return self.root / validate_key(key)

    async def put_file(self, key: str, source: Path) -> None:
        await asyncio.to_thread(_put_file, self.path(key), source)

    async def put_bytes(self, key: str, data: bytes) -> None:
        await asyncio.to_thread(_put_bytes, self.path(key), data)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self.path(key).is_file)

    async def delete(self, key: str) -> None:
        path = self.path(key)
        await asyncio.to_thread(path.unlink, missing_ok=True)

    async def size(self, key: str) -> int:
        return (await self._stat(key)).st_size

    @asynccontextmanager
    async def local_copy(self, key: str) -> AsyncIterator[Path]:
        await self._stat(key)
        yield self.path(key)

    async def response(self, key: str, *, media_type: str, headers: Mapping[str, str]) -> Response:
        # Stat here, not inside FileResponse, so that a missing file is a clean error.
        stat_result = await self._stat(key)
        return FileResponse(
            self.path(key), media_type=media_type, headers=headers, stat_result=stat_result
        )

    async def _stat(self, key: str) -> os.stat_result:
        path = self.path(key)
        try:
            return await asyncio.to_thread(path.stat)
        except FileNotFoundError:
            raise StorageObjectNotFoundError(key) from None


def _put_file(target: Path, source: Path) -> None:
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    _fsync(source)
    try:
        os.link(source, target)
    except FileExistsError:
        return  # a concurrent put of the same content won
    except OSError:
        with source.open("rb") as reader:
            _write_atomically(target, lambda file: shutil.copyfileobj(reader, file, 1 << 20))
        return
    _fsync_directory(target.parent)


def _put_bytes(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(target, lambda file: file.write(data))


def _write_atomically(target: Path, write: Callable[[BinaryIO], object]) -> None:
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        temporary.replace(target)
    except BaseException:
        with suppress(FileNotFoundError):
            temporary.unlink()
        raise
    _fsync_directory(target.parent)


def _fsync_directory(path: Path) -> None:
    # Makes the new name itself durable, not only the bytes behind it.
    _fsync(path, os.O_DIRECTORY)


def _fsync(path: Path, flags: int = 0) -> None:
    fd = os.open(path, os.O_RDONLY | flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
