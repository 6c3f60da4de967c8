"""Per-request (HTTP) or per-connection (WebSocket) context.

It holds only what lives as long as the connection: the request, the viewer, and
handles to shared resources. Sessions and loaders are per operation: see `scope`.

The viewer comes from the `Authorization` header (HTTP, in `get_context`) or from the
`connection_init` payload (WebSocket, in `on_ws_connect`), once per request or
connection. Bad credentials on HTTP are kept in `credentials_error`, and
`core.credentials.RejectBadCredentials` fails every operation of the request with it.
"""

import uuid
from dataclasses import dataclass
from typing import Any, TypeAlias, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from app.access import Viewer
from app.auth.clock import Clock, system_clock
from app.config import Settings
from app.errors import AuthenticationError
from app.graphql.core.loaders import Loader
from app.graphql.core.scope import OperationScope, current_scope
from app.media.signing import MediaKind
from app.services import Services

LoaderT = TypeVar("LoaderT", bound=Loader[Any, Any])
_HTTP_SCHEMES = {"ws": "http", "wss": "https"}


@dataclass(slots=True)
class Context:
    request: Request | WebSocket
    response: Response | WebSocket | None
    settings: Settings
    sessionmaker: async_sessionmaker[AsyncSession]
    viewer: Viewer | None = None
    credentials_error: AuthenticationError | None = None
    clock: Clock = system_clock
    # Set by Strawberry to the WebSocket `connection_init` payload.
    connection_params: dict[str, object] | None = None
    runtime: Services | None = None

    @property
    def services(self) -> Services:
        if self.runtime is None:
            raise RuntimeError("This context was built without the app's services.")
        return self.runtime

    @property
    def client_address(self) -> str | None:
        # Behind a proxy, uvicorn's --proxy-headers (on in `serve`) puts the real client here.
        client = getattr(self.request, "client", None)
        return client.host if client is not None else None

    @property
    def scope(self) -> OperationScope:
        return current_scope()

    def media_url(self, sample_id: uuid.UUID, kind: MediaKind) -> str:
        """An absolute signed URL; hand it only to a viewer allowed to see the sample."""
        path = self.services.media_signer.url(sample_id, kind, self.clock())
        base = self.settings.public_url
        if base is None:
            # On a WebSocket the base is ws(s)://; media is fetched over HTTP(S).
            base = str(
                self.request.base_url.replace(
                    scheme=_HTTP_SCHEMES.get(
                        self.request.base_url.scheme, self.request.base_url.scheme
                    )
                )
            )
        return base.rstrip("/") + path

    def loader(self, loader_class: type[LoaderT]) -> LoaderT:
        return current_scope().loader(loader_class)


Info: TypeAlias = strawberry.Info[Context, None]
