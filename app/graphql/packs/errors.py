"""Each pack mutation's own error type and code enum (user errors, listed in the payload)."""

from enum import Enum
from typing import Self

import strawberry

from app.errors import InvalidInputError, SamplebaseError


@strawberry.enum(description="Why `createPack` refused the pack.")
class CreatePackErrorCode(Enum):
    INVALID = strawberry.enum_value("INVALID", description="The value is malformed.")


@strawberry.type(description="A problem with a `createPack` input.")
class CreatePackError:
    field: str | None = strawberry.field(description="The input field at fault; null if none.")
    message: str = strawberry.field(description="What is wrong, for people.")
    code: CreatePackErrorCode = strawberry.field(description="What is wrong, for programs.")

    @classmethod
    def from_domain(cls, error: SamplebaseError) -> Self:
        return cls(field=error.field, message=error.message, code=CreatePackErrorCode.INVALID)


@strawberry.enum(description="Why a pack's samples could not be changed.")
class PackSamplesErrorCode(Enum):
    NOT_FOUND = strawberry.enum_value(
        "NOT_FOUND", description="No such pack or sample of yours (or not in the pack)."
    )
    FORBIDDEN = strawberry.enum_value(
        "FORBIDDEN", description="You may see the pack, but only its owner may change it."
    )
    ALREADY_IN_PACK = strawberry.enum_value(
        "ALREADY_IN_PACK", description="The sample is in a pack already."
    )
    INVALID = strawberry.enum_value("INVALID", description="The value is malformed.")


def _code(error: SamplebaseError) -> PackSamplesErrorCode:
    if isinstance(error, InvalidInputError) and error.reason == "ALREADY_IN_PACK":
        return PackSamplesErrorCode.ALREADY_IN_PACK
    return PackSamplesErrorCode.__members__.get(error.code, PackSamplesErrorCode.INVALID)


@strawberry.type(description="Why `addSampleToPack` failed.")
class AddSampleToPackError:
    field: str | None = strawberry.field(description="The input field at fault; null if none.")
    message: str = strawberry.field(description="What is wrong, for people.")
    code: PackSamplesErrorCode = strawberry.field(description="What is wrong, for programs.")

    @classmethod
    def from_domain(cls, error: SamplebaseError) -> Self:
        return cls(field=error.field, message=error.message, code=_code(error))


@strawberry.type(description="Why `removeSampleFromPack` failed.")
class RemoveSampleFromPackError:
    field: str | None = strawberry.field(description="The input field at fault; null if none.")
    message: str = strawberry.field(description="What is wrong, for people.")
    code: PackSamplesErrorCode = strawberry.field(description="What is wrong, for programs.")

    @classmethod
    def from_domain(cls, error: SamplebaseError) -> Self:
        return cls(field=error.field, message=error.message, code=_code(error))
