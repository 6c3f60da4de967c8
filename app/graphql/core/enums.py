"""The model enums, registered with GraphQL under their own names and described.

`strawberry.enum` decorates the model classes in place; the names below are the same
classes, re-exported so that GraphQL types import them from here (and decoration has
surely happened by then).
"""

import strawberry

from app import models

strawberry.enum(models.Role, description="What a user account may do.")
strawberry.enum(
    models.SampleStatus,
    description="Where a sample is in processing. Only READY samples are seen by others.",
)
strawberry.enum(
    models.Visibility,
    description=(
        "Who may see an object. PUBLIC: everyone, and it is listed. UNLISTED: anyone with "
        "its ID, never listed or searched. PRIVATE: only its owner (and admins)."
    ),
)
strawberry.enum(
    models.SampleKind,
    description="LOOP for material meant to repeat; ONE_SHOT for single hits.",
)
strawberry.enum(
    models.BpmSource,
    description="Where `bpm` came from: the uploader, a tempo in the file name or tags, "
    "or analysis.",
)
strawberry.enum(
    models.AudioFormat,
    description="Container/codec of the original file, sniffed from its content.",
)
strawberry.enum(
    models.ProcessingStep,
    description="Steps of processing, in order: PROBE, DECODE, ANALYZE, WAVEFORM, PREVIEW, "
    "then READY.",
)

Role = models.Role
SampleStatus = models.SampleStatus
Visibility = models.Visibility
SampleKind = models.SampleKind
BpmSource = models.BpmSource
AudioFormat = models.AudioFormat
ProcessingStep = models.ProcessingStep
