import re

import numpy as np
import pytest

from app.processing.analysis import analyze
from app.processing.analysis.key import _NAMES
from tests.processing.analysis.signals import chords, click_track, noise_hit

# I-IV-V-I in C and i-iv-V-i in A minor, the E major chord bringing the leading tone G#.
C_MAJOR = [[60, 64, 67], [53, 57, 60], [55, 59, 62], [60, 64, 67]]
A_MINOR = [[57, 60, 64], [50, 53, 57], [52, 56, 59], [57, 60, 64]]
MAJOR_NAMES = ["C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
MINOR_NAMES = ["Am", "Bbm", "Bm", "Cm", "C#m", "Dm", "Ebm", "Em", "Fm", "F#m", "Gm", "G#m"]


def _transpose(progression: list[list[int]], semitones: int) -> list[list[int]]:
    return [[note + semitones for note in chord] for chord in progression]


def test_a_c_major_progression_is_in_c() -> None:
    result = analyze(chords(C_MAJOR, 1.0), 44100)

    assert result.key == "C"
    assert result.key_confidence is not None
    assert result.key_confidence > 0.5


def test_an_a_minor_progression_is_in_a_minor() -> None:
    result = analyze(chords(A_MINOR, 1.0), 44100)

    assert result.key == "Am"
    assert result.key_confidence is not None
    assert result.key_confidence > 0.4


@pytest.mark.parametrize("semitones", range(1, 12))
def test_transposed_progressions_name_their_keys(semitones: int) -> None:
    major = analyze(chords(_transpose(C_MAJOR, semitones), 0.75), 44100)
    minor = analyze(chords(_transpose(A_MINOR, semitones), 0.75), 44100)

    assert (major.key, minor.key) == (MAJOR_NAMES[semitones], MINOR_NAMES[semitones])


@pytest.mark.parametrize("rate", [8000, 16000, 48000, 96000])
def test_key_does_not_depend_on_the_sample_rate(rate: int) -> None:
    assert analyze(chords(C_MAJOR, 1.0, rate), rate).key == "C"


def test_every_key_name_has_the_stored_format() -> None:
    assert len(set(_NAMES)) == 24
    assert all(re.fullmatch(r"[A-G](#|b)?m?", name) for name in _NAMES)


def test_silence_has_no_key() -> None:
    result = analyze(np.zeros(44100 * 2, dtype=np.float32), 44100)

    assert (result.key, result.key_confidence) == (None, None)


@pytest.mark.parametrize(
    "signal",
    [noise_hit(44100, 3.0, decay=0, amplitude=0.3), click_track(120, 4.0)],
    ids=["noise", "clicks"],
)
def test_unpitched_sound_has_little_key_confidence(signal: np.ndarray) -> None:
    result = analyze(signal, 44100)

    assert result.key_confidence is None or result.key_confidence < 0.2
