"""Relay cursor connections: page arguments, opaque cursors, and the generic types.

A cursor is base64url(JSON [order name, sort key value, id]): it resumes a keyset scan,
so pages stay stable while rows are inserted, and it refuses to resume another order.
"""

import base64
import binascii
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

import orjson
import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import InvalidInputError
from app.graphql.core.scope import OperationScope
from app.paging import CursorKey, Page, PageRequest

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

NodeT = TypeVar("NodeT")


def encode_cursor(key: CursorKey, value: Any, id_: uuid.UUID) -> str:
    raw = orjson.dumps([key.name, key.dump(value), str(id_)])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, key: CursorKey, *, field: str) -> tuple[Any, uuid.UUID]:
    invalid = InvalidInputError(f"{field}: not a valid cursor.", field=field)
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        name, value, id_ = orjson.loads(raw)
    except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError):
        raise invalid from None
    if name != key.name:
        raise InvalidInputError(
            f"{field}: this cursor belongs to another order ({name}); "
            "restart paging without it, or keep the order it came from.",
            field=field,
        )
    try:
        return key.load(value), uuid.UUID(id_)
    except (ValueError, TypeError, AttributeError, OverflowError):
        raise invalid from None


@dataclass(frozen=True, slots=True)
class PageArgs:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    @classmethod
    def from_arguments(cls, arguments: dict[str, Any]) -> "PageArgs":
        """From a selection's raw arguments, where integer literals are still strings."""

        def integer(name: str) -> int | None:
            value = arguments.get(name)
            try:
                return None if value is None else int(value)
            except (TypeError, ValueError):
                raise InvalidInputError(f"`{name}` must be an integer.", field=name) from None

        return cls(
            first=integer("first"),
            after=arguments.get("after"),
            last=integer("last"),
            before=arguments.get("before"),
        )

    def request(self, key: CursorKey) -> PageRequest:
        if self.first is not None and self.last is not None:
            raise InvalidInputError("Pass `first` or `last`, not both.", field="last")
        if self.after is not None and self.before is not None:
            raise InvalidInputError("Pass `after` or `before`, not both.", field="before")
        backward = self.last is not None or (self.before is not None and self.first is None)
        if backward and self.after is not None:
            raise InvalidInputError("`after` pages forward; use it with `first`.", field="after")
        if not backward and self.before is not None:
            raise InvalidInputError("`before` pages backward; use it with `last`.", field="before")
        name = "last" if backward else "first"
        size = self.last if backward else self.first
        size = DEFAULT_PAGE_SIZE if size is None else size
        if not 0 <= size <= MAX_PAGE_SIZE:
            raise InvalidInputError(f"`{name}` must be between 0 and {MAX_PAGE_SIZE}.", field=name)
        cursor_arg = self.before if backward else self.after
        cursor_name = "before" if backward else "after"
        cursor = None if cursor_arg is None else decode_cursor(cursor_arg, key, field=cursor_name)
        return PageRequest(size=size, backward=backward, cursor=cursor)


@strawberry.type(description="Where a page sits in its list, and the cursors to move on.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether items follow this page.")
    has_previous_page: bool = strawberry.field(description="Whether items precede this page.")
    start_cursor: str | None = strawberry.field(
        description="Cursor of the first item; null when empty."
    )
    end_cursor: str | None = strawberry.field(
        description="Cursor of the last item; null when empty."
    )


@strawberry.type(
    description="One item of a page, with the cursor that resumes after (or before) it."
)
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(description="Opaque position of this item.")
    node: NodeT = strawberry.field(description="The item.")


Count = Callable[[], Awaitable[int]]


@strawberry.type(description="A page of a list (Relay connection). At most 100 items per page.")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The items, with their cursors.")
    page_info: PageInfo = strawberry.field(description="Where this page sits in the list.")
    count: strawberry.Private[Count | int]

    @strawberry.field(description="The items, without cursors.")
    def nodes(self) -> list[NodeT]:
        return [edge.node for edge in self.edges]

    @strawberry.field(
        description="Total number of items in the list (all pages); counted only when asked for.",
        graphql_type=int,
    )
    def total_count(self) -> int | Awaitable[int]:
        return self.count if isinstance(self.count, int) else self.count()


def build_connection(
    page: Page,
    request: PageRequest,
    key: CursorKey,
    node_of: Callable[[Any], NodeT],
    count: Count | int,
) -> Connection[NodeT]:
    """A connection from a page of rows that carry `sort_key` and `id` columns."""
    edges = [
        Edge(cursor=encode_cursor(key, row.sort_key, row.id), node=node_of(row))
        for row in page.rows
    ]
    resumed = request.cursor is not None
    info = PageInfo(
        has_next_page=resumed if request.backward else page.has_more,
        has_previous_page=page.has_more if request.backward else resumed,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(edges=edges, page_info=info, count=count)


async def fetch_connection(
    scope: OperationScope,
    request: PageRequest,
    key: CursorKey,
    node_of: Callable[[Any], NodeT],
    page: Callable[[AsyncSession], Awaitable[Page]],
    total: Callable[[AsyncSession], Awaitable[int]],
) -> Connection[NodeT]:
    """A root list: its page now, its total only when `totalCount` asks (same session)."""
    async with scope.session() as session:
        fetched = await page(session)

    async def count() -> int:
        async with scope.session() as session:
            return await total(session)

    return build_connection(fetched, request, key, node_of, count)


First = Annotated[
    int | None,
    strawberry.argument(description="Page forward: this many items (0..100, default 20)."),
]
After = Annotated[
    str | None, strawberry.argument(description="Page forward from this cursor (exclusive).")
]
Last = Annotated[
    int | None,
    strawberry.argument(description="Page backward: this many items (0..100), ending at `before`."),
]
Before = Annotated[
    str | None, strawberry.argument(description="Page backward from this cursor (exclusive).")
]
