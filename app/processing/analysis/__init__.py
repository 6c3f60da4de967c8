"""Pure audio analysis on numpy arrays: no database, no event loop.

Every function here is thread-safe and meant to run in a worker thread; the heavy parts are
numpy, scipy and libsndfile calls that release the GIL.
"""

from app.processing.analysis.decode import decode
from app.processing.analysis.errors import (
    AudioError,
    CorruptAudioError,
    EmptyAudioError,
    UnsupportedFormatError,
)
from app.processing.analysis.features import Analysis, analyze
from app.processing.analysis.probe import AudioInfo, probe

__all__ = [
    "Analysis",
    "AudioError",
    "AudioInfo",
    "CorruptAudioError",
    "EmptyAudioError",
    "UnsupportedFormatError",
    "analyze",
    "decode",
    "probe",
]
