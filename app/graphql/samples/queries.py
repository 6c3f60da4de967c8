import uuid
from typing import Annotated

import strawberry

from app.errors import NotFoundError
from app.graphql.context import Info
from app.graphql.core.ids import decode_typed_id
from app.graphql.samples.loaders import SampleByIdLoader
from app.graphql.samples.types import Sample


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
