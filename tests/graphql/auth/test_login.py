from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.applications import Starlette

from app import models
from app.auth.passwords import Passwords
from app.config import Settings
from tests.clock import FakeClock
from tests.factories import make_user
from tests.graphql.client import error_codes, login, register

PASSWORD = "correct horse battery"


async def _count(session: AsyncSession, model: type[models.Base]) -> int:
    return (await session.execute(select(func.count()).select_from(model))).scalar_one()


@pytest.fixture
async def elsewhere(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """A client from another address than `client`'s 127.0.0.1."""
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 4000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def test_login_by_username_or_email_in_any_case(client: httpx.AsyncClient) -> None:
    await register(client, "alice", email="alice@example.com")

    for identifier in ("alice", "ALICE", " Alice@Example.com "):
        body = await login(client, identifier, PASSWORD)

        payload = body["data"]["login"]
        assert payload["errors"] == [], identifier
        assert payload["user"]["username"] == "alice"
        assert payload["user"]["email"] == "alice@example.com"
        assert payload["accessToken"]
        assert payload["refreshToken"]


async def test_unknown_user_and_wrong_password_get_the_same_answer(
    client: httpx.AsyncClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    await register(client, "alice")
    dummy_checks: list[str] = []
    real = Passwords.verify_nothing

    async def spy(self: Passwords, password: str) -> None:
        dummy_checks.append(password)
        await real(self, password)

    monkeypatch.setattr(Passwords, "verify_nothing", spy)

    wrong = (await login(client, "alice", "wrong password!"))["data"]["login"]
    unknown = (await login(client, "nobody", PASSWORD))["data"]["login"]

    assert wrong == unknown
    assert wrong["user"] is None
    assert wrong["accessToken"] is None
    assert wrong["errors"] == [
        {
            "field": None,
            "message": "Wrong username, e-mail address or password.",
            "code": "INVALID_CREDENTIALS",
        }
    ]
    # The unknown user cost a password hash verification too (comparable timing).
    assert dummy_checks == [PASSWORD]
    assert await _count(session, models.RefreshToken) == 1  # register's only


async def test_login_rehashes_a_password_hashed_with_old_parameters(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    old = await Passwords(time_cost=2, memory_cost_kib=2048, parallelism=2).hash(PASSWORD)
    user = await make_user(session, username="olduser", password_hash=old)

    body = await login(client, "olduser", PASSWORD)

    assert body["data"]["login"]["errors"] == []
    session.expire_all()
    stored = (await session.get(models.User, user)).password_hash  # type: ignore[union-attr]
    assert stored != old
    assert stored.startswith("$argon2id$v=19$m=1024,t=1,p=1$")


async def test_account_is_locked_after_repeated_failures_then_recovers(
    client: httpx.AsyncClient,
    elsewhere: httpx.AsyncClient,
    session: AsyncSession,
    settings: Settings,
    clock: FakeClock,
) -> None:
    # given five failures for alice
    await register(client, "alice")
    for _ in range(settings.login_max_failures_per_account):
        body = await login(client, "alice", "wrong password!")
        assert body["data"]["login"]["errors"][0]["code"] == "INVALID_CREDENTIALS"

    # when she then tries the right password, from anywhere
    locked = await login(client, "alice", PASSWORD)
    locked_elsewhere = await login(elsewhere, "alice", PASSWORD)

    # then she is refused, and nothing was issued or counted
    for body in (locked, locked_elsewhere):
        assert body["data"] is None
        assert error_codes(body) == ["RATE_LIMITED"]
        assert 0 < body["errors"][0]["extensions"]["retryAfterSeconds"] <= 15 * 60
    assert await _count(session, models.RefreshToken) == 1
    assert await _count(session, models.LoginAttempt) == 5

    # and after the cool-off the right password works again
    clock.advance(seconds=settings.login_lockout_seconds - 2)
    assert error_codes(await login(client, "alice", PASSWORD)) == ["RATE_LIMITED"]
    clock.advance(seconds=3)
    recovered = await login(client, "alice", PASSWORD)
    assert recovered["data"]["login"]["errors"] == []
    assert await _count(session, models.LoginAttempt) == 0  # success cleared her failures


async def test_unknown_accounts_lock_like_real_ones(client: httpx.AsyncClient) -> None:
    for _ in range(5):
        await login(client, "ghost", "wrong password!")

    assert error_codes(await login(client, "GHOST", "wrong password!")) == ["RATE_LIMITED"]


async def test_failures_spread_wider_than_the_window_do_not_lock(
    client: httpx.AsyncClient, settings: Settings, clock: FakeClock
) -> None:
    await register(client, "alice")
    for _ in range(4):
        await login(client, "alice", "wrong password!")
    clock.advance(seconds=settings.login_failure_window_seconds + 1)

    body = await login(client, "alice", "wrong password!")

    assert body["data"]["login"]["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert (await login(client, "alice", PASSWORD))["data"]["login"]["errors"] == []


async def test_success_clears_the_accounts_failures(client: httpx.AsyncClient) -> None:
    await register(client, "alice")
    for _ in range(4):
        await login(client, "alice", "wrong password!")
    assert (await login(client, "alice", PASSWORD))["data"]["login"]["errors"] == []

    for _ in range(4):
        await login(client, "alice", "wrong password!")

    assert (await login(client, "alice", PASSWORD))["data"]["login"]["errors"] == []


async def test_address_is_locked_after_failures_across_accounts(
    client: httpx.AsyncClient, elsewhere: httpx.AsyncClient, settings: Settings
) -> None:
    # given one address guessing at many accounts, each below the per-account limit
    await register(client, "alice")
    for n in range(settings.login_max_failures_per_address):
        await login(client, f"victim{n}", "wrong password!")

    # when
    from_there = await login(client, "alice", PASSWORD)
    from_elsewhere = await login(elsewhere, "alice", PASSWORD)

    # then only that address is refused
    assert error_codes(from_there) == ["RATE_LIMITED"]
    assert from_elsewhere["data"]["login"]["errors"] == []
