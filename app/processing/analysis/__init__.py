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
from app.processing.analysis.filename import bpm_from_text
from app.processing.analysis.preview import PREVIEW_MEDIA_TYPE, encode_preview
from app.processing.analysis.probe import AudioInfo, probe
from app.processing.analysis.waveform import WAVEFORM_BUCKETS, resample_peaks, waveform_peaks

__all__ = [
    "PREVIEW_MEDIA_TYPE",
    "WAVEFORM_BUCKETS",
    "Analysis",
    "AudioError",
    "AudioInfo",
    "CorruptAudioError",
    "EmptyAudioError",
    "UnsupportedFormatError",
    "analyze",
    "bpm_from_text",
    "decode",
    "encode_preview",
    "probe",
    "resample_peaks",
    "waveform_peaks",
]
