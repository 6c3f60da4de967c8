"""Keyset pagination, independent of what is listed (samples, tags, packs).

A page is fetched with LIMIT size + 1 in scan order (reversed for `last`/`before`), so
one statement also tells whether more rows follow. Rows carry a `sort_key` column, from
which cursors are made.
"""

import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, TypeAlias

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Row,
    Select,
    any_,
    asc,
    bindparam,
    desc,
    func,
    select,
    true,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.types import TypeEngine

Statement: TypeAlias = Select[*tuple[Any, ...]]


class CursorKey(Protocol):
    """A sort key whose values can travel inside a cursor."""

    @property
    def name(self) -> str: ...

    def dump(self, value: Any) -> Any: ...

    def load(self, value: Any) -> Any: ...


@dataclass(frozen=True, slots=True)
class PageRequest:
    size: int
    backward: bool = False  # `last`/`before`: the page that ends at the cursor
    cursor: tuple[Any, uuid.UUID] | None = None  # (sort key value, id) to start after


@dataclass(slots=True)
class Page:
    rows: list[Any] = field(default_factory=list)
    has_more: bool = False  # beyond the page, in the direction of travel


def key_in(
    column: ColumnElement[Any] | InstrumentedAttribute[Any], keys: Sequence[Any]
) -> ColumnElement[bool]:
    """`column = ANY($1)`: one statement text whatever the batch size (prepared once)."""
    return column == any_(_key_array(keys, column.type))


def _key_array(keys: Sequence[Any], type_: TypeEngine[Any]) -> BindParameter[Any]:
    return bindparam(None, list(keys), type_=ARRAY(type_))


async def count_per_key(
    session: AsyncSession, statement: Statement, keys: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """`statement` selects (key, count) grouped by key; a key without rows counts 0."""
    counts = {key: int(n) for key, n in (await session.execute(statement)).all()}
    return {key: counts.get(key, 0) for key in keys}


@dataclass(frozen=True, slots=True)
class Sorting:
    """A total order: `key` then `id`, descending or not, as the client asked."""

    key: Any  # a column or SQL expression
    id: Any
    descending: bool


def ordered(statement: Statement, sorting: Sorting, request: PageRequest) -> Statement:
    """`statement` with its sort key, keyset condition, order and limit for `request`."""
    scan_descending = sorting.descending != request.backward
    direction = desc if scan_descending else asc
    statement = statement.add_columns(sorting.key.label("sort_key"))
    if request.cursor is not None:
        row, cursor = tuple_(sorting.key, sorting.id), tuple_(*request.cursor)
        statement = statement.where(row < cursor if scan_descending else row > cursor)
    return statement.order_by(direction(sorting.key), direction(sorting.id)).limit(request.size + 1)


def page_of(rows: Sequence[Any], request: PageRequest) -> Page:
    kept = list(rows[: request.size])
    if request.backward:
        kept.reverse()
    return Page(kept, len(rows) > request.size)


async def fetch_page(
    session: AsyncSession, statement: Statement, sorting: Sorting, request: PageRequest
) -> Page:
    rows = (await session.execute(ordered(statement, sorting, request))).all()
    return page_of(rows, request)


async def fetch_pages(
    session: AsyncSession,
    *,
    parent_keys: Sequence[uuid.UUID],
    key_type: TypeEngine[Any],
    statement_for: Callable[[ColumnElement[Any]], Statement],
    sorting: Sorting,
    request: PageRequest,
) -> dict[uuid.UUID, Page]:
    """One page per parent, in one statement: a LATERAL subquery per parent key.

    `statement_for(parent_key)` builds the listing of one parent, correlated to the key.
    """
    keys = (
        func.unnest(_key_array(parent_keys, key_type))
        .table_valued("parent_key", with_ordinality="ordinal")
        .render_derived(name="parents")
    )
    page = ordered(statement_for(keys.c.parent_key), sorting, request).lateral("page")
    direction = desc if sorting.descending != request.backward else asc
    statement = (
        select(keys.c.parent_key, page)
        .select_from(keys.join(page, true()))
        .order_by(keys.c.ordinal, direction(page.c.sort_key), direction(page.c.id))
    )
    rows: defaultdict[uuid.UUID, list[Row[Any]]] = defaultdict(list)
    for row in (await session.execute(statement)).all():
        rows[row.parent_key].append(row)
    return {key: page_of(rows.get(key, []), request) for key in parent_keys}


def load_str(value: Any) -> str:
    """A cursor's text value; PostgreSQL text holds no NUL."""
    if not isinstance(value, str) or "\x00" in value:
        raise TypeError(value)
    return value


def load_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(value)
    return value


def load_datetime(value: Any) -> datetime:
    """An aware timestamp; OverflowError when it leaves years 1..9999 in UTC."""
    parsed = datetime.fromisoformat(load_str(value))
    if parsed.tzinfo is None:
        raise ValueError(value)
    return parsed.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class SimpleKey:
    """A cursor key for plain column values (names, timestamps)."""

    name: str
    dump: Callable[[Any], Any]
    load: Callable[[Any], Any]
