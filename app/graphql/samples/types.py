import dataclasses
import uuid
from collections.abc import Awaitable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Self

import strawberry
from sqlalchemy import Row

from app import models
from app.access import Viewer, can_view_sample
from app.errors import InvalidInputError
from app.graphql.context import Info
from app.graphql.core.enums import AudioFormat, BpmSource, SampleKind, SampleStatus, Visibility
from app.graphql.core.ids import encode_id
from app.graphql.core.loaders import primed_or_load
from app.graphql.core.node import Node
from app.graphql.core.scope import current_scope
from app.media.signing import MediaKind
from app.processing.analysis import resample_peaks

if TYPE_CHECKING:
    from app.graphql.packs.types import Pack
    from app.graphql.processing.types import ProcessingEvent
    from app.graphql.tags.types import Tag
    from app.graphql.users.types import User

_User = Annotated["User", strawberry.lazy("app.graphql.users.types")]
_Tag = Annotated["Tag", strawberry.lazy("app.graphql.tags.types")]
_Pack = Annotated["Pack", strawberry.lazy("app.graphql.packs.types")]
_ProcessingEvent = Annotated["ProcessingEvent", strawberry.lazy("app.graphql.processing.types")]

MAX_WAVEFORM_POINTS = 2000
MAX_EVENTS = 100


def _is_manager(uploader_id: uuid.UUID) -> bool:
    viewer = current_scope().viewer
    return viewer is not None and (viewer.is_admin or viewer.owns(uploader_id))


@strawberry.type(description="Waveform peaks, point by point, left to right.")
class Waveform:
    min: list[float] = strawberry.field(description="Lowest sample value per point, -1..0.")
    max: list[float] = strawberry.field(description="Highest sample value per point, 0..1.")


