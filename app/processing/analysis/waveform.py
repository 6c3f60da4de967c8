"""Min/max peaks for drawing a waveform, interleaved as [min0, max0, min1, max1, ...]."""

from collections.abc import Sequence

import numpy as np

from app.processing.analysis import channels

WAVEFORM_BUCKETS = 1000
_DECIMALS = 4


def waveform_peaks(samples: np.ndarray, buckets: int = WAVEFORM_BUCKETS) -> list[float]:
    """Peaks of the channel mix; audio shorter than `buckets` frames gets one per frame."""
    if buckets < 1:
        raise ValueError("buckets must be at least 1.")
    mix = channels.mono(channels.as_frames(samples))
    if mix.shape[0] <= buckets:
        return _interleave(mix, mix)
    starts = _bucket_starts(mix.shape[0], buckets)
    return _interleave(np.minimum.reduceat(mix, starts), np.maximum.reduceat(mix, starts))


def resample_peaks(peaks: Sequence[float], points: int) -> list[float]:
    """`points` min/max pairs: min of mins and max of maxes, so no peak is averaged away."""
    if points < 1:
        raise ValueError("points must be at least 1.")
    if len(peaks) % 2:
        raise ValueError("peaks must be min/max pairs.")
    pairs = np.asarray(peaks, dtype=np.float64).reshape(-1, 2)
    if pairs.shape[0] <= points:
        return list(peaks)
    starts = _bucket_starts(pairs.shape[0], points)
    return _interleave(
        np.minimum.reduceat(pairs[:, 0], starts), np.maximum.reduceat(pairs[:, 1], starts)
    )


def _bucket_starts(length: int, buckets: int) -> np.ndarray:
    # Strictly increasing while length > buckets, which reduceat needs.
    return (np.arange(buckets, dtype=np.int64) * length) // buckets


def _interleave(minima: np.ndarray, maxima: np.ndarray) -> list[float]:
    pairs = np.stack([minima, maxima], axis=1).astype(np.float64)
    pairs = np.clip(np.nan_to_num(pairs, nan=0.0), -1.0, 1.0)
    rounded: list[float] = np.round(pairs, _DECIMALS).reshape(-1).tolist()
    return rounded
