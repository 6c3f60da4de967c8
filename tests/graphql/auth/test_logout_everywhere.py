import uuid

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app import models
from app.config import Settings
from tests.graphql.client import access_token, error_codes, graphql, login, register

LOGOUT_EVERYWHERE = """
mutation { logoutEverywhere { user { username } endedSessions errors { code } } }
"""
REFRESH = """
mutation ($token: String!) { refreshToken(input: {refreshToken: $token}) { errors { code } } }
"""


async def _live(session: AsyncSession) -> int:
    session.expire_all()
    rows = await session.execute(
        select(models.RefreshToken.id).where(models.RefreshToken.revoked_at.is_(None))
    )
    return len(rows.all())


async def test_logout_everywhere_revokes_all_the_users_sessions(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    # given alice with three sessions, and bob with one
    alice = await register(client, "alice")
    tokens = [alice["refreshToken"]]
    for _ in range(2):
        tokens.append((await login(client, "alice"))["data"]["login"]["refreshToken"])
    bob = await register(client, "bob")

    # when
    body = await graphql(client, LOGOUT_EVERYWHERE, token=alice["accessToken"])

    # then
    assert body["data"]["logoutEverywhere"] == {
        "user": {"username": "alice"},
        "endedSessions": 3,
        "errors": [],
    }
    for token in tokens:
        refreshed = await graphql(client, REFRESH, {"token": token})
        assert refreshed["data"]["refreshToken"]["errors"] == [{"code": "INVALID_TOKEN"}]
    bobs = await graphql(client, REFRESH, {"token": bob["refreshToken"]})
    assert bobs["data"]["refreshToken"]["errors"] == []


async def test_logout_everywhere_needs_a_signed_in_viewer(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await register(client, "alice")

    body = await graphql(client, LOGOUT_EVERYWHERE)

    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert await _live(session) == 1


async def test_token_of_a_deleted_account_is_unauthenticated(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    body = await graphql(client, LOGOUT_EVERYWHERE, token=access_token(settings, uuid.uuid4()))

    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]
