import httpx
import jwt
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app import models
from app.config import Settings
from tests.graphql.client import REGISTER, graphql, register


async def _users(session: AsyncSession) -> list[tuple[str, str]]:
    rows = await session.execute(
        select(models.User.username, models.User.email).order_by(models.User.username)
    )
    return [(row.username, row.email) for row in rows]


async def test_register_creates_a_signed_in_account(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    # when
    body = await graphql(
        client,
        REGISTER,
        {"username": "Alice", "email": " Alice@Example.COM ", "password": "correct horse battery"},
    )

    # then
    payload = body["data"]["register"]
    assert payload["errors"] == []
    assert payload["user"]["username"] == "alice"
    assert payload["user"]["email"] == "alice@example.com"  # private fields for the new user
    assert payload["user"]["role"] == "USER"
    claims = jwt.decode(
        payload["accessToken"],
        settings.secret_key,
        algorithms=["HS256"],
        audience=settings.token_audience,
    )
    assert claims["role"] == "USER"
    assert len(payload["refreshToken"]) >= 43  # 256 random bits
    assert await _users(session) == [("alice", "alice@example.com")]
    stored = (await session.execute(select(models.User.password_hash))).scalar_one()
    assert stored.startswith("$argon2id$")
    token_hash = (await session.execute(select(models.RefreshToken.token_hash))).scalar_one()
    assert payload["refreshToken"].encode() not in token_hash  # only its SHA-256 is stored
    assert len(token_hash) == 32


async def test_every_broken_rule_is_reported_with_its_field_and_code(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    body = await graphql(client, REGISTER, {"username": "a!", "email": "nope", "password": "short"})

    payload = body["data"]["register"]
    assert payload["user"] is None
    assert payload["accessToken"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("username", "INVALID"),
        ("email", "INVALID"),
        ("password", "WEAK_PASSWORD"),
    ]
    assert await _users(session) == []


async def test_each_rule_alone(client: httpx.AsyncClient, session: AsyncSession) -> None:
    cases = [
        ({"username": "ab"}, ("username", "INVALID")),
        ({"username": "x" * 33}, ("username", "INVALID")),
        ({"username": "bad name"}, ("username", "INVALID")),
        ({"email": "no-at-sign.example.com"}, ("email", "INVALID")),
        ({"password": "123456789"}, ("password", "WEAK_PASSWORD")),
        ({"password": "Dana_Valid"}, ("password", "WEAK_PASSWORD")),
        ({"password": "DANA@example.com"}, ("password", "WEAK_PASSWORD")),
    ]
    for change, expected in cases:
        variables = {
            "username": "dana_valid",
            "email": "dana@example.com",
            "password": "correct horse battery",
        } | change

        payload = (await graphql(client, REGISTER, variables))["data"]["register"]

        assert [(e["field"], e["code"]) for e in payload["errors"]] == [expected], change
    assert await _users(session) == []


async def test_username_is_unique_regardless_of_case(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await register(client, "alice")

    body = await graphql(
        client,
        REGISTER,
        {"username": "ALICE", "email": "other@example.com", "password": "correct horse battery"},
    )

    payload = body["data"]["register"]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("username", "USERNAME_TAKEN")]
    assert payload["user"] is None
    assert await _users(session) == [("alice", "alice@example.com")]


async def test_email_is_unique_after_normalisation(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await register(client, "alice", email="alice@example.com")

    body = await graphql(
        client,
        REGISTER,
        {"username": "alice", "email": "ALICE@example.com ", "password": "correct horse battery"},
    )

    assert [(e["field"], e["code"]) for e in body["data"]["register"]["errors"]] == [
        ("username", "USERNAME_TAKEN"),
        ("email", "EMAIL_TAKEN"),
    ]
    count = (await session.execute(select(func.count()).select_from(models.User))).scalar_one()
    assert count == 1
    tokens = await session.execute(select(func.count()).select_from(models.RefreshToken))
    assert tokens.scalar_one() == 1
