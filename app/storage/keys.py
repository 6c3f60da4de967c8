"""Object keys: content-addressed, and validated before any path is built from them.

Keys are `/`-separated segments of ASCII letters, digits, `.`, `_` and `-`, each starting
with a letter or digit. That rules out `..`, absolute paths, empty segments and hidden
names (temporary files and `.staging/` start with a dot, so they never collide with a key).
"""

import re

from app.storage.errors import InvalidStorageKeyError

_SEGMENT = r"[A-Za-z0-9][A-Za-z0-9._-]*"
_KEY = re.compile(rf"{_SEGMENT}(?:/{_SEGMENT})*")
_SHA256 = re.compile(r"[0-9a-f]{64}")
MAX_KEY_LENGTH = 512


def validate_key(key: str) -> str:
    if len(key) > MAX_KEY_LENGTH or _KEY.fullmatch(key) is None:
        raise InvalidStorageKeyError(f"Invalid storage key: {key!r}.")
    return key


def original_key(sha256: str) -> str:
    """Where an uploaded file lives: the same bytes are stored once, whoever uploads them."""
    return f"originals/{_fan_out(sha256)}"


def preview_key(sha256: str) -> str:
    """Where the preview made from the original with this hash lives."""
    return f"previews/{_fan_out(sha256)}.ogg"


def _fan_out(sha256: str) -> str:
    # Two levels of 256 directories keep each directory small on any filesystem.
    if _SHA256.fullmatch(sha256) is None:
        raise InvalidStorageKeyError(f"Not a lowercase hex SHA-256: {sha256!r}.")
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"
