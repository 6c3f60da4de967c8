"""Storage failures. Neither is a client's mistake: keys are built by the server.

StorageError
├── InvalidStorageKeyError      a key outside the allowed shape (a bug in the caller)
└── StorageObjectNotFoundError  no object under the key
"""


class StorageError(Exception):
    pass


class InvalidStorageKeyError(StorageError, ValueError):
    pass


class StorageObjectNotFoundError(StorageError, LookupError):
    def __init__(self, key: str) -> None:
        super().__init__(f"No stored object under {key!r}.")
        self.key = key
