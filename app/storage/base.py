"""What callers may ask of storage, whatever holds the bytes (local disk now, S3 later).

Keys come from `app.storage.keys`; every method validates them. A missing object raises
`StorageObjectNotFoundError` where the method needs one to exist.
"""

from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Protocol

from starlette.responses import Response


class Storage(Protocol):
    @property
    def staging_dir(self) -> Path:
        """A local directory for uploads in progress, chosen so that `put_file` is cheapest."""
        ...

    async def put_file(self, key: str, source: Path) -> None:
        """Store a finished local file; readers see all of it or nothing.

        An existing object under `key` is kept: keys are content-addressed, so it holds the
        same bytes. `source` stays where it is, but it must not be written to afterwards
        (local disk may share its inode with the stored object).
        """
        ...

    async def put_bytes(self, key: str, data: bytes) -> None: ...

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None:
        """Remove the object; a missing one is not an error."""
        ...

    async def size(self, key: str) -> int: ...

    def local_copy(self, key: str) -> AbstractAsyncContextManager[Path]:
        """A local file with the object's bytes, valid inside the block, not to be modified."""
        ...

    async def response(self, key: str, *, media_type: str, headers: Mapping[str, str]) -> Response:
        """The HTTP answer that delivers the object, honouring `Range` (local disk serves it,
        a bucket would redirect to a presigned URL carrying the same headers)."""
        ...
