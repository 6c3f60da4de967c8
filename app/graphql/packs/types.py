import dataclasses
import uuid
from collections.abc import Awaitable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Self

import strawberry
from sqlalchemy import Row

from app import models
from app.access import Viewer, can_view_pack
from app.graphql.core.enums import Visibility
from app.graphql.core.ids import encode_id
from app.graphql.core.loaders import primed_or_load
from app.graphql.core.node import Node
from app.graphql.core.pagination import After, Before, Connection, First, Last, PageArgs
from app.graphql.samples.inputs import SampleOrder
from app.graphql.samples.types import Sample

if TYPE_CHECKING:
    from app.graphql.users.types import User

_User = Annotated["User", strawberry.lazy("app.graphql.users.types")]


@strawberry.type(description="A curated collection of samples, published by one user.")
class Pack(Node):
    pk: strawberry.Private[uuid.UUID]
    owner_id: strawberry.Private[uuid.UUID]
    primed: strawberry.Private[dict[Any, Any]] = dataclasses.field(default_factory=dict)

    name: str = strawberry.field(description="Name of the pack.")
    description: str = strawberry.field(description="Free-text description; empty when none.")
    visibility: Visibility = strawberry.field(description="Who may see this pack.")
    created_at: datetime = strawberry.field(description="When the pack was created.")
    updated_at: datetime = strawberry.field(description="When the pack last changed.")

    @strawberry.field(description="The user who curates the pack.", graphql_type=_User)
    def owner(self) -> "User | Awaitable[User | None] | None":
        from app.graphql.users.loaders import UserByIdLoader

        # Never None: a foreign key holds the user (GraphQL would report a null as a bug).
        return primed_or_load(self.primed, "owner", UserByIdLoader, self.owner_id)

    @strawberry.field(
        description="The pack's samples that you may list, in the curator's order by default.",
        graphql_type=Connection[Sample],
    )
    def samples(
        self,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        order_by: Annotated[
            SampleOrder | None,
            strawberry.argument(description="Sort order (default: the curator's order)."),
        ] = None,
    ) -> Connection[Sample] | Awaitable[Connection[Sample]]:
        from app.graphql.samples.filters import page_spec
        from app.graphql.samples.loaders import SamplesByPackLoader

        page = PageArgs(first, after, last, before)
        spec = page_spec(order_by, page, default="POSITION", default_descending=False)
        return primed_or_load(self.primed, ("samples", spec), SamplesByPackLoader, (self.pk, spec))

    @strawberry.field(description="Number of the pack's samples you may list.", graphql_type=int)
    def sample_count(self) -> int | Awaitable[int]:
        from app.graphql.samples.loaders import SampleCountByPackLoader

        return primed_or_load(self.primed, "sampleCount", SampleCountByPackLoader, self.pk)

    def visible_to(self, viewer: Viewer | None) -> bool:
        return can_view_pack(viewer, self.owner_id, self.visibility)

    @classmethod
    def from_row(cls, row: "Row[Any] | models.Pack") -> Self:
        return cls(
            id=strawberry.ID(encode_id("Pack", row.id)),
            pk=row.id,
            owner_id=row.owner_id,
            name=row.name,
            description=row.description,
            visibility=row.visibility,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
