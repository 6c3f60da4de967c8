"""Sign-up, sign-in and sessions.

User errors go into each payload's `errors`; UNAUTHENTICATED (no viewer where one is
needed) and RATE_LIMITED (lockout) are top-level errors. Whatever the outcome, the
operation commits: failed attempts and revoked token families must stick.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import strawberry

from app.auth.service import AuthService
from app.errors import AuthenticationError, InvalidInputsError
from app.graphql.auth.errors import (
    ChangePasswordError,
    LoginError,
    LoginErrorCode,
    LogoutError,
    LogoutErrorCode,
    RefreshTokenError,
    RefreshTokenErrorCode,
    RegisterError,
)
from app.graphql.auth.inputs import (
    ChangePasswordInput,
    LoginInput,
    LogoutInput,
    RefreshTokenInput,
    RegisterInput,
)
from app.graphql.auth.types import (
    ChangePasswordPayload,
    LoginPayload,
    LogoutEverywherePayload,
    LogoutPayload,
    RefreshTokenPayload,
    RegisterPayload,
    signed_in_fields,
)
from app.graphql.context import Info
from app.graphql.core.credentials import require_viewer
from app.graphql.users.types import User


@asynccontextmanager
async def _service(info: Info) -> AsyncIterator[AuthService]:
    context = info.context
    async with context.scope.session() as session:
        yield AuthService(session, context.settings, context.clock)


@strawberry.type
class AuthMutations:
    @strawberry.mutation(description="Creates an account and signs it in.")
    async def register(
        self,
        info: Info,
        input: Annotated[RegisterInput, strawberry.argument(description="The new account.")],
    ) -> RegisterPayload:
        try:
            async with _service(info) as service:
                signed_in = await service.register(
                    username=input.username, email=input.email, password=input.password
                )
        except InvalidInputsError as error:
            return RegisterPayload(errors=[RegisterError.from_domain(e) for e in error.errors])
        return RegisterPayload(**signed_in_fields(signed_in))

    @strawberry.mutation(
        description="Signs in with a password. After repeated failures for an account or "
        "from an address, attempts are refused with RATE_LIMITED for a while "
        "(`extensions.retryAfterSeconds`)."
    )
    async def login(
        self,
        info: Info,
        input: Annotated[LoginInput, strawberry.argument(description="The credentials.")],
    ) -> LoginPayload:
        try:
            async with _service(info) as service:
                signed_in = await service.login(
                    username_or_email=input.username_or_email,
                    password=input.password,
                    client_address=info.context.client_address,
                )
        except AuthenticationError as error:
            code = LoginErrorCode.INVALID_CREDENTIALS
            return LoginPayload(errors=[LoginError(field=None, message=error.message, code=code)])
        return LoginPayload(**signed_in_fields(signed_in))

    @strawberry.mutation(
        description="Exchanges a refresh token for a new access and refresh token. The "
        "old refresh token dies; presenting it again ends the whole session."
    )
    async def refresh_token(
        self,
        info: Info,
        input: Annotated[
            RefreshTokenInput, strawberry.argument(description="The refresh token to spend.")
        ],
    ) -> RefreshTokenPayload:
        try:
            async with _service(info) as service:
                signed_in = await service.refresh(input.refresh_token)
        except AuthenticationError as error:
            code = RefreshTokenErrorCode.INVALID_TOKEN
            errors = [RefreshTokenError(field=error.field, message=error.message, code=code)]
            return RefreshTokenPayload(errors=errors)
        return RefreshTokenPayload(**signed_in_fields(signed_in))

    @strawberry.mutation(
        description="Ends the session of a refresh token (it and its successors stop "
        "working). Access tokens already issued run out on their own within minutes."
    )
    async def logout(
        self,
        info: Info,
        input: Annotated[LogoutInput, strawberry.argument(description="The session to end.")],
    ) -> LogoutPayload:
        try:
            async with _service(info) as service:
                user = await service.logout(input.refresh_token)
        except AuthenticationError as error:
            code = LogoutErrorCode.INVALID_TOKEN
            return LogoutPayload(
                errors=[LogoutError(field=error.field, message=error.message, code=code)]
            )
        return LogoutPayload(user=User.from_row(user))

    @strawberry.mutation(
        description="Ends every session of the signed-in user. Needs an access token."
    )
    async def logout_everywhere(self, info: Info) -> LogoutEverywherePayload:
        viewer = require_viewer(info)
        async with _service(info) as service:
            user, ended = await service.logout_everywhere(viewer.id)
        return LogoutEverywherePayload(user=User.from_row(user), ended_sessions=ended)

    @strawberry.mutation(
        description="Changes the signed-in user's password, ends all their sessions and "
        "returns a new token pair. Needs an access token and the current password; wrong "
        "current passwords count towards the sign-in lockout."
    )
    async def change_password(
        self,
        info: Info,
        input: Annotated[
            ChangePasswordInput, strawberry.argument(description="Current and new password.")
        ],
    ) -> ChangePasswordPayload:
        viewer = require_viewer(info)
        try:
            async with _service(info) as service:
                signed_in = await service.change_password(
                    viewer.id,
                    current_password=input.current_password,
                    new_password=input.new_password,
                    client_address=info.context.client_address,
                )
        except InvalidInputsError as error:
            errors = [ChangePasswordError.from_domain(e) for e in error.errors]
            return ChangePasswordPayload(errors=errors)
        return ChangePasswordPayload(**signed_in_fields(signed_in))
