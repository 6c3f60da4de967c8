import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.access import Viewer
from app.config import Settings
from app.models import Role
from tests.factories import gid, make_user
from tests.graphql.client import access_token, execute_as, graphql

ME = "{ me { id username email role } }"


async def test_me_is_null_for_anonymous(client: httpx.AsyncClient) -> None:
    body = await graphql(client, ME)

    assert body == {"data": {"me": None}}


async def test_me_returns_the_viewer_with_private_fields(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], session: AsyncSession
) -> None:
    user = await make_user(session, username="dana", email="dana@example.com")

    result = await execute_as(Viewer(user, Role.USER), settings, sessionmaker, ME)

    assert result.errors is None
    assert result.data == {
        "me": {
            "id": gid("User", user),
            "username": "dana",
            "email": "dana@example.com",
            "role": "USER",
        }
    }


async def test_me_over_http_with_a_bearer_token(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    user = await make_user(session, username="dana", email="dana@example.com")

    body = await graphql(client, ME, token=access_token(settings, user))

    assert body == {
        "data": {
            "me": {
                "id": gid("User", user),
                "username": "dana",
                "email": "dana@example.com",
                "role": "USER",
            }
        }
    }
