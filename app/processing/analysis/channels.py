"""Sample arrays as every module here expects them: float32 (frames, channels)."""

import numpy as np

_DIMENSIONS = 2  # frames, channels


def as_frames(samples: np.ndarray) -> np.ndarray:
    """C-contiguous float32 (frames, channels) with no NaN or infinity, copied only if needed."""
    samples = np.ascontiguousarray(samples, dtype=np.float32)
    if samples.ndim == 1:
        samples = samples[:, np.newaxis]
    if samples.ndim != _DIMENSIONS or samples.shape[1] == 0:
        raise ValueError(f"Expected samples shaped (frames, channels), got {samples.shape}.")
    if not np.isfinite(samples).all():
        samples = np.nan_to_num(samples, nan=0.0, posinf=0.0, neginf=0.0)
    return samples


def mono(samples: np.ndarray) -> np.ndarray:
    """The mean of the channels of an `as_frames` array; a view when there is one channel."""
    if samples.shape[1] == 1:
        return samples[:, 0]
    mixed: np.ndarray = samples.mean(axis=1, dtype=np.float32)
    return mixed
