"""Short-time spectra, computed a block of frames at a time so memory stays bounded."""

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import scipy.fft
import scipy.signal
from numpy.lib.stride_tricks import sliding_window_view

# ~0.75 MB of float32 per block at the default size, whatever the file's length.
_BLOCK_FRAMES = 96
# Log compression before the flux, so quiet hats count next to loud kicks.
_FLUX_COMPRESSION = 100.0


@dataclass(frozen=True)
class SpectralSummary:
    centroid_hz: float | None
    onset_envelope: np.ndarray  # spectral flux, one value per frame
    frame_rate: float  # envelope values per second


def magnitudes(mono: np.ndarray, n_fft: int, hop: int) -> Iterator[np.ndarray]:
    """Blocks of magnitude spectra, (frames, n_fft // 2 + 1); a full-scale sine peaks near 1."""
    if mono.shape[0] < n_fft:
        mono = np.pad(mono, (0, n_fft - mono.shape[0]))
    frames = sliding_window_view(mono, n_fft)[::hop]  # a view: nothing copied yet
    window = scipy.signal.windows.hann(n_fft, sym=False).astype(np.float32)
    scale = np.float32(2.0 / window.sum())
    for start in range(0, frames.shape[0], _BLOCK_FRAMES):
        spectrum = scipy.fft.rfft(frames[start : start + _BLOCK_FRAMES] * window, axis=1)
        yield np.abs(spectrum) * scale


def summarize(mono: np.ndarray, sample_rate: int) -> SpectralSummary:
    # ~46 ms windows and ~12 ms hops at any rate: 2048/512 at 44.1 kHz, 512/128 at 8 kHz.
    n_fft = 2 ** round(math.log2(sample_rate * 2048 / 44100))
    hop = n_fft // 4
    frequencies = np.fft.rfftfreq(n_fft, 1 / sample_rate).astype(np.float32)
    weighted_centroids = 0.0
    total_energy = 0.0
    flux: list[np.ndarray] = []
    previous = np.zeros(n_fft // 2 + 1, dtype=np.float32)
    for block in magnitudes(mono, n_fft, hop):
        magnitude_sums = block.sum(axis=1)
        energy = np.einsum("ij,ij->i", block, block)
        voiced = magnitude_sums > 0
        centroids = (block[voiced] @ frequencies) / magnitude_sums[voiced]
        # Energy-weighted, so quiet tails and fades don't pull the mean about.
        weighted_centroids += float(centroids @ energy[voiced])
        total_energy += float(energy.sum())
        compressed = np.log1p(_FLUX_COMPRESSION * block)
        rises = np.diff(compressed, axis=0, prepend=previous[np.newaxis])
        flux.append(np.maximum(rises, 0).mean(axis=1))
        previous = compressed[-1]
    centroid = weighted_centroids / total_energy if total_energy > 0 else None
    return SpectralSummary(
        centroid_hz=centroid,
        onset_envelope=np.concatenate(flux),
        frame_rate=sample_rate / hop,
    )
