"""Enumerations stored as text with CHECK constraints (cheap to extend, unlike PG enums)."""

from enum import StrEnum
from typing import Any

from sqlalchemy import Enum


class Role(StrEnum):
    USER = "USER"
    MODERATOR = "MODERATOR"
    ADMIN = "ADMIN"


class SampleStatus(StrEnum):
    QUEUED = "QUEUED"
    PROCESSING = "PROCESSING"
    READY = "READY"
    FAILED = "FAILED"


class Visibility(StrEnum):
    PUBLIC = "PUBLIC"
    UNLISTED = "UNLISTED"
    PRIVATE = "PRIVATE"


class SampleKind(StrEnum):
    LOOP = "LOOP"
    ONE_SHOT = "ONE_SHOT"


class BpmSource(StrEnum):
    USER = "USER"
    FILENAME = "FILENAME"
    ANALYSIS = "ANALYSIS"


class AudioFormat(StrEnum):
    WAV = "WAV"
    AIFF = "AIFF"
    FLAC = "FLAC"
    OGG = "OGG"
    OPUS = "OPUS"
    MP3 = "MP3"


class ProcessingStep(StrEnum):
    PROBE = "PROBE"
    DECODE = "DECODE"
    ANALYZE = "ANALYZE"
    WAVEFORM = "WAVEFORM"
    PREVIEW = "PREVIEW"
    READY = "READY"


def text_enum(enum: type[StrEnum], name: str) -> Enum:
    """A VARCHAR column restricted to the enum's values by a named CHECK."""
    kwargs: dict[str, Any] = {
        "native_enum": False,
        "create_constraint": True,
        "length": 16,
        "name": name,
        "values_callable": lambda members: [member.value for member in members],
        "validate_strings": True,
    }
    return Enum(enum, **kwargs)
