import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app import models
from tests.graphql.client import graphql, login, register

LOGOUT = """
mutation ($token: String!) {
  logout(input: {refreshToken: $token}) { user { username } errors { field message code } }
}
"""
REFRESH = """
mutation ($token: String!) { refreshToken(input: {refreshToken: $token}) { errors { code } } }
"""


async def _revoked(session: AsyncSession) -> list[bool]:
    session.expire_all()
    rows = await session.execute(
        select(models.RefreshToken.revoked_at).order_by(models.RefreshToken.created_at)
    )
    return [revoked_at is not None for revoked_at in rows.scalars()]


async def test_logout_ends_the_session_of_the_token(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    # given two sessions, the first rotated once
    first = (await register(client, "alice"))["refreshToken"]
    other = (await login(client, "alice"))["data"]["login"]["refreshToken"]
    rotated = (await graphql(client, REFRESH, {"token": first}))["data"]
    assert rotated["refreshToken"]["errors"] == []

    # when logging out with the spent first token of that session
    body = await graphql(client, LOGOUT, {"token": first})

    # then that whole session is revoked, the other one lives on
    assert body["data"]["logout"] == {"user": {"username": "alice"}, "errors": []}
    assert await _revoked(session) == [True, False, True]
    refreshed = await graphql(client, REFRESH, {"token": other})
    assert refreshed["data"]["refreshToken"]["errors"] == []


async def test_logout_with_an_unknown_token_changes_nothing(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await register(client, "alice")

    body = await graphql(client, LOGOUT, {"token": "made-up"})

    assert body["data"]["logout"]["user"] is None
    assert [e["code"] for e in body["data"]["logout"]["errors"]] == ["INVALID_TOKEN"]
    assert await _revoked(session) == [False]
