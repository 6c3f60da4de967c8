import dataclasses
import uuid
from collections.abc import Awaitable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Self

import strawberry
from sqlalchemy import Row

from app import models
from app.access import can_view_account_details
from app.graphql.core.enums import Role
from app.graphql.core.ids import encode_id
from app.graphql.core.loaders import primed_or_load
from app.graphql.core.node import Node
from app.graphql.core.pagination import After, Before, Connection, First, Last, PageArgs
from app.graphql.core.scope import current_scope
from app.graphql.samples.inputs import SampleOrder
from app.graphql.samples.types import Sample

if TYPE_CHECKING:
    from app.graphql.packs.types import Pack

_PackConnection = Connection[Annotated["Pack", strawberry.lazy("app.graphql.packs.types")]]
_OrderBy = Annotated[
    SampleOrder | None, strawberry.argument(description="Sort order (default: newest first).")
]


@strawberry.type(
    description="A member of the library: uploads samples, curates packs, likes samples."
)
class User(Node):
    pk: strawberry.Private[uuid.UUID]
    private_email: strawberry.Private[str]
    private_role: strawberry.Private[models.Role]
    primed: strawberry.Private[dict[Any, Any]] = dataclasses.field(default_factory=dict)

    username: str = strawberry.field(description="Unique handle, lower case.")
    created_at: datetime = strawberry.field(description="When the account was created.")
    revealed: strawberry.Private[bool] = False

    @strawberry.field(
        description="E-mail address; only for the user themselves and admins, else null."
    )
    def email(self) -> str | None:
        return self.private_email if self._is_private_to() else None

    @strawberry.field(
        description="Account role; only for the user themselves and admins, else null."
    )
    def role(self) -> Role | None:
        return self.private_role if self._is_private_to() else None

    @strawberry.field(
        description="Samples this user uploaded that you may list: their public catalogue, "
        "or, for yourself, all of yours whatever their state.",
        graphql_type=Connection[Sample],
    )
    def samples(
        self,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        order_by: _OrderBy = None,
    ) -> Connection[Sample] | Awaitable[Connection[Sample]]:
        from app.graphql.samples.filters import page_spec
        from app.graphql.samples.loaders import SamplesByUploaderLoader

        spec = page_spec(order_by, PageArgs(first, after, last, before))
        slot = ("samples", spec)
        return primed_or_load(self.primed, slot, SamplesByUploaderLoader, (self.pk, spec))

    @strawberry.field(
        description="Samples you liked, most recent like first; null for anyone but yourself.",
        graphql_type=Connection[Sample] | None,
    )
    def liked_samples(
        self,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        order_by: Annotated[
            SampleOrder | None,
            strawberry.argument(description="Sort order (default: most recently liked first)."),
        ] = None,
    ) -> Connection[Sample] | Awaitable[Connection[Sample]] | None:
        from app.graphql.samples.filters import page_spec
        from app.graphql.samples.loaders import SamplesByLikerLoader

        viewer = current_scope().viewer
        if viewer is None or viewer.id != self.pk:
            return None
        spec = page_spec(order_by, PageArgs(first, after, last, before), default="LIKED_AT")
        slot = ("likedSamples", spec)
        return primed_or_load(self.primed, slot, SamplesByLikerLoader, (self.pk, spec))

    @strawberry.field(
        description="Packs this user curates that you may list, newest first.",
        graphql_type=_PackConnection,
    )
    def packs(
        self,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> "Connection[Pack] | Awaitable[Connection[Pack]]":
        from app.graphql.packs.loaders import PacksByOwnerLoader
        from app.packs.listing import CREATED_AT

        request = PageArgs(first, after, last, before).request(CREATED_AT)
        slot = ("packs", request)
        return primed_or_load(self.primed, slot, PacksByOwnerLoader, (self.pk, request))

    def _is_private_to(self) -> bool:
        return self.revealed or can_view_account_details(current_scope().viewer, self.pk)

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
