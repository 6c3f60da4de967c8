import asyncio
import errno
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.storage import (
    InvalidStorageKeyError,
    LocalStorage,
    StorageObjectNotFoundError,
    original_key,
    stage,
)

KEY = "originals/ab/cd/abcd"


@pytest.fixture
def storage(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path / "media")


def _source(tmp_path: Path, data: bytes, name: str = "source.wav") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _same_file(a: Path, b: Path) -> bool:
    return a.samefile(b)


def _files(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


async def test_put_file_stores_the_content_and_leaves_no_temporary_file(
    storage: LocalStorage, tmp_path: Path
) -> None:
    source = _source(tmp_path, b"RIFF" + bytes(range(256)))

    await storage.put_file(KEY, source)

    assert storage.path(KEY).read_bytes() == b"RIFF" + bytes(range(256))
    assert _files(storage.root) == [KEY]
    assert source.read_bytes() == b"RIFF" + bytes(range(256))


async def test_put_file_copies_when_it_cannot_link(
    storage: LocalStorage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a source on another filesystem, as far as os.link can tell
    def cross_device(*_args: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", cross_device)
    source = _source(tmp_path, b"x" * 300_000)

    # when
    await storage.put_file(KEY, source)

    # then
    assert storage.path(KEY).read_bytes() == b"x" * 300_000
    assert not _same_file(storage.path(KEY), source)
    assert _files(storage.root) == [KEY]


async def test_put_file_keeps_an_existing_object(storage: LocalStorage, tmp_path: Path) -> None:
    await storage.put_file(KEY, _source(tmp_path, b"first", "a"))

    await storage.put_file(KEY, _source(tmp_path, b"second", "b"))

    assert storage.path(KEY).read_bytes() == b"first"


async def test_concurrent_puts_of_one_key_all_succeed(
    storage: LocalStorage, tmp_path: Path
) -> None:
    sources = [_source(tmp_path, b"same bytes" * 1000, f"s{n}") for n in range(8)]

    await asyncio.gather(*(storage.put_file(KEY, source) for source in sources))

    assert storage.path(KEY).read_bytes() == b"same bytes" * 1000
    assert _files(storage.root) == [KEY]


async def test_put_bytes_replaces_atomically(storage: LocalStorage) -> None:
    key = "previews/ab/cd/abcd.ogg"
    await storage.put_bytes(key, b"old preview")

    await storage.put_bytes(key, b"new preview")

    assert storage.path(key).read_bytes() == b"new preview"
    assert _files(storage.root) == [key]


async def test_exists_size_and_delete(storage: LocalStorage) -> None:
    assert not await storage.exists(KEY)
    await storage.put_bytes(KEY, b"12345")

    assert await storage.exists(KEY)
    assert await storage.size(KEY) == 5

    await storage.delete(KEY)
    await storage.delete(KEY)  # already gone: still fine

    assert not await storage.exists(KEY)
    with pytest.raises(StorageObjectNotFoundError):
        await storage.size(KEY)


async def test_local_copy_gives_a_readable_path(storage: LocalStorage) -> None:
    await storage.put_bytes(KEY, b"audio")

    async with storage.local_copy(KEY) as path:
        assert path.read_bytes() == b"audio"


async def test_local_copy_of_a_missing_object_fails(storage: LocalStorage) -> None:
    with pytest.raises(StorageObjectNotFoundError):
        async with storage.local_copy(KEY):
            pass


async def test_every_operation_refuses_a_bad_key(storage: LocalStorage, tmp_path: Path) -> None:
    outside = tmp_path / "secret"
    outside.write_bytes(b"secret")
    key = "../secret"

    with pytest.raises(InvalidStorageKeyError):
        await storage.exists(key)
    with pytest.raises(InvalidStorageKeyError):
        await storage.delete(key)
    with pytest.raises(InvalidStorageKeyError):
        await storage.put_bytes(key, b"overwritten")
    with pytest.raises(InvalidStorageKeyError):
        await storage.response(key, media_type="audio/wav", headers={})

    assert outside.read_bytes() == b"secret"


async def test_a_staged_upload_moves_into_storage_without_a_copy(storage: LocalStorage) -> None:
    async def body() -> AsyncIterator[bytes]:
        yield b"uploaded bytes"

    async with stage(body(), directory=storage.staging_dir, max_bytes=100) as staged:
        key = original_key(staged.sha256)
        await storage.put_file(key, staged.path)
        assert _same_file(storage.path(key), staged.path)

    assert storage.path(key).read_bytes() == b"uploaded bytes"
    assert _files(storage.staging_dir) == []
    assert _files(storage.root) == [key]
