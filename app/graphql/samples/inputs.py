from enum import Enum

import strawberry
from strawberry import UNSET
from strawberry.file_uploads import Upload

from app.graphql.core.enums import SampleKind, Visibility
from app.graphql.core.inputs import DateTimeRange, FloatRange, IntRange, OrderDirection


@strawberry.input(description="Narrows a sample listing. All given conditions must hold.")
class SampleFilter:
    search: str | None = strawberry.field(
        default=None,
        description="Full-text search over title, tags and description, web-search syntax: "
        '`dark techno -kick`, `"vinyl crackle"`, `piano or rhodes`.',
    )
    tags: list[str] | None = strawberry.field(
        default=None, description="Samples with ALL of these tags."
    )
    any_tags: list[str] | None = strawberry.field(
        default=None, description="Samples with ANY of these tags."
    )
    bpm: FloatRange | None = strawberry.field(default=None, description="Tempo range in BPM.")
    key: str | None = strawberry.field(
        default=None, description='Musical key, e.g. "F#m", "Gb minor", "Bb"; enharmonics match.'
    )
    duration_ms: IntRange | None = strawberry.field(
        default=None, description="Duration range in milliseconds."
    )
    kind: SampleKind | None = strawberry.field(default=None, description="LOOP or ONE_SHOT.")
    uploader: strawberry.ID | None = strawberry.field(
        default=None, description="ID of the uploading user."
    )
    pack: strawberry.ID | None = strawberry.field(
        default=None, description="ID of a pack containing the samples."
    )
    created_at: DateTimeRange | None = strawberry.field(
        default=None, description="Upload time window."
    )


@strawberry.enum(description="What to sort samples by; ties are broken by ID.")
class SampleOrderField(Enum):
    CREATED_AT = "CREATED_AT"
    TITLE = "TITLE"
    BPM = "BPM"
    DURATION = "DURATION"
    POPULARITY = "POPULARITY"
    RELEVANCE = "RELEVANCE"


@strawberry.input(
    description="Sort order of a sample listing. Samples without bpm or duration come last."
)
class SampleOrder:
    field: SampleOrderField = strawberry.field(
        description="Sort key. RELEVANCE requires `filter.search`."
    )
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.DESC, description="Sort direction (default DESC)."
    )


@strawberry.input(description="A new sample: the audio file and what you know about it.")
class UploadSampleInput:
    file: Upload = strawberry.field(
        description="The audio file (GraphQL multipart request). WAV, AIFF, FLAC, Ogg "
        "Vorbis, Opus or MP3, judged by the content."
    )
    title: str | None = strawberry.field(
        default=None, description="1 to 200 characters; defaults to the file name."
    )
    description: str = strawberry.field(default="", description="At most 5,000 characters.")
    tags: list[str] = strawberry.field(
        default_factory=list, description="Up to 20 tags; normalised to lower case."
    )
    visibility: Visibility = strawberry.field(
        default=Visibility.PUBLIC, description="Who may see the sample once it is ready."
    )
    bpm: float | None = strawberry.field(
        default=None,
        description="Tempo, 1..999, if you know it: it wins over a tempo in the file name "
        "and over analysis.",
    )
    key: str | None = strawberry.field(
        default=None,
        description='Musical key if you know it ("F#m", "Bb major"); wins over analysis.',
    )
    pack_id: strawberry.ID | None = strawberry.field(
        default=None, description="One of your packs to add the sample to."
    )


@strawberry.input(description="The sample to delete.")
class DeleteSampleInput:
    id: strawberry.ID = strawberry.field(description="ID of one of your samples.")


@strawberry.input(description="The sample to process again.")
class ReprocessSampleInput:
    id: strawberry.ID = strawberry.field(description="ID of one of your samples.")


@strawberry.input(description="Changes to one of your samples; fields left out stay as they are.")
class UpdateSampleInput:
    id: strawberry.ID = strawberry.field(description="ID of the sample.")
    title: str | None = strawberry.field(default=UNSET, description="1 to 200 characters.")
    description: str | None = strawberry.field(
        default=UNSET, description="At most 5,000 characters."
    )
    tags: list[str] | None = strawberry.field(
        default=UNSET, description="The complete new set of tags (up to 20)."
    )
    visibility: Visibility | None = strawberry.field(
        default=UNSET,
        description="Who may see it. Making a READY sample PUBLIC announces it on "
        "`samplePublished`. Moderators may hide others' public samples.",
    )
    bpm: float | None = strawberry.field(
        default=UNSET, description="Tempo, 1..999; null clears it (a reprocess may detect it)."
    )
    key: str | None = strawberry.field(
        default=UNSET, description='Musical key ("F#m", "Bb major"); null clears it.'
    )


@strawberry.input(description="The sample to like.")
class LikeSampleInput:
    id: strawberry.ID = strawberry.field(description="ID of a sample you can see.")


@strawberry.input(description="The sample to stop liking.")
class UnlikeSampleInput:
    id: strawberry.ID = strawberry.field(description="ID of a sample you can see.")
