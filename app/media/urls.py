"""The one call the API needs to hand out a media URL."""

import uuid

from starlette.applications import Starlette

from app.auth.clock import Clock
from app.media.signing import MediaKind, MediaSigner


def media_url(app: Starlette, sample_id: uuid.UUID, kind: MediaKind) -> str:
    """A signed URL (path and query, relative to the server root) for the object, valid now.

    Call it only for a viewer allowed to see the sample: the URL itself is the permission.
    """
    signer: MediaSigner = app.state.media_signer
    clock: Clock = app.state.clock
    return signer.url(sample_id, kind, clock())
