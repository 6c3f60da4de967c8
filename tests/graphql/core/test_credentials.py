import uuid
from datetime import timedelta

import httpx
import jwt
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app import models
from app.auth.tokens import AccessTokens
from app.config import Settings
from app.models import Role
from tests.clock import FakeClock
from tests.factories import make_user
from tests.graphql.client import REGISTER, access_token, error_codes, graphql

ME = "{ me { id username email role } }"


async def test_no_header_is_anonymous(client: httpx.AsyncClient) -> None:
    assert await graphql(client, ME) == {"data": {"me": None}}


async def test_bad_credentials_fail_the_operation_with_unauthenticated(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    user = await make_user(session)
    good = access_token(settings, user)
    expired = AccessTokens(settings, FakeClock()).issue(user, Role.USER)
    expired_token = jwt.encode(
        jwt.decode(expired.token, options={"verify_signature": False})
        | {"exp": int((expired.expires_at - timedelta(hours=1)).timestamp())},
        settings.secret_key,
        "HS256",
    )
    cases = {
        "tampered": {"Authorization": f"Bearer {good[:-3]}xyz"},
        "expired": {"Authorization": f"Bearer {expired_token}"},
        "garbage": {"Authorization": "Bearer nonsense"},
        "empty bearer": {"Authorization": "Bearer "},
        "other scheme": {"Authorization": f"Basic {good}"},
    }
    for name, headers in cases.items():
        body = await graphql(client, ME, headers=headers)

        assert body["data"] is None, name
        assert error_codes(body) == ["UNAUTHENTICATED"], name


async def test_expired_token_says_so(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings, clock: FakeClock
) -> None:
    token = access_token(settings, await make_user(session))
    clock.advance(seconds=settings.access_token_ttl_seconds + 1)

    body = await graphql(client, ME, token=token)

    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert "expired" in body["errors"][0]["message"]


async def test_bad_token_runs_no_mutation(client: httpx.AsyncClient, session: AsyncSession) -> None:
    variables = {"username": "mallory", "email": "m@example.com", "password": "long enough pw"}

    body = await graphql(client, REGISTER, variables, token="forged.token.value")

    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]
    count = await session.execute(select(func.count()).select_from(models.User))
    assert count.scalar_one() == 0


async def test_token_of_a_deleted_user_reads_as_nobody(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    # Tokens are trusted for their lifetime without a lookup: `me` finds no such user.
    body = await graphql(client, ME, token=access_token(settings, uuid.uuid4()))

    assert body == {"data": {"me": None}}
