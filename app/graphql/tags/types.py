import dataclasses
import uuid
from collections.abc import Awaitable
from typing import Annotated, Any, Self

import strawberry
from sqlalchemy import Row

from app.graphql.core.ids import encode_id
from app.graphql.core.loaders import primed_or_load
from app.graphql.core.node import Node
from app.graphql.core.pagination import After, Before, Connection, First, Last, PageArgs
from app.graphql.samples.inputs import SampleOrder
from app.graphql.samples.types import Sample


@strawberry.type(description="A label on samples, such as a genre, instrument or mood.")
class Tag(Node):
    pk: strawberry.Private[uuid.UUID]
    primed: strawberry.Private[dict[Any, Any]] = dataclasses.field(default_factory=dict)
    name: str = strawberry.field(description="Normalised name: lower case, single spaces.")

    @strawberry.field(
        description="Samples with this tag that you may list.", graphql_type=Connection[Sample]
    )
    def samples(
        self,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        order_by: Annotated[
            SampleOrder | None,
            strawberry.argument(description="Sort order (default: newest first)."),
        ] = None,
    ) -> Connection[Sample] | Awaitable[Connection[Sample]]:
        from app.graphql.samples.filters import page_spec
        from app.graphql.samples.loaders import SamplesByTagLoader

        spec = page_spec(order_by, PageArgs(first, after, last, before))
        return primed_or_load(self.primed, ("samples", spec), SamplesByTagLoader, (self.pk, spec))

    @strawberry.field(
        description="Number of samples with this tag that you may list.", graphql_type=int
    )
    def sample_count(self) -> int | Awaitable[int]:
        from app.graphql.samples.loaders import SampleCountByTagLoader

        return primed_or_load(self.primed, "sampleCount", SampleCountByTagLoader, self.pk)

    @classmethod
    def from_row(cls, row: Row[Any]) -> Self:
        return cls(id=strawberry.ID(encode_id("Tag", row.id)), pk=row.id, name=row.name)
