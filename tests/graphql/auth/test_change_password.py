import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app import models
from tests.graphql.client import SIGNED_IN, error_codes, graphql, login, register

CHANGE = f"""
mutation ($current: String!, $new: String!) {{
  changePassword(input: {{currentPassword: $current, newPassword: $new}}) {{ {SIGNED_IN} }}
}}
"""
REFRESH = """
mutation ($token: String!) { refreshToken(input: {refreshToken: $token}) { errors { code } } }
"""
OLD = "correct horse battery"
NEW = "staple battery horse"


async def _password_hash(session: AsyncSession) -> str:
    session.expire_all()
    return (await session.execute(select(models.User.password_hash))).scalar_one()


async def test_change_password_revokes_other_sessions_and_returns_a_new_pair(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    # given alice signed in on two devices
    alice = await register(client, "alice", OLD)
    other_device = (await login(client, "alice", OLD))["data"]["login"]["refreshToken"]

    # when she changes her password on the first
    body = await graphql(client, CHANGE, {"current": OLD, "new": NEW}, token=alice["accessToken"])

    # then
    payload = body["data"]["changePassword"]
    assert payload["errors"] == []
    assert payload["user"]["username"] == "alice"
    for old_token in (alice["refreshToken"], other_device):
        refreshed = await graphql(client, REFRESH, {"token": old_token})
        assert refreshed["data"]["refreshToken"]["errors"] == [{"code": "INVALID_TOKEN"}]
    fresh = await graphql(client, REFRESH, {"token": payload["refreshToken"]})
    assert fresh["data"]["refreshToken"]["errors"] == []
    assert (await login(client, "alice", OLD))["data"]["login"]["errors"][0]["code"] == (
        "INVALID_CREDENTIALS"
    )
    assert (await login(client, "alice", NEW))["data"]["login"]["errors"] == []


async def test_wrong_current_password_changes_nothing(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    alice = await register(client, "alice", OLD)
    before = await _password_hash(session)

    body = await graphql(
        client, CHANGE, {"current": "not my password", "new": NEW}, token=alice["accessToken"]
    )

    payload = body["data"]["changePassword"]
    assert payload["accessToken"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("currentPassword", "WRONG_PASSWORD")
    ]
    assert await _password_hash(session) == before
    refreshed = await graphql(client, REFRESH, {"token": alice["refreshToken"]})
    assert refreshed["data"]["refreshToken"]["errors"] == []


async def test_weak_new_password_changes_nothing(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    alice = await register(client, "alice", OLD)
    before = await _password_hash(session)

    for weak in ("short", "ALICE", "alice@example.com"):
        body = await graphql(
            client, CHANGE, {"current": OLD, "new": weak}, token=alice["accessToken"]
        )
        errors = body["data"]["changePassword"]["errors"]
        assert [(e["field"], e["code"]) for e in errors] == [("newPassword", "WEAK_PASSWORD")]
    assert await _password_hash(session) == before


async def test_guessing_the_current_password_locks_the_account(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    alice = await register(client, "alice", OLD)
    before = await _password_hash(session)
    for _ in range(5):
        await graphql(
            client, CHANGE, {"current": "guess guess", "new": NEW}, token=alice["accessToken"]
        )

    body = await graphql(client, CHANGE, {"current": OLD, "new": NEW}, token=alice["accessToken"])

    assert error_codes(body) == ["RATE_LIMITED"]
    assert await _password_hash(session) == before


async def test_change_password_needs_a_signed_in_viewer(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await register(client, "alice", OLD)
    before = await _password_hash(session)

    body = await graphql(client, CHANGE, {"current": OLD, "new": NEW})

    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert await _password_hash(session) == before
