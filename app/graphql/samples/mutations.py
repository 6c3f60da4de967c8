"""Uploading, deleting and reprocessing samples.

User errors go into each payload's `errors`; a missing viewer is UNAUTHENTICATED at the
top level. Jobs are queued, and files of deleted samples discarded, only after commit; an
upload whose transaction does not commit takes its stored file back out.
"""

from functools import partial
from typing import Annotated, Any, cast

import strawberry
from starlette.datastructures import UploadFile
from strawberry import UNSET

from app.errors import InvalidInputError, InvalidInputsError, NotFoundError, PermissionDeniedError
from app.graphql.context import Info
from app.graphql.core.credentials import require_viewer
from app.graphql.core.ids import decode_typed_id, encode_id
from app.graphql.samples.errors import (
    DeleteSampleError,
    LikeSampleError,
    ReprocessSampleError,
    UnlikeSampleError,
    UpdateSampleError,
    UploadSampleError,
)
from app.graphql.samples.inputs import (
    DeleteSampleInput,
    LikeSampleInput,
    ReprocessSampleInput,
    UnlikeSampleInput,
    UpdateSampleInput,
    UploadSampleInput,
)
from app.graphql.samples.types import Sample
from app.processing.jobs import enqueue_processing
from app.samples.likes import LikeService
from app.samples.service import UNCHANGED, SampleChanges, SampleService
from app.samples.uploads import SampleDetails, UploadService, discard_unreferenced
from app.services import Services
from app.storage import original_key, stage


@strawberry.type(description="The new sample (QUEUED for processing); or why not.")
class UploadSamplePayload:
    sample: Sample | None = strawberry.field(
        default=None, description="The new sample; null on errors."
    )
    errors: list[UploadSampleError] = strawberry.field(
        default_factory=list, description="Everything wrong with the upload; empty on success."
    )


@strawberry.type(description="The changed sample; or why nothing changed.")
class UpdateSamplePayload:
    sample: Sample | None = strawberry.field(
        default=None, description="The sample as it is now; null on errors."
    )
    errors: list[UpdateSampleError] = strawberry.field(
        default_factory=list, description="Everything wrong with the change; empty on success."
    )


@strawberry.type(description="The sample, with its like count; or why not.")
class LikeSamplePayload:
    sample: Sample | None = strawberry.field(default=None, description="The sample.")
    errors: list[LikeSampleError] = strawberry.field(
        default_factory=list, description="Why not; empty on success."
    )


@strawberry.type(description="The sample, with its like count; or why not.")
class UnlikeSamplePayload:
    sample: Sample | None = strawberry.field(default=None, description="The sample.")
    errors: list[UnlikeSampleError] = strawberry.field(
        default_factory=list, description="Why not; empty on success."
    )


@strawberry.type(description="Which sample was deleted; or why not.")
class DeleteSamplePayload:
    deleted_sample_id: strawberry.ID | None = strawberry.field(
        default=None, description="ID of the deleted sample; null on errors."
    )
    errors: list[DeleteSampleError] = strawberry.field(
        default_factory=list, description="Why nothing was deleted; empty on success."
    )


@strawberry.type(description="The sample queued for processing again; or why not.")
class ReprocessSamplePayload:
    sample: Sample | None = strawberry.field(
        default=None, description="The sample, unchanged until its new run succeeds."
    )
    queued: bool = strawberry.field(
        default=False,
        description="False when a run was already waiting to start, so none was added.",
    )
    errors: list[ReprocessSampleError] = strawberry.field(
        default_factory=list, description="Why nothing was queued; empty on success."
    )


def _details(input: UploadSampleInput) -> SampleDetails:
    pack_id = None
    if input.pack_id is not None:
        pack_id = decode_typed_id(input.pack_id, "Pack", field="packId")
    return SampleDetails(
        title=input.title,
        description=input.description,
        tags=list(input.tags),
        visibility=input.visibility,
        bpm=input.bpm,
        key=input.key,
        pack_id=pack_id,
    )


async def _discard(services: Services, *keys: str) -> None:
    """Delete stored objects that no sample refers to any more (after commit or rollback)."""
    async with services.sessionmaker.begin() as session:
        await discard_unreferenced(session, services.storage, *keys)


async def _upload(info: Info, input: UploadSampleInput, upload: UploadFile) -> UploadSamplePayload:
    viewer = require_viewer(info)
    context = info.context
    storage = context.services.storage
    filename = upload.filename or ""
    try:
        details = _details(input)
        async with (
            stage(
                upload,
                directory=storage.staging_dir,
                max_bytes=context.settings.max_upload_bytes,
            ) as staged,
            context.scope.session() as session,
        ):
            sample = await UploadService(session, storage).upload(
                viewer.id, staged, filename, details
            )
            key = original_key(staged.sha256)
    except InvalidInputsError as error:
        return UploadSamplePayload(errors=[UploadSampleError.from_domain(e) for e in error.errors])
    except InvalidInputError as error:
        return UploadSamplePayload(errors=[UploadSampleError.from_domain(error)])

    services = context.services
    context.scope.after_commit(partial(enqueue_processing, services.job_app, sample.id))
    context.scope.after_rollback(partial(_discard, services, key))
    return UploadSamplePayload(sample=Sample.from_row(sample))


