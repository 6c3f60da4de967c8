"""Brute-force protection for password checks, shared by every API process via PostgreSQL.

An account (or a client address) is locked when its last `max_failures` failed attempts
all fall within `window` and the newest is less than `lockout` old; attempts refused
while locked are not counted, so the cool-off ends on time. Unknown accounts are keyed
by the name that was typed and lock exactly like real ones, so a lockout reveals
nothing about which accounts exist. A successful sign-in clears the account's failures.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from app.config import Settings
from app.errors import RateLimitedError
from app.models import LoginAttempt


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    max_failures_per_account: int
    max_failures_per_address: int
    window: timedelta
    lockout: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> "LockoutPolicy":
        return cls(
            max_failures_per_account=settings.login_max_failures_per_account,
            max_failures_per_address=settings.login_max_failures_per_address,
            window=timedelta(seconds=settings.login_failure_window_seconds),
            lockout=timedelta(seconds=settings.login_lockout_seconds),
        )


class Lockout:
    def __init__(self, session: AsyncSession, policy: LockoutPolicy) -> None:
        self._db = session
        self._policy = policy

    async def check(self, account: str, address: str | None, now: datetime) -> None:
        """RATE_LIMITED while `account` or `address` is cooling off.

        Holds a transaction-scoped advisory lock on the account until the caller's
        transaction ends, so parallel guesses at one account are counted one by one
        instead of all slipping through the same check.
        """
        await self._db.execute(
            select(func.pg_advisory_xact_lock(func.hashtextextended(account, 0)))
        )
        policy = self._policy
        until = await self._locked_until(
            LoginAttempt.account, account, policy.max_failures_per_account
        )
        if address is not None:
            by_address = await self._locked_until(
                LoginAttempt.client_address, address, policy.max_failures_per_address
            )
            until = max(filter(None, (until, by_address)), default=None)
        if until is not None and until > now:
            seconds = math.ceil((until - now).total_seconds())
            raise RateLimitedError(
                f"Too many failed sign-in attempts; try again in {seconds} seconds.",
                retry_after_seconds=seconds,
            )

    async def record_failure(self, account: str, address: str | None, now: datetime) -> None:
        await self._db.execute(
            insert(LoginAttempt).values(account=account, client_address=address, attempted_at=now)
        )
        # Older rows can no longer lock anything: keep the table small as we go.
        horizon = now - self._policy.window - self._policy.lockout
        await self._db.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < horizon))

    async def clear(self, account: str) -> None:
        await self._db.execute(delete(LoginAttempt).where(LoginAttempt.account == account))

    async def _locked_until(
        self,
        column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None],
        key: str,
        limit: int,
    ) -> datetime | None:
        recent = (
            (
                await self._db.execute(
                    select(LoginAttempt.attempted_at)
                    .where(column == key)
                    .order_by(LoginAttempt.attempted_at.desc())
                    .limit(limit)
                )
            )
            .scalars()
            .all()
        )
        if len(recent) < limit or recent[0] - recent[-1] >= self._policy.window:
            return None
        return recent[0] + self._policy.lockout
