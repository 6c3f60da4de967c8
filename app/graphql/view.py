"""The `/graphql` endpoint: builds the context, authenticates, encodes with orjson."""

import asyncio
import contextlib
import weakref
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket, WebSocketState
from strawberry import Schema
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.subscriptions.protocols.graphql_ws.types import ConnectionInitMessage
from strawberry.types.unset import UnsetType

from app.auth.tokens import AccessTokens
from app.config import Settings
from app.errors import AuthenticationError
from app.graphql.context import Context
from app.graphql.core.credentials import viewer_from_authorization, viewer_from_connection_params

FORBIDDEN_CLOSE_CODE = 4403
GOING_AWAY = 1001


class LegacyWSHandler(BaseGraphQLWSHandler[Context, None]):
    """Legacy `graphql-ws`, closing a rejected connection with 4403 like the newer protocol.

    Strawberry's legacy handler closes with 1011 (server error) on rejection, which
    clients retry; a bad token is the client's to fix.
    """

    async def handle(self) -> None:
        # Strawberry times `connection_init` out on graphql-transport-ws only: a legacy
        # client could otherwise hold a socket, and its handler, forever without signing in.
        self._initialising = False
        deadline = asyncio.create_task(self._close_unless_initialised())
        try:
            await super().handle()
        finally:
            deadline.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await deadline

    async def _close_unless_initialised(self) -> None:
        await asyncio.sleep(self.view.connection_init_wait_timeout.total_seconds())
        if not self._initialising:
            # The code and reason that graphql-transport-ws uses.
            await self.websocket.close(code=4408, reason="Connection initialisation timeout")

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        self._initialising = True
        # Checked here to choose the close code; `on_ws_connect` checks again (cheap, no I/O).
        payload = message.get("payload")
        try:
            authenticate_connection(self.context, payload if isinstance(payload, dict) else None)
        except AuthenticationError as error:
            await self.send_message(
                {"type": "connection_error", "payload": {"message": error.message}}
            )
            await self.websocket.close(code=FORBIDDEN_CLOSE_CODE, reason="Forbidden")
            return
        await super().handle_connection_init(message)


def authenticate_connection(context: Context, params: dict[str, object] | None) -> None:
    tokens = AccessTokens(context.settings, context.clock)
    context.viewer = viewer_from_connection_params(params, tokens)


class OpenWebSockets:
    """The sockets this process serves, so that shutdown can say goodbye properly.

    uvicorn closes WebSockets with 1012 (service restart) when it stops; `close_all` is
    called first (see `app.server`) and closes them with 1001 (going away), which clients
    treat as "reconnect, elsewhere".
    """

    def __init__(self) -> None:
        self._sockets: weakref.WeakSet[WebSocket] = weakref.WeakSet()

    def add(self, websocket: WebSocket) -> None:
        self._sockets.add(websocket)

    def __len__(self) -> int:
        return sum(1 for socket in self._open())

    async def close_all(self, code: int = GOING_AWAY, reason: str = "Server shutting down") -> int:
        sockets = list(self._open())
        for socket in sockets:
            with contextlib.suppress(Exception):  # it may be closing on its own already
                await socket.close(code=code, reason=reason)
        return len(sockets)

    def _open(self) -> Iterator[WebSocket]:
        return (
            socket
            for socket in list(self._sockets)
            if socket.application_state is WebSocketState.CONNECTED
            and socket.client_state is WebSocketState.CONNECTED
        )


class GraphQLView(GraphQL[Context, None]):
    graphql_ws_handler_class = LegacyWSHandler

    def __init__(self, schema: Schema, settings: Settings, **options: Any) -> None:
        super().__init__(
            schema,
            multipart_uploads_enabled=True,
            # Legacy graphql-ws keep-alive messages; graphql-transport-ws clients ping.
            keep_alive=True,
            keep_alive_interval=settings.ws_keep_alive_seconds,
            connection_init_wait_timeout=timedelta(seconds=settings.ws_init_timeout_seconds),
            **options,
        )
        self.max_subscriptions_per_connection = settings.max_subscriptions_per_connection
        self.websockets = OpenWebSockets()

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        state = request.app.state
        context = Context(
            request=request,
            response=response,
            settings=state.settings,
            sessionmaker=state.sessionmaker,
            clock=state.clock,
            runtime=state.services,
        )
        # On a WebSocket, the viewer waits for `connection_init` (`on_ws_connect`).
        if isinstance(request, WebSocket):
            self.websockets.add(request)
        else:
            tokens = AccessTokens(context.settings, context.clock)
            try:
                context.viewer = viewer_from_authorization(
                    request.headers.get("authorization"), tokens
                )
            except AuthenticationError as error:
                context.credentials_error = error
        return context

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        try:
            authenticate_connection(context, context.connection_params)
        except AuthenticationError as error:
            raise ConnectionRejectionError({"message": error.message}) from None
        return await super().on_ws_connect(context)

    def encode_json(self, data: object) -> str:
        # Text, not bytes: Strawberry sends bytes over WebSockets as binary frames, which
        # GraphQL WebSocket clients refuse.
        return orjson.dumps(data).decode()

    def decode_json(self, data: str | bytes) -> Any:
        return orjson.loads(data)
