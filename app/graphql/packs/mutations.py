"""Creating packs and arranging one's samples in them."""

from typing import Annotated

import strawberry

from app.errors import InvalidInputError, InvalidInputsError, NotFoundError, PermissionDeniedError
from app.graphql.context import Info
from app.graphql.core.credentials import require_viewer
from app.graphql.core.ids import decode_typed_id
from app.graphql.packs.errors import (
    AddSampleToPackError,
    CreatePackError,
    RemoveSampleFromPackError,
)
from app.graphql.packs.inputs import (
    AddSampleToPackInput,
    CreatePackInput,
    RemoveSampleFromPackInput,
)
from app.graphql.packs.types import Pack
from app.packs.service import PackService


@strawberry.type(description="The new pack; or why not.")
class CreatePackPayload:
    pack: Pack | None = strawberry.field(default=None, description="The pack; null on errors.")
    errors: list[CreatePackError] = strawberry.field(
        default_factory=list, description="Everything wrong with the input; empty on success."
    )


@strawberry.type(description="The pack with the sample added; or why not.")
class AddSampleToPackPayload:
    pack: Pack | None = strawberry.field(default=None, description="The pack; null on errors.")
    errors: list[AddSampleToPackError] = strawberry.field(
        default_factory=list, description="Why nothing changed; empty on success."
    )


@strawberry.type(description="The pack without the sample; or why not.")
class RemoveSampleFromPackPayload:
    pack: Pack | None = strawberry.field(default=None, description="The pack; null on errors.")
    errors: list[RemoveSampleFromPackError] = strawberry.field(
        default_factory=list, description="Why nothing changed; empty on success."
    )


_REFUSALS = (InvalidInputError, NotFoundError, PermissionDeniedError)


@strawberry.type
class PackMutations:
    @strawberry.mutation(description="Creates an empty pack of yours.")
    async def create_pack(
        self,
        info: Info,
        input: Annotated[CreatePackInput, strawberry.argument(description="The pack.")],
    ) -> CreatePackPayload:
        viewer = require_viewer(info)
        try:
            async with info.context.scope.session() as session:
                pack = await PackService(session, viewer).create(
                    input.name, input.description, input.visibility
                )
        except InvalidInputsError as error:
            return CreatePackPayload(errors=[CreatePackError.from_domain(e) for e in error.errors])
        return CreatePackPayload(pack=Pack.from_row(pack))

    @strawberry.mutation(description="Puts one of your samples in one of your packs.")
    async def add_sample_to_pack(
        self,
        info: Info,
        input: Annotated[AddSampleToPackInput, strawberry.argument(description="What, where.")],
    ) -> AddSampleToPackPayload:
        viewer = require_viewer(info)
        pack_id = decode_typed_id(input.pack_id, "Pack", field="packId")
        sample_id = decode_typed_id(input.sample_id, "Sample", field="sampleId")
        try:
            async with info.context.scope.session() as session:
                pack = await PackService(session, viewer).add_sample(
                    pack_id, sample_id, input.position
                )
        except _REFUSALS as error:
            return AddSampleToPackPayload(errors=[AddSampleToPackError.from_domain(error)])
        return AddSampleToPackPayload(pack=Pack.from_row(pack))

    @strawberry.mutation(description="Takes a sample out of one of your packs.")
    async def remove_sample_from_pack(
        self,
        info: Info,
        input: Annotated[
            RemoveSampleFromPackInput, strawberry.argument(description="What, from where.")
        ],
    ) -> RemoveSampleFromPackPayload:
        viewer = require_viewer(info)
        pack_id = decode_typed_id(input.pack_id, "Pack", field="packId")
        sample_id = decode_typed_id(input.sample_id, "Sample", field="sampleId")
        try:
            async with info.context.scope.session() as session:
                pack = await PackService(session, viewer).remove_sample(pack_id, sample_id)
        except _REFUSALS as error:
            return RemoveSampleFromPackPayload(
                errors=[RemoveSampleFromPackError.from_domain(error)]
            )
        return RemoveSampleFromPackPayload(pack=Pack.from_row(pack))