@strawberry.type(
    description="An uploaded audio file (loop or one-shot) and what analysis found in it."
)
class Sample(Node):
    pk: strawberry.Private[uuid.UUID]
    uploader_id: strawberry.Private[uuid.UUID]
    has_preview: strawberry.Private[bool]

    title: str = strawberry.field(description="Title given by the uploader.")
    description: str = strawberry.field(description="Free-text description; empty when none.")
    status: SampleStatus = strawberry.field(description="Processing status.")
    visibility: Visibility = strawberry.field(description="Who may see this sample.")
    kind: SampleKind | None = strawberry.field(description="LOOP or ONE_SHOT; null until analysed.")
    format: AudioFormat | None = strawberry.field(
        description="Format of the original file; null until probed."
    )
    size_bytes: int = strawberry.field(description="Size of the original file in bytes.")
    duration_ms: int | None = strawberry.field(description="Duration in milliseconds.")
    sample_rate: int | None = strawberry.field(description="Sample rate in Hz.")
    channels: int | None = strawberry.field(description="Number of audio channels.")
    bit_depth: int | None = strawberry.field(
        description="Bits per sample of PCM formats; null for lossy ones."
    )
    bpm: float | None = strawberry.field(description="Tempo in beats per minute.")
    bpm_confidence: float | None = strawberry.field(
        description="Confidence of the detected tempo, 0..1; null when the tempo was given."
    )
    bpm_source: BpmSource | None = strawberry.field(description="Where `bpm` came from.")
    key: str | None = strawberry.field(description='Musical key, e.g. "F#m" or "Bb".')
    key_confidence: float | None = strawberry.field(
        description="Confidence of the detected key, 0..1."
    )
    loudness_lufs: float | None = strawberry.field(
        description="Integrated loudness (ITU-R BS.1770) in LUFS; null for audio under 0.4 s."
    )
    peak_dbfs: float | None = strawberry.field(description="Sample peak level in dBFS.")
    rms_dbfs: float | None = strawberry.field(description="RMS level in dBFS.")
    spectral_centroid_hz: float | None = strawberry.field(
        description="Mean spectral centroid in Hz: higher sounds brighter."
    )
    like_count: int = strawberry.field(description="How many users like this sample.")
    created_at: datetime = strawberry.field(description="When the sample was uploaded.")
    updated_at: datetime = strawberry.field(description="When the sample last changed.")

    # Relations (and the bulky waveform), filled for a whole page at once by the list
    # resolver (see relay/priming.py); reached any other way, the same DataLoaders fetch them.
    primed: strawberry.Private[dict[str, Any]] = dataclasses.field(default_factory=dict)

    @strawberry.field(
        description="The waveform for drawing: per point, the lowest and highest sample "
        "value (-1..1) of the channel mix; null until analysed. Stored at 1,000 points and "
        "reduced (never averaged) to `points`.",
        graphql_type=Waveform | None,
    )
    def waveform(
        self,
        points: Annotated[
            int, strawberry.argument(description=f"Number of points, 1..{MAX_WAVEFORM_POINTS}.")
        ] = 200,
    ) -> "Waveform | Awaitable[Waveform | None] | None":
        _check_points(points)
        if "waveform" in self.primed:
            return _resampled(self.primed["waveform"], points)
        return _loaded_waveform(self.pk, points)

    @strawberry.field(description="The user who uploaded the sample.", graphql_type=_User)
    def uploader(self) -> "User | Awaitable[User | None] | None":
        from app.graphql.users.loaders import UserByIdLoader

        # Never None: a foreign key holds the user (GraphQL would report a null as a bug).
        return primed_or_load(self.primed, "uploader", UserByIdLoader, self.uploader_id)

    @strawberry.field(description="Tags, alphabetically.", graphql_type=list[_Tag])
    def tags(self) -> "list[Tag] | Awaitable[list[Tag]]":
        from app.graphql.tags.loaders import TagsBySampleIdLoader

        return primed_or_load(self.primed, "tags", TagsBySampleIdLoader, self.pk)

    @strawberry.field(
        description="The pack this sample belongs to; null when none, or one you may not see.",
        graphql_type=_Pack | None,
    )
    def pack(self) -> "Pack | Awaitable[Pack | None] | None":
        if "pack" in self.primed:
            return self.primed["pack"]  # type: ignore[no-any-return]
        return _visible_pack(self.pk)

    @strawberry.field(
        description="Whether the signed-in viewer likes this sample; false when anonymous.",
        graphql_type=bool,
    )
    def viewer_has_liked(self) -> bool | Awaitable[bool]:
        if "liked" in self.primed:
            return self.primed["liked"]  # type: ignore[no-any-return]
        if current_scope().viewer is None:
            return False
        from app.graphql.samples.loaders import LikedByViewerBySampleIdLoader

        return current_scope().loader(LikedByViewerBySampleIdLoader).load(self.pk)

    @strawberry.field(
        description="Signed link to the original file (HTTP Range supported). It expires "
        "after about an hour (MEDIA_URL_TTL_SECONDS): ask again rather than storing it."
    )
    def audio_url(self, info: Info) -> str:
        return info.context.media_url(self.pk, MediaKind.AUDIO)

    @strawberry.field(
        description="Signed link to a small Ogg Vorbis preview for streaming; null until "
        "processing made one. Expires like `audioUrl`."
    )
    def preview_url(self, info: Info) -> str | None:
        return info.context.media_url(self.pk, MediaKind.PREVIEW) if self.has_preview else None

    @strawberry.field(
        description="The latest processing event: where the current (or last) run is. Only "
        "for the uploader and admins; null for others, and before the first event.",
        graphql_type=_ProcessingEvent | None,
    )
    def processing(self) -> "Awaitable[ProcessingEvent | None] | None":
        from app.graphql.processing.loaders import LatestProcessingEventBySampleIdLoader

        if not _is_manager(self.uploader_id):
            return None
        return current_scope().loader(LatestProcessingEventBySampleIdLoader).load(self.pk)

    @strawberry.field(
        description="The processing history, oldest first, across every run. Only for the "
        "uploader and admins (empty for others). Page by passing the last `sequence` seen.",
        graphql_type=list[_ProcessingEvent],
    )
    async def processing_events(
        self,
        after_sequence: Annotated[
            int, strawberry.argument(description="Only events after this sequence.")
        ] = 0,
        first: Annotated[
            int, strawberry.argument(description=f"At most this many, 1..{MAX_EVENTS}.")
        ] = MAX_EVENTS,
    ) -> "list[ProcessingEvent]":
        from app.graphql.processing.loaders import EventsPage, ProcessingEventsBySampleIdLoader

        if not 1 <= first <= MAX_EVENTS:
            raise InvalidInputError(f"first must be between 1 and {MAX_EVENTS}.", field="first")
        if not _is_manager(self.uploader_id):
            return []
        loader = current_scope().loader(ProcessingEventsBySampleIdLoader)
        return await loader.load(EventsPage(self.pk, after_sequence, first))

    def visible_to(self, viewer: Viewer | None) -> bool:
        return can_view_sample(viewer, self.uploader_id, self.status, self.visibility)

    @classmethod
    def from_row(cls, row: Row[Any] | models.Sample) -> Self:
        return cls(
            id=strawberry.ID(encode_id("Sample", row.id)),
            pk=row.id,
            uploader_id=row.uploader_id,
            has_preview=row.preview_storage_key is not None,
            title=row.title,
            description=row.description,
            status=row.status,
            visibility=row.visibility,
            kind=row.kind,
            format=row.format,
            size_bytes=row.size_bytes,
            duration_ms=row.duration_ms,
            sample_rate=row.sample_rate,
            channels=row.channels,
            bit_depth=row.bit_depth,
            bpm=row.bpm,
            bpm_confidence=row.bpm_confidence,
            bpm_source=row.bpm_source,
            key=row.key,
            key_confidence=row.key_confidence,
            loudness_lufs=row.loudness_lufs,
            peak_dbfs=row.peak_dbfs,
            rms_dbfs=row.rms_dbfs,
            spectral_centroid_hz=row.spectral_centroid_hz,
            like_count=row.like_count,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


async def _visible_pack(sample_id: uuid.UUID) -> "Pack | None":
    from app.graphql.packs.loaders import PackBySampleIdLoader

    pack = await current_scope().loader(PackBySampleIdLoader).load(sample_id)
    return pack if pack is not None and pack.visible_to(current_scope().viewer) else None


async def _loaded_waveform(sample_id: uuid.UUID, points: int) -> "Waveform | None":
    from app.graphql.samples.loaders import WaveformBySampleIdLoader

    peaks = await current_scope().loader(WaveformBySampleIdLoader).load(sample_id)
    return _resampled(peaks, points)


def _check_points(points: int) -> None:
    if not 1 <= points <= MAX_WAVEFORM_POINTS:
        raise InvalidInputError(
            f"points must be between 1 and {MAX_WAVEFORM_POINTS}.", field="points"
        )


def _resampled(peaks: Sequence[float] | None, points: int) -> "Waveform | None":
    if peaks is None:
        return None
    pairs = resample_peaks(peaks, points)
    return Waveform(min=pairs[0::2], max=pairs[1::2])