def _changes(input: UpdateSampleInput) -> SampleChanges:
    def given(value: Any) -> Any:
        return UNCHANGED if value is UNSET else value

    def required(value: Any, field: str) -> Any:
        # title, description, tags and visibility cannot be cleared, only changed.
        if value is None:
            raise InvalidInputError(f"{field} cannot be null.", field=field)
        return given(value)

    return SampleChanges(
        title=required(input.title, "title"),
        description=required(input.description, "description"),
        tags=required(input.tags, "tags"),
        visibility=required(input.visibility, "visibility"),
        bpm=given(input.bpm),
        key=given(input.key),
    )


@strawberry.type
class SampleMutations:
    @strawberry.mutation(
        description="Uploads an audio file as a new sample (a GraphQL multipart request, with "
        "a `GraphQL-Require-Preflight: 1` header). The sample starts QUEUED; follow it with "
        "the `sampleProcessing` subscription."
    )
    async def upload_sample(
        self,
        info: Info,
        input: Annotated[UploadSampleInput, strawberry.argument(description="The file.")],
    ) -> UploadSamplePayload:
        upload = cast(UploadFile, input.file)
        try:
            return await _upload(info, input, upload)
        finally:
            # Strawberry leaves the parts of a multipart request open (spooled temp files).
            await upload.close()

    @strawberry.mutation(
        description="Changes the details or the visibility of one of your samples (admins: "
        "any; moderators may hide others' public samples)."
    )
    async def update_sample(
        self,
        info: Info,
        input: Annotated[UpdateSampleInput, strawberry.argument(description="The changes.")],
    ) -> UpdateSamplePayload:
        viewer = require_viewer(info)
        sample_id = decode_typed_id(input.id, "Sample")
        try:
            async with info.context.scope.session() as session:
                sample = await SampleService(session, viewer).update(sample_id, _changes(input))
        except InvalidInputsError as error:
            return UpdateSamplePayload(
                errors=[UpdateSampleError.from_domain(e) for e in error.errors]
            )
        except (InvalidInputError, NotFoundError, PermissionDeniedError) as error:
            return UpdateSamplePayload(errors=[UpdateSampleError.from_domain(error)])
        return UpdateSamplePayload(sample=Sample.from_row(sample))

    @strawberry.mutation(description="Likes a sample you can see; liking it again changes nothing.")
    async def like_sample(
        self,
        info: Info,
        input: Annotated[LikeSampleInput, strawberry.argument(description="The sample.")],
    ) -> LikeSamplePayload:
        viewer = require_viewer(info)
        sample_id = decode_typed_id(input.id, "Sample")
        try:
            async with info.context.scope.session() as session:
                sample = await LikeService(session, viewer).like(sample_id)
        except NotFoundError as error:
            return LikeSamplePayload(errors=[LikeSampleError.from_domain(error)])
        return LikeSamplePayload(sample=Sample.from_row(sample))

    @strawberry.mutation(description="Takes your like back; unliking again changes nothing.")
    async def unlike_sample(
        self,
        info: Info,
        input: Annotated[UnlikeSampleInput, strawberry.argument(description="The sample.")],
    ) -> UnlikeSamplePayload:
        viewer = require_viewer(info)
        sample_id = decode_typed_id(input.id, "Sample")
        try:
            async with info.context.scope.session() as session:
                sample = await LikeService(session, viewer).unlike(sample_id)
        except NotFoundError as error:
            return UnlikeSamplePayload(errors=[UnlikeSampleError.from_domain(error)])
        return UnlikeSamplePayload(sample=Sample.from_row(sample))

    @strawberry.mutation(
        description="Deletes one of your samples (admins: any), with its events; its files "
        "go once no other sample shares them."
    )
    async def delete_sample(
        self,
        info: Info,
        input: Annotated[DeleteSampleInput, strawberry.argument(description="The sample.")],
    ) -> DeleteSamplePayload:
        viewer = require_viewer(info)
        sample_id = decode_typed_id(input.id, "Sample")
        context = info.context
        try:
            async with context.scope.session() as session:
                keys = await SampleService(session, viewer).delete(sample_id)
        except (NotFoundError, PermissionDeniedError) as error:
            return DeleteSamplePayload(errors=[DeleteSampleError.from_domain(error)])
        context.scope.after_commit(partial(_discard, context.services, *keys))
        return DeleteSamplePayload(deleted_sample_id=strawberry.ID(encode_id("Sample", sample_id)))

    @strawberry.mutation(
        description="Runs processing again on one of your samples (admins: any), e.g. after "
        "an analysis upgrade. A READY sample stays READY and listed, with its current "
        "values, until the new run succeeds; a failed run leaves them as they were."
    )
    async def reprocess_sample(
        self,
        info: Info,
        input: Annotated[ReprocessSampleInput, strawberry.argument(description="The sample.")],
    ) -> ReprocessSamplePayload:
        viewer = require_viewer(info)
        sample_id = decode_typed_id(input.id, "Sample")
        context = info.context
        try:
            async with context.scope.session() as session:
                sample, queued = await SampleService(session, viewer).reprocess(sample_id)
                await session.refresh(sample)
        except (NotFoundError, PermissionDeniedError) as error:
            return ReprocessSamplePayload(errors=[ReprocessSampleError.from_domain(error)])
        if queued:
            context.scope.after_commit(
                partial(enqueue_processing, context.services.job_app, sample_id)
            )
        return ReprocessSamplePayload(sample=Sample.from_row(sample), queued=queued)
