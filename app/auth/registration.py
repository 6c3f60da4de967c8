"""The rules for account names, e-mail addresses and passwords."""

import re

from app.errors import InvalidInputError

USERNAME_PATTERN = re.compile(r"[a-z0-9_.-]{3,32}")
# Deliberately loose: one @, no spaces, a dot in the domain. Delivery is the real test.
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
MAX_EMAIL_LENGTH = 254
MIN_PASSWORD_LENGTH = 10
# Long enough for any passphrase, short enough that hashing it is not a denial of service.
MAX_PASSWORD_LENGTH = 1024


def normalise_username(username: str) -> str:
    return username.strip().lower()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def username_problem(username: str) -> InvalidInputError | None:
    if USERNAME_PATTERN.fullmatch(username):
        return None
    return InvalidInputError(
        "Usernames are 3 to 32 characters: letters, digits, '_', '.' or '-'.",
        field="username",
        reason="INVALID",
    )


def email_problem(email: str) -> InvalidInputError | None:
    if len(email) <= MAX_EMAIL_LENGTH and EMAIL_PATTERN.fullmatch(email):
        return None
    return InvalidInputError("Enter a valid e-mail address.", field="email", reason="INVALID")


def password_problem(
    password: str, *, username: str, email: str, field: str = "password"
) -> InvalidInputError | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        message = f"Passwords need at least {MIN_PASSWORD_LENGTH} characters."
    elif len(password) > MAX_PASSWORD_LENGTH:
        message = f"Passwords have at most {MAX_PASSWORD_LENGTH} characters."
    elif password.strip().casefold() in {username.casefold(), email.casefold()}:
        message = "The password must not be your username or e-mail address."
    else:
        return None
    return InvalidInputError(message, field=field, reason="WEAK_PASSWORD")
