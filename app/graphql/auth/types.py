from datetime import datetime
from typing import Any

import strawberry

from app.auth.service import SignedIn
from app.graphql.auth.errors import (
    ChangePasswordError,
    LoginError,
    LogoutError,
    LogoutEverywhereError,
    RefreshTokenError,
    RegisterError,
)
from app.graphql.users.types import User


@strawberry.type(description="Fields of every payload that signs a user in.")
class SignedInFields:
    user: User | None = strawberry.field(
        default=None, description="The signed-in user, with private fields; null on errors."
    )
    access_token: str | None = strawberry.field(
        default=None,
        description="Send as `Authorization: Bearer <accessToken>` (or in the WebSocket "
        "`connection_init` payload). Short-lived; null on errors.",
    )
    access_token_expires_at: datetime | None = strawberry.field(
        default=None, description="When `accessToken` stops working; null on errors."
    )
    refresh_token: str | None = strawberry.field(
        default=None,
        description="Exchange it with `refreshToken` for a new pair before it expires; "
        "keep it secret and use it once. Null on errors.",
    )
    refresh_token_expires_at: datetime | None = strawberry.field(
        default=None, description="When `refreshToken` stops working; null on errors."
    )


def signed_in_fields(signed_in: SignedIn) -> dict[str, Any]:
    return {
        "user": User.from_row(signed_in.user, revealed=True),
        "access_token": signed_in.access_token.token,
        "access_token_expires_at": signed_in.access_token.expires_at,
        "refresh_token": signed_in.refresh_token.token,
        "refresh_token_expires_at": signed_in.refresh_token.expires_at,
    }


@strawberry.type(description="The new account, signed in; or why it was refused.")
class RegisterPayload(SignedInFields):
    errors: list[RegisterError] = strawberry.field(
        default_factory=list, description="Everything wrong with the input; empty on success."
    )


@strawberry.type(description="The signed-in user and their tokens; or why sign-in failed.")
class LoginPayload(SignedInFields):
    errors: list[LoginError] = strawberry.field(
        default_factory=list, description="Why sign-in failed; empty on success."
    )


@strawberry.type(description="A fresh token pair for the same session; or why not.")
class RefreshTokenPayload(SignedInFields):
    errors: list[RefreshTokenError] = strawberry.field(
        default_factory=list, description="Why the token was refused; empty on success."
    )


@strawberry.type(description="A new token pair after the password change; or why not.")
class ChangePasswordPayload(SignedInFields):
    errors: list[ChangePasswordError] = strawberry.field(
        default_factory=list, description="Everything wrong with the input; empty on success."
    )


@strawberry.type(description="The user whose session ended; or why not.")
class LogoutPayload:
    user: User | None = strawberry.field(
        default=None, description="The user whose session ended; null on errors."
    )
    errors: list[LogoutError] = strawberry.field(
        default_factory=list, description="Why nothing was ended; empty on success."
    )


@strawberry.type(description="The user whose sessions all ended.")
class LogoutEverywherePayload:
    user: User | None = strawberry.field(
        default=None, description="The user whose sessions all ended; null on errors."
    )
    ended_sessions: int = strawberry.field(
        default=0, description="How many refresh tokens were revoked."
    )
    errors: list[LogoutEverywhereError] = strawberry.field(
        default_factory=list, description="Always empty today; see the error code."
    )
