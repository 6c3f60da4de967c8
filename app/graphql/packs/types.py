import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Self

import strawberry
from sqlalchemy import Row

from app.access import Viewer, can_view_pack
from app.graphql.context import Info
from app.graphql.core.enums import Visibility
from app.graphql.core.ids import encode_id
from app.graphql.core.node import Node

if TYPE_CHECKING:
    from app.graphql.users.types import User


@strawberry.type(description="A curated collection of samples, published by one user.")
class Pack(Node):
    pk: strawberry.Private[uuid.UUID]
    owner_id: strawberry.Private[uuid.UUID]

    name: str = strawberry.field(description="Name of the pack.")
    description: str = strawberry.field(description="Free-text description; empty when none.")
    visibility: Visibility = strawberry.field(description="Who may see this pack.")
    created_at: datetime = strawberry.field(description="When the pack was created.")
    updated_at: datetime = strawberry.field(description="When the pack last changed.")

    @strawberry.field(description="The user who curates the pack.")
    async def owner(
        self, info: Info
    ) -> Annotated["User", strawberry.lazy("app.graphql.users.types")]:
        from app.graphql.users.loaders import UserByIdLoader

        owner = await info.context.loader(UserByIdLoader).load(self.owner_id)
        if owner is None:  # the foreign key makes this impossible; fail loudly if it happens
            raise LookupError(f"owner {self.owner_id} of pack {self.pk} is missing")
        return owner

    def visible_to(self, viewer: Viewer | None) -> bool:
        return can_view_pack(viewer, self.owner_id, self.visibility)

    @classmethod
    def from_row(cls, row: Row[Any]) -> Self:
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
