"""Where uploaded originals and generated previews live: see `base.Storage`."""

from app.storage.base import Storage
from app.storage.errors import (
    InvalidStorageKeyError,
    StorageError,
    StorageObjectNotFoundError,
)
from app.storage.factory import create_storage
from app.storage.keys import original_key, preview_key, validate_key
from app.storage.local import LocalStorage
from app.storage.staging import AsyncReadable, StagedFile, stage

__all__ = [
    "AsyncReadable",
    "InvalidStorageKeyError",
    "LocalStorage",
    "StagedFile",
    "Storage",
    "StorageError",
    "StorageObjectNotFoundError",
    "create_storage",
    "original_key",
    "preview_key",
    "stage",
    "validate_key",
]
