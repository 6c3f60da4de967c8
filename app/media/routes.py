"""`GET`/`HEAD /media/samples/{id}/{kind}`: the bytes behind a signed URL, with `Range`."""

import logging
import uuid

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.errors import PermissionDeniedError
from app.media.disposition import content_disposition
from app.media.objects import find_media
from app.media.signing import MediaKind, MediaSigner
from app.storage import Storage, StorageObjectNotFoundError

logger = logging.getLogger("app.media")


async def serve_media(request: Request) -> Response:
    sample_id: uuid.UUID = request.path_params["sample_id"]
    try:
        kind = MediaKind(request.path_params["kind"])
    except ValueError:
        return _error(404, "NOT_FOUND", "No such media.")
    signer: MediaSigner = request.app.state.services.media_signer
    now = request.app.state.clock()
    try:
        # Before any query: a forged link costs no database work.
        exp = signer.verify(
            sample_id,
            kind,
            exp=request.query_params.get("exp"),
            sig=request.query_params.get("sig"),
            now=now,
        )
    except PermissionDeniedError as error:
        return _error(403, error.code, error.message)

    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.services.sessionmaker
    async with sessionmaker() as session:
        media = await find_media(session, sample_id, kind)
    if media is None:
        return _error(404, "NOT_FOUND", "No such media.")

    storage: Storage = request.app.state.services.storage
    headers = {
        "Accept-Ranges": "bytes",
        # Private: the URL is a capability for one viewer, not for shared caches to spread.
        "Cache-Control": f"private, max-age={max(0, exp - int(now.timestamp()))}",
        "Content-Disposition": content_disposition(media.filename),
        "X-Content-Type-Options": "nosniff",
    }
    try:
        return await storage.response(
            media.storage_key, media_type=media.media_type, headers=headers
        )
    except StorageObjectNotFoundError:
        # The row says the object exists: lost or not yet written. Worth a look, not a 500.
        logger.warning("Sample %s has no stored %s at %r", sample_id, kind, media.storage_key)
        return _error(404, "NOT_FOUND", "No such media.")


def _error(status_code: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message}},
        status_code=status_code,
        headers={"Cache-Control": "no-store"},
    )


routes = [
    # Starlette answers HEAD for every GET route.
    Route("/media/samples/{sample_id:uuid}/{kind}", serve_media, methods=["GET"]),
]
