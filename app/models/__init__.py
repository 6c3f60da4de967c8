"""The data model: one aggregate per module, every relationship `lazy="raise"`."""

from app.db import Base
from app.models.enums import (
    AudioFormat,
    BpmSource,
    ProcessingStep,
    Role,
    SampleKind,
    SampleStatus,
    Visibility,
)
from app.models.like import Like
from app.models.login_attempt import LoginAttempt
from app.models.pack import Pack, PackSample
from app.models.processing_event import ProcessingEvent
from app.models.sample import Sample
from app.models.tag import Tag, sample_tags
from app.models.user import RefreshToken, User

__all__ = [
    "AudioFormat",
    "Base",
    "BpmSource",
    "Like",
    "LoginAttempt",
    "Pack",
    "PackSample",
    "ProcessingEvent",
    "ProcessingStep",
    "RefreshToken",
    "Role",
    "Sample",
    "SampleKind",
    "SampleStatus",
    "Tag",
    "User",
    "Visibility",
    "sample_tags",
]
