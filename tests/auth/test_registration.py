import pytest

from app.auth.registration import (
    email_problem,
    normalise_email,
    normalise_username,
    password_problem,
    username_problem,
)


@pytest.mark.parametrize("username", ["abc", "a" * 32, "dj_shadow.99-x", "..."])
def test_valid_usernames(username: str) -> None:
    assert username_problem(username) is None


@pytest.mark.parametrize("username", ["ab", "a" * 33, "Alice", "with space", "née", "a@b", ""])
def test_invalid_usernames(username: str) -> None:
    problem = username_problem(username)

    assert problem is not None
    assert (problem.field, problem.reason) == ("username", "INVALID")


def test_usernames_and_emails_are_normalised() -> None:
    assert normalise_username("  Alice ") == "alice"
    assert normalise_email(" Alice@Example.COM ") == "alice@example.com"


@pytest.mark.parametrize("email", ["a@b.co", "first.last+tag@sub.example.org"])
def test_valid_emails(email: str) -> None:
    assert email_problem(email) is None


@pytest.mark.parametrize(
    "email",
    [
        "",
        "plain",
        "@example.com",
        "a@b",
        "a b@example.com",
        "a@@b.com",
        "a@b..com",
        "x" * 250 + "@b.com",
    ],
)
def test_invalid_emails(email: str) -> None:
    problem = email_problem(email)

    assert problem is not None
    assert (problem.field, problem.reason) == ("email", "INVALID")


@pytest.mark.parametrize(
    "password",
    ["short", "123456789", "alice_1234", "ALICE_1234", "alice@example.com", "x" * 1025],
)
def test_weak_passwords(password: str) -> None:
    problem = password_problem(password, username="alice_1234", email="alice@example.com")

    assert problem is not None
    assert (problem.field, problem.reason) == ("password", "WEAK_PASSWORD")


def test_good_password() -> None:
    assert password_problem("0123456789", username="alice", email="alice@example.com") is None
