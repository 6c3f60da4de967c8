from typing import Annotated

import strawberry

from app.errors import NotFoundError
from app.graphql.context import Info
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
from app.graphql.relay.priming import prime_tags
from app.graphql.tags.loaders import TagByNameLoader
from app.graphql.tags.types import Tag
from app.tags import listing
from app.tags.names import normalize_tag


@strawberry.type
class TagQueries:
    @strawberry.field(description="A tag by name (normalised: case and spacing do not matter).")
    async def tag(
        self,
        info: Info,
        name: Annotated[str, strawberry.argument(description="Tag name.")],
    ) -> Tag | None:
        normalized = normalize_tag(name, field="name")
        tag = await listed_tag(info, await info.context.loader(TagByNameLoader).load(normalized))
        if tag is None:
            raise NotFoundError(f"No tag named {normalized!r}.", field="name")
        return tag

    @strawberry.field(description="Tags in use on samples you may list, alphabetically.")
    async def tags(
        self,
        info: Info,
        search: Annotated[
            str | None, strawberry.argument(description="Only tags starting with this text.")
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Tag]:
        viewer = info.context.viewer
        prefix = " ".join(search.split()).lower() if search else None
        request = PageArgs(first, after, last, before).request(listing.NAME)
        connection = await fetch_connection(
            info.context.scope,
            request,
            listing.NAME,
            Tag.from_row,
            lambda session: listing.fetch_page(session, viewer, prefix, request),
            lambda session: listing.count(session, viewer, prefix),
        )
        await prime_tags(info, connection.nodes(), selected_nodes(info.selected_fields))
        return connection


async def listed_tag(info: Info, tag: Tag | None) -> Tag | None:
    """The tag if a sample the viewer may list carries it; otherwise even its name stays hidden."""
    from app.graphql.samples.loaders import SampleCountByTagLoader

    if tag is None or await info.context.loader(SampleCountByTagLoader).load(tag.pk) == 0:
        return None
    return tag
