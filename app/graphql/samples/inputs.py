from enum import Enum

import strawberry

from app.graphql.core.enums import SampleKind
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
