"""Signed, expiring media URLs: `/media/samples/{id}/{kind}?exp=<unix seconds>&sig=<mac>`.

The MAC is HMAC-SHA256 over (sample id, kind, exp) under a key derived from SECRET_KEY for
this purpose only, so a media signature can never pass for a token signature or the reverse.

Expiry is rounded up to a bucket of a quarter of the TTL: every URL for one object issued
within the same bucket is identical, so the browser's HTTP cache serves repeat plays and
clients can de-duplicate URLs across queries. A URL therefore lives between the TTL and
1.25 times the TTL.

A URL is a capability: whoever holds it may fetch the object until it expires. The API
checks visibility when it hands one out; the media route only checks the signature.
"""

import base64
import hashlib
import hmac
import uuid
from datetime import datetime
from enum import StrEnum

from app.errors import PermissionDeniedError

_KEY_PURPOSE = b"samplebase-media"


class MediaKind(StrEnum):
    AUDIO = "audio"
    PREVIEW = "preview"


def media_path(sample_id: uuid.UUID, kind: MediaKind) -> str:
    return f"/media/samples/{sample_id}/{kind.value}"


class MediaSigner:
    def __init__(self, secret: str, ttl_seconds: int) -> None:
        self._key = hmac.new(secret.encode(), _KEY_PURPOSE, hashlib.sha256).digest()
        self.ttl_seconds = ttl_seconds
        self.bucket_seconds = max(1, ttl_seconds // 4)

    def expiry(self, now: datetime) -> int:
        earliest = int(now.timestamp()) + self.ttl_seconds
        return -(-earliest // self.bucket_seconds) * self.bucket_seconds

    def url(self, sample_id: uuid.UUID, kind: MediaKind, now: datetime) -> str:
        """Path and query, relative to the server root."""
        exp = self.expiry(now)
        sig = self._signature(sample_id, kind, exp)
        return f"{media_path(sample_id, kind)}?exp={exp}&sig={sig}"

    def verify(
        self,
        sample_id: uuid.UUID,
        kind: MediaKind,
        *,
        exp: str | None,
        sig: str | None,
        now: datetime,
    ) -> int:
        """The URL's expiry (unix seconds) if its query is genuine and unexpired.

        `exp` and `sig` are the raw query values; anything wrong raises PermissionDeniedError.
        """
        if exp is None or sig is None or not exp.isascii() or not exp.isdecimal():
            raise PermissionDeniedError("The media link is malformed.")
        expected = self._signature(sample_id, kind, int(exp))
        if not hmac.compare_digest(expected.encode(), sig.encode()):
            raise PermissionDeniedError("The media link's signature is invalid.")
        if now.timestamp() >= int(exp):
            raise PermissionDeniedError("The media link has expired.")
        return int(exp)

    def _signature(self, sample_id: uuid.UUID, kind: MediaKind, exp: int) -> str:
        message = f"v1\n{sample_id}\n{kind.value}\n{exp}".encode()
        mac = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()
