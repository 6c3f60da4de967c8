"""Guards for GraphQL multipart requests (uploads), in front of the GraphQL view.

- CSRF: a browser sends a cross-site `multipart/form-data` POST without a preflight, so
  such a form could run mutations with the victim's cookies or ambient credentials.
  Requiring a header that only scripts can set (which forces a CORS preflight) closes it.
- Size: the body is cut off as soon as it passes the upload cap, before the multipart
  parser has spooled it all to disk, and answered 413.
"""

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFLIGHT_HEADERS = (
    "graphql-require-preflight",
    "apollo-require-preflight",
    "x-apollo-operation-name",
)
# Room for the multipart framing and the `operations` and `map` fields around the file.
_ENVELOPE_BYTES = 1024 * 1024


class RequestTooLargeError(Exception):
    pass


def _error(status: int, code: str, message: str, **extensions: object) -> JSONResponse:
    body = {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}
    return JSONResponse(body, status_code=status)


class MultipartGuard:
    def __init__(self, app: ASGIApp, *, max_upload_bytes: int) -> None:
        self.app = app
        self.max_upload_bytes = max_upload_bytes
        self.max_body_bytes = max_upload_bytes + _ENVELOPE_BYTES

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if not headers.get("content-type", "").lower().startswith("multipart/"):
            await self.app(scope, receive, send)
            return
        if not any(headers.get(name) for name in PREFLIGHT_HEADERS):
            response = _error(
                400,
                "PREFLIGHT_REQUIRED",
                "Multipart requests must carry a GraphQL-Require-Preflight, "
                "Apollo-Require-Preflight or X-Apollo-Operation-Name header (CSRF protection).",
            )
            await response(scope, receive, send)
            return
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._too_large(scope, receive, send)
            return
        await self._guarded(scope, receive, send)

    async def _guarded(self, scope: Scope, receive: Receive, send: Send) -> None:
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise RequestTooLargeError
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except RequestTooLargeError:
            if started:
                raise
            await self._too_large(scope, receive, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        megabytes = self.max_upload_bytes / (1024 * 1024)
        response = _error(
            413,
            "FILE_TOO_LARGE",
            f"The upload is larger than the limit of {megabytes:g} MiB.",
            maxBytes=self.max_upload_bytes,
        )
        # Tell the client to stop sending; the rest of the body is never read.
        response.headers["Connection"] = "close"
        await response(scope, receive, send)
