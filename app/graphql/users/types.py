import uuid
from datetime import datetime
from typing import Any, Self

import strawberry
from sqlalchemy import Row

from app import models
from app.access import can_view_account_details
from app.graphql.context import Info
from app.graphql.core.enums import Role
from app.graphql.core.ids import encode_id
from app.graphql.core.node import Node


@strawberry.type(
    description="A member of the library: uploads samples, curates packs, likes samples."
)
class User(Node):
    pk: strawberry.Private[uuid.UUID]
    private_email: strawberry.Private[str]
    private_role: strawberry.Private[models.Role]

    username: str = strawberry.field(description="Unique handle, lower case.")
    created_at: datetime = strawberry.field(description="When the account was created.")
    revealed: strawberry.Private[bool] = False

    @strawberry.field(
        description="E-mail address; only for the user themselves and admins, else null."
    )
    def email(self, info: Info) -> str | None:
        return self.private_email if self._is_private_to(info) else None

    @strawberry.field(
        description="Account role; only for the user themselves and admins, else null."
    )
    def role(self, info: Info) -> Role | None:
        return self.private_role if self._is_private_to(info) else None

    def _is_private_to(self, info: Info) -> bool:
        return self.revealed or can_view_account_details(info.context.viewer, self.pk)

    @classmethod
    def from_row(cls, row: Row[Any] | models.User, *, revealed: bool = False) -> Self:
        """`revealed`: show the private fields whoever asks (the caller has just proved
        to be this user, e.g. by signing in, before the request carries their token)."""
        return cls(
            revealed=revealed,
            id=strawberry.ID(encode_id("User", row.id)),
            pk=row.id,
            private_email=row.email,
            private_role=row.role,
            username=row.username,
            created_at=row.created_at,
        )
