import uuid
from typing import Any, Self

import strawberry
from sqlalchemy import Row

from app.graphql.core.ids import encode_id
from app.graphql.core.node import Node


@strawberry.type(description="A label on samples, such as a genre, instrument or mood.")
class Tag(Node):
    pk: strawberry.Private[uuid.UUID]
    name: str = strawberry.field(description="Normalised name: lower case, single spaces.")

    @classmethod
    def from_row(cls, row: Row[Any]) -> Self:
        return cls(id=strawberry.ID(encode_id("Tag", row.id)), pk=row.id, name=row.name)
