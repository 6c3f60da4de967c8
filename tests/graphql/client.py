from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.types import ExecutionResult

from app.access import Viewer
from app.config import Settings
from app.graphql.context import Context
from app.graphql.schema import build_schema


async def graphql(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def error_codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def execute_as(
    viewer: Viewer,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    query: str,
    variables: dict[str, Any] | None = None,
) -> ExecutionResult:
    """Runs an operation as `viewer` (until sign-in lands, the only way to have one)."""
    context = Context(
        request=None,  # type: ignore[arg-type]
        response=None,
        settings=settings,
        sessionmaker=sessionmaker,
        viewer=viewer,
    )
    return await build_schema(settings).execute(query, variables, context_value=context)
