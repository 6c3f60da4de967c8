"""Peak, RMS and integrated loudness (ITU-R BS.1770 through pyloudnorm)."""

import math

import numpy as np
import pyloudnorm

# pyloudnorm gates on 400 ms blocks and raises for anything shorter.
LOUDNESS_MIN_SECONDS = 0.4
_LOUDNESS_MAX_CHANNELS = 5  # BS.1770 channel weights stop at 5.0 surround
_CHUNK = 1 << 20


def peak_dbfs(samples: np.ndarray) -> float | None:
    # max and -min rather than abs(): no copy of the whole signal.
    peak = max(float(samples.max(initial=0.0)), -float(samples.min(initial=0.0)))
    return _dbfs(peak)


def rms_dbfs(samples: np.ndarray) -> float | None:
    """Over every sample of every channel, so a 0.5 sine reads -9.03 whatever its channels."""
    flat = samples.reshape(-1)
    if flat.shape[0] == 0:
        return None
    # float32 dot products a chunk at a time, summed in float64: no float64 copy.
    square_sum = sum(float(np.dot(chunk, chunk)) for chunk in _chunks(flat))
    return _dbfs(math.sqrt(square_sum / flat.shape[0]))


def loudness_lufs(samples: np.ndarray, sample_rate: int) -> float | None:
    if samples.shape[0] < LOUDNESS_MIN_SECONDS * sample_rate:
        return None
    if samples.shape[1] > _LOUDNESS_MAX_CHANNELS:
        samples = samples.mean(axis=1, keepdims=True, dtype=np.float32)
    # A new Meter each call: it keeps the last blockwise loudness as state.
    lufs = float(pyloudnorm.Meter(sample_rate).integrated_loudness(samples))
    return lufs if math.isfinite(lufs) else None


def _dbfs(amplitude: float) -> float | None:
    if not amplitude > 0 or not math.isfinite(amplitude):
        return None
    return 20 * math.log10(amplitude)


def _chunks(flat: np.ndarray) -> list[np.ndarray]:
    return [flat[start : start + _CHUNK] for start in range(0, flat.shape[0], _CHUNK)]
