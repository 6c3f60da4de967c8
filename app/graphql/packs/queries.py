import uuid
from typing import Annotated

import strawberry

from app.errors import NotFoundError
from app.graphql.context import Info
from app.graphql.core.ids import decode_typed_id
from app.graphql.core.pagination import (
    After,
    Before,
    Connection,
    First,
    Last,
    PageArgs,
    fetch_connection,
)
from app.graphql.core.selection import selected_nodes
from app.graphql.packs.loaders import PackByIdLoader
from app.graphql.packs.types import Pack
from app.graphql.relay.priming import prime_packs
from app.packs import listing


async def visible_pack(info: Info, key: uuid.UUID, global_id: str) -> Pack:
    """The pack if the viewer may see it; NOT_FOUND alike for missing and hidden ones."""
    pack = await info.context.loader(PackByIdLoader).load(key)
    if pack is None or not pack.visible_to(info.context.viewer):
        raise NotFoundError(f"No pack with ID {global_id!r}.", field="id")
    return pack


@strawberry.type
class PackQueries:
    @strawberry.field(
        description="A pack by ID. NOT_FOUND when it does not exist or is hidden from you."
    )
    async def pack(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Global ID of the pack.")],
    ) -> Pack | None:
        return await visible_pack(info, decode_typed_id(id, "Pack"), id)

    @strawberry.field(description="Public packs (and your own), newest first.")
    async def packs(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Pack]:
        viewer = info.context.viewer
        request = PageArgs(first, after, last, before).request(listing.CREATED_AT)
        connection = await fetch_connection(
            info.context.scope,
            request,
            listing.CREATED_AT,
            Pack.from_row,
            lambda session: listing.fetch_page(session, viewer, request),
            lambda session: listing.count(session, viewer),
        )
        await prime_packs(info, connection.nodes(), selected_nodes(info.selected_fields))
        return connection
