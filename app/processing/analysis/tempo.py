"""Tempo from an onset envelope: autocorrelation read through a comb of beat multiples."""

from dataclasses import dataclass

import numpy as np
import scipy.fft
import scipy.ndimage
import scipy.signal

MIN_SECONDS = 1.5
_BPM_GRID = np.arange(60.0, 200.0 + 1e-9, 0.05)
_TEETH = np.arange(1, 5)
# Lags past this share of the envelope rest on too few frame pairs to trust.
_MAX_LAG_SHARE = 0.66
# A pattern that repeats every beat also repeats every two beats, so half the tempo (and,
# with eighth-note hats, double it) scores nearly as well as the tempo. Two rules choose:
# a log-normal preference for tempi near 120 BPM (one octave either side costs 40%), as
# listeners and librosa's beat tracker do; and a double tempo that scores at least 95% as
# well as its half always wins, since then the half's off-beats are as strong as its beats
# (a 174 BPM click track scores the same at 87, but nothing sits between its clicks).
_PREFERRED_BPM = 120.0
_PREFERENCE_OCTAVES = 1.0
_PREFERENCE = np.exp(-0.5 * (np.log2(_BPM_GRID / _PREFERRED_BPM) / _PREFERENCE_OCTAVES) ** 2)
_DOUBLE_SHARE = 0.95
_DOUBLE_TOLERANCE = 0.02
_MIN_CONFIDENCE = 0.1  # below this the best comb is chance: report no tempo
_ONSET_HEIGHT = 0.3  # of the strongest onset
_ONSET_GAP_SECONDS = 0.05
_MIN_ONSETS = 2  # one hit has no period


@dataclass(frozen=True)
class Tempo:
    bpm: float | None
    confidence: float | None
    onsets: int


def estimate(envelope: np.ndarray, frame_rate: float) -> Tempo:
    # Subtracting the local mean keeps the rises, not the loudness contour.
    local_mean = scipy.ndimage.uniform_filter1d(envelope, size=max(1, round(frame_rate / 2)))
    novelty = np.maximum(envelope - local_mean, 0)
    strongest = float(novelty.max(initial=0.0))
    if strongest <= 0:
        return Tempo(bpm=None, confidence=None, onsets=0)
    peaks, _ = scipy.signal.find_peaks(
        novelty,
        height=_ONSET_HEIGHT * strongest,
        distance=max(1, round(_ONSET_GAP_SECONDS * frame_rate)),
    )
    onsets = len(peaks)
    if novelty.shape[0] < MIN_SECONDS * frame_rate or onsets < _MIN_ONSETS:
        return Tempo(bpm=None, confidence=None, onsets=onsets)
    autocorrelation = _autocorrelation(novelty)
    if autocorrelation is None:
        return Tempo(bpm=None, confidence=None, onsets=onsets)
    scores = _comb_scores(autocorrelation, frame_rate)
    best = _fold_octaves(scores, int(np.argmax(scores * _PREFERENCE)))
    confidence = float(np.clip(scores[best], 0.0, 1.0))
    if not np.isfinite(scores[best]) or confidence < _MIN_CONFIDENCE:
        return Tempo(bpm=None, confidence=None, onsets=onsets)
    return Tempo(bpm=round(float(_BPM_GRID[best]), 2), confidence=confidence, onsets=onsets)


def _autocorrelation(novelty: np.ndarray) -> np.ndarray | None:
    """Unbiased and normalised, so 1 at a lag means the envelope repeats exactly there."""
    centred = novelty - novelty.mean()
    count = centred.shape[0]
    size = scipy.fft.next_fast_len(2 * count)
    spectrum = scipy.fft.rfft(centred, size)
    raw = scipy.fft.irfft(spectrum * spectrum.conj(), size)[:count]
    unbiased = raw / (count - np.arange(count))
    if unbiased[0] <= 0:
        return None
    normalised: np.ndarray = unbiased / unbiased[0]
    return normalised


def _comb_scores(autocorrelation: np.ndarray, frame_rate: float) -> np.ndarray:
    periods = 60.0 * frame_rate / _BPM_GRID
    max_lag = _MAX_LAG_SHARE * autocorrelation.shape[0]
    lag_axis = np.arange(autocorrelation.shape[0])

    def comb(lags: np.ndarray) -> np.ndarray:
        # Interpolating between frames gives a tempo finer than the hop; later teeth
        # (2, 3, 4 beats) pin the period down further.
        valid = lags <= max_lag
        values = np.interp(np.where(valid, lags, 0), lag_axis, autocorrelation)
        counts = valid.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean: np.ndarray = (values * valid).sum(axis=1) / counts
        return mean

    scores = comb(periods[:, np.newaxis] * _TEETH)
    scores[periods > max_lag] = -np.inf
    finite: np.ndarray = np.nan_to_num(scores, nan=-np.inf)
    return finite


def _fold_octaves(scores: np.ndarray, best: int) -> int:
    while (double := 2 * _BPM_GRID[best]) <= _BPM_GRID[-1]:
        near = np.abs(_BPM_GRID - double) <= _DOUBLE_TOLERANCE * double
        candidate = int(np.flatnonzero(near)[np.argmax(scores[near])])
        if not scores[candidate] >= _DOUBLE_SHARE * scores[best]:
            break
        best = candidate
    return best
