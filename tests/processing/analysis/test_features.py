import math
from dataclasses import fields

import numpy as np
import pytest

from app.processing.analysis import Analysis, analyze
from tests.processing.analysis.signals import drum_loop, kick, sine

RATES = [8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000]


def _assert_no_nan(result: Analysis) -> None:
    for field in fields(result):
        value = getattr(result, field.name)
        if isinstance(value, float):
            assert math.isfinite(value), field.name


@pytest.mark.parametrize("rate", RATES)
def test_a_440_hz_sine_is_measured_at_any_sample_rate(rate: int) -> None:
    result = analyze(sine(440, 1.0, rate), rate)

    assert result.spectral_centroid_hz == pytest.approx(440, rel=0.05)
    assert result.peak_dbfs == pytest.approx(-6.02, abs=0.01)
    assert result.rms_dbfs == pytest.approx(-9.03, abs=0.01)
    assert result.loudness_lufs is not None
    _assert_no_nan(result)


@pytest.mark.parametrize("frequency", [100, 1000, 5000])
def test_the_centroid_follows_the_pitch_of_a_sine(frequency: int) -> None:
    result = analyze(sine(frequency, 1.0), 44100)

    assert result.spectral_centroid_hz == pytest.approx(frequency, rel=0.05)


def test_stereo_is_measured_on_every_channel() -> None:
    # A full-scale left channel and a silent right: peak is the left's, RMS averages both.
    stereo = np.stack([sine(440, 1.0, amplitude=1.0), np.zeros(44100, np.float32)], axis=1)

    result = analyze(stereo, 44100)

    assert result.peak_dbfs == pytest.approx(0.0, abs=0.01)
    assert result.rms_dbfs == pytest.approx(-6.02, abs=0.01)


def test_silence_gives_no_measurements() -> None:
    result = analyze(np.zeros((44100 * 3, 2), dtype=np.float32), 44100)

    assert result.peak_dbfs is None
    assert result.rms_dbfs is None
    assert result.loudness_lufs is None
    assert result.spectral_centroid_hz is None
    assert (result.bpm, result.bpm_confidence) == (None, None)
    assert (result.key, result.key_confidence) == (None, None)


@pytest.mark.parametrize("seconds", [0.001, 0.05, 0.3])
def test_very_short_one_shots_are_measured_without_loudness(seconds: float) -> None:
    result = analyze(kick(44100, seconds), 44100)

    assert result.peak_dbfs is not None
    assert result.spectral_centroid_hz is not None
    assert result.loudness_lufs is None
    assert result.bpm is None
    _assert_no_nan(result)


@pytest.mark.parametrize(
    "samples",
    [
        np.zeros((0, 2), dtype=np.float32),
        np.zeros(1, dtype=np.float32),
        np.array([np.nan, np.inf, -np.inf, 0.5] * 11025, dtype=np.float32),
        drum_loop(120, bars=2).astype(np.float64),
        np.stack([sine(440, 1.0)] * 8, axis=1),
    ],
    ids=["empty", "one-frame", "non-finite", "float64", "eight-channels"],
)
def test_odd_input_never_gives_nan(samples: np.ndarray) -> None:
    _assert_no_nan(analyze(samples, 44100))


def test_the_input_is_left_as_it_was() -> None:
    samples = np.array([np.nan, 0.5, -0.5] * 1000, dtype=np.float32)[:, np.newaxis]
    before = samples.copy()

    analyze(samples, 44100)

    np.testing.assert_array_equal(samples, before)
