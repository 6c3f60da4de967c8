"""Input types shared by the domains: ranges and sort direction."""

from datetime import datetime
from enum import Enum

import strawberry


@strawberry.enum(description="Sort direction.")
class OrderDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.input(description="An inclusive range of numbers; either bound may be omitted.")
class FloatRange:
    min: float | None = strawberry.field(default=None, description="Lowest value, inclusive.")
    max: float | None = strawberry.field(default=None, description="Highest value, inclusive.")


@strawberry.input(description="An inclusive range of whole numbers; either bound may be omitted.")
class IntRange:
    min: int | None = strawberry.field(default=None, description="Lowest value, inclusive.")
    max: int | None = strawberry.field(default=None, description="Highest value, inclusive.")


@strawberry.input(description="A time window; either bound may be omitted. Bounds are exclusive.")
class DateTimeRange:
    after: datetime | None = strawberry.field(
        default=None, description="Strictly after this instant."
    )
    before: datetime | None = strawberry.field(
        default=None, description="Strictly before this instant."
    )
