import uuid
from collections.abc import Awaitable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Self

import strawberry
from sqlalchemy import Row

from app import models
from app.graphql.core.enums import ProcessingStep, SampleStatus
from app.graphql.core.scope import current_scope

if TYPE_CHECKING:
    from app.graphql.samples.types import Sample

_Sample = Annotated["Sample", strawberry.lazy("app.graphql.samples.types")]


@strawberry.type(description="Why processing stopped.")
class ProcessingError:
    step: ProcessingStep | None = strawberry.field(description="The step that failed.")
    code: str = strawberry.field(
        description="What failed, for programs: UNSUPPORTED_FORMAT, EMPTY_FILE, "
        "CORRUPT_FILE (the audio cannot be read), UNAVAILABLE (storage or database, after "
        "retries) or INTERNAL_ERROR."
    )
    message: str = strawberry.field(description="What failed, for people.")
    retryable: bool = strawberry.field(
        description="Whether running it again (`reprocessSample`) may succeed."
    )


@strawberry.type(description="One step of a sample's processing, as it happened.")
class ProcessingEvent:
    sample_id: strawberry.Private[uuid.UUID]

    sequence: int = strawberry.field(
        description="Position in the sample's event history: strictly increasing, across "
        "every run of the sample. Resume a subscription after the last one you saw."
    )
    status: SampleStatus = strawberry.field(
        description="Status of this processing run after the event. A sample being "
        "reprocessed stays READY (and listed) while its run is PROCESSING."
    )
    step: ProcessingStep | None = strawberry.field(
        description="The step that started (or READY, or the failed step); null while queued."
    )
    progress: float = strawberry.field(description="Progress of the run, 0..1.")
    message: str = strawberry.field(description="What is happening, for people.")
    error: ProcessingError | None = strawberry.field(description="Set when the run FAILED.")
    at: datetime = strawberry.field(description="When the event was recorded.")

    @strawberry.field(description="The sample being processed.", graphql_type=_Sample)
    def sample(self) -> "Awaitable[Sample | None]":
        from app.graphql.samples.loaders import SampleByIdLoader

        return current_scope().loader(SampleByIdLoader).load(self.sample_id)

    @property
    def terminal(self) -> bool:
        return self.status in (SampleStatus.READY, SampleStatus.FAILED)

    @classmethod
    def from_row(cls, row: "Row[Any] | models.ProcessingEvent") -> Self:
        error = None
        if row.error_code is not None:
            error = ProcessingError(
                step=row.error_step,
                code=row.error_code,
                message=row.error_message or "",
                retryable=bool(row.error_retryable),
            )
        return cls(
            sample_id=row.sample_id,
            sequence=row.sequence,
            status=row.status,
            step=row.step,
            progress=row.progress,
            message=row.message,
            error=error,
            at=row.created_at,
        )
