"""Musical key: a chroma profile correlated with Krumhansl-Kessler's major and minor profiles."""

import math
from dataclasses import dataclass

import numpy as np
import scipy.ndimage
import scipy.signal

from app.processing.analysis.spectrum import magnitudes

# Krumhansl & Kessler (1982) probe-tone ratings, tonic first.
_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])
# Rows 0-11 are C..B major, rows 12-23 C..B minor, each centred and scaled for a Pearson r.
_PROFILES = np.stack(
    [np.roll(profile, tonic) for profile in (_MAJOR, _MINOR) for tonic in range(12)]
)
_PROFILES = (_PROFILES - _PROFILES.mean(axis=1, keepdims=True)) / _PROFILES.std(
    axis=1, keepdims=True
)
_NAMES = (
    *("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"),
    *("Cm", "C#m", "Dm", "Ebm", "Em", "Fm", "F#m", "Gm", "G#m", "Am", "Bbm", "Bm"),
)
# Chords and melodies live here; below, bins are too coarse for semitones, above, the
# harmonics outweigh the notes that produced them.
_LOW_HZ = 80.0
_HIGH_HZ = 2000.0
_ANALYSIS_RATE = 11025  # resample down to about this; 2 kHz needs no more
_BIN_HZ = 3.0  # at most this wide, so 80 Hz notes a semitone (4.8 Hz) apart stay apart
_FLOOR_BINS = 15  # ~40 Hz: wider than a windowed sine's peak, narrower than an octave
_TONAL_RATIO = 10.0  # 10 dB over the local median


@dataclass(frozen=True)
class Key:
    name: str | None
    confidence: float | None


def estimate(mono: np.ndarray, sample_rate: int) -> Key:
    chroma = _chroma(mono, sample_rate)
    total = float(chroma.sum())
    if total <= 0 or not np.isfinite(total):
        return Key(name=None, confidence=None)
    chroma /= total
    spread = chroma.std()
    if spread <= 0:
        return Key(name=None, confidence=None)
    correlations = _PROFILES @ ((chroma - chroma.mean()) / spread) / 12
    best = int(np.argmax(correlations))
    # A flat chroma (noise, most drums) can still correlate by chance; its spectral
    # flatness near 1 is what keeps the confidence near 0.
    flatness = math.exp(float(np.log(chroma + 1e-12).mean())) / float(chroma.mean())
    confidence = float(np.clip(correlations[best], 0.0, 1.0)) * (1.0 - min(flatness, 1.0))
    return Key(name=_NAMES[best], confidence=confidence)


def _chroma(mono: np.ndarray, sample_rate: int) -> np.ndarray:
    factor = max(1, sample_rate // _ANALYSIS_RATE)
    if factor > 1:
        mono = scipy.signal.resample_poly(mono, 1, factor).astype(np.float32, copy=False)
    rate = sample_rate / factor
    n_fft = 2 ** math.ceil(math.log2(rate / _BIN_HZ))
    power = np.zeros(n_fft // 2 + 1)
    for block in magnitudes(mono, n_fft, n_fft // 2):
        power += np.einsum("ij,ij->j", block, block, dtype=np.float64)
    frequencies = np.fft.rfftfreq(n_fft, 1 / rate)
    # Narrow peaks only, standing well above the spectrum around them: the skirts of a
    # note would leak into its neighbours, and drums and noise have broad bumps, not lines.
    floor = scipy.ndimage.median_filter(power, size=_FLOOR_BINS, mode="nearest")
    peaks, _ = scipy.signal.find_peaks(power)
    peaks = peaks[
        (frequencies[peaks] >= _LOW_HZ)
        & (frequencies[peaks] <= _HIGH_HZ)
        & (power[peaks] > _TONAL_RATIO * floor[peaks])
    ]
    pitch_classes = np.round(12 * np.log2(frequencies[peaks] / 440.0) + 9).astype(int) % 12
    # 1/f weighting gives each semitone equal weight although higher ones span more bins.
    weights = np.sqrt(power[peaks]) / frequencies[peaks]
    chroma: np.ndarray = np.bincount(pitch_classes, weights=weights, minlength=12)
    return chroma
