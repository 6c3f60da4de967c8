"""Base of every DataLoader: created per operation, one bulk query per batch."""

from collections.abc import Awaitable, Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from aiodataloader import DataLoader
from sqlalchemy import Executable, Row

from app.graphql.core.scope import OperationScope, current_scope

K = TypeVar("K")
V = TypeVar("V")


class Loader(DataLoader[K, V], Generic[K, V]):
    """Subclasses implement `fetch`: one query for all keys, results keyed by key."""

    def __init__(self, scope: OperationScope) -> None:
        super().__init__()
        self.scope = scope

    async def batch_load_fn(self, keys: Sequence[K]) -> list[V]:
        found = await self.fetch(keys)
        return [found[key] if key in found else self.missing() for key in keys]

    async def fetch(self, keys: Sequence[K]) -> Mapping[K, V]:
        raise NotImplementedError

    def missing(self) -> V:
        """The value for a key that `fetch` did not find."""
        return None  # type: ignore[return-value]

    async def rows(self, statement: Executable) -> Iterable[Row[tuple[object, ...]]]:
        async with self.scope.session() as session:
            return (await session.execute(statement)).all()


_UNPRIMED = object()


def primed_or_load(
    primed: Mapping[Any, Any], slot: Any, loader_class: type[Loader[K, V]], key: K
) -> V | Awaitable[V]:
    """What a list resolver primed into `slot`, else the loader's (batched) answer for `key`."""
    value = primed.get(slot, _UNPRIMED)
    if value is not _UNPRIMED:
        return value  # type: ignore[no-any-return]
    return current_scope().loader(loader_class).load(key)
