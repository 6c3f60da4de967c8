import strawberry


@strawberry.input(description="A new account.")
class RegisterInput:
    username: str = strawberry.field(
        description="3 to 32 of a-z, 0-9, '_', '.', '-'; stored in lower case, unique "
        "regardless of case."
    )
    email: str = strawberry.field(description="E-mail address; stored trimmed and in lower case.")
    password: str = strawberry.field(
        description="At least 10 characters; not the username or e-mail address."
    )


@strawberry.input(description="Credentials to sign in with.")
class LoginInput:
    username_or_email: str = strawberry.field(
        description="The username or the e-mail address of the account (any case)."
    )
    password: str = strawberry.field(description="The account's password.")


@strawberry.input(description="A refresh token to exchange for a new token pair.")
class RefreshTokenInput:
    refresh_token: str = strawberry.field(
        description="The latest refresh token of the session; it is spent by this call."
    )


@strawberry.input(description="The session to end.")
class LogoutInput:
    refresh_token: str = strawberry.field(
        description="Any refresh token of the session; the whole session is ended."
    )


@strawberry.input(description="A password change.")
class ChangePasswordInput:
    current_password: str = strawberry.field(description="The password in use now.")
    new_password: str = strawberry.field(
        description="At least 10 characters; not the username or e-mail address."
    )
