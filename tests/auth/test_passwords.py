import argon2
import pytest

from app.auth.passwords import Passwords, passwords_for
from app.config import Settings


@pytest.fixture
def passwords() -> Passwords:
    return Passwords(time_cost=1, memory_cost_kib=1024, parallelism=1)


async def test_hash_is_argon2id_and_verifies(passwords: Passwords) -> None:
    hashed = await passwords.hash("correct horse battery")

    assert hashed.startswith("$argon2id$v=19$m=1024,t=1,p=1$")
    assert await passwords.verify(hashed, "correct horse battery") is True
    assert await passwords.verify(hashed, "Correct horse battery") is False


async def test_hashes_are_salted(passwords: Passwords) -> None:
    assert await passwords.hash("same password") != await passwords.hash("same password")


async def test_malformed_hash_does_not_verify(passwords: Passwords) -> None:
    assert await passwords.verify("not-a-real-hash", "anything") is False


async def test_hash_with_other_parameters_needs_rehash(passwords: Passwords) -> None:
    stronger = Passwords(time_cost=2, memory_cost_kib=2048, parallelism=1)
    old = await passwords.hash("correct horse battery")

    assert passwords.needs_rehash(old) is False
    assert stronger.needs_rehash(old) is True
    assert await stronger.verify(old, "correct horse battery") is True  # still accepted


async def test_verify_nothing_answers_without_a_user(passwords: Passwords) -> None:
    await passwords.verify_nothing("whatever")  # no error, same work as a verify


def test_production_defaults_are_argon2_cffis_rfc_9106_profile() -> None:
    settings = Settings()
    defaults = argon2.PasswordHasher()

    assert (
        settings.argon2_time_cost,
        settings.argon2_memory_cost_kib,
        settings.argon2_parallelism,
    ) == (defaults.time_cost, defaults.memory_cost, defaults.parallelism)


def test_one_instance_per_parameter_set(settings: Settings) -> None:
    assert passwords_for(settings) is passwords_for(settings.model_copy())
    assert passwords_for(settings) is not passwords_for(
        settings.model_copy(update={"argon2_time_cost": 2})
    )
