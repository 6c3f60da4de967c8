import httpx
import jwt
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app import models
from app.config import Settings
from tests.clock import FakeClock
from tests.graphql.client import SIGNED_IN, graphql, login, register

REFRESH = f"""
mutation ($token: String!) {{ refreshToken(input: {{refreshToken: $token}}) {{ {SIGNED_IN} }} }}
"""


async def _refresh(client: httpx.AsyncClient, token: str) -> dict[str, object]:
    payload: dict[str, object] = (await graphql(client, REFRESH, {"token": token}))["data"][
        "refreshToken"
    ]
    return payload


async def _live_tokens(session: AsyncSession) -> int:
    session.expire_all()
    rows = await session.execute(
        select(models.RefreshToken.id).where(
            models.RefreshToken.revoked_at.is_(None), models.RefreshToken.used_at.is_(None)
        )
    )
    return len(rows.all())


def _invalid(payload: dict[str, object]) -> bool:
    return payload["accessToken"] is None and payload["errors"] == [
        {
            "field": "refreshToken",
            "message": "Invalid or expired refresh token; sign in again.",
            "code": "INVALID_TOKEN",
        }
    ]


async def test_refresh_rotates_the_token_in_the_same_family(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    # given
    first = (await register(client, "alice"))["refreshToken"]

    # when
    payload = await _refresh(client, first)

    # then
    assert payload["errors"] == []
    assert payload["user"] == {
        "id": payload["user"]["id"],  # type: ignore[index]
        "username": "alice",
        "email": "alice@example.com",
        "role": "USER",
    }
    second = payload["refreshToken"]
    assert isinstance(second, str)
    assert second != first
    rows = (
        (
            await session.execute(
                select(models.RefreshToken).order_by(models.RefreshToken.created_at)
            )
        )
        .scalars()
        .all()
    )
    assert len(rows) == 2
    assert rows[0].family_id == rows[1].family_id
    assert rows[0].used_at is not None
    assert rows[1].used_at is None
    assert (await _refresh(client, second))["errors"] == []


async def test_reusing_a_spent_token_revokes_the_whole_family(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    # given alice's session was rotated (by her, or by a thief) and she has another one
    first = (await register(client, "alice"))["refreshToken"]
    other_session = (await login(client, "alice"))["data"]["login"]["refreshToken"]
    second = (await _refresh(client, first))["refreshToken"]
    assert isinstance(second, str)

    # when the spent token is presented again
    reused = await _refresh(client, first)

    # then it is refused, and the family's live token died with it
    assert _invalid(reused)
    assert _invalid(await _refresh(client, second))
    assert (await _refresh(client, other_session))["errors"] == []  # other sessions live on
    assert await _live_tokens(session) == 1


async def test_refresh_token_expires_after_thirty_days(
    client: httpx.AsyncClient, settings: Settings, clock: FakeClock
) -> None:
    token = (await register(client, "alice"))["refreshToken"]
    assert settings.refresh_token_ttl_seconds == 30 * 24 * 3600

    clock.advance(seconds=settings.refresh_token_ttl_seconds + 1)

    assert _invalid(await _refresh(client, token))


async def test_unknown_token_is_refused(client: httpx.AsyncClient, session: AsyncSession) -> None:
    assert _invalid(await _refresh(client, "made-up-token"))
    assert await _live_tokens(session) == 0


async def test_refresh_reads_the_current_role(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    token = (await register(client, "alice"))["refreshToken"]
    await session.execute(update(models.User).values(role=models.Role.MODERATOR))
    await session.commit()

    payload = await _refresh(client, token)

    claims = jwt.decode(
        str(payload["accessToken"]),
        settings.secret_key,
        algorithms=["HS256"],
        audience=settings.token_audience,
    )
    assert claims["role"] == "MODERATOR"


async def test_deleted_users_tokens_stop_refreshing(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    token = (await register(client, "alice"))["refreshToken"]
    await session.execute(delete(models.User))
    await session.commit()

    assert _invalid(await _refresh(client, token))
