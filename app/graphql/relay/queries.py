"""`node` and `nodes`: any object by its global ID, under the same visibility rules."""

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry

from app.errors import InvalidInputError, NotFoundError
from app.graphql.context import Info
from app.graphql.core.ids import decode_id
from app.graphql.core.node import Node
from app.graphql.packs.queries import visible_pack
from app.graphql.samples.queries import visible_sample
from app.graphql.tags.loaders import TagByIdLoader
from app.graphql.tags.queries import listed_tag
from app.graphql.users.loaders import UserByIdLoader

MAX_NODES = 100

Fetcher = Callable[[Info, uuid.UUID, str], Awaitable[Node]]


async def _user(info: Info, key: uuid.UUID, global_id: str) -> Node:
    user = await info.context.loader(UserByIdLoader).load(key)
    if user is None:
        raise NotFoundError(f"No user with ID {global_id!r}.", field="id")
    return user


async def _tag(info: Info, key: uuid.UUID, global_id: str) -> Node:
    tag = await listed_tag(info, await info.context.loader(TagByIdLoader).load(key))
    if tag is None:
        raise NotFoundError(f"No tag with ID {global_id!r}.", field="id")
    return tag


_FETCHERS: dict[str, Fetcher] = {
    "Sample": visible_sample,
    "User": _user,
    "Tag": _tag,
    "Pack": visible_pack,
}


async def _node(info: Info, global_id: str, field: str) -> Node:
    type_name, key = decode_id(global_id, field=field)
    fetch = _FETCHERS.get(type_name)
    if fetch is None:
        raise InvalidInputError(f"{global_id!r} is not a valid ID.", field=field)
    return await fetch(info, key, global_id)


async def _node_or_error(info: Info, global_id: str, field: str) -> Node | Exception:
    try:
        return await _node(info, global_id, field)
    except (InvalidInputError, NotFoundError) as error:
        return error  # graphql-core raises it at this list index: null there, error with path


@strawberry.type
class NodeQueries:
    @strawberry.field(description="Any object by its global ID; NOT_FOUND when missing or hidden.")
    async def node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Global ID.")],
    ) -> Node | None:
        return await _node(info, id, "id")

    @strawberry.field(
        description=f"Objects by global ID, in the given order (at most {MAX_NODES}); "
        "an entry is null, with an error at its index, when missing or hidden."
    )
    async def nodes(
        self,
        info: Info,
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global IDs.")],
    ) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise InvalidInputError(f"At most {MAX_NODES} IDs per request.", field="ids")
        return await asyncio.gather(  # type: ignore[return-value]
            *(
                _node_or_error(info, global_id, f"ids[{index}]")
                for index, global_id in enumerate(ids)
            )
        )
