import numpy as np
import pytest

from app.processing.analysis import WAVEFORM_BUCKETS, resample_peaks, waveform_peaks
from tests.processing.analysis.signals import drum_loop, sine


def test_peaks_are_interleaved_min_max_pairs_in_range() -> None:
    peaks = waveform_peaks(drum_loop(120, bars=2))

    assert len(peaks) == 2 * WAVEFORM_BUCKETS
    assert all(-1.0 <= value <= 1.0 for value in peaks)
    assert all(low <= high for low, high in zip(peaks[::2], peaks[1::2], strict=True))
    assert all(round(value, 4) == value for value in peaks)


def test_a_square_wave_swings_between_its_levels_in_every_bucket() -> None:
    # 100 Hz square at 0.5 for 2 s: each of 100 buckets spans 2 whole periods.
    square = 0.5 * np.sign(sine(100, 2.0, amplitude=1.0) + 1e-9)

    peaks = waveform_peaks(square, buckets=100)

    assert peaks == [-0.5, 0.5] * 100


def test_stereo_is_drawn_as_the_channel_mix() -> None:
    left = np.full(2000, 0.8, dtype=np.float32)
    stereo = np.stack([left, -0.5 * left], axis=1)

    assert waveform_peaks(stereo, buckets=10) == [0.2, 0.2] * 10


def test_values_past_full_scale_are_clipped() -> None:
    loud = np.array([2.0, -3.0] * 500, dtype=np.float32)

    assert waveform_peaks(loud, buckets=4) == [-1.0, 1.0] * 4


def test_audio_shorter_than_the_buckets_gets_one_pair_per_frame() -> None:
    samples = np.array([0.1, -0.2, 0.33333], dtype=np.float32)

    assert waveform_peaks(samples) == [0.1, 0.1, -0.2, -0.2, 0.3333, 0.3333]


def test_empty_audio_has_no_peaks() -> None:
    assert waveform_peaks(np.zeros((0, 2), dtype=np.float32)) == []


@pytest.mark.parametrize("frames", [1001, 4999, 44100 * 3 + 7])
def test_every_frame_lands_in_exactly_one_bucket(frames: int) -> None:
    samples = np.zeros(frames, dtype=np.float32)
    samples[-1] = 0.9  # the last frame must still be counted
    samples[0] = -0.9

    peaks = waveform_peaks(samples)

    assert len(peaks) == 2 * WAVEFORM_BUCKETS
    assert (peaks[0], peaks[-1]) == (-0.9, 0.9)


def test_resampling_keeps_the_extremes() -> None:
    # Given quiet pairs with one spike up and one spike down
    peaks = [-0.1, 0.1] * 1000
    peaks[2 * 321] = -0.95
    peaks[2 * 777 + 1] = 0.97

    # When
    resampled = resample_peaks(peaks, 100)

    # Then
    assert len(resampled) == 200
    assert min(resampled[::2]) == -0.95
    assert max(resampled[1::2]) == 0.97
    assert resampled[2 * 32] == -0.95
    assert resampled[2 * 77 + 1] == 0.97


def test_resampling_to_more_points_than_there_are_returns_them_as_they_are() -> None:
    peaks = [-0.5, 0.5, -0.25, 0.25]

    assert resample_peaks(peaks, 10) == peaks
    assert resample_peaks(peaks, 2) == peaks


def test_resampling_rejects_an_odd_list() -> None:
    with pytest.raises(ValueError, match="pairs"):
        resample_peaks([0.1, 0.2, 0.3], 1)
