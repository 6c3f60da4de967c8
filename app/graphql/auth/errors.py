"""Each auth mutation's own error type and code enum (user errors, listed in the payload)."""

from enum import Enum
from typing import Self, TypeVar

import strawberry

from app.errors import InvalidInputError

CodeT = TypeVar("CodeT", bound=Enum)


def code_for(codes: type[CodeT], error: InvalidInputError, default: CodeT) -> CodeT:
    """The payload code named by the domain error's `reason`, else `default`."""
    return codes.__members__.get(error.reason, default)


@strawberry.enum(description="Why `register` refused the account.")
class RegisterErrorCode(Enum):
    USERNAME_TAKEN = strawberry.enum_value(
        "USERNAME_TAKEN", description="Another account has this username (in any case)."
    )
    EMAIL_TAKEN = strawberry.enum_value(
        "EMAIL_TAKEN", description="Another account has this e-mail address."
    )
    WEAK_PASSWORD = strawberry.enum_value(
        "WEAK_PASSWORD",
        description="Shorter than 10 characters, or the same as the username or e-mail.",
    )
    INVALID = strawberry.enum_value("INVALID", description="The value is malformed.")


@strawberry.type(description="A problem with a `register` input.")
class RegisterError:
    field: str | None = strawberry.field(description="The input field at fault; null if none.")
    message: str = strawberry.field(description="What is wrong, for people.")
    code: RegisterErrorCode = strawberry.field(description="What is wrong, for programs.")

    @classmethod
    def from_domain(cls, error: InvalidInputError) -> Self:
        return cls(
            field=error.field,
            message=error.message,
            code=code_for(RegisterErrorCode, error, RegisterErrorCode.INVALID),
        )


@strawberry.enum(description="Why `login` refused to sign in.")
class LoginErrorCode(Enum):
    INVALID_CREDENTIALS = strawberry.enum_value(
        "INVALID_CREDENTIALS",
        description="No such account, or the wrong password (deliberately the same answer).",
    )


@strawberry.type(description="Why `login` failed.")
class LoginError:
    field: str | None = strawberry.field(description="The input field at fault; null if none.")
    message: str = strawberry.field(description="What is wrong, for people.")
    code: LoginErrorCode = strawberry.field(description="What is wrong, for programs.")


@strawberry.enum(description="Why `refreshToken` refused the token.")
class RefreshTokenErrorCode(Enum):
    INVALID_TOKEN = strawberry.enum_value(
        "INVALID_TOKEN",
        description="Unknown, expired, revoked or already used: sign in again. A token "
        "used twice ends its whole session, in case it was stolen.",
    )


@strawberry.type(description="Why `refreshToken` failed.")
class RefreshTokenError:
    field: str | None = strawberry.field(description="The input field at fault; null if none.")
    message: str = strawberry.field(description="What is wrong, for people.")
    code: RefreshTokenErrorCode = strawberry.field(description="What is wrong, for programs.")


@strawberry.enum(description="Why `logout` failed.")
class LogoutErrorCode(Enum):
    INVALID_TOKEN = strawberry.enum_value(
        "INVALID_TOKEN", description="No session has this refresh token."
    )


@strawberry.type(description="Why `logout` failed.")
class LogoutError:
    field: str | None = strawberry.field(description="The input field at fault; null if none.")
    message: str = strawberry.field(description="What is wrong, for people.")
    code: LogoutErrorCode = strawberry.field(description="What is wrong, for programs.")


@strawberry.enum(description="Why `logoutEverywhere` failed.")
class LogoutEverywhereErrorCode(Enum):
    INVALID = strawberry.enum_value(
        "INVALID", description="Reserved; signing out everywhere has no user errors today."
    )


@strawberry.type(description="Why `logoutEverywhere` failed.")
class LogoutEverywhereError:
    field: str | None = strawberry.field(description="The input field at fault; null if none.")
    message: str = strawberry.field(description="What is wrong, for people.")
    code: LogoutEverywhereErrorCode = strawberry.field(description="What is wrong, for programs.")


@strawberry.enum(description="Why `changePassword` refused the change.")
class ChangePasswordErrorCode(Enum):
    WRONG_PASSWORD = strawberry.enum_value(
        "WRONG_PASSWORD", description="`currentPassword` is not the account's password."
    )
    WEAK_PASSWORD = strawberry.enum_value(
        "WEAK_PASSWORD",
        description="Shorter than 10 characters, or the same as the username or e-mail.",
    )
    INVALID = strawberry.enum_value("INVALID", description="The value is malformed.")


@strawberry.type(description="A problem with a `changePassword` input.")
class ChangePasswordError:
    field: str | None = strawberry.field(description="The input field at fault; null if none.")
    message: str = strawberry.field(description="What is wrong, for people.")
    code: ChangePasswordErrorCode = strawberry.field(description="What is wrong, for programs.")

    @classmethod
    def from_domain(cls, error: InvalidInputError) -> Self:
        return cls(
            field=error.field,
            message=error.message,
            code=code_for(ChangePasswordErrorCode, error, ChangePasswordErrorCode.INVALID),
        )
