import uuid
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.types import ExecutionResult

from app.access import Viewer
from app.auth.clock import system_clock
from app.auth.tokens import AccessTokens
from app.config import Settings
from app.graphql.context import Context
from app.graphql.schema import build_schema
from app.models import Role

SIGNED_IN = (
    "user { id username email role } accessToken accessTokenExpiresAt refreshToken "
    "refreshTokenExpiresAt errors { field message code }"
)

REGISTER = f"""
mutation ($username: String!, $email: String!, $password: String!) {{
  register(input: {{username: $username, email: $email, password: $password}}) {{ {SIGNED_IN} }}
}}
"""

LOGIN = f"""
mutation ($usernameOrEmail: String!, $password: String!) {{
  login(input: {{usernameOrEmail: $usernameOrEmail, password: $password}}) {{ {SIGNED_IN} }}
}}
"""


async def graphql(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    token: str | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    headers = dict(headers or {})
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def error_codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def register(
    client: httpx.AsyncClient,
    username: str,
    password: str = "correct horse battery",
    email: str | None = None,
) -> dict[str, Any]:
    """Registers through the API; the `register` payload (asserted error-free)."""
    variables = {
        "username": username,
        "email": email or f"{username}@example.com",
        "password": password,
    }
    body = await graphql(client, REGISTER, variables)
    payload: dict[str, Any] = body["data"]["register"]
    assert payload["errors"] == [], payload
    return payload


async def login(
    client: httpx.AsyncClient, username_or_email: str, password: str = "correct horse battery"
) -> dict[str, Any]:
    """The whole response body of a `login`."""
    variables = {"usernameOrEmail": username_or_email, "password": password}
    return await graphql(client, LOGIN, variables)


def access_token(settings: Settings, user_id: uuid.UUID, role: Role = Role.USER) -> str:
    """A real access token, as `login` would issue it."""
    return AccessTokens(settings, system_clock).issue(user_id, role).token


async def execute_as(
    viewer: Viewer,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    query: str,
    variables: dict[str, Any] | None = None,
) -> ExecutionResult:
    """Runs an operation as `viewer` directly on the schema, without HTTP or tokens."""
    context = Context(
        request=None,  # type: ignore[arg-type]
        response=None,
        settings=settings,
        sessionmaker=sessionmaker,
        viewer=viewer,
    )
    return await build_schema(settings).execute(query, variables, context_value=context)
