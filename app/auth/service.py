"""Accounts: register, sign in, refresh, sign out, change password.

Plain values in, domain errors out; the caller's unit of work commits (also after
AuthenticationError or RateLimitedError, which record failures and revocations).
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.clock import Clock, system_clock
from app.auth.lockout import Lockout, LockoutPolicy
from app.auth.passwords import passwords_for
from app.auth.registration import (
    email_problem,
    normalise_email,
    normalise_username,
    password_problem,
    username_problem,
)
from app.auth.sessions import IssuedRefreshToken, Sessions
from app.auth.tokens import AccessToken, AccessTokens
from app.config import Settings
from app.errors import AuthenticationError, InvalidInputError, InvalidInputsError
from app.models import User

BAD_CREDENTIALS = "Wrong username, e-mail address or password."


@dataclass(frozen=True, slots=True)
class SignedIn:
    user: User
    access_token: AccessToken
    refresh_token: IssuedRefreshToken


class AuthService:
    def __init__(
        self, session: AsyncSession, settings: Settings, clock: Clock = system_clock
    ) -> None:
        self._db = session
        self._clock = clock
        self._passwords = passwords_for(settings)
        self._tokens = AccessTokens(settings, clock)
        self._sessions = Sessions(session, timedelta(seconds=settings.refresh_token_ttl_seconds))
        self._lockout = Lockout(session, LockoutPolicy.from_settings(settings))

    async def register(self, *, username: str, email: str, password: str) -> SignedIn:
        username, email = normalise_username(username), normalise_email(email)
        problems = [
            problem
            for problem in (
                username_problem(username),
                email_problem(email),
                password_problem(password, username=username, email=email),
            )
            if problem is not None
        ]
        if problems:
            raise InvalidInputsError(problems)
        password_hash = await self._passwords.hash(password)
        user_id = (
            await self._db.execute(
                pg_insert(User)
                .values(username=username, email=email, password_hash=password_hash)
                # Taken names are reported below; DO NOTHING also covers a concurrent twin.
                .on_conflict_do_nothing()
                .returning(User.id)
            )
        ).scalar_one_or_none()
        if user_id is None:
            raise InvalidInputsError(await self._taken(username, email))
        return await self._sign_in(await self._user(user_id))

    async def login(
        self, *, username_or_email: str, password: str, client_address: str | None
    ) -> SignedIn:
        identifier = username_or_email.strip().lower()
        column = User.email if "@" in identifier else User.username
        user = (
            await self._db.execute(select(User).where(column == identifier))
        ).scalar_one_or_none()
        account = f"user:{user.id}" if user is not None else f"name:{identifier}"
        now = self._clock()
        await self._lockout.check(account, client_address, now)
        if user is None:
            await self._passwords.verify_nothing(password)
        elif await self._passwords.verify(user.password_hash, password):
            await self._lockout.clear(account)
            if self._passwords.needs_rehash(user.password_hash):
                await self._set_password(user, password)
            return await self._sign_in(user)
        await self._lockout.record_failure(account, client_address, now)
        raise AuthenticationError(BAD_CREDENTIALS)

    async def refresh(self, refresh_token: str) -> SignedIn:
        now = self._clock()
        user_id, successor = await self._sessions.rotate(refresh_token, now)
        # The role is read afresh: a promotion or demotion applies from the next refresh.
        user = await self._user(user_id)
        return SignedIn(user, self._tokens.issue(user.id, user.role), successor)

    async def logout(self, refresh_token: str) -> User:
        return await self._user(await self._sessions.end(refresh_token, self._clock()))

    async def logout_everywhere(self, user_id: uuid.UUID) -> tuple[User, int]:
        """The user and how many live refresh tokens were revoked."""
        user = await self._user(user_id)
        return user, await self._sessions.end_all(user.id, self._clock())

    async def change_password(
        self,
        user_id: uuid.UUID,
        *,
        current_password: str,
        new_password: str,
        client_address: str | None,
    ) -> SignedIn:
        """Ends every session of the user (this one too) and starts a new one."""
        user = await self._user(user_id)
        account = f"user:{user.id}"
        now = self._clock()
        # A stolen access token must not become a free password oracle.
        await self._lockout.check(account, client_address, now)
        if not await self._passwords.verify(user.password_hash, current_password):
            await self._lockout.record_failure(account, client_address, now)
            raise InvalidInputsError(
                [
                    InvalidInputError(
                        "The current password is wrong.",
                        field="currentPassword",
                        reason="WRONG_PASSWORD",
                    )
                ]
            )
        problem = password_problem(
            new_password, username=user.username, email=user.email, field="newPassword"
        )
        if problem is not None:
            raise InvalidInputsError([problem])
        await self._lockout.clear(account)
        await self._set_password(user, new_password)
        await self._sessions.end_all(user.id, now)
        return await self._sign_in(user)

    async def _sign_in(self, user: User) -> SignedIn:
        refresh_token = await self._sessions.start(user.id, self._clock())
        return SignedIn(user, self._tokens.issue(user.id, user.role), refresh_token)

    async def _user(self, user_id: uuid.UUID) -> User:
        user = await self._db.get(User, user_id)
        if user is None:  # deleted since its token was issued
            raise AuthenticationError("This account no longer exists.")
        return user

    async def _set_password(self, user: User, password: str) -> None:
        password_hash = await self._passwords.hash(password)
        await self._db.execute(
            update(User).where(User.id == user.id).values(password_hash=password_hash)
        )

    async def _taken(self, username: str, email: str) -> list[InvalidInputError]:
        rows = (
            await self._db.execute(
                select(User.username, User.email).where(
                    or_(User.username == username, User.email == email)
                )
            )
        ).all()
        taken = []
        if any(row.username == username for row in rows):
            taken.append(
                InvalidInputError(
                    "This username is taken.", field="username", reason="USERNAME_TAKEN"
                )
            )
        if any(row.email == email for row in rows):
            taken.append(
                InvalidInputError(
                    "An account with this e-mail address exists.",
                    field="email",
                    reason="EMAIL_TAKEN",
                )
            )
        # Nothing taken after all: the conflicting row went away meanwhile; let them retry.
        return taken or [InvalidInputError("Please try again.", reason="INVALID")]
