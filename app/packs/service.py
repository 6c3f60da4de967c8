"""Packs: an uploader's collections of their own samples, in the curator's order."""

import uuid

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.access import Viewer, can_edit_pack, can_view_pack
from app.errors import InvalidInputError, InvalidInputsError, NotFoundError, PermissionDeniedError
from app.models import Pack, PackSample, Sample, Visibility
from app.samples.details import MAX_DESCRIPTION

MAX_NAME = 200


class PackService:
    def __init__(self, session: AsyncSession, viewer: Viewer) -> None:
        self.session = session
        self.viewer = viewer

    async def create(self, name: str, description: str, visibility: Visibility) -> Pack:
        name, description = name.strip(), description.strip()
        errors = []
        if not 1 <= len(name) <= MAX_NAME:
            errors.append(InvalidInputError(f"A name is 1 to {MAX_NAME} characters.", field="name"))
        if len(description) > MAX_DESCRIPTION:
            message = f"A description is at most {MAX_DESCRIPTION} characters."
            errors.append(InvalidInputError(message, field="description"))
        if errors:
            raise InvalidInputsError(errors)
        pack = Pack(
            owner_id=self.viewer.id, name=name, description=description, visibility=visibility
        )
        self.session.add(pack)
        await self.session.flush()
        await self.session.refresh(pack)
        return pack

    async def add_sample(
        self, pack_id: uuid.UUID, sample_id: uuid.UUID, position: int | None
    ) -> Pack:
        """At `position` (1-based; default: last), moving later samples down one."""
        pack = await self._editable(pack_id)
        sample = await self.session.get(Sample, sample_id, with_for_update=True)
        if sample is None or not self.viewer.owns(sample.uploader_id):
            # A pack holds its owner's samples; someone else's is "not found" here.
            raise NotFoundError("No such sample of yours.", field="sampleId")
        current = await self.session.scalar(
            select(PackSample.pack_id).where(PackSample.sample_id == sample_id)
        )
        if current is not None:
            raise InvalidInputError(
                "The sample is in a pack already; remove it from there first.",
                field="sampleId",
                reason="ALREADY_IN_PACK",
            )
        size = await self._size(pack_id)
        if position is None:
            position = size + 1
        if not 1 <= position <= size + 1:
            raise InvalidInputError(f"position must be between 1 and {size + 1}.", field="position")
        await self._shift(pack_id, from_position=position, by=1)
        self.session.add(PackSample(pack_id=pack_id, sample_id=sample_id, position=position))
        await self.session.flush()
        return pack

    async def remove_sample(self, pack_id: uuid.UUID, sample_id: uuid.UUID) -> Pack:
        pack = await self._editable(pack_id)
        entry = await self.session.get(PackSample, (pack_id, sample_id))
        if entry is None:
            raise NotFoundError("The sample is not in this pack.", field="sampleId")
        position = entry.position
        await self.session.delete(entry)
        await self.session.flush()
        await self._shift(pack_id, from_position=position + 1, by=-1)
        return pack

    async def _editable(self, pack_id: uuid.UUID) -> Pack:
        pack = await self.session.get(Pack, pack_id, with_for_update=True)
        if pack is None or not can_view_pack(self.viewer, pack.owner_id, pack.visibility):
            raise NotFoundError("No such pack.", field="packId")
        if not can_edit_pack(self.viewer, pack.owner_id):
            raise PermissionDeniedError("Only the pack's owner may change it.", field="packId")
        return pack

    async def _size(self, pack_id: uuid.UUID) -> int:
        count = await self.session.scalar(
            select(func.count()).select_from(PackSample).where(PackSample.pack_id == pack_id)
        )
        return count or 0

    async def _shift(self, pack_id: uuid.UUID, *, from_position: int, by: int) -> None:
        await self.session.execute(
            update(PackSample)
            .where(PackSample.pack_id == pack_id, PackSample.position >= from_position)
            .values(position=PackSample.position + by)
            .execution_options(synchronize_session=False)
        )
