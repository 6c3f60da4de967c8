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
from app.graphql.relay.priming import prime_samples
from app.graphql.samples.filters import domain_filter, domain_order
from app.graphql.samples.inputs import SampleFilter, SampleOrder
from app.graphql.samples.loaders import SampleByIdLoader
from app.graphql.samples.types import Sample
from app.samples import listing


async def visible_sample(info: Info, key: uuid.UUID, global_id: str) -> Sample:
    """The sample if the viewer may see it; NOT_FOUND alike for missing and hidden ones."""
    sample = await info.context.loader(SampleByIdLoader).load(key)
    if sample is None or not sample.visible_to(info.context.viewer):
        raise NotFoundError(f"No sample with ID {global_id!r}.", field="id")
    return sample


@strawberry.type
class SampleQueries:
    @strawberry.field(
        description="A sample by ID. NOT_FOUND when it does not exist or is hidden from you."
    )
    async def sample(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Global ID of the sample.")],
    ) -> Sample | None:
        return await visible_sample(info, decode_typed_id(id, "Sample"), id)

    @strawberry.field(
        description="The catalogue: public, ready samples (and your own), filtered and sorted. "
        "Default order: newest first, or by relevance when searching."
    )
    async def samples(
        self,
        info: Info,
        filter: Annotated[
            SampleFilter | None, strawberry.argument(description="Conditions samples must meet.")
        ] = None,
        order_by: Annotated[
            SampleOrder | None, strawberry.argument(description="Sort order.")
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Sample]:
        viewer = info.context.viewer
        filters = domain_filter(filter)
        order = domain_order(order_by, filters)
        request = PageArgs(first, after, last, before).request(order.cursor_key)
        connection = await fetch_connection(
            info.context.scope,
            request,
            order.cursor_key,
            Sample.from_row,
            lambda session: listing.fetch_page(session, viewer, filters, order, request),
            lambda session: listing.count(session, viewer, filters),
        )
        await prime_samples(info, connection.nodes(), selected_nodes(info.selected_fields))
        return connection
