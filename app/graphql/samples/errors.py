"""Each sample mutation's own error type and code enum (user errors, listed in the payload)."""

from enum import Enum
from typing import Self

import strawberry

from app.errors import InvalidInputError, NotFoundError, PermissionDeniedError, SamplebaseError
from app.graphql.auth.errors import code_for
from app.graphql.core.ids import encode_id
from app.samples.uploads import DuplicateSampleError


@strawberry.enum(description="Why `uploadSample` refused the file.")
class UploadSampleErrorCode(Enum):
    EMPTY_FILE = strawberry.enum_value("EMPTY_FILE", description="The file has no content.")
    UNSUPPORTED_FORMAT = strawberry.enum_value(
        "UNSUPPORTED_FORMAT",
        description="Not WAV, AIFF, FLAC, Ogg Vorbis, Opus or MP3 (judged by the content, "
        "never the file name).",
    )
    FILE_TOO_LARGE = strawberry.enum_value(
        "FILE_TOO_LARGE", description="Larger than the server's upload limit."
    )
    DUPLICATE = strawberry.enum_value(
        "DUPLICATE",
        description="You already uploaded this exact file: see `existingSampleId`.",
    )
    NOT_FOUND = strawberry.enum_value("NOT_FOUND", description="`packId`: no such pack of yours.")
    INVALID = strawberry.enum_value("INVALID", description="The value is malformed.")


@strawberry.type(description="A problem with an `uploadSample` input.")
class UploadSampleError:
    field: str | None = strawberry.field(description="The input field at fault; null if none.")
    message: str = strawberry.field(description="What is wrong, for people.")
    code: UploadSampleErrorCode = strawberry.field(description="What is wrong, for programs.")
    existing_sample_id: strawberry.ID | None = strawberry.field(
        default=None, description="With DUPLICATE: the sample you uploaded this file as."
    )

    @classmethod
    def from_domain(cls, error: InvalidInputError) -> Self:
        existing = None
        if isinstance(error, DuplicateSampleError):
            existing = strawberry.ID(encode_id("Sample", error.existing_id))
        return cls(
            field=error.field,
            message=error.message,
            code=code_for(UploadSampleErrorCode, error, UploadSampleErrorCode.INVALID),
            existing_sample_id=existing,
        )


@strawberry.enum(description="Why a change to an existing sample was refused.")
class SampleChangeErrorCode(Enum):
    NOT_FOUND = strawberry.enum_value(
        "NOT_FOUND", description="No such sample, or one you may not see."
    )
    FORBIDDEN = strawberry.enum_value(
        "FORBIDDEN", description="You may see the sample but only its uploader may change it."
    )


def _change_code(error: NotFoundError | PermissionDeniedError) -> SampleChangeErrorCode:
    if isinstance(error, PermissionDeniedError):
        return SampleChangeErrorCode.FORBIDDEN
    return SampleChangeErrorCode.NOT_FOUND


@strawberry.type(description="Why `deleteSample` failed.")
class DeleteSampleError:
    field: str | None = strawberry.field(description="The input field at fault; null if none.")
    message: str = strawberry.field(description="What is wrong, for people.")
    code: SampleChangeErrorCode = strawberry.field(description="What is wrong, for programs.")

    @classmethod
    def from_domain(cls, error: NotFoundError | PermissionDeniedError) -> Self:
        return cls(field=error.field, message=error.message, code=_change_code(error))


@strawberry.type(description="Why `reprocessSample` failed.")
class ReprocessSampleError:
    field: str | None = strawberry.field(description="The input field at fault; null if none.")
    message: str = strawberry.field(description="What is wrong, for people.")
    code: SampleChangeErrorCode = strawberry.field(description="What is wrong, for programs.")

    @classmethod
    def from_domain(cls, error: NotFoundError | PermissionDeniedError) -> Self:
        return cls(field=error.field, message=error.message, code=_change_code(error))


@strawberry.enum(description="Why `updateSample` refused the change.")
class UpdateSampleErrorCode(Enum):
    NOT_FOUND = strawberry.enum_value(
        "NOT_FOUND", description="No such sample, or one you may not see."
    )
    FORBIDDEN = strawberry.enum_value(
        "FORBIDDEN",
        description="Only the uploader (or an admin) may edit it; moderators may only hide it.",
    )
    INVALID = strawberry.enum_value("INVALID", description="The value is malformed.")


@strawberry.type(description="A problem with an `updateSample` input.")
class UpdateSampleError:
    field: str | None = strawberry.field(description="The input field at fault; null if none.")
    message: str = strawberry.field(description="What is wrong, for people.")
    code: UpdateSampleErrorCode = strawberry.field(description="What is wrong, for programs.")

    @classmethod
    def from_domain(cls, error: SamplebaseError) -> Self:
        code = {
            "NOT_FOUND": UpdateSampleErrorCode.NOT_FOUND,
            "FORBIDDEN": UpdateSampleErrorCode.FORBIDDEN,
        }.get(error.code, UpdateSampleErrorCode.INVALID)
        return cls(field=error.field, message=error.message, code=code)


@strawberry.enum(description="Why a like could not be changed.")
class LikeErrorCode(Enum):
    NOT_FOUND = strawberry.enum_value(
        "NOT_FOUND", description="No such sample, or one you may not see."
    )


@strawberry.type(description="Why `likeSample` failed.")
class LikeSampleError:
    field: str | None = strawberry.field(description="The input field at fault; null if none.")
    message: str = strawberry.field(description="What is wrong, for people.")
    code: LikeErrorCode = strawberry.field(description="What is wrong, for programs.")

    @classmethod
    def from_domain(cls, error: SamplebaseError) -> Self:
        return cls(field=error.field, message=error.message, code=LikeErrorCode.NOT_FOUND)


@strawberry.type(description="Why `unlikeSample` failed.")
class UnlikeSampleError:
    field: str | None = strawberry.field(description="The input field at fault; null if none.")
    message: str = strawberry.field(description="What is wrong, for people.")
    code: LikeErrorCode = strawberry.field(description="What is wrong, for programs.")

    @classmethod
    def from_domain(cls, error: SamplebaseError) -> Self:
        return cls(field=error.field, message=error.message, code=LikeErrorCode.NOT_FOUND)
