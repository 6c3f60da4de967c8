"""The `/graphql` endpoint: builds the context, encodes with orjson."""

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from app.graphql.context import Context


class GraphQLView(GraphQL[Context, None]):
    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        state = request.app.state
        return Context(
            request=request,
            response=response,
            settings=state.settings,
            sessionmaker=state.sessionmaker,
            viewer=None,
        )

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> Any:
        return orjson.loads(data)
