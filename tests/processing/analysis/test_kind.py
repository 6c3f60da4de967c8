import numpy as np
import pytest

from app.models.enums import SampleKind
from app.processing.analysis import analyze
from tests.processing.analysis.signals import chords, drum_loop, kick, noise_hit, sine


@pytest.mark.parametrize(
    "hit",
    [kick(44100, 0.5), kick(44100, 1.8), noise_hit(44100, 0.3, decay=20, amplitude=0.7)],
    ids=["kick", "long-kick", "snare"],
)
def test_a_decaying_hit_is_a_one_shot(hit: np.ndarray) -> None:
    assert analyze(hit, 44100).kind == SampleKind.ONE_SHOT


def test_a_long_decaying_crash_is_a_one_shot() -> None:
    crash = noise_hit(44100, 4.0, decay=2.0, amplitude=0.8)

    assert analyze(crash, 44100).kind == SampleKind.ONE_SHOT


@pytest.mark.parametrize("bpm", [90, 120, 174])
def test_a_four_bar_drum_loop_is_a_loop(bpm: int) -> None:
    stereo = np.stack([drum_loop(bpm, bars=4)] * 2, axis=1)

    assert analyze(stereo, 44100).kind == SampleKind.LOOP


def test_a_chord_progression_is_a_loop() -> None:
    progression = chords([[60, 64, 67], [53, 57, 60], [55, 59, 62], [60, 64, 67]], 1.0)

    assert analyze(progression, 44100).kind == SampleKind.LOOP


def test_a_sustained_pad_without_a_pulse_is_a_loop() -> None:
    pad = sine(220, 4.0) + sine(330, 4.0)

    assert analyze(pad, 44100).kind == SampleKind.LOOP


@pytest.mark.parametrize("seconds", [0.0, 0.5, 5.0])
def test_silence_is_a_one_shot(seconds: float) -> None:
    silence = np.zeros(round(seconds * 44100), dtype=np.float32)

    assert analyze(silence, 44100).kind == SampleKind.ONE_SHOT
