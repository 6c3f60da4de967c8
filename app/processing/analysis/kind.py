"""LOOP or ONE_SHOT.

The rule, in order:
1. A pulse: a tempo found with confidence >= 0.3 and at least 4 onsets -> LOOP.
   (A tempo needs 1.5 s of audio, so nothing shorter gets here.)
2. Under 2 s -> ONE_SHOT: hits, stabs, short notes.
3. Decaying -> ONE_SHOT: the last quarter is 20 dB or more below the loudest 50 ms,
   as with a crash cymbal or a long note with its release.
4. Otherwise (2 s or more, sustained, no pulse: pads, drones, textures) -> LOOP, since
   libraries sell those to be looped. Silence is ONE_SHOT.
"""

import numpy as np

from app.models.enums import SampleKind
from app.processing.analysis.tempo import Tempo

_PULSE_CONFIDENCE = 0.3
_PULSE_ONSETS = 4
_ONE_SHOT_SECONDS = 2.0
_TAIL_SHARE = 0.25
_DECAY_DB = 20.0
_WINDOW_SECONDS = 0.05


def classify(mono: np.ndarray, sample_rate: int, tempo: Tempo) -> SampleKind:
    if (
        tempo.bpm is not None
        and tempo.confidence is not None
        and tempo.confidence >= _PULSE_CONFIDENCE
        and tempo.onsets >= _PULSE_ONSETS
    ):
        return SampleKind.LOOP
    if mono.shape[0] < _ONE_SHOT_SECONDS * sample_rate or not _sustained(mono, sample_rate):
        return SampleKind.ONE_SHOT
    return SampleKind.LOOP


def _sustained(mono: np.ndarray, sample_rate: int) -> bool:
    window = max(1, round(_WINDOW_SECONDS * sample_rate))
    count = mono.shape[0] // window
    if count == 0:
        return False
    frames = mono[: count * window].reshape(count, window)
    powers = np.einsum("ij,ij->i", frames, frames) / window
    loudest = float(powers.max())
    if loudest <= 0:
        return False
    tail = powers[int(count * (1 - _TAIL_SHARE)) :]
    return float(tail.mean()) >= loudest * 10 ** (-_DECAY_DB / 10)
