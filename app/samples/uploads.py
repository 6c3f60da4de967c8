"""Accepting an uploaded file as a new sample.

The file arrives already staged (streamed to a temporary file, size-capped and hashed on
the way). Here it is sniffed, checked against the uploader's other samples, moved to its
content-addressed place and recorded as a QUEUED sample with its first event. The caller
commits, then queues the processing job; if the transaction does not commit, the caller
runs `discard_unreferenced` so that no stored file outlives its row.
"""

import asyncio
import re
import uuid
from dataclasses import dataclass, field
from pathlib import PurePath

from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

import app.processing.analysis as audio
from app.errors import InvalidInputError
from app.models import Pack, PackSample, Sample
from app.models.enums import BpmSource, SampleStatus, Visibility
from app.processing.events import record_event
from app.samples.details import MAX_TITLE, Checks, replace_tags
from app.storage import StagedFile, Storage, original_key

_SEPARATORS = re.compile(r"[\s_]+")


class DuplicateSampleError(InvalidInputError):
    def __init__(self, existing_id: uuid.UUID) -> None:
        super().__init__(
            f"You already uploaded this file as sample {existing_id}.",
            field="file",
            reason="DUPLICATE",
        )
        self.existing_id = existing_id


@dataclass(frozen=True)
class SampleDetails:
    title: str | None = None
    description: str = ""
    tags: list[str] = field(default_factory=list)
    visibility: Visibility = Visibility.PUBLIC
    bpm: float | None = None
    key: str | None = None
    pack_id: uuid.UUID | None = None


class UploadService:
    def __init__(self, session: AsyncSession, storage: Storage) -> None:
        self.session = session
        self.storage = storage

    async def upload(
        self, uploader_id: uuid.UUID, staged: StagedFile, filename: str, details: SampleDetails
    ) -> Sample:
        info = await _sniff(staged)
        values, tags = _validated(details, filename)
        if details.pack_id is not None:
            await self._check_pack(uploader_id, details.pack_id)
        await self._check_duplicate(uploader_id, staged.sha256)

        key = original_key(staged.sha256)
        # Serialised with deletions of the same content: see `discard_unreferenced`.
        await _lock_key(self.session, key)
        await self.storage.put_file(key, staged.path)
        sample = Sample(
            uploader_id=uploader_id,
            status=SampleStatus.QUEUED,
            original_filename=PurePath(filename).name[:255],
            content_hash=staged.sha256,
            storage_key=key,
            size_bytes=staged.size,
            format=info.format,
            duration_ms=info.duration_ms,
            sample_rate=info.sample_rate,
            channels=info.channels,
            bit_depth=info.bit_depth,
            **values,
        )
        try:
            async with self.session.begin_nested():
                self.session.add(sample)
                await self.session.flush()
        except IntegrityError:
            # The same file, uploaded twice at once: the other upload won.
            await self._check_duplicate(uploader_id, staged.sha256)
            raise
        await replace_tags(self.session, sample.id, tags)
        await self._add_to_pack(sample, details)
        await record_event(self.session, sample.id, SampleStatus.QUEUED, message="Queued")
        await self.session.refresh(sample)  # server-side values (timestamps, sequence)
        return sample

    async def _check_duplicate(self, uploader_id: uuid.UUID, sha256: str) -> None:
        existing = await self.session.scalar(
            select(Sample.id).where(
                Sample.uploader_id == uploader_id, Sample.content_hash == sha256
            )
        )
        if existing is not None:
            raise DuplicateSampleError(existing)

    async def _check_pack(self, uploader_id: uuid.UUID, pack_id: uuid.UUID) -> None:
        owner = await self.session.scalar(select(Pack.owner_id).where(Pack.id == pack_id))
        if owner != uploader_id:
            # The same answer for "no such pack" and "someone else's pack".
            raise InvalidInputError("No such pack of yours.", field="packId", reason="NOT_FOUND")

    async def _add_to_pack(self, sample: Sample, details: SampleDetails) -> None:
        if details.pack_id is None:
            return
        position = select(func.coalesce(func.max(PackSample.position), 0) + 1).where(
            PackSample.pack_id == details.pack_id
        )
        await self.session.execute(
            insert(PackSample).values(
                pack_id=details.pack_id, sample_id=sample.id, position=position.scalar_subquery()
            )
        )


async def discard_unreferenced(session: AsyncSession, storage: Storage, *keys: str) -> None:
    """Delete stored objects that no sample refers to any more, in their own transaction.

    Uploads of the same content take the same advisory lock before they store the file and
    insert their row, so an upload cannot slip in between the check and the deletion.
    """
    for key in keys:
        await _lock_key(session, key)
        referenced = await session.scalar(
            select(
                select(Sample.id)
                .where((Sample.storage_key == key) | (Sample.preview_storage_key == key))
                .exists()
            )
        )
        if not referenced:
            await storage.delete(key)


async def _lock_key(session: AsyncSession, key: str) -> None:
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key}
    )


async def _sniff(staged: StagedFile) -> audio.AudioInfo:
    if staged.size == 0:
        raise InvalidInputError("The file is empty.", field="file", reason="EMPTY_FILE")
    try:
        return await asyncio.to_thread(audio.probe, staged.path)
    except audio.AudioError as error:
        raise InvalidInputError(str(error), field="file", reason=error.code) from error


def _validated(details: SampleDetails, filename: str) -> tuple[dict[str, object], list[str]]:
    checks = Checks()
    title = checks.title(details.title if details.title is not None else _title_from(filename))
    description = checks.description(details.description)
    tags = checks.tags(details.tags)
    bpm = checks.bpm(details.bpm)
    key = checks.key(details.key)
    checks.raise_if_any()
    values: dict[str, object] = {
        "title": title,
        "description": description,
        "visibility": details.visibility,
        "bpm": bpm,
        "bpm_source": BpmSource.USER if bpm is not None else None,
        "key": key,
    }
    return values, tags


def _title_from(filename: str) -> str:
    """ "Dusty_Kick-01.wav" → "Dusty Kick-01"; what is left of a nameless file: "Untitled"."""
    stem = PurePath(PurePath(filename).name).stem
    return _SEPARATORS.sub(" ", stem).strip()[:MAX_TITLE] or "Untitled"
