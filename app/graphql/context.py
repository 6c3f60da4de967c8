"""Per-request (HTTP) or per-connection (WebSocket) context.

It holds only what lives as long as the connection: the request, the viewer, and
handles to shared resources. Sessions and loaders are per operation: see `scope`.
"""

from dataclasses import dataclass
from typing import Any, TypeAlias, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from app.access import Viewer
from app.config import Settings
from app.graphql.core.loaders import Loader
from app.graphql.core.scope import OperationScope, current_scope

LoaderT = TypeVar("LoaderT", bound=Loader[Any, Any])


@dataclass(slots=True)
class Context:
    request: Request | WebSocket
    response: Response | WebSocket | None
    settings: Settings
    sessionmaker: async_sessionmaker[AsyncSession]
    viewer: Viewer | None = None

    @property
    def scope(self) -> OperationScope:
        return current_scope()

    def loader(self, loader_class: type[LoaderT]) -> LoaderT:
        return current_scope().loader(loader_class)


Info: TypeAlias = strawberry.Info[Context, None]
