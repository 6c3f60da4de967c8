import numpy as np
import pytest

from app.processing.analysis import analyze
from tests.processing.analysis.signals import click_track, drum_loop, noise_hit, sine


@pytest.mark.parametrize("bpm", [90, 120, 174])
def test_a_click_track_gives_its_tempo(bpm: int) -> None:
    result = analyze(click_track(bpm, 9.0), 44100)

    assert result.bpm == pytest.approx(bpm, abs=2)
    assert result.bpm_confidence is not None
    assert result.bpm_confidence > 0.6


def test_174_is_not_reported_at_half_speed() -> None:
    # Every second click of 174 is a click of 87, so 87 scores as well on the on-beats.
    result = analyze(click_track(174, 8.0), 44100)

    assert result.bpm is not None
    assert result.bpm > 150


@pytest.mark.parametrize("bpm", [90, 120])
def test_a_drum_loop_with_eighth_hats_gives_its_tempo(bpm: int) -> None:
    result = analyze(drum_loop(bpm, bars=4), 44100)

    assert result.bpm == pytest.approx(bpm, abs=2)


@pytest.mark.parametrize("rate", [8000, 22050, 48000, 96000])
def test_tempo_does_not_depend_on_the_sample_rate(rate: int) -> None:
    result = analyze(click_track(120, 6.0, rate), rate)

    assert result.bpm == pytest.approx(120, abs=2)


@pytest.mark.parametrize(
    "signal",
    [
        click_track(120, 1.2),
        np.zeros(44100 * 4, dtype=np.float32),
        sine(440, 4.0),
        noise_hit(44100, 4.0, decay=0, amplitude=0.3),
    ],
    ids=["too-short", "silence", "steady-tone", "steady-noise"],
)
def test_no_tempo_without_a_pulse(signal: np.ndarray) -> None:
    result = analyze(signal, 44100)

    assert result.bpm is None
    assert result.bpm_confidence is None
