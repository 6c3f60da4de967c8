import numpy as np
import pytest

from app.processing.analysis.levels import loudness_lufs, peak_dbfs, rms_dbfs
from tests.processing.analysis.signals import sine


@pytest.mark.parametrize("channels", [1, 2, 6])
def test_a_half_scale_sine_peaks_at_minus_6_and_averages_minus_9(channels: int) -> None:
    samples = np.stack([sine(440, 1.0)] * channels, axis=1)

    assert peak_dbfs(samples) == pytest.approx(-6.02, abs=0.01)
    assert rms_dbfs(samples) == pytest.approx(-9.03, abs=0.01)


def test_a_negative_peak_counts() -> None:
    samples = np.zeros((1000, 1), dtype=np.float32)
    samples[10] = -0.25

    assert peak_dbfs(samples) == pytest.approx(-12.04, abs=0.01)


def test_silence_has_no_level() -> None:
    silence = np.zeros((44100, 2), dtype=np.float32)

    assert peak_dbfs(silence) is None
    assert rms_dbfs(silence) is None
    assert loudness_lufs(silence, 44100) is None


@pytest.mark.parametrize(("channels", "expected"), [(1, -23.01), (2, -20.0), (6, -23.01)])
def test_loudness_of_a_1khz_sine_follows_bs_1770(channels: int, expected: float) -> None:
    # BS.1770 calibrates a full-scale 1 kHz sine in one channel to -3.01 LKFS; this one is
    # 20 dB down, channels add by power, and six channels are measured as their mono mix.
    samples = np.stack([sine(1000, 2.0, amplitude=0.1)] * channels, axis=1)

    assert loudness_lufs(samples, 44100) == pytest.approx(expected, abs=0.1)


@pytest.mark.parametrize("seconds", [0.05, 0.3, 0.399])
def test_loudness_needs_400_ms(seconds: float) -> None:
    samples = sine(1000, seconds)[:, np.newaxis]

    assert loudness_lufs(samples, 44100) is None
