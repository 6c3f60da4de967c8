"""Refresh tokens, grouped in families: one family per sign-in, one live token per family.

A refresh token is 256 random bits handed to the client once; only its SHA-256 is
stored, so a database leak yields no usable token. Using a token marks it used and
issues its successor in the same family. A used token presented again means two
parties hold the family (the client and a thief, or two copies of one client): the
whole family is revoked and both must sign in again.

Revocations here happen in the caller's transaction even when the call then fails
with AuthenticationError: callers treat that error as an answer and commit.
"""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import AuthenticationError
from app.models import RefreshToken

INVALID_MESSAGE = "Invalid or expired refresh token; sign in again."


@dataclass(frozen=True, slots=True)
class IssuedRefreshToken:
    token: str
    expires_at: datetime
    family_id: uuid.UUID


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


class Sessions:
    def __init__(self, session: AsyncSession, ttl: timedelta) -> None:
        self._db = session
        self._ttl = ttl

    async def start(self, user_id: uuid.UUID, now: datetime) -> IssuedRefreshToken:
        return await self._issue(user_id, uuid.uuid4(), now)

    async def rotate(self, token: str, now: datetime) -> tuple[uuid.UUID, IssuedRefreshToken]:
        """Spends `token`; returns its user and the family's next token."""
        row = (
            await self._db.execute(
                select(RefreshToken)
                .where(RefreshToken.token_hash == token_hash(token))
                # Two concurrent uses of one token: the second waits, then sees it used.
                .with_for_update()
            )
        ).scalar_one_or_none()
        if row is None or row.revoked_at is not None:
            raise AuthenticationError(INVALID_MESSAGE, field="refreshToken")
        if row.used_at is not None:
            await self._revoke(RefreshToken.family_id == row.family_id, now)
            raise AuthenticationError(INVALID_MESSAGE, field="refreshToken")
        if row.expires_at <= now:
            raise AuthenticationError(INVALID_MESSAGE, field="refreshToken")
        await self._db.execute(
            update(RefreshToken).where(RefreshToken.id == row.id).values(used_at=now)
        )
        return row.user_id, await self._issue(row.user_id, row.family_id, now)

    async def end(self, token: str, now: datetime) -> uuid.UUID:
        """Revokes the family of `token` (whatever its state); returns its user."""
        row = (
            await self._db.execute(
                select(RefreshToken.user_id, RefreshToken.family_id).where(
                    RefreshToken.token_hash == token_hash(token)
                )
            )
        ).one_or_none()
        if row is None:
            raise AuthenticationError(INVALID_MESSAGE, field="refreshToken")
        await self._revoke(RefreshToken.family_id == row.family_id, now)
        user_id: uuid.UUID = row.user_id
        return user_id

    async def end_all(self, user_id: uuid.UUID, now: datetime) -> int:
        return await self._revoke(RefreshToken.user_id == user_id, now)

    async def _issue(
        self, user_id: uuid.UUID, family_id: uuid.UUID, now: datetime
    ) -> IssuedRefreshToken:
        token = secrets.token_urlsafe(32)
        expires_at = now + self._ttl
        await self._db.execute(
            insert(RefreshToken).values(
                user_id=user_id,
                family_id=family_id,
                token_hash=token_hash(token),
                created_at=now,
                expires_at=expires_at,
            )
        )
        return IssuedRefreshToken(token, expires_at, family_id)

    async def _revoke(self, which: ColumnElement[bool], now: datetime) -> int:
        result = await self._db.execute(
            update(RefreshToken)
            .where(which, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
            .returning(RefreshToken.id)
        )
        return len(result.all())
