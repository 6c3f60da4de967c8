"""Base of every DataLoader: created per operation, one bulk query per batch."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from aiodataloader import DataLoader
from sqlalchemy import ColumnElement, Executable, Row, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import InstrumentedAttribute

from app.graphql.core.scope import OperationScope

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


def key_in(
    column: ColumnElement[Any] | InstrumentedAttribute[Any], keys: Sequence[Any]
) -> ColumnElement[bool]:
    """`column = ANY($1)`: one statement text whatever the batch size (prepared once)."""
    return column == any_(bindparam(None, list(keys), type_=ARRAY(column.type)))
