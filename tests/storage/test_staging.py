import asyncio
import hashlib
import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.errors import FileTooLargeError
from app.storage import stage

MAX = 1000


class Upload:
    """Reads like Starlette's UploadFile."""

    def __init__(self, data: bytes) -> None:
        self._file = io.BytesIO(data)

    async def read(self, size: int = -1) -> bytes:
        return self._file.read(size)


async def _pieces(data: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def _entries(directory: Path) -> list[Path]:
    return list(directory.iterdir())


def _payload(size: int) -> bytes:
    return bytes(n % 251 for n in range(size))


async def test_staging_hashes_and_counts_what_it_writes(tmp_path: Path) -> None:
    data = _payload(3 * 1024 * 1024 + 17)

    async with stage(Upload(data), directory=tmp_path, max_bytes=len(data)) as staged:
        assert staged.sha256 == hashlib.sha256(data).hexdigest()
        assert staged.size == len(data)
        assert staged.path.parent == tmp_path
        assert staged.path.read_bytes() == data

    assert _entries(tmp_path) == []


async def test_staging_reads_async_iterables(tmp_path: Path) -> None:
    data = _payload(5000)

    async with stage(_pieces(data, 333), directory=tmp_path, max_bytes=MAX * 10) as staged:
        assert staged.sha256 == hashlib.sha256(data).hexdigest()
        assert staged.path.read_bytes() == data


async def test_an_empty_upload_is_staged_as_empty(tmp_path: Path) -> None:
    async with stage(Upload(b""), directory=tmp_path, max_bytes=MAX) as staged:
        assert staged.size == 0
        assert staged.sha256 == hashlib.sha256(b"").hexdigest()


@pytest.mark.parametrize("chunk_bytes", [1, 7, MAX, 4096])
async def test_exactly_max_bytes_is_accepted(tmp_path: Path, chunk_bytes: int) -> None:
    data = _payload(MAX)

    async with stage(
        Upload(data), directory=tmp_path, max_bytes=MAX, chunk_bytes=chunk_bytes
    ) as staged:
        assert staged.size == MAX


@pytest.mark.parametrize("chunk_bytes", [1, 7, MAX, 4096])
async def test_one_byte_over_is_refused_and_nothing_is_left(
    tmp_path: Path, chunk_bytes: int
) -> None:
    data = _payload(MAX + 1)

    with pytest.raises(FileTooLargeError) as raised:
        async with stage(Upload(data), directory=tmp_path, max_bytes=MAX, chunk_bytes=chunk_bytes):
            pytest.fail("a file over the limit must not be staged")

    assert raised.value.max_bytes == MAX
    assert raised.value.reason == "FILE_TOO_LARGE"
    assert _entries(tmp_path) == []


async def test_reading_stops_soon_after_the_limit(tmp_path: Path) -> None:
    upload = Upload(_payload(MAX * 100))

    with pytest.raises(FileTooLargeError):
        async with stage(upload, directory=tmp_path, max_bytes=MAX, chunk_bytes=100):
            pass

    assert upload._file.tell() == MAX + 100


async def test_a_failing_source_leaves_nothing(tmp_path: Path) -> None:
    async def broken() -> AsyncIterator[bytes]:
        yield b"partial"
        raise ConnectionResetError

    with pytest.raises(ConnectionResetError):
        async with stage(broken(), directory=tmp_path, max_bytes=MAX):
            pass

    assert _entries(tmp_path) == []


async def test_an_error_in_the_block_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="caller failed"):
        async with stage(Upload(b"data"), directory=tmp_path, max_bytes=MAX):
            raise RuntimeError("caller failed")

    assert _entries(tmp_path) == []


async def test_a_cancelled_upload_leaves_nothing(tmp_path: Path) -> None:
    started = asyncio.Event()

    async def stalled() -> AsyncIterator[bytes]:
        yield b"first chunk"
        started.set()
        await asyncio.Event().wait()
        yield b"never"

    async def upload() -> None:
        async with stage(stalled(), directory=tmp_path, max_bytes=MAX):
            pass

    task = asyncio.create_task(upload())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    assert _entries(tmp_path) == []
