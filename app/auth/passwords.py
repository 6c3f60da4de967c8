"""argon2id password hashes.

The parameters come from settings; a stored hash made with other parameters is
replaced at the next successful sign-in (`needs_rehash`). Hashing is CPU-bound for
tens of milliseconds and argon2-cffi releases the GIL, so it runs in a worker thread.
"""

import asyncio
from functools import cache, cached_property

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from app.config import Settings


class Passwords:
    def __init__(self, *, time_cost: int, memory_cost_kib: int, parallelism: int) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_cost_kib, parallelism=parallelism, type=Type.ID
        )

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        return await asyncio.to_thread(self._verify, password_hash, password)

    async def verify_nothing(self, password: str) -> None:
        """Costs what `verify` costs, so an unknown account answers as slowly as a known one."""
        await asyncio.to_thread(lambda: self._verify(self._dummy_hash, password))

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    @cached_property
    def _dummy_hash(self) -> str:
        return self._hasher.hash("not the password of anyone")


@cache
def _passwords(time_cost: int, memory_cost_kib: int, parallelism: int) -> Passwords:
    return Passwords(time_cost=time_cost, memory_cost_kib=memory_cost_kib, parallelism=parallelism)


def passwords_for(settings: Settings) -> Passwords:
    """One instance per parameter set, so the dummy hash is computed once."""
    return _passwords(
        settings.argon2_time_cost, settings.argon2_memory_cost_kib, settings.argon2_parallelism
    )
