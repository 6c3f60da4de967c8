import os
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from app.processing.analysis import AudioError, CorruptAudioError, UnsupportedFormatError, decode
from tests.processing.analysis.signals import sine


def _stereo(seconds: float, rate: int = 44100) -> np.ndarray:
    return np.stack([sine(440, seconds, rate), sine(660, seconds, rate, amplitude=0.25)], axis=1)


@pytest.mark.parametrize(
    ("container", "subtype", "tolerance"),
    [
        ("WAV", "PCM_16", 1e-4),
        ("WAV", "PCM_24", 1e-6),
        ("AIFF", "PCM_16", 1e-4),
        ("FLAC", "PCM_24", 1e-6),
    ],
)
def test_lossless_files_decode_to_float32_frames_by_channels(
    tmp_path: Path, container: str, subtype: str, tolerance: float
) -> None:
    original = _stereo(1.0, 48000)
    path = tmp_path / "upload"
    sf.write(path, original, 48000, format=container, subtype=subtype)

    samples, rate = decode(path)

    assert rate == 48000
    assert samples.dtype == np.float32
    assert samples.shape == (48000, 2)
    np.testing.assert_allclose(samples, original, atol=tolerance)


@pytest.mark.parametrize(
    ("container", "subtype", "rate"),
    [("OGG", "VORBIS", 44100), ("OGG", "OPUS", 48000), ("MP3", "MPEG_LAYER_III", 44100)],
)
def test_lossy_files_decode_to_about_their_length(
    tmp_path: Path, container: str, subtype: str, rate: int
) -> None:
    path = tmp_path / "upload"
    sf.write(path, _stereo(1.0, rate), rate, format=container, subtype=subtype)

    samples, decoded_rate = decode(path)

    assert decoded_rate == rate
    assert samples.dtype == np.float32
    assert samples.shape[1] == 2
    assert samples.shape[0] == pytest.approx(rate, rel=0.05)


def test_a_wav_cut_short_decodes_the_frames_that_exist(tmp_path: Path) -> None:
    # Given a 2 s WAV whose data chunk lost its second half in transit
    whole = tmp_path / "whole.wav"
    sf.write(whole, sine(440, 2.0), 44100, subtype="PCM_16")
    path = tmp_path / "cut.wav"
    path.write_bytes(whole.read_bytes()[: 44 + 44100 * 2])

    # When
    samples, _ = decode(path)

    # Then PCM has nothing to check against: what arrived is what decodes
    assert samples.shape == (44100, 1)
    np.testing.assert_allclose(samples[:, 0], sine(440, 1.0), atol=1e-4)


@pytest.mark.parametrize("damage", ["truncated", "garbled"])
def test_a_damaged_flac_is_corrupt(tmp_path: Path, damage: str) -> None:
    whole = tmp_path / "whole.flac"
    sf.write(whole, _stereo(2.0), 44100)
    content = bytearray(whole.read_bytes())
    if damage == "truncated":
        content = content[: len(content) // 2]
    else:
        content[2000:8000] = os.urandom(6000)
    path = tmp_path / "damaged.flac"
    path.write_bytes(bytes(content))

    with pytest.raises(CorruptAudioError):
        decode(path)


@pytest.mark.parametrize("container", ["WAV", "FLAC", "OGG", "MP3"])
@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9])
def test_any_damaged_file_decodes_or_raises_an_audio_error(
    tmp_path: Path, container: str, keep: float
) -> None:
    whole = tmp_path / "whole"
    sf.write(whole, _stereo(1.0), 44100, format=container)
    content = bytearray(whole.read_bytes())
    cut = round(len(content) * keep)
    content[cut:] = os.urandom(len(content) - cut)
    path = tmp_path / "damaged"
    path.write_bytes(bytes(content))

    try:
        samples, _ = decode(path)
    except AudioError:
        return
    assert samples.dtype == np.float32
    assert samples.shape[1] == 2


def test_nan_in_a_float_wav_decodes_as_silence(tmp_path: Path) -> None:
    tone = sine(440, 0.5)
    tone[100:200] = np.nan
    tone[300] = np.inf
    path = tmp_path / "float.wav"
    sf.write(path, tone, 44100, subtype="FLOAT")

    samples, _ = decode(path)

    assert np.isfinite(samples).all()
    assert (samples[100:200] == 0).all()


def test_unsupported_files_are_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "x.wav"
    path.write_text("RIFF? no.\n" * 50)

    with pytest.raises(UnsupportedFormatError):
        decode(path)
