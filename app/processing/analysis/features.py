"""Everything measured on a decoded sample, in one pass over its spectrum."""

import math
from dataclasses import dataclass

import numpy as np

from app.models.enums import SampleKind
from app.processing.analysis import channels, key, kind, levels, spectrum, tempo


@dataclass(frozen=True)
class Analysis:
    peak_dbfs: float | None
    rms_dbfs: float | None
    loudness_lufs: float | None
    spectral_centroid_hz: float | None
    bpm: float | None
    bpm_confidence: float | None
    key: str | None
    key_confidence: float | None
    kind: SampleKind


def analyze(samples: np.ndarray, sample_rate: int) -> Analysis:
    """Samples shaped (frames, channels) or (frames,); silence gives None, never NaN."""
    samples = channels.as_frames(samples)
    mono = channels.mono(samples)
    summary = spectrum.summarize(mono, sample_rate)
    beat = tempo.estimate(summary.onset_envelope, summary.frame_rate)
    tonality = key.estimate(mono, sample_rate)
    return Analysis(
        peak_dbfs=_finite(levels.peak_dbfs(samples)),
        rms_dbfs=_finite(levels.rms_dbfs(samples)),
        loudness_lufs=_finite(levels.loudness_lufs(samples, sample_rate)),
        spectral_centroid_hz=_finite(summary.centroid_hz),
        bpm=_finite(beat.bpm),
        bpm_confidence=_finite(beat.confidence) if beat.bpm is not None else None,
        key=tonality.name,
        key_confidence=_finite(tonality.confidence) if tonality.name is not None else None,
        kind=kind.classify(mono, sample_rate, beat),
    )


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None
