"""Uploads streamed to a local temporary file, hashed and size-capped as they arrive.

Memory stays flat whatever the size: one chunk at a time is read, then hashed and written
in a worker thread (hashlib releases the GIL on large buffers). The temporary file is
removed when the upload fails, is too large, is cancelled, or once the caller is done.
"""

import asyncio
import hashlib
import os
import tempfile
from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator
from contextlib import aclosing, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

from app.errors import FileTooLargeError

CHUNK_BYTES = 1024 * 1024


@runtime_checkable
class AsyncReadable(Protocol):
    """What Starlette's `UploadFile` (as Strawberry hands it to resolvers) offers."""

    async def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True, slots=True)
class StagedFile:
    path: Path
    size: int
    sha256: str


@asynccontextmanager
async def stage(
    source: AsyncReadable | AsyncIterable[bytes],
    *,
    directory: Path,
    max_bytes: int,
    chunk_bytes: int = CHUNK_BYTES,
) -> AsyncIterator[StagedFile]:
    """The whole of `source` in a file under `directory`, deleted when the block exits.

    Raises `FileTooLargeError` as soon as more than `max_bytes` arrive, having read at most
    one chunk past the limit.
    """
    # Creating and removing the file are quick metadata operations, done synchronously so
    # that no cancellation can fall between them and leave the file behind.
    path, file = _create(directory)
    try:
        with file:
            size, sha256 = await _copy(source, file, max_bytes, chunk_bytes)
        yield StagedFile(path=path, size=size, sha256=sha256)
    finally:
        path.unlink(missing_ok=True)


async def _copy(
    source: AsyncReadable | AsyncIterable[bytes],
    file: BinaryIO,
    max_bytes: int,
    chunk_bytes: int,
) -> tuple[int, str]:
    digest = hashlib.sha256()

    def absorb(chunk: bytes) -> None:
        digest.update(chunk)
        file.write(chunk)

    size = 0
    async with aclosing(_chunks(source, chunk_bytes)) as chunks:
        async for chunk in chunks:
            size += len(chunk)
            if size > max_bytes:
                raise FileTooLargeError(max_bytes)
            await asyncio.to_thread(absorb, chunk)
    # Durable before it is linked into storage: a crash must not leave a torn original.
    await asyncio.to_thread(_sync, file)
    return size, digest.hexdigest()


async def _chunks(
    source: AsyncReadable | AsyncIterable[bytes], chunk_bytes: int
) -> AsyncGenerator[bytes, None]:
    if isinstance(source, AsyncReadable):
        while chunk := await source.read(chunk_bytes):
            yield chunk
    else:
        async for chunk in source:
            if chunk:
                yield chunk


def _create(directory: Path) -> tuple[Path, BinaryIO]:
    directory.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=directory, prefix="upload-", suffix=".part")
    return Path(name), os.fdopen(fd, "wb")


def _sync(file: BinaryIO) -> None:
    file.flush()
    os.fsync(file.fileno())
